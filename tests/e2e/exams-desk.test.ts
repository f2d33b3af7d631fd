// The exam desks as the exam clerk walks them, with the applicant's side over the applicant API:
// create a session in 考务管理, take a retake fee at the counter, the applicant books the session
// over HTTP, the roster shows them, the exam centre's scores are imported in 成绩导入, and the
// applicant's 成绩查询 shows the result while the application moves on to 许可审批.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import ExcelJS from 'exceljs'
import type { Page } from 'playwright-core'
import { loginThroughUi, SCREENSHOT_DIR, useServeAndBrowser } from '../support/browser'
import { call } from '../http/applicant-support'

// --demo: the exam clerk kaowu (password Demo2026), applicants at the exam stage (password abc123).
const office = useServeAndBrowser()

/** A demo applicant who passed the theory and used both practical attempts: a retake fee is due. */
function retakeCandidate(): { id: number; idNumber: string; name: string } {
  const db = new Database(join(office.serve().dataDir, 'qualdesk.db'), { readonly: true, fileMustExist: true })
  try {
    return db
      .prepare(
        `SELECT a.id, a.id_number AS idNumber, a.name FROM applications a WHERE a.stage = 'exam'
           AND EXISTS (SELECT 1 FROM exam_attempts t WHERE t.application_id = a.id AND t.subject = 'theory' AND t.outcome = 'passed')
           AND (SELECT count(*) FROM exam_attempts t WHERE t.application_id = a.id AND t.subject = 'practical') = 2 LIMIT 1`
      )
      .get() as { id: number; idNumber: string; name: string }
  } finally {
    db.close()
  }
}
function stageOf(id: number): string {
  const db = new Database(join(office.serve().dataDir, 'qualdesk.db'), { readonly: true, fileMustExist: true })
  try {
    return (db.prepare('SELECT stage FROM applications WHERE id = ?').get(id) as { stage: string }).stage
  } finally {
    db.close()
  }
}

async function createSession(page: Page, capacity: number): Promise<{ id: number; date: string }> {
  await page.locator('[data-test="create-session"]').click()
  const form = page.locator('[data-test="session-form"]')
  await form.waitFor()
  await form.getByText('理论+实操').click()
  const cap = page.locator('[data-test="capacity-input"] input')
  await cap.fill(String(capacity))
  await cap.blur()
  const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/exams.createSession')), page.locator('[data-test="save-session"]').click()])
  const body = (await res.json()) as { data?: { id: number; date: string }; error?: unknown }
  expect(body.error, JSON.stringify(body.error)).toBeUndefined()
  await page.locator('[data-test="session-form"]').waitFor({ state: 'hidden' })
  return body.data!
}

async function payAtCounter(page: Page, applicationId: number, yuan: string, receiptNo: string) {
  await page.getByRole('tab', { name: '窗口业务' }).click()
  await page.getByPlaceholder('身份证号、培训证号或申请编号').fill(String(applicationId))
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/exams.findApplicant')), page.locator('[data-test="counter-find"]').click()])
  await expect.poll(() => page.locator('[data-test="counter"]').innerText()).toContain('应缴：¥41.00')
  await page.locator('[data-test="counter-pay"]').click()
  await page.locator('input[data-test="pay-amount"], [data-test="pay-amount"] input').fill(yuan)
  await page.locator('input[data-test="pay-receipt"], [data-test="pay-receipt"] input').fill(receiptNo)
  const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/exams.counterPayment')), page.locator('[data-test="pay-submit"]').click()])
  expect(res.status()).toBe(200)
  await expect.poll(() => page.locator('[data-test="counter"]').innerText()).toContain('应缴：¥0.00')
}

