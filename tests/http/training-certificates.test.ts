// 查询 on the freight form over real HTTP (GET /api/v1/training-certificates): only the caller's
// own valid records of the class asked for; the record chosen is linked at submission and then
// belongs to that application; a record revoked during review flags the application.
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StaffActor } from '../../src-main/core/context'
import { SAMPLE_JPEG, sampleCardPng, samplePdf } from '../../src-main/core/demo/sample-attachments'
import { fakeClock, rpc, testServer, type TestServer } from '../support/core'
import { clerk } from '../services/review-helpers'
import { call, fullForm, makeIdNumber, registerAndLogin, upload, type Applicant } from './applicant-support'

let server: TestServer
let admin: StaffActor
let schoolId: number
let a: Applicant
let b: Applicant
const rec: Record<string, number> = {}

function addRecord(key: string, who: { idNumber: string; name: string }, vehicleClass: string, no: string) {
  rec[key] = server.core.services.trainingCertificates.create(admin, {
    schoolId,
    idNumber: who.idNumber,
    name: who.name,
    vehicleClass: vehicleClass as 'B2',
    trainingStart: '2026-08-03',
    trainingEnd: '2026-09-18',
    issuedOn: '2026-09-25',
    certificateNo: no
  }).id
}

async function uploadRequired(who: Applicant, id: number) {
  const pdf = await samplePdf('No accident record', who.applicantId)
  for (const [i, kind] of ['id_front', 'id_back', 'licence', 'no_accident', 'photo'].entries()) {
    const [bytes, name, type] = kind === 'photo' ? [SAMPLE_JPEG, 'photo.jpg', 'image/jpeg'] : kind === 'no_accident' ? [pdf, 'na.pdf', 'application/pdf'] : [sampleCardPng(i), `${kind}.png`, 'image/png']
    const r = await upload(server.url, who.token, id, kind, bytes, name, type)
    expect(r.status, JSON.stringify(r.body)).toBe(201)
  }
}

beforeAll(async () => {
  server = await testServer({ clock: fakeClock('2026-11-25T09:00:00+08:00') })
  admin = await clerk(server.core, 'guanli', '周敏', ['admin'])
  schoolId = server.core.services.schools.save(admin, { name: '郑州市乐学学车机动车驾驶员培训有限公司', address: '郑州市经济技术开发区四港联动大道与经南八路交叉口', phone: '0371-65814555', licenceNo: '豫交运管许可郑字410100000101号', active: true }).id
  a = await registerAndLogin(server, { idNumber: makeIdNumber('1988-04-16', 'M', 31), name: '刘洋' })
  b = await registerAndLogin(server, { idNumber: makeIdNumber('1992-10-02', 'M', 32), name: '陈刚' })
  addRecord('aB2', a, 'B2', 'LX-2026-0101')
  addRecord('aA2', a, 'A2', 'LX-2026-0102')
  addRecord('aB2revoked', a, 'B2', 'LX-2026-0103')
  addRecord('bB2', b, 'B2', 'LX-2026-0104')
  server.core.services.trainingCertificates.revoke(admin, { id: rec.aB2revoked, reason: '学校上报有误' })
})
afterAll(() => server.close())

describe('GET /training-certificates (查询)', () => {
  it("returns only the caller's own valid records of that class, as the form shows them", async () => {
    const r = await call(server.url, 'GET', '/training-certificates?vehicleClass=B2', { token: a.token })
    expect(r.status).toBe(200)
    expect(r.body).toEqual([
      { id: rec.aB2, certificateNo: 'LX-2026-0101', school: '郑州市乐学学车机动车驾驶员培训有限公司', schoolId, vehicleClass: 'B2', trainingStart: '2026-08-03', trainingEnd: '2026-09-18', issuedOn: '2026-09-25', usedByApplicationId: null }
    ])
    expect((await call(server.url, 'GET', '/training-certificates?vehicleClass=a2', { token: a.token })).body.map((x: { id: number }) => x.id)).toEqual([rec.aA2])
    expect((await call(server.url, 'GET', '/training-certificates?vehicleClass=A1', { token: a.token })).body).toEqual([])
    expect((await call(server.url, 'GET', '/training-certificates?vehicleClass=B2', { token: b.token })).body.map((x: { id: number }) => x.id)).toEqual([rec.bB2])
  })

  it('refuses a wrong class, a missing class, an extra parameter, and a caller without a token', async () => {
    const wrong = await call(server.url, 'GET', '/training-certificates?vehicleClass=C1', { token: a.token })
    expect(wrong.status).toBe(400)
    expect(wrong.body.error.fields).toEqual({ vehicleClass: '货运准驾车型只能是 A1、A2 或 B2' })
    expect((await call(server.url, 'GET', '/training-certificates', { token: a.token })).body.error.fields).toEqual({ vehicleClass: '必填' })
    // Someone else's ID number in the query is not a way in.
    const other = await call(server.url, 'GET', `/training-certificates?vehicleClass=B2&idNumber=${b.idNumber}`, { token: a.token })
    expect(other.status).toBe(400)
    const anon = await call(server.url, 'GET', '/training-certificates?vehicleClass=B2')
    expect(anon.status).toBe(401)
    expect(anon.body.error.code).toBe('unauthenticated')
  })
})

