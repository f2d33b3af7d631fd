// The freight path end to end at the service level, over real HTTP: the applicant's app (查询,
// form, scans, submit, progress) and the staff contract (/rpc) as each desk calls it — submitted →
// 材料预审 → 资格初审 → 许可审批 → 制证 → 领证, with no fee or exam step anywhere, the timeline
// showing only 01–04, 07, 08; then the record cannot serve a second application. And a record
// revoked during review: flagged in the queue, shown in the detail, blocking a pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SAMPLE_JPEG, sampleCardPng, samplePdf } from '../../src-main/core/demo/sample-attachments'
import { fakeClock, rpc, testServer, type TestServer } from '../support/core'
import { clerk } from '../services/review-helpers'
import { call, fullForm, makeIdNumber, registerAndLogin, upload, type Applicant } from './applicant-support'

let server: TestServer
const t: Record<string, string> = {}
let schoolId: number

async function staff(op: string, body: unknown, who: string) {
  const r = await rpc(server.url, op, body, t[who])
  if (r.status !== 200) throw new Error(`${op} by ${who}: ${r.status} ${JSON.stringify(r.error)}`)
  return r.data
}

async function registerRecord(a: Applicant, no: string) {
  return (await staff('training.create', { schoolId, idNumber: a.idNumber, name: a.name, vehicleClass: 'B2', trainingStart: '2026-08-03', trainingEnd: '2026-09-18', issuedOn: '2026-09-25', certificateNo: no }, 'admin')).id as number
}

