// The exam business as the exam clerk and the counter run it: sessions and capacity, counter
// payments (and a duplicate), bookings, cancellation, attendance and no-shows, score import.
import { afterEach, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { fakeClock, testCore, type TestCore } from '../support/core'
import { examClerk, openSession, seedExamApplicant } from './exam-support'
import { readOutbox } from '../../src-main/core/services/sms'

let core: TestCore
afterEach(() => core?.dispose())

const stageOf = (id: number) => (core.ctx.db.prepare('SELECT stage FROM applications WHERE id = ?').get(id) as { stage: string }).stage
const events = (id: number) => (core.ctx.db.prepare('SELECT event FROM application_events WHERE application_id = ? ORDER BY id').all(id) as { event: string }[]).map((e) => e.event)
const auditActions = () => core.services.auditLog.list({ page: 1, pageSize: 200 }).rows.map((r) => r.action)

async function sheet(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('成绩')
  rows.forEach((r) => ws.addRow(r))
  return Buffer.from(await wb.xlsx.writeBuffer())
}

describe('sessions', () => {
  it('creates a session, refuses a capacity below what is booked, and cancels with release and notice', async () => {
    const clock = fakeClock()
    core = await testCore({ clock })
    const clerk = await examClerk(core)
    const s = openSession(core, clerk, { capacity: 2 })
    expect(s).toMatchObject({ capacity: 2, booked: 0, status: 'open', subjectsLabel: '理论、实操' })
    const a = seedExamApplicant(core)
    const b = seedExamApplicant(core)
    for (const x of [a, b]) core.services.payments.recordCounterPayment(clerk, { applicationId: x.applicationId, method: 'cash', receiptNo: `R${x.applicationId}0001`, amountFen: 13300 })
    core.services.examBookings.book(a.applicationId, s.id, { kind: 'applicant', applicantId: a.applicantId })
    core.services.examBookings.book(b.applicationId, s.id, clerk)
    expect(() => core.services.examSessions.setCapacity(clerk, { sessionId: s.id, capacity: 1 })).toThrow(expect.objectContaining({ code: 'rule_violation', fields: { capacity: '不能少于已预约的2人' } }))
    expect(core.services.examSessions.setCapacity(clerk, { sessionId: s.id, capacity: 5 }).capacity).toBe(5)
    const r = core.services.examSessions.cancel(clerk, { sessionId: s.id, reason: '考场设备检修' })
    expect(r).toMatchObject({ released: 2, session: { status: 'cancelled', booked: 0 } })
    expect(core.services.examBookings.bookings(a.applicationId, clerk)[0]).toMatchObject({ status: 'released', statusLabel: '场次取消' })
    // the attempts are untouched and the applicant may book again
    expect(core.services.examBookings.attempts(a.applicationId, clerk).subjects.map((x) => [x.used, x.left])).toEqual([[0, 2], [0, 2]])
    expect(events(a.applicationId)).toContain('exam_session_cancelled')
    // the notices go out after the commit, through the SMS provider (outbox/sms.jsonl)
    await expect.poll(async () => (await readOutbox(core.dataDir)).filter((m) => m.to === a.phone).map((m) => m.text).join('\n'), { timeout: 5000 }).toContain('考试场次已取消（考场设备检修）')
    expect(auditActions()).toEqual(expect.arrayContaining(['exam.session_created', 'exam.capacity_changed', 'exam.session_cancelled']))
  })
})

describe('counter payment', () => {
  it('moves the application to 考试预约 once, and refuses to take the fee twice', async () => {
    core = await testCore({ clock: fakeClock() })
    const clerk = await examClerk(core)
    const a = seedExamApplicant(core)
    expect(() => core.services.payments.recordCounterPayment(clerk, { applicationId: a.applicationId, method: 'cash', receiptNo: 'R0001', amountFen: 13000 })).toThrow(
      expect.objectContaining({ code: 'rule_violation', fields: { amountFen: '应收 133.00 元，实填 130.00 元' } })
    )
    const o = core.services.payments.recordCounterPayment(clerk, { applicationId: a.applicationId, method: 'card', receiptNo: 'R0001', amountFen: 13300 })
    expect(o).toMatchObject({ status: 'paid', amountFen: 13300, provider: 'counter', receiptNo: 'R0001', duplicate: false })
    expect(stageOf(a.applicationId)).toBe('exam')
    expect(events(a.applicationId)).toEqual(['fee_paid'])
    expect(() => core.services.payments.recordCounterPayment(clerk, { applicationId: a.applicationId, method: 'cash', receiptNo: 'R0002', amountFen: 13300 })).toThrow(expect.objectContaining({ code: 'conflict' }))
    const b = seedExamApplicant(core)
    expect(() => core.services.payments.recordCounterPayment(clerk, { applicationId: b.applicationId, method: 'cash', receiptNo: 'R0001', amountFen: 13300 })).toThrow(expect.objectContaining({ fields: { receiptNo: '该收据号已登记过' } }))
    expect(stageOf(b.applicationId)).toBe('fee_payment') // nothing half-written
    const rec = core.services.payments.reconciliation('2026-11-25')
    expect(rec.providers.find((p) => p.provider === 'counter')).toMatchObject({ paidCount: 1, paidFen: 13300 })
    expect(rec.movements[0].idNumber).toMatch(/^410\*+\w{4}$/)
  })
})

describe('booking', () => {
  it('needs the fee, allows one active booking per subject, and cancels only before the cut-off', async () => {
    const clock = fakeClock()
    core = await testCore({ clock })
    const clerk = await examClerk(core)
    const theory = openSession(core, clerk, { subjects: 'theory' })
    const theory2 = openSession(core, clerk, { subjects: 'theory', daysAhead: 5 })
    const both = openSession(core, clerk, { subjects: 'both', daysAhead: 4 })
    const a = seedExamApplicant(core)
    const me = { kind: 'applicant' as const, applicantId: a.applicantId }
    expect(() => core.services.examBookings.book(a.applicationId, theory.id, me)).toThrow(expect.objectContaining({ code: 'rule_violation', message: '尚未缴纳考试费，请先缴费再预约考试' }))
    core.services.payments.recordCounterPayment(clerk, { applicationId: a.applicationId, method: 'cash', receiptNo: 'R1001', amountFen: 13300 })
    const b1 = core.services.examBookings.book(a.applicationId, theory.id, me)
    expect(b1.subjects).toEqual(['theory'])
    expect(() => core.services.examBookings.book(a.applicationId, theory2.id, me)).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('理论已有有效预约') }))
    // a both-subjects session now covers the practical only
    expect(core.services.examBookings.bookable(a.applicationId, me).find((s) => s.id === both.id)?.wouldCover).toEqual(['practical'])
    const b2 = core.services.examBookings.book(a.applicationId, both.id, me)
    expect(b2.subjects).toEqual(['practical'])
    expect(core.services.examSessions.get(theory.id).booked).toBe(1)
    // another applicant may not cancel it
    const other = seedExamApplicant(core)
    expect(() => core.services.examBookings.cancel(a.applicationId, b1.bookingId, { kind: 'applicant', applicantId: other.applicantId })).toThrow(expect.objectContaining({ code: 'forbidden' }))
    core.services.examBookings.cancel(a.applicationId, b1.bookingId, me)
    expect(core.services.examSessions.get(theory.id).booked).toBe(0)
    clock.advance(3 * 86400_000 + 3600_000) // past the both-session's cut-off
    expect(() => core.services.examBookings.cancel(a.applicationId, b2.bookingId, me)).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('已过取消截止时间') }))
  })

  it('never books beyond capacity', async () => {
    core = await testCore({ clock: fakeClock() })
    const clerk = await examClerk(core)
    const s = openSession(core, clerk, { capacity: 3 })
    const people = Array.from({ length: 5 }, () => seedExamApplicant(core, { stage: 'exam' }))
    for (const p of people) core.ctx.db.prepare(`INSERT INTO payment_orders (order_no, application_id, provider, amount_fen, items, status, created_at, created_by_type) VALUES (?, ?, 'counter', 13300, '[]', 'paid', ?, 'system')`).run(`T${p.applicationId}`, p.applicationId, core.ctx.now())
    for (const p of people) {
      const oid = (core.ctx.db.prepare('SELECT id FROM payment_orders WHERE order_no = ?').get(`T${p.applicationId}`) as { id: number }).id
      for (const sub of ['theory', 'practical']) core.ctx.db.prepare(`INSERT INTO payment_credits (application_id, item_key, subject, kind, attempts, amount_fen, order_id, credited_at) VALUES (?, ?, ?, 'initial', 2, 0, ?, ?)`).run(p.applicationId, `${sub}:initial`, sub, oid, core.ctx.now())
    }
    const results = people.map((p) => {
      try {
        core.services.examBookings.book(p.applicationId, s.id, { kind: 'applicant', applicantId: p.applicantId })
        return 'ok'
      } catch (e) {
        return (e as Error).message
      }
    })
    expect(results).toEqual(['ok', 'ok', 'ok', '该场次已约满，请选择其他场次', '该场次已约满，请选择其他场次'])
    expect(core.services.examSessions.get(s.id)).toMatchObject({ booked: 3, capacity: 3 })
  })
})