describe('the record on the application', () => {
  let appId: number
  it('refuses at submission a record that is not the applicant’s, or revoked; links the own valid one', async () => {
    const created = await call(server.url, 'POST', '/applications', {
      token: a.token,
      body: { category: 'freight', applicationType: 'initial', ...fullForm(a, 'freight', { trainingCertNonLocal: false, trainingCertificateId: rec.bB2 }) }
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    appId = created.body.id
    await uploadRequired(a, appId)
    const others = await call(server.url, 'POST', `/applications/${appId}/submit`, { token: a.token })
    expect(others.status).toBe(422)
    expect(others.body.error.fields).toEqual({ trainingCertificateId: '所选结业证不属于本人' })

    await call(server.url, 'PATCH', `/applications/${appId}`, { token: a.token, body: { trainingCertificateId: rec.aB2revoked } })
    const revoked = await call(server.url, 'POST', `/applications/${appId}/submit`, { token: a.token })
    expect(revoked.body.error.fields).toEqual({ trainingCertificateId: '所选结业证已失效' })

    await call(server.url, 'PATCH', `/applications/${appId}`, { token: a.token, body: { trainingCertificateId: rec.aB2 } })
    const ok = await call(server.url, 'POST', `/applications/${appId}/submit`, { token: a.token })
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(server.core.services.trainingCertificates.repo.get(rec.aB2)?.applicationId).toBe(appId)
    // The form still finds it, marked as used by this application.
    expect((await call(server.url, 'GET', '/training-certificates?vehicleClass=B2', { token: a.token })).body).toMatchObject([{ id: rec.aB2, usedByApplicationId: appId }])
    // The administrator's list shows which application used it.
    expect(server.core.services.trainingCertificates.list({ search: 'LX-2026-0101', page: 1, pageSize: 5 }).rows[0].applicationId).toBe(appId)
  })

  it('revoked during review: gone from 查询, in the application history, flagged for the review queue, shown to the reviewer', async () => {
    const svc = server.core.services.trainingCertificates
    expect(svc.revokedFlags([appId]).has(appId)).toBe(false)
    svc.revoke(admin, { id: rec.aB2, reason: '该学员培训学时不足' })
    expect((await call(server.url, 'GET', '/training-certificates?vehicleClass=B2', { token: a.token })).body).toEqual([])
    expect(svc.revokedFlags([appId]).has(appId)).toBe(true)
    const events = server.core.ctx.db.prepare("SELECT detail FROM application_events WHERE application_id = ? AND event = 'training_certificate_revoked'").all(appId) as { detail: string }[]
    expect(JSON.parse(events[0].detail).note).toBe('所用结业证（LX-2026-0101）已被撤销：该学员培训学时不足')
    const app = server.core.services.applications.records.get(appId)!
    expect(svc.forReview({ id: appId, category: 'freight', idNumber: app.idNumber, form: app.form as never })).toMatchObject({
      mode: 'local',
      status: 'revoked',
      text: '本地结业证已撤销（2026-11-25）：该学员培训学时不足'
    })
  })

  it('shows the reviewer a non-local certificate as a scan to check', () => {
    expect(server.core.services.trainingCertificates.forReview({ id: 0, category: 'freight', idNumber: b.idNumber, form: { trainingCertNonLocal: true } })).toMatchObject({ mode: 'non_local', status: 'scan' })
  })
})

describe('the administrator’s operations over /rpc', () => {
  it('answer bad input with every field named in Chinese, and keep reviewers from changing the registry', async () => {
    const { token } = await server.core.services.staffAuth.login({ username: 'guanli', password: 'Clerk2026x' })
    const bad = await rpc(server.url, 'training.create', { schoolId: schoolId, idNumber: '', name: '', vehicleClass: 'C1', trainingStart: '2026/08/01', trainingEnd: '', issuedOn: '2026-09-25', certificateNo: '' }, token)
    expect(bad.status).toBe(400)
    expect(bad.error!.fields).toMatchObject({
      idNumber: '请填写身份证号',
      name: '请填写姓名',
      vehicleClass: '准驾车型应为 A1、A2 或 B2',
      trainingStart: '日期格式应为 YYYY-MM-DD',
      certificateNo: '请填写结业证编号'
    })
    const school = await rpc(server.url, 'schools.save', { name: '某', address: '郑州', phone: '123', licenceNo: '' }, token)
    expect(school.status).toBe(400)
    expect(Object.keys(school.error!.fields!).sort()).toEqual(['address', 'licenceNo', 'name', 'phone'])

    const reviewer = await clerk(server.core, 'yushen', '王晓梅', ['pre_reviewer'])
    expect((await rpc(server.url, 'training.list', { search: 'LX-2026' }, reviewer.token)).status).toBe(200)
    for (const op of ['training.create', 'training.revoke', 'training.importPreview', 'schools.save']) {
      expect((await rpc(server.url, op, {}, reviewer.token)).status, op).toBe(403)
    }
  })

  it('give the school a template whose ID and certificate number columns are text', async () => {
    const { token } = await server.core.services.staffAuth.login({ username: 'guanli', password: 'Clerk2026x' })
    const t = await rpc(server.url, 'training.template', {}, token)
    expect(t.data.fileName).toBe('结业证导入模板.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(t.data.data, 'base64') as unknown as ExcelJS.Buffer)
    const ws = wb.worksheets[0]
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['身份证号', '姓名', '准驾车型', '培训起始日期', '培训结束日期', '结业证发放日期', '结业证编号'])
    expect(ws.getColumn(1).numFmt).toBe('@')
    expect(ws.getColumn(7).numFmt).toBe('@')
  })
})