async function importScores(page: Page, file: Buffer) {
  await page.locator('[data-desk="scores"]').click()
  await page.waitForURL(/#\/desk\/scores/)
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/rpc/scores.preview')),
    page.locator('[data-test="score-file"]').setInputFiles({ name: '成绩.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file })
  ])
  await expect.poll(() => page.locator('[data-test="preview-summary"]').innerText()).toContain('可导入 1')
}

describe('exams, end to end', () => {
  it('session created, retake paid at the counter, booked over the API, scores imported, result seen', async () => {
    const who = retakeCandidate()
    expect(who, 'the demo has an applicant with a practical retake due').toBeTruthy()
    const page = await office.browser().newPage({ viewport: { width: 1440, height: 900 } })
    await loginThroughUi(page, office.serve().url, 'kaowu', 'Demo2026')
    await page.waitForURL(/#\/desk\/exams/)
    await page.locator('[data-test="sessions-table"]').waitFor()

    const session = await createSession(page, 5)
    await expect.poll(() => page.locator('[data-test="sessions-table"]').innerText()).toContain(session.date)
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exams-1-sessions.png') })

    // the applicant cannot book before paying the retake fee
    const login = await call(office.serve().url, 'POST', '/auth/login', { body: { idNumber: who.idNumber, password: 'abc123' } })
    expect(login.status, JSON.stringify(login.body)).toBe(200)
    const token = login.body.token as string
    const attempts = await call(office.serve().url, 'GET', `/applications/${who.id}/attempts`, { token })
    expect(attempts.body.dueFen).toBe(4100)
    const refused = await call(office.serve().url, 'POST', `/applications/${who.id}/bookings`, { token, body: { sessionId: session.id } })
    expect(refused.status).toBe(422)

    await payAtCounter(page, who.id, '41.00', 'E2E20261125')
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exams-2-counter.png'), fullPage: true })

    // 考试预约 in the app
    const sessions = await call(office.serve().url, 'GET', `/applications/${who.id}/exam-sessions`, { token })
    expect(sessions.body.find((s: { id: number }) => s.id === session.id)).toMatchObject({ capacity: 5, booked: 0, wouldCover: ['practical'] })
    const booked = await call(office.serve().url, 'POST', `/applications/${who.id}/bookings`, { token, body: { sessionId: session.id } })
    expect(booked.status, JSON.stringify(booked.body)).toBe(201)

    // the roster shows the applicant
    await page.getByRole('tab', { name: '考试场次' }).click()
    const row = page.locator('[data-test="sessions-table"] .el-table__body-wrapper tr', { hasText: session.date }).filter({ hasText: '理论、实操' }).first()
    await expect.poll(() => row.innerText()).toContain('1 / 5')
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/exams.roster')), row.locator('[data-test="open-roster"]').click()])
    await expect.poll(() => page.locator('[data-test="roster-table"]').innerText()).toContain(who.name)
    await page.waitForTimeout(400) // the drawer slides in
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exams-3-roster.png') })
    await page.keyboard.press('Escape')

    // 成绩导入: the exam centre's file
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('成绩')
    ws.addRow(['考试日期', '身份证号', '姓名', '实操成绩'])
    ws.addRow([session.date, who.idNumber, ` ${who.name} `, '８６'])
    await importScores(page, Buffer.from(await wb.xlsx.writeBuffer()))
    await page.waitForTimeout(400) // let the tags' entry transition finish before the picture
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exams-4-preview.png') })
    await page.locator('[data-test="commit-import"]').click()
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/scores.commit')), page.locator('.el-message-box').getByRole('button', { name: '导入' }).click()])
    await expect.poll(() => page.locator('[data-test="import-result"]').innerText()).toContain('1 人两科均合格')
    await page.locator('.el-message-box').waitFor({ state: 'hidden' })
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exams-5-imported.png') })

    // 成绩查询 in the app, and the application moved on
    const scores = await call(office.serve().url, 'GET', `/applications/${who.id}/scores`, { token })
    expect(scores.body.at(-1)).toMatchObject({ subject: 'practical', score: 86, passed: true, examDate: session.date, sessionId: session.id })
    expect(scores.body.filter((s: { passed: boolean }) => s.passed).map((s: { subject: string }) => s.subject).sort()).toEqual(['practical', 'theory'])
    expect(stageOf(who.id)).toBe('permit_approval')
    await page.close()
  })
})