describe('exam day', () => {
  it('marks attendance; everyone not present is a no-show once the session is over, using one attempt of each booked subject', async () => {
    const clock = fakeClock()
    core = await testCore({ clock })
    const clerk = await examClerk(core)
    const s = openSession(core, clerk, { subjects: 'both', daysAhead: 2 })
    const [a, b, c] = [seedExamApplicant(core), seedExamApplicant(core), seedExamApplicant(core)]
    const bookings = [a, b, c].map((x, i) => {
      core.services.payments.recordCounterPayment(clerk, { applicationId: x.applicationId, method: 'cash', receiptNo: `R20${i}0`, amountFen: 13300 })
      return core.services.examBookings.book(x.applicationId, s.id, clerk)
    })
    expect(() => core.services.examSessions.markAttendance(clerk, { bookingId: bookings[0].bookingId, present: true })).toThrow(expect.objectContaining({ message: '考试当天才能登记到场情况' }))
    expect(() => core.services.examSessions.close(clerk, s.id)).toThrow(expect.objectContaining({ code: 'rule_violation' }))
    clock.set(`${s.date}T08:40:00+08:00`)
    expect(core.services.examSessions.markAttendance(clerk, { bookingId: bookings[0].bookingId, present: true })).toBe('present')
    expect(core.services.examSessions.markAttendance(clerk, { bookingId: bookings[1].bookingId, present: false })).toBe('no_show')
    expect(core.services.examBookings.attempts(b.applicationId, clerk).subjects.map((x) => [x.used, x.left, x.noShows])).toEqual([[1, 1, 1], [1, 1, 1]])
    // c was never marked: the session ends at 11:00, then the roster closes by itself
    clock.set(`${s.date}T11:05:00+08:00`)
    const roster = core.services.examSessions.roster(s.id)
    expect(roster.session.status).toBe('finished')
    expect(roster.entries.map((e) => e.status)).toEqual(['present', 'no_show', 'no_show'])
    expect(core.services.examBookings.attempts(c.applicationId, clerk).subjects.map((x) => x.used)).toEqual([1, 1])
    expect(events(c.applicationId)).toContain('exam_no_show')
    expect(core.services.examBookings.scores(c.applicationId, clerk)).toEqual([
      expect.objectContaining({ subject: 'theory', score: null, absent: true, passed: false }),
      expect.objectContaining({ subject: 'practical', score: null, absent: true })
    ])
  })
})

