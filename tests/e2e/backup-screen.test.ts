// The administrator's data-safety screen, as an administrator walks it: the start-up findings after
// a crash, setting the backup folder, 立即备份 (listed with size and a passed verification), the
// doctor's results, and restoring that backup into a fresh folder.
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { ADMIN_PASSWORD, tempDir } from '../support/core'
import { launchBrowser, loginThroughUi, SCREENSHOT_DIR, startServe, type ServeProcess } from '../support/browser'

let serve: ServeProcess
let browser: Browser
const dataDir = tempDir('qualdesk-e2e-safety-')
const backupDir = tempDir('qualdesk-e2e-backups-')
const restoreTo = join(tempDir('qualdesk-e2e-restore-'), 'restored')

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  // As after a power cut: the running marker of a process that is gone, a half-written upload.
  writeFileSync(join(dataDir, 'qualdesk.running'), 'pid=999999\nstarted=2026-11-25T01:00:00Z\n')
  mkdirSync(join(dataDir, 'attachments', 'tmp'), { recursive: true })
  writeFileSync(join(dataDir, 'attachments', 'tmp', '3f2a.part'), Buffer.alloc(4096))
  serve = await startServe({ QUALDESK_DATA_DIR: dataDir }, ['--demo'])
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  for (const d of [dataDir, backupDir, join(restoreTo, '..')]) rmSync(d, { recursive: true, force: true })
})

describe('data safety screen', () => {
  it('backs up, checks and restores from the administrator screen', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await loginThroughUi(page, serve.url, 'admin', ADMIN_PASSWORD)
    await page.waitForURL(/#\/desk\/admin/)
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/dataSafety.backups')), page.getByRole('tab', { name: '数据安全' }).click()])
    const screen = page.locator('[data-test="data-safety"]')

    // What the start found.
    await expect.poll(() => screen.locator('[data-test="startup-report"]').innerText()).toContain('上次运行未正常退出')
    expect(await screen.locator('[data-test="startup-report"]').innerText()).toContain('已清理 1 个中断的上传或导入留下的临时文件')

    // The folder, then a backup now.
    await screen.locator('input[name="folder"]').fill(backupDir)
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/rpc/dataSafety.saveBackupConfig') && r.status() === 200),
      screen.getByRole('button', { name: '保存设置' }).click()
    ])
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/rpc/dataSafety.backupNow') && r.status() === 200, { timeout: 30_000 }),
      screen.locator('[data-test="backup-now"]').click()
    ])
    const table = screen.locator('[data-test="backup-table"]')
    // The demo already lists a backup of its own: wait for the row of this one, in the chosen folder.
    const row = table.locator('tr', { hasText: backupDir })
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1)
    const text = await row.innerText()
    expect(text).toContain('成功')
    expect(text).toContain('通过')
    expect(text).toMatch(/\d+(\.\d)? (KB|MB)/)

    // The doctor.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/rpc/dataSafety.doctor') && r.status() === 200),
      screen.locator('[data-test="run-doctor"]').click()
    ])
    const doctor = screen.locator('[data-test="doctor-table"]')
    await expect.poll(() => doctor.innerText()).toContain('审计日志哈希链')
    expect(await doctor.innerText()).toContain('哈希链完整')
    expect(await screen.innerText()).toContain('未发现问题')
    await page.locator('.el-message').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined)
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'admin-data-safety.png') })
    await doctor.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'admin-data-safety-doctor.png') })

    // Restore that backup into a fresh folder.
    await table.getByRole('button', { name: '恢复…' }).first().click()
    const dialog = page.locator('[data-test="restore-dialog"]')
    await dialog.locator('input[name="targetDir"]').fill(restoreTo)
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/rpc/dataSafety.restore') && r.status() === 200, { timeout: 30_000 }),
      dialog.locator('[data-test="restore-run"]').click()
    ])
    await expect.poll(() => dialog.locator('[data-test="restore-result"]').innerText()).toContain('恢复完成，检查通过')
    expect(await dialog.innerText()).toContain(`QUALDESK_DATA_DIR=${restoreTo}`)
    expect(existsSync(join(restoreTo, 'qualdesk.db'))).toBe(true)
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'admin-data-safety-restored.png') })

    // Restoring again into the same (now full) folder is refused, with the reason under the field.
    await dialog.getByRole('button', { name: '关闭', exact: true }).click()
    await table.getByRole('button', { name: '恢复…' }).first().click()
    await dialog.locator('input[name="targetDir"]').fill(restoreTo)
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/rpc/dataSafety.restore') && r.status() === 422),
      dialog.locator('[data-test="restore-run"]').click()
    ])
    await expect.poll(() => dialog.innerText()).toContain('不是空的')
    await page.close()
  })
})
