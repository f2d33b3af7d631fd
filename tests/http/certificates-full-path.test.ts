// A passenger application from submission to pickup: the applicant registers, fills the form,
// uploads the scans and submits over the real applicant API; the clerks pass pre-review and
// initial review, take the fee at the counter, book and mark the exam, import the scores; the
// supervisor approves; the issuing clerk prints and hands the certificate over. The applicant's
// own timeline, read over HTTP, shows 01–08 all green, and the QR code's check says valid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { fakeClock, testServer, type TestServer } from '../support/core'
import { SAMPLE_JPEG, sampleCardPng, samplePdf } from '../../src-main/core/demo/sample-attachments'
import { readOutbox } from '../../src-main/core/services/sms'
import { call, fullForm, makeIdNumber, registerAndLogin, upload, type Applicant } from './applicant-support'
import { staffWith, addStock } from '../services/permits-support'
import { openSession } from '../services/exam-support'

let server: TestServer
const clock = fakeClock('2026-11-25T09:00:00+08:00')
beforeAll(async () => {
  server = await testServer({ clock })
})
afterAll(async () => {
  server.core.services.notifications.stop()
  await server.close()
})

async function sheet(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.addWorksheet('成绩').addRows(rows)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

async function progress(a: Applicant, id: number) {
  const r = await call(server.url, 'GET', `/applications/${id}/progress`, { token: a.token })
  expect(r.status).toBe(200)
  return r.body.steps as { no: string; state: string; text: string }[]
}

describe('a passenger application from submission to pickup', () => {
  it('ends with every step of the timeline green and a certificate that verifies', async () => {
    const core = server.core
    // ---- the applicant ----------------------------------------------------------------------------
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1985-06-15', 'M', 61), name: '周建业' })
    const created = await call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'passenger', applicationType: 'initial', ...fullForm(a, 'passenger') } })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const id = created.body.id as number
    for (const [kind, bytes, name, type] of [
      ['id_front', sampleCardPng(1), '身份证正面.png', 'image/png'],
      ['id_back', sampleCardPng(2), '身份证反面.png', 'image/png'],
      ['licence', sampleCardPng(3), '驾驶证.png', 'image/png'],
      ['no_accident', await samplePdf('Traffic record certificate (12123)', 7), '三年无事故证明.pdf', 'application/pdf'],
      ['photo', SAMPLE_JPEG, '免冠照片.jpg', 'image/jpeg']
    ] as const) {
      const r = await upload(server.url, a.token, id, kind, bytes, name, type)
      expect(r.status, JSON.stringify(r.body)).toBe(201)
    }
    expect((await call(server.url, 'POST', `/applications/${id}/submit`, { token: a.token })).status).toBe(200)

    // ---- review ----------------------------------------------------------------------------------
    const yushen = await staffWith(core, 'yushen9', '王晓梅', ['pre_reviewer'])
    const chushen = await staffWith(core, 'chushen9', '李建国', ['initial_reviewer'])
    core.services.review.queue.claim(yushen, { applicationId: id })
    await core.services.review.decisions.pass(yushen, { applicationId: id, note: '材料齐全' })
    clock.advance(3600_000)
    core.services.review.queue.claim(chushen, { applicationId: id })
    await core.services.review.decisions.pass(chushen, { applicationId: id, noAccidentConfirmed: true })

    // ---- fee, booking, exam, scores ----------------------------------------------------------------
    const kaowu = await staffWith(core, 'kaowu9', '赵磊', ['exam_staff'])
    core.services.payments.recordCounterPayment(kaowu, { applicationId: id, method: 'cash', receiptNo: 'R9990001', amountFen: 13300 })
    const session = openSession(core, kaowu, { subjects: 'both', daysAhead: 2 })
    core.services.examBookings.book(id, session.id, kaowu)
    clock.set(`${session.date}T08:40:00+08:00`)
    core.services.examSessions.markAttendance(kaowu, { bookingId: core.services.examSessions.roster(session.id).entries[0].bookingId, present: true })
    clock.set(`${session.date}T15:00:00+08:00`)
    const preview = await core.services.examScores.preview(kaowu, 'scores.xlsx', await sheet([['身份证号', '姓名', '理论成绩', '实操成绩', '考试日期'], [a.idNumber, a.name, 88, 92, session.date]]))
    expect(preview).toMatchObject({ ok: 1, errors: 0 })
    core.services.examScores.commit(kaowu, preview.batchId!)

    // ---- permit, certificate, pickup ---------------------------------------------------------------
    clock.advance(86400_000)
    const shenpi = await staffWith(core, 'shenpi9', '陈志强', ['supervisor'])
    const fazheng = await staffWith(core, 'fazheng9', '刘芳', ['issuer'])
    addStock(core, fazheng, '4101090001', '4101090100')
    const queue = core.services.permits.queue({ page: 1, pageSize: 10 })
    expect(queue.rows.map((r) => [r.applicationId, r.scores])).toEqual([[id, { theory: 88, practical: 92 }]])
    core.services.permits.approve(shenpi, { applicationIds: [id] })
    const job = core.services.certificates.print(fazheng, { applicationIds: [id], layout: 'full' })
    const done = await core.services.certificates.waitForJob(job.jobId)
    expect(done.items[0].serial).toBe('4101090001')
    core.services.certificates.handOver(fazheng, { method: 'pickup', applicationId: id, collector: 'holder', collectorName: a.name, collectorIdNumber: a.idNumber, idChecked: true })

    // ---- what the applicant sees ---------------------------------------------------------------------
    const steps = await progress(a, id)
    expect(steps.map((s) => `${s.no}:${s.state}`)).toEqual(['01:done', '02:done', '03:done', '04:done', '05:done', '06:done', '07:done', '08:done'])
    expect(steps.find((s) => s.no === '08')!.text).toBe('证件已领取')
    const verify = await call(server.url, 'GET', `/certificates/verify?no=${a.idNumber}&serial=4101090001`, {})
    expect(verify.body).toMatchObject({ valid: true, certificate: { holderName: '周**', vehicleClasses: ['A1'] } })
    await core.services.notifications.process()
    const texts = (await readOutbox(core.dataDir)).filter((m) => m.to === a.phone).map((m) => m.text)
    expect(texts.some((t) => t.includes('已通过许可审批'))).toBe(true)
    expect(texts.some((t) => t.includes('从业资格证已制作完成'))).toBe(true)
  }, 60_000)
})
