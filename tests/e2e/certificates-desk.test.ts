// 许可审批 → 证件打印 → 领证, as the supervisor and the issuing clerk walk it in the real UI (the
// built app's `serve --demo`, Debian's Chromium); the applicant's progress, read over the
// applicant API, ends green at 08.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { rpc } from '../support/core'
import { loginThroughUi, SCREENSHOT_DIR, useServeAndBrowser } from '../support/browser'

const office = useServeAndBrowser()

async function deskPage(user: 'shenpi' | 'fazheng', desk: 'permits' | 'certificates'): Promise<Page> {
  const page = await (await office.browser().newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage()
  await loginThroughUi(page, office.serve().url, user, 'Demo2026')
  await page.locator('[data-test="current-user"]').waitFor()
  await page.goto(`${office.serve().url}/#/desk/${desk}`)
  await page.locator('[data-test="desk-title"]').waitFor()
  return page
}

async function staffToken(username: string) {
  return (await rpc(office.serve().url, 'auth.login', { username, password: 'Demo2026' })).data.token as string
}

/** The demo applicant's own view of the timeline (demo applicants' password: abc123). */
async function progressOf(idNumber: string, applicationId: number) {
  const login = await fetch(`${office.serve().url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idNumber, password: 'abc123' }) })
  const { token } = (await login.json()) as { token: string }
  const r = await fetch(`${office.serve().url}/api/v1/applications/${applicationId}/progress`, { headers: { authorization: `Bearer ${token}` } })
  return ((await r.json()) as { steps: { no: string; state: string; text: string }[] }).steps
}

describe('permit approval to pickup in the staff UI', () => {
  it('the supervisor approves the oldest application, the clerk prints it and records the holder collecting it', async () => {
    // ---- 许可审批 -------------------------------------------------------------------------------
    const boss = await deskPage('shenpi', 'permits')
    const queue = boss.locator('[data-test="permit-queue"]')
    await queue.locator('.el-table__row').first().waitFor()
    const before = await queue.locator('.el-table__body .el-table__row').count()
    const name = (await queue.locator('.el-table__body .el-table__row').first().locator('td').nth(1).innerText()).trim()
    // The whole history on one screen.
    await queue.locator('.el-table__body .el-table__row').first().locator('.el-button.is-link').click()
    const detail = boss.locator('[data-test="permit-detail"]')
    await detail.getByText('审批要点').waitFor()
    await detail.getByText('办理记录').waitFor()
    await boss.screenshot({ path: join(SCREENSHOT_DIR, 'permits-detail.png') })
    const approved = boss.waitForResponse((r) => r.url().endsWith('/rpc/permits.approve'))
    await detail.locator('[data-test="detail-approve"]').click()
    await boss.locator('.el-message-box input').fill('材料齐全，考试合格')
    await boss.locator('.el-message-box .el-button--primary').click()
    expect((await approved).status()).toBe(200)
    await boss.getByText(`已批准 1 份申请`).waitFor()
    await expect.poll(() => queue.locator('.el-table__body .el-table__row').count()).toBe(before - 1)
    await boss.screenshot({ path: join(SCREENSHOT_DIR, 'permits-queue.png') })

    // Who was it? (the supervisor's full view, as the clerk would read the ID card)
    const bossToken = await staffToken('shenpi')
    const clerkToken = await staffToken('fazheng')
    const toPrint = await rpc(office.serve().url, 'certificates.queue', { view: 'to_print', query: name }, clerkToken)
    const applicationId = toPrint.data.rows[0].applicationId as number
    const full = await rpc(office.serve().url, 'permits.detail', { applicationId }, bossToken)
    const idNumber = full.data.idNumber as string

    // ---- 证件打印 -------------------------------------------------------------------------------
    const clerk = await deskPage('fazheng', 'certificates')
    const printQueue = clerk.locator('[data-test="queue-to_print"]')
    const row = printQueue.locator('.el-table__body .el-table__row', { hasText: name })
    await row.waitFor()
    await row.locator('.el-checkbox').click()
    const started = clerk.waitForResponse((r) => r.url().endsWith('/rpc/certificates.print'))
    await clerk.locator('[data-test="print-selected"]').click()
    expect((await started).status()).toBe(200)
    const job = clerk.locator('[data-test="print-job"]')
    await job.locator('[data-test="print-status"]', { hasText: '已生成 1 张证件' }).waitFor()
    await job.locator('[data-test="print-frame"]').waitFor()
    await expect(job.locator('[data-test="print-progress"]').innerText()).resolves.toContain('100%')
    await clerk.waitForTimeout(800) // the PDF viewer draws the page
    await clerk.screenshot({ path: join(SCREENSHOT_DIR, 'certificates-print-job.png') })
    await job.locator('.el-dialog__headerbtn').click()

    // ---- 领证 -----------------------------------------------------------------------------------
    await clerk.getByRole('tab', { name: '待领证' }).click()
    const pickupRow = clerk.locator('[data-test="queue-to_hand_over"] .el-table__body .el-table__row', { hasText: name })
    await pickupRow.waitFor()
    await pickupRow.locator('[data-test="handover"]').click()
    const dialog = clerk.locator('[data-test="handover-dialog"]')
    await dialog.getByText('窗口领取').click()
    await dialog.locator('input[name="collectorIdNumber"]').fill('11010519491231002X')
    await dialog.locator('.el-checkbox').click()
    // Someone else's ID number for "本人领取": refused, with the field named.
    const refused = clerk.waitForResponse((r) => r.url().endsWith('/rpc/certificates.handOver'))
    await dialog.locator('[data-test="confirm-handover"]').click()
    expect((await refused).status()).toBe(422)
    await dialog.getByText('与持证人身份证号不一致').waitFor()
    await dialog.locator('input[name="collectorIdNumber"]').fill(idNumber)
    const done = clerk.waitForResponse((r) => r.url().endsWith('/rpc/certificates.handOver'))
    await dialog.locator('[data-test="confirm-handover"]').click()
    expect((await done).status()).toBe(200)
    await clerk.getByText('已登记领证，申请已办结').waitFor()
    await clerk.screenshot({ path: join(SCREENSHOT_DIR, 'certificates-pickup.png') })

    // ---- the applicant's timeline ends green at 08 ------------------------------------------------
    const steps = await progressOf(idNumber, applicationId)
    expect(steps.find((s) => s.no === '07')).toMatchObject({ state: 'done' })
    expect(steps.find((s) => s.no === '08')).toMatchObject({ state: 'done', text: '证件已领取' })
    // and the QR code's check answers "valid" for the card just handed over
    const cert = (await rpc(office.serve().url, 'certificates.search', { query: idNumber }, clerkToken)).data[0]
    const verify = await fetch(`${office.serve().url}/api/v1/certificates/verify?no=${idNumber}&serial=${cert.currentSerial}`).then((r) => r.json())
    expect(verify).toMatchObject({ valid: true, verdict: 'valid' })
  })
})