/** The applicant picks the record found by 查询, fills in the form, uploads the scans and submits. */
async function submitFreight(a: Applicant, recordId: number, applicationType: 'initial' | 'add_class' = 'initial') {
  const found = await call(server.url, 'GET', '/training-certificates?vehicleClass=B2', { token: a.token })
  expect(found.body.map((r: { id: number }) => r.id)).toContain(recordId)
  const created = await call(server.url, 'POST', '/applications', {
    token: a.token,
    body: { category: 'freight', applicationType, ...fullForm(a, 'freight', { trainingCertNonLocal: false, trainingCertificateId: recordId, trainingMode: 'school', trainingSchoolId: schoolId }) }
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const id = created.body.id as number
  const pdf = await samplePdf('No accident record', a.applicantId)
  const kinds = ['id_front', 'id_back', 'licence', 'no_accident', 'photo', ...(applicationType === 'add_class' ? ['old_certificate'] : [])]
  for (const [i, kind] of kinds.entries()) {
    const [bytes, name, type] = kind === 'photo' ? [SAMPLE_JPEG, 'photo.jpg', 'image/jpeg'] : kind === 'no_accident' ? [pdf, 'na.pdf', 'application/pdf'] : [sampleCardPng(i), `${kind}.png`, 'image/png']
    expect((await upload(server.url, a.token, id, kind, bytes, name, type)).status).toBe(201)
  }
  return { id, submit: () => call(server.url, 'POST', `/applications/${id}/submit`, { token: a.token }) }
}

const progress = async (a: Applicant, id: number) => (await call(server.url, 'GET', `/applications/${id}/progress`, { token: a.token })).body.steps as { no: string; state: string; text: string }[]

beforeAll(async () => {
  server = await testServer({ clock: fakeClock('2026-11-25T09:00:00+08:00') })
  const core = server.core
  for (const [u, n, roles] of [
    ['guanli', '周敏', ['admin']],
    ['yushen', '王晓梅', ['pre_reviewer']],
    ['chushen', '李建国', ['initial_reviewer']],
    ['shenpi', '陈志强', ['supervisor']],
    ['fazheng', '刘芳', ['issuer']]
  ] as const) {
    t[u === 'guanli' ? 'admin' : u] = (await clerk(core, u, n, [...roles])).token
  }
  schoolId = (await staff('schools.save', { name: '郑州市乐学学车机动车驾驶员培训有限公司', address: '郑州市经济技术开发区四港联动大道与经南八路交叉口', phone: '0371-65814555', licenceNo: '豫交运管许可郑字410100000101号', active: true }, 'admin')).id
  await staff('certificates.addStock', { firstSerial: '4101000001', lastSerial: '4101000050', note: '测试证卡' }, 'fazheng')
})
afterAll(() => server.close())

describe('a freight application with a local 结业证, from submission to pickup', () => {
  it('goes submitted → pre-review → initial review → approval → certificate → pickup with no fee or exam step', async () => {
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1986-05-20', 'M', 41), name: '马建华' })
    const recordId = await registerRecord(a, 'LX-2026-0501')
    const app = await submitFreight(a, recordId)
    expect((await app.submit()).status).toBe(200)
    const id = app.id
    expect((await progress(a, id)).map((s) => s.no)).toEqual(['01', '02', '03', '04', '07', '08'])

    // 材料预审: the reviewer sees the local record, valid, and the check passed.
    await staff('review.claim', { applicationId: id }, 'yushen')
    const detail = await staff('review.detail', { applicationId: id }, 'yushen')
    expect(detail.trainingCertificate).toMatchObject({ mode: 'local', status: 'valid', record: { certificateNo: 'LX-2026-0501', schoolName: '郑州市乐学学车机动车驾驶员培训有限公司', linked: true } })
    expect(detail.checks.find((c: { label: string }) => c.label === '本地结业证有效且属于本人')).toMatchObject({ ok: true })
    expect((await staff('review.pass', { applicationId: id }, 'yushen')).stage).toBe('initial_review')

    // 资格初审 → straight to 许可审批 (no 考试费, no 考试).
    await staff('review.claim', { applicationId: id }, 'chushen')
    const accepted = await staff('review.pass', { applicationId: id, noAccidentConfirmed: true }, 'chushen')
    expect(accepted.stage).toBe('permit_approval')
    expect(accepted.trainingNo).toMatch(/^2026\d{6}$/)
    const pay = await call(server.url, 'POST', `/applications/${id}/payments`, { token: a.token })
    expect(pay.status).toBeGreaterThanOrEqual(400)

    // 许可审批 → 制证 → 领证.
    await staff('permits.approve', { applicationIds: [id] }, 'shenpi')
    expect(server.core.services.applications.records.get(id)?.stage).toBe('certificate')
    let job = await staff('certificates.print', { applicationIds: [id], layout: 'full' }, 'fazheng')
    for (let i = 0; i < 100 && job.state === 'rendering'; i++) {
      await new Promise((r) => setTimeout(r, 100))
      job = await staff('certificates.job', { jobId: job.jobId }, 'fazheng')
    }
    expect(job.state, job.error).toBe('ready')
    expect((await staff('certificates.handOver', { method: 'pickup', applicationId: id, collector: 'holder', collectorName: a.name, collectorIdNumber: a.idNumber, idChecked: true }, 'fazheng')).stage).toBe('completed')

    // The timeline: only its six steps, every one passed; no fee or exam anywhere in the history.
    const steps = await progress(a, id)
    expect(steps.map((s) => [s.no, s.state])).toEqual([
      ['01', 'done'],
      ['02', 'done'],
      ['03', 'done'],
      ['04', 'done'],
      ['07', 'done'],
      ['08', 'done']
    ])
    expect(steps.find((s) => s.no === '08')?.text).toBe('证件已领取')
    const events = (server.core.ctx.db.prepare('SELECT event FROM application_events WHERE application_id = ? ORDER BY id').all(id) as { event: string }[]).map((e) => e.event)
    expect(events.filter((e) => /fee|exam|payment|book/.test(e))).toEqual([])
    expect(events).toEqual(expect.arrayContaining(['submit', 'pre_review_pass', 'initial_review_pass', 'permit_approve', 'certificate_printed', 'certificate_handed_over']))
    expect((server.core.ctx.db.prepare('SELECT count(*) AS n FROM payment_orders WHERE application_id = ?').get(id) as { n: number }).n).toBe(0)

    // The record served this application: 查询 no longer offers it, and a second application cannot use it.
    expect((await call(server.url, 'GET', '/training-certificates?vehicleClass=B2', { token: a.token })).body).toEqual([])
    const again = await call(server.url, 'POST', '/applications', {
      token: a.token,
      body: { category: 'freight', applicationType: 'initial', ...fullForm(a, 'freight', { trainingCertNonLocal: false, trainingCertificateId: recordId }) }
    })
    expect(again.status).toBe(201)
    const pdf = await samplePdf('No accident record', a.applicantId)
    for (const [i, kind] of ['id_front', 'id_back', 'licence', 'no_accident', 'photo'].entries()) {
      const [bytes, name, type] = kind === 'photo' ? [SAMPLE_JPEG, 'p.jpg', 'image/jpeg'] : kind === 'no_accident' ? [pdf, 'na.pdf', 'application/pdf'] : [sampleCardPng(i), `${kind}.png`, 'image/png']
      await upload(server.url, a.token, again.body.id, kind, bytes, name, type)
    }
    const refused = await call(server.url, 'POST', `/applications/${again.body.id}/submit`, { token: a.token })
    expect(refused.status).toBe(409)
    expect(refused.body.error).toEqual({
      code: 'conflict',
      message: `该结业证已用于申请（编号 ${id}），一份结业证只能用于一份申请`,
      fields: { trainingCertificateId: `该结业证已用于申请（编号 ${id}），一份结业证只能用于一份申请` }
    })
    expect(server.core.services.trainingCertificates.repo.get(recordId)?.applicationId).toBe(id)
  })
})

describe('a record revoked during review', () => {
  it('flags the application in the queue, shows the reviewer why, and blocks a pass until it is returned', async () => {
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1991-12-08', 'M', 42), name: '孟祥瑞' })
    const recordId = await registerRecord(a, 'LX-2026-0502')
    const app = await submitFreight(a, recordId)
    expect((await app.submit()).status).toBe(200)
    const queue = async () => (await staff('review.queue', { stage: 'pre_review' }, 'yushen')).rows.find((r: { id: number }) => r.id === app.id)
    expect((await queue()).trainingCertRevoked).toBeUndefined()

    const revoked = await rpc(server.url, 'training.revoke', { id: recordId, reason: '培训学时不足' }, t.admin)
    expect(revoked.data).toMatchObject({ revoked: true, applicationId: app.id })
    expect((await queue()).trainingCertRevoked).toBe(true)

    await staff('review.claim', { applicationId: app.id }, 'yushen')
    const detail = await staff('review.detail', { applicationId: app.id }, 'yushen')
    expect(detail.trainingCertificate).toMatchObject({ mode: 'local', status: 'revoked', text: '本地结业证已撤销（2026-11-25）：培训学时不足' })
    expect(detail.checks.find((c: { field?: string; ok: boolean }) => c.field === 'trainingCertificateId')).toMatchObject({ ok: false, detail: '所选结业证已失效' })
    expect(detail.history.find((h: { event: string }) => h.event === 'training_certificate_revoked')).toMatchObject({ label: '所用结业证被撤销', note: '所用结业证（LX-2026-0502）已被撤销：培训学时不足', actorName: '周敏' })
    const pass = await rpc(server.url, 'review.pass', { applicationId: app.id }, t.yushen)
    expect(pass.status).toBeGreaterThanOrEqual(400)

    // Only the administrator revokes; a reviewer may not.
    const denied = await rpc(server.url, 'training.revoke', { id: recordId, reason: '试一下' }, t.yushen)
    expect(denied.status).toBe(403)
  })
})
