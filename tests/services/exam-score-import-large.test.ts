// A 10,000-row score file: every row previewed and committed in one transaction, the second import
// of the same file changing nothing.
import { afterEach, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { fakeClock, testCore, type TestCore } from '../support/core'
import { examClerk } from './exam-support'
import { idCheckChar } from '../../src-main/core/domain/id-number'
import { examRepos, setExamNoticeSender } from '../../src-main/core/services/exam-common'

let core: TestCore
afterEach(() => core?.dispose())

const ROWS = 10_000
function idNumber(i: number): string {
  const birth = new Date(Date.UTC(1970, 0, 1) + i * 86400_000).toISOString().slice(0, 10).replaceAll('-', '')
  const first17 = `410105${birth}01${1 + 2 * (i % 5)}`
  return first17 + idCheckChar(first17)
}

describe('a 10,000-row score file', () => {
  it('previews every row and commits them in one go; the second import changes nothing', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T09:00:00+08:00') })
    const clerk = await examClerk(core)
    const { ctx } = core
    const { exams, payments } = examRepos(ctx)
    const sent: string[] = []
    setExamNoticeSender(ctx, (n) => void sent.push(n.text))
    const now = ctx.now()
    ctx.db.transaction(() => {
      const venueId = ctx.repos.referenceData.insertVenue({ name: '郑州理论考点', address: '郑州市金水区' }, now)
      const sessions = Array.from({ length: ROWS / 1000 }, (_, k) =>
        ctx.repos.referenceData.insertSession({ venueId, name: `2026-12-01 第${k + 1}场`, examDate: '2026-12-01', startTime: '09:00', endTime: '11:00', subjects: 'both', capacity: 1000, booked: 0, bookingOpensAt: '2026-11-01T00:00:00+08:00', bookingClosesAt: '2026-11-30T17:00:00+08:00', status: 'open' }, now)
      )
      for (let i = 0; i < ROWS; i++) {
        const id = idNumber(i)
        const applicantId = ctx.repos.applications.insertApplicant({ idNumber: id, name: `考生${i}`, phone: '13800000000', passwordHash: null, now })
        const appId = ctx.repos.applications.insert({ applicantId, category: 'passenger', applicationType: 'initial', stage: 'exam', idNumber: id, name: `考生${i}`, phone: '13800000000', trainingSchoolId: null, trainingNo: null, form: {}, submittedAt: now, stageEnteredAt: now, enteredByStaff: null, now })
        const orderId = payments.insertOrder({ orderNo: `T${i}`, applicationId: appId, provider: 'counter', amountFen: 13300, items: [], qrContent: null, expiresAt: null, now, byType: 'system', byId: null })
        for (const subject of ['theory', 'practical'] as const) payments.insertCredit({ applicationId: appId, key: `${subject}:initial`, subject, kind: 'initial', attempts: 2, amountFen: 0, orderId, now })
        exams.insertBooking({ applicationId: appId, sessionId: sessions[Math.floor(i / 1000)], theory: true, practical: true, now, byType: 'applicant', byId: applicantId })
      }
    })()
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('成绩')
    ws.addRow(['考试日期', '姓名', '身份证号', '实操成绩', '理论成绩'])
    for (let i = 0; i < ROWS; i++) ws.addRow(['2026-12-01', `考生${i}`, idNumber(i), i % 10 === 0 ? '缺考' : 75 + (i % 26), 70 + (i % 31)])
    const file = Buffer.from(await wb.xlsx.writeBuffer())

    const p = await core.services.examScores.preview(clerk, '10000.xlsx', file)
    expect(p.rows.filter((r) => r.status === 'error').map((r) => r.errors)).toEqual([])
    expect(p).toMatchObject({ total: ROWS, ok: ROWS, errors: 0 })
    expect(p.rows).toHaveLength(ROWS)
    const c = core.services.examScores.commit(clerk, p.batchId!)
    expect(c).toMatchObject({ applied: ROWS, scores: 2 * ROWS })
    const passed = (ctx.db.prepare("SELECT count(*) AS n FROM applications WHERE stage = 'permit_approval'").get() as { n: number }).n
    expect(passed).toBe(c.passedBoth)
    expect(passed).toBeGreaterThan(1000)
    await expect.poll(() => sent.length, { timeout: 10_000 }).toBe(ROWS) // composed and sent after the import returned
    expect(sent.filter((t) => t.includes('理论、实操均已合格')).length).toBe(passed)
    const again = await core.services.examScores.preview(clerk, '10000.xlsx', file)
    expect(again).toMatchObject({ ok: 0, unchanged: ROWS, errors: 0 })
  }, 120_000)
})
