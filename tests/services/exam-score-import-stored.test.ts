// The rows a score preview keeps for its commit: when something the check depends on changed
// since the preview, or the app restarted in between, the commit checks the stored rows again.
// Both file layouts (理论成绩/实操成绩 columns, or 考试科目 + 成绩) and a batch stored before the
// compact form must come back as they were previewed.
import { afterEach, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { fakeClock, testCore, type TestCore } from '../support/core'
import { examClerk, openSession, seedExamApplicant, type ExamApplicant } from './exam-support'
import { examScoresService } from '../../src-main/core/services/exam-scores'
import { examRepos } from '../../src-main/core/services/exam-common'

let core: TestCore
afterEach(() => core?.dispose())

async function sheet(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('成绩')
  rows.forEach((r) => ws.addRow(r))
  return Buffer.from(await wb.xlsx.writeBuffer())
}

const attempts = (applicationId: number) =>
  core.ctx.db.prepare('SELECT subject, score, outcome FROM exam_attempts WHERE application_id = ? ORDER BY subject').all(applicationId) as { subject: string; score: number | null; outcome: string }[]
const scoredDetail = (applicationId: number) =>
  JSON.parse((core.ctx.db.prepare("SELECT detail FROM application_events WHERE application_id = ? AND event = 'exam_scored'").get(applicationId) as { detail: string }).detail)
const stageOf = (id: number) => (core.ctx.db.prepare('SELECT stage FROM applications WHERE id = ?').get(id) as { stage: string }).stage

/** Applicants paid, booked on one session for both subjects, and marked present. */
async function examDay(names: string[]) {
  const clock = fakeClock()
  core = await testCore({ clock })
  const clerk = await examClerk(core)
  const s = openSession(core, clerk, { subjects: 'both', daysAhead: 2 })
  const people = names.map((name, i) => {
    const a = seedExamApplicant(core, { name })
    core.services.payments.recordCounterPayment(clerk, { applicationId: a.applicationId, method: 'cash', receiptNo: `S40${i}0`, amountFen: 13300 })
    core.services.examBookings.book(a.applicationId, s.id, clerk)
    return a
  })
  clock.set(`${s.date}T08:40:00+08:00`)
  for (const e of core.services.examSessions.roster(s.id).entries) core.services.examSessions.markAttendance(clerk, { bookingId: e.bookingId, present: true })
  clock.set(`${s.date}T15:00:00+08:00`)
  return { clerk, s, people }
}

/** Something a score check may depend on changes: another applicant pays and moves on to the exam stage. */
function somethingChanges(clerk: Awaited<ReturnType<typeof examClerk>>) {
  const other = seedExamApplicant(core, { name: '路人' })
  core.services.payments.recordCounterPayment(clerk, { applicationId: other.applicationId, method: 'cash', receiptNo: 'S4990', amountFen: 13300 })
}

describe('the rows a preview keeps for its commit', () => {
  it('are checked again after a change, in the 考试科目 + 成绩 layout, and applied as previewed', async () => {
    const { clerk, s, people } = await examDay(['张伟', '李娜'])
    const [zw, ln] = people
    const file = await sheet([
      ['考试日期', '身份证号', '姓名', '考试科目', '成绩', '场次'],
      [s.date, zw.idNumber, '张伟', '理论', 85, ''],
      [s.date, zw.idNumber, '张 伟', '实操', '９２分', ''],
      [s.date, ln.idNumber, '李娜', '理论', '缺考', s.name],
      [s.date, ln.idNumber, '李娜', '实操', 70, String(s.id)]
    ])
    const p = await core.services.examScores.preview(clerk, '分科目.xlsx', file)
    expect(p).toMatchObject({ total: 4, ok: 4, errors: 0 })
    somethingChanges(clerk)
    const c = core.services.examScores.commit(clerk, p.batchId!)
    expect(c).toMatchObject({ applied: 4, scores: 4, skipped: 0, passedBoth: 1 })
    expect(attempts(zw.applicationId)).toEqual([
      { subject: 'practical', score: 92, outcome: 'passed' },
      { subject: 'theory', score: 85, outcome: 'passed' }
    ])
    expect(attempts(ln.applicationId)).toEqual([
      { subject: 'practical', score: 70, outcome: 'failed' },
      { subject: 'theory', score: null, outcome: 'no_show' }
    ])
    expect(stageOf(zw.applicationId)).toBe('permit_approval')
    expect(scoredDetail(ln.applicationId)).toEqual({ batchId: p.batchId, scores: [{ subject: 'theory', score: null, outcome: 'no_show' }, { subject: 'practical', score: 70, outcome: 'failed' }] })
    const bookings = core.ctx.db.prepare('SELECT status FROM exam_bookings WHERE session_id = ?').all(s.id) as { status: string }[]
    expect(bookings.map((b) => b.status)).toEqual(['scored', 'scored'])
  })

  it('are checked again after a restart, in the 理论成绩/实操成绩 layout', async () => {
    const { clerk, s, people } = await examDay(['王强', '赵敏'])
    const [wq, zm] = people
    const file = await sheet([
      ['身份证号', '姓名', '理论成绩', '实操成绩', '考试日期'],
      [wq.idNumber, '王强', 60, '', s.date],
      [zm.idNumber, '赵敏', '缺考', 88, s.date]
    ])
    const p = await core.services.examScores.preview(clerk, '两列.xlsx', file)
    expect(p).toMatchObject({ ok: 2, errors: 0 })
    // A new service instance keeps nothing of the preview: as after a restart.
    const afterRestart = examScoresService(core.ctx)
    expect(afterRestart.commit(clerk, p.batchId!)).toMatchObject({ applied: 2, scores: 3, passedBoth: 0 })
    expect(attempts(wq.applicationId)).toEqual([{ subject: 'theory', score: 60, outcome: 'failed' }])
    expect(attempts(zm.applicationId)).toEqual([
      { subject: 'practical', score: 88, outcome: 'passed' },
      { subject: 'theory', score: null, outcome: 'no_show' }
    ])
    // 王强's booking still waits for its practical score; 赵敏's has both
    const status = (a: ExamApplicant) => (core.ctx.db.prepare('SELECT status FROM exam_bookings WHERE application_id = ?').get(a.applicationId) as { status: string }).status
    expect([status(wq), status(zm)]).toEqual(['present', 'scored'])
  })

  it('of a batch stored before the compact form are read as they were', async () => {
    const { clerk, s, people } = await examDay(['孙丽'])
    const [sl] = people
    const rows = [{ row: 2, idNumber: sl.idNumber, name: '孙丽', examDate: s.date, session: null, scores: [{ subject: 'theory', score: 81, column: '理论成绩' }, { subject: 'practical', score: 79, column: '实操成绩' }] }]
    const batchId = examRepos(core.ctx).exams.insertBatch({ fileName: '旧批次.xlsx', sha256: 'f'.repeat(64), total: 1, ok: 1, errors: 0, unchanged: 0, rows: JSON.stringify(rows), now: core.ctx.now(), by: clerk.id })
    expect(core.services.examScores.commit(clerk, batchId)).toMatchObject({ applied: 1, scores: 2, passedBoth: 0 })
    expect(attempts(sl.applicationId)).toEqual([
      { subject: 'practical', score: 79, outcome: 'failed' },
      { subject: 'theory', score: 81, outcome: 'passed' }
    ])
  })
})