describe('score import', () => {
  it('previews every row, commits valid rows in one go, moves passers to permit approval, and changes nothing the second time', async () => {
    const clock = fakeClock()
    core = await testCore({ clock })
    const clerk = await examClerk(core)
    const s = openSession(core, clerk, { subjects: 'both', daysAhead: 2 })
    const people = [seedExamApplicant(core, { name: '张伟' }), seedExamApplicant(core, { name: '李娜' }), seedExamApplicant(core, { name: '王强' })]
    people.forEach((x, i) => {
      core.services.payments.recordCounterPayment(clerk, { applicationId: x.applicationId, method: 'cash', receiptNo: `R30${i}0`, amountFen: 13300 })
      core.services.examBookings.book(x.applicationId, s.id, clerk)
    })
    clock.set(`${s.date}T08:40:00+08:00`)
    people.forEach((_, i) => core.services.examSessions.markAttendance(clerk, { bookingId: core.services.examSessions.roster(s.id).entries[i].bookingId, present: true }))
    clock.set(`${s.date}T15:00:00+08:00`)
    const [zw, ln, wq] = people
    const file = await sheet([
      ['身份证号', '姓名', '理论成绩', '实操成绩', '考试日期'],
      [zw.idNumber, '张伟', 85, 90, s.date],
      [ln.idNumber, '李娜', '７５', '缺考', s.date],
      [wq.idNumber, '王五', 90, 90, s.date],
      ['110105194912310021', '赵六', 90, 90, s.date]
    ])
    const p = await core.services.examScores.preview(clerk, 'scores.xlsx', file)
    expect(p).toMatchObject({ total: 4, ok: 2, errors: 2, unchanged: 0 })
    // a second clerk previews the same file before the first one commits
    const parallel = await core.services.examScores.preview(clerk, 'scores.xlsx', file)
    expect(parallel.ok).toBe(2)
    expect(p.rows.map((r) => [r.row, r.status, r.errors.map((e) => `${e.column}:${e.reason}`).join()])).toEqual([
      [2, 'ok', ''],
      [3, 'ok', ''],
      [4, 'error', '姓名:姓名与身份证号不符：系统中为“王强”'],
      [5, 'error', '身份证号:身份证号校验位不正确']
    ])
    const c = core.services.examScores.commit(clerk, p.batchId!)
    expect(c).toMatchObject({ applied: 2, scores: 4, skipped: 2, passedBoth: 1 })
    expect(stageOf(zw.applicationId)).toBe('permit_approval')
    expect(events(zw.applicationId).slice(-2)).toEqual(['exam_scored', 'exams_passed'])
    expect(stageOf(ln.applicationId)).toBe('exam')
    const att = core.services.examBookings.attempts(ln.applicationId, clerk)
    expect(att.subjects.map((x) => [x.label, x.used, x.left, x.passed])).toEqual([['理论', 1, 1, false], ['实操', 1, 1, false]])
    expect(core.services.examBookings.scores(zw.applicationId, clerk).map((x) => [x.label, x.score, x.passed])).toEqual([['理论', 85, true], ['实操', 90, true]])
    // the same file again: nothing changes
    const again = await core.services.examScores.preview(clerk, 'scores.xlsx', file)
    expect(again).toMatchObject({ ok: 0, unchanged: 2, errors: 2 })
    expect(again.committedBefore).toBe(`${s.date}T15:00:00+08:00`)
    const before = core.ctx.db.prepare('SELECT count(*) AS n FROM exam_attempts').get()
    expect(core.services.examScores.commit(clerk, again.batchId!)).toMatchObject({ applied: 0, scores: 0, unchanged: 2, skipped: 2 })
    expect(core.ctx.db.prepare('SELECT count(*) AS n FROM exam_attempts').get()).toEqual(before)
    expect(() => core.services.examScores.commit(clerk, p.batchId!)).toThrow(expect.objectContaining({ message: '该批次已经导入过' }))
    // the parallel preview was made before the commit: its commit checks again and applies nothing twice
    expect(core.services.examScores.commit(clerk, parallel.batchId!)).toMatchObject({ applied: 0, scores: 0, unchanged: 2 })
    expect(core.ctx.db.prepare('SELECT count(*) AS n FROM exam_attempts').get()).toEqual(before)
    expect(auditActions()).toEqual(expect.arrayContaining(['exam.scores_previewed', 'exam.scores_imported']))
    const entry = core.services.auditLog.list({ action: 'exam.scores_imported', page: 1, pageSize: 5 }).rows.at(-1)!
    expect(entry).toMatchObject({ actorName: '赵磊', detail: { applied: 2, passedBoth: 1, movedToPermitApproval: [zw.applicationId] } })
  })

  it('refuses a file that is not .xlsx', async () => {
    core = await testCore()
    const clerk = await examClerk(core)
    await expect(core.services.examScores.preview(clerk, 'x.csv', Buffer.from('身份证号,姓名\n'))).rejects.toMatchObject({ code: 'unsupported_type' })
  })
})
