// The supervisors' desk as a supervisor walks it, in Chromium against the real `serve --demo`:
// the dashboard draws its charts with the demo office's data, a click on the funnel opens the list
// behind it, and the application ledger is exported with a progress bar, downloaded and re-read.
import ExcelJS from 'exceljs'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { rpc } from '../support/core'
import { launchBrowser, loginThroughUi, SCREENSHOT_DIR, startServe, type ServeProcess } from '../support/browser'

let serve: ServeProcess
let browser: Browser
let page: Page

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  // --demo: the demo office; 陈志强 (shenpi / Demo2026) is its supervisor.
  serve = await startServe({}, ['--demo'])
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1100 }, acceptDownloads: true })
})
afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

/** How many pixels of a chart's canvas are not blank: a drawn chart has thousands. */
async function inkOf(selector: string): Promise<number> {
  return page.locator(`${selector} canvas`).first().evaluate((el) => {
    const c = el as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }
    const ctx = c.getContext('2d')
    const { data } = ctx.getImageData(0, 0, c.width, c.height)
    let ink = 0
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) ink++
    return ink
  })
}

describe('the supervisor opens 统计报表', () => {
  it('sees the dashboard drawn with the office’s figures', async () => {
    await loginThroughUi(page, serve.url, 'shenpi', 'Demo2026')
    await page.waitForURL(/#\/desk\//)
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/reports.dashboard')), page.goto(`${serve.url}/#/desk/reports`)])
    await page.waitForSelector('[data-test="chart-funnel"] canvas')
    // Give ECharts its animation frame or two, then check that every chart has ink on it.
    await expect.poll(() => inkOf('[data-test="chart-funnel"]'), { timeout: 10_000 }).toBeGreaterThan(2000)
    await expect.poll(() => inkOf('[data-test="chart-per-day"]')).toBeGreaterThan(1000)
    await expect.poll(() => inkOf('[data-test="chart-overdue"]')).toBeGreaterThan(1000)
    await page.waitForTimeout(600)
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'reports-dashboard.png'), fullPage: true })
    // The lower half: session fill and fees.
    await page.locator('[data-test="chart-fees"]').scrollIntoViewIfNeeded()
    await expect.poll(() => inkOf('[data-test="chart-fees"]')).toBeGreaterThan(1000)
    await page.waitForTimeout(400)
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'reports-dashboard-lower.png') })
    await page.locator('[data-test="kpi-open"]').scrollIntoViewIfNeeded()

    // The numbers on the page are the core's numbers.
    const token = await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('qualdesk.token'))
    const d = (await rpc(serve.url, 'reports.dashboard', { from: '2026-01-01', to: '2026-12-31' }, token!)).data
    const open = d.funnel.filter((f: { stage: string }) => f.stage !== 'completed').reduce((n: number, f: { count: number }) => n + f.count, 0)
    expect(open).toBeGreaterThan(0)
    await expect.poll(() => page.locator('[data-test="kpi-open"] b').textContent()).toBe(String(open))
  })

  it('clicks the funnel’s first layer and gets the list behind it, masked', async () => {
    const box = (await page.locator('[data-test="chart-funnel"] canvas').first().boundingBox())!
    // The first layer (待材料预审) is the widest, at the top of the funnel.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/rpc/reports.drilldown')),
      page.mouse.click(box.x + box.width / 2, box.y + 22)
    ])
    const drawer = page.locator('[data-test="drill-drawer"]')
    await drawer.locator('.el-table__row').first().waitFor()
    await expect.poll(() => drawer.locator('.el-drawer__title').textContent()).toContain('待材料预审')
    const firstId = await drawer.locator('.el-table__row').first().locator('td').nth(2).textContent()
    expect(firstId).toMatch(/^\d{3}\*+\d{3}[\dX]$/)
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'reports-drilldown.png') })
    await page.keyboard.press('Escape')
    await drawer.locator('.el-drawer').waitFor({ state: 'hidden' })
  })

  it('exports the application ledger with a progress bar, downloads it and it re-reads', async () => {
    await page.getByRole('tab', { name: '数据导出' }).click()
    await page.waitForSelector('[data-test="start-export"]')
    // The default range is the last 30 days, where most of the demo office's applications were submitted.
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/reports.startExport')), page.locator('[data-test="start-export"]').click()])
    const progress = page.locator('[data-test="export-progress"]')
    await progress.waitFor()
    await page.locator('[data-test="download-export"]').waitFor({ timeout: 20_000 })
    await expect.poll(() => progress.locator('[role="progressbar"]').getAttribute('aria-valuenow')).toBe('100')
    await page.waitForTimeout(800) // the bar's own transition
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'reports-export.png') })

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="download-export"]').click()])
    expect(download.suggestedFilename()).toMatch(/^申请台账_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/)
    const file = join(serve.dataDir, 'downloaded.xlsx')
    await download.saveAs(file)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const ws = wb.getWorksheet('申请台账')!
    expect(ws.getRow(1).getCell(3).value).toBe('姓名')
    const token = await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('qualdesk.token'))
    const jobs = (await rpc(serve.url, 'reports.exports', {}, token!)).data
    expect(ws.rowCount - 1).toBe(jobs[0].doneRows)
    expect(jobs[0].doneRows).toBeGreaterThan(10)
    expect(jobs[0].downloads).toBe(1)
  })
})
