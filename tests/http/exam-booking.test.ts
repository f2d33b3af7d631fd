// Booking over the applicant API: the guide's 考试预约 screen, the refusals, and 1,000
// simultaneous booking requests for a 30-seat session: exactly 30 booked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { testServer, type TestServer } from '../support/core'
import { call } from './applicant-support'
import { examClerk, openSession, seedExamApplicant } from '../services/exam-support'

let server: TestServer
beforeEach(async () => {
  server = await testServer()
})
afterEach(() => server.close())

describe('booking over the API', () => {
  it('lists bookable sessions, books, refuses a second booking of the subject, and cancels', async () => {
    const clerk = await examClerk(server.core)
    const s = openSession(server.core, clerk, { capacity: 30, subjects: 'both' })
    const a = seedExamApplicant(server.core)
    const unpaid = await call(server.url, 'POST', `/applications/${a.applicationId}/bookings`, { token: a.token, body: { sessionId: s.id } })
    expect(unpaid.status).toBe(422)
    expect(unpaid.body.error.message).toBe('尚未缴纳考试费，请先缴费再预约考试')
    server.core.services.payments.recordCounterPayment(clerk, { applicationId: a.applicationId, method: 'cash', receiptNo: 'R9001', amountFen: 13300 })
    const list = await call(server.url, 'GET', `/applications/${a.applicationId}/exam-sessions`, { token: a.token })
    expect(list.body).toEqual([expect.objectContaining({ id: s.id, venue: '郑州理论考点', date: s.date, start: '09:00', end: '11:00', subjects: ['theory', 'practical'], capacity: 30, booked: 0 })])
    const booked = await call(server.url, 'POST', `/applications/${a.applicationId}/bookings`, { token: a.token, body: { sessionId: s.id } })
    expect(booked.status).toBe(201)
    expect(booked.body).toMatchObject({ sessionId: s.id, subjects: ['theory', 'practical'], status: 'booked', cancellable: true })
    const progress = await call(server.url, 'GET', `/applications/${a.applicationId}/progress`, { token: a.token })
    const step06 = progress.body.steps.find((x: { no: string }) => x.no === '06')
    expect(step06.text).toBe(`您的考试预约已成功，请按预约时间参加考试并阅读考场须知。考场名称：${s.name}，考试科目：理论实操，考试日期：${s.date}`)
    const twice = await call(server.url, 'POST', `/applications/${a.applicationId}/bookings`, { token: a.token, body: { sessionId: s.id } })
    expect(twice.status).toBe(409)
    expect((await call(server.url, 'POST', `/applications/${a.applicationId}/bookings`, { token: a.token, body: { sessionId: 'x' } })).body.error.fields).toHaveProperty('sessionId')
    const other = seedExamApplicant(server.core)
    expect((await call(server.url, 'DELETE', `/applications/${a.applicationId}/bookings/${booked.body.bookingId}`, { token: other.token })).status).toBe(403)
    expect((await call(server.url, 'DELETE', `/applications/${a.applicationId}/bookings/${booked.body.bookingId}`, { token: a.token })).status).toBe(204)
    expect((await call(server.url, 'GET', `/applications/${a.applicationId}/exam-sessions`, { token: a.token })).body[0].booked).toBe(0)
    const mine = await call(server.url, 'GET', `/applications/${a.applicationId}/bookings`, { token: a.token })
    expect(mine.body.map((b: { status: string }) => b.status)).toEqual(['cancelled'])
    expect((await call(server.url, 'GET', `/applications/${a.applicationId}/scores`, { token: a.token })).body).toEqual([])
  })

  it('books exactly 30 of 1,000 simultaneous requests for a 30-seat session', async () => {
    const clerk = await examClerk(server.core)
    const s = openSession(server.core, clerk, { capacity: 30, subjects: 'both' })
    const people = Array.from({ length: 1000 }, (_, i) => {
      const p = seedExamApplicant(server.core)
      server.core.services.payments.recordCounterPayment(clerk, { applicationId: p.applicationId, method: 'cash', receiptNo: `C${String(i).padStart(6, '0')}`, amountFen: 13300 })
      return p
    })
    const t0 = performance.now()
    const answers = await Promise.all(people.map((p) => call(server.url, 'POST', `/applications/${p.applicationId}/bookings`, { token: p.token, body: { sessionId: s.id } })))
    const ms = performance.now() - t0
    const byStatus = answers.reduce<Record<number, number>>((m, a) => ((m[a.status] = (m[a.status] ?? 0) + 1), m), {})
    expect(byStatus).toEqual({ 201: 30, 409: 970 })
    expect(new Set(answers.filter((a) => a.status === 409).map((a) => a.body.error.message))).toEqual(new Set(['该场次已约满，请选择其他场次']))
    expect(server.core.services.examSessions.get(s.id)).toMatchObject({ booked: 30, capacity: 30 })
    const rows = server.core.ctx.db.prepare("SELECT count(*) AS n FROM exam_bookings WHERE session_id = ? AND status = 'booked'").get(s.id) as { n: number }
    expect(rows.n).toBe(30)
    console.log(`1,000 concurrent booking requests over HTTP: ${ms.toFixed(0)} ms`)
  }, 60_000)
})
