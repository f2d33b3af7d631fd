// A table of bad inputs over real HTTP: each gets the documented status and error shape, in
// Chinese, naming the field; none writes anything; none is a 5xx.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { fakeClock, testServer, type TestServer } from '../support/core'
import { SAMPLE_JPEG, sampleCardPng, samplePdf } from '../../src-main/core/demo/sample-attachments'
import { addSchool, call, dbFingerprint, fullForm, makeIdNumber, newPhone, registerAndLogin, upload, type ApiAnswer, type Applicant } from './applicant-support'

// Generous limits: CI runs every project at once on two cores.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 })

let server: TestServer
let clock: ReturnType<typeof fakeClock>
let a: Applicant
let b: Applicant
let draftA: number
let draftB: number
let pdf: Buffer

beforeAll(async () => {
  clock = fakeClock('2026-11-25T09:00:00+08:00')
  server = await testServer({ clock })
  server.core.ctx.settings.set('applicant.authRequestsPerMinute', 10_000, null)
  addSchool(server)
  a = await registerAndLogin(server, { idNumber: makeIdNumber('1985-03-12', 'M'), name: '张伟' })
  b = await registerAndLogin(server, { idNumber: makeIdNumber('1991-11-11', 'F'), name: '李娜' })
  draftA = (await call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'passenger', applicationType: 'initial' } })).body.id
  draftB = (await call(server.url, 'POST', '/applications', { token: b.token, body: { category: 'passenger', applicationType: 'initial' } })).body.id
  pdf = await samplePdf()
})
afterAll(() => server.close())

type Row = [label: string, send: () => Promise<ApiAnswer>, status: number, field?: string]
const post = (path: string, body: unknown, token?: string) => () => call(server.url, 'POST', path, { body, token })
const patchA = (body: unknown) => () => call(server.url, 'PATCH', `/applications/${draftA}`, { token: a.token, body })
const reg = (over: Record<string, unknown>) =>
  post('/auth/register', { idNumber: makeIdNumber('1990-01-01', 'M'), name: '赵磊', phone: '13900000000', smsCode: '123456', password: 'abc123', ...over })

const rows: Row[] = [
  // accounts
  ['register: wrong check digit', reg({ idNumber: '110105194912310021' }), 422, 'idNumber'],
  ['register: 17-character ID number', reg({ idNumber: '11010519491231002' }), 422, 'idNumber'],
  ['register: impossible birth date in the ID', reg({ idNumber: '110105194902300025' }), 422, 'idNumber'],
  ['register: 11-character password', reg({ password: 'abcdefghij1' }), 422, 'password'],
  ['register: special characters in the password', reg({ password: 'abc#12!' }), 422, 'password'],
  ['register: 5-character password', reg({ password: 'abc12' }), 422, 'password'],
  ['register: Chinese characters in the password', reg({ password: '密码abc123' }), 422, 'password'],
  ['register: 10-digit phone', reg({ phone: '1390000000' }), 422, 'phone'],
  ['register: script in the name', reg({ name: '<script>alert(1)</script>' }), 422, 'name'],
  ['register: SQL in the name', reg({ name: "张'; DROP TABLE applicants;--" }), 422, 'name'],
  ['register: letters as the SMS code', reg({ smsCode: 'abcdef' }), 400, 'smsCode'],
  ['register: unknown field', reg({ isAdmin: true }), 400, 'isAdmin'],
  ['register: wrong SMS code for a phone without one', reg({ phone: newPhone() }), 422, 'smsCode'],
  ['register: missing fields', post('/auth/register', { idNumber: '410105199001010011' }), 400, 'password'],
  ['register: number instead of text', reg({ name: 12345 }), 400, 'name'],
  ['login: array body', post('/auth/login', [1, 2, 3]), 400],
  ['login: not JSON', () => call(server.url, 'POST', '/auth/login', { raw: '{"idNumber":', headers: { 'content-type': 'application/json' } }), 400],
  ['login: a JSON body of 5 MB', post('/auth/login', { idNumber: 'x', password: 'y'.repeat(5 * 1024 * 1024) }), 413],
  ['login: prototype pollution', () => call(server.url, 'POST', '/auth/login', { raw: '{"__proto__":{"admin":true},"idNumber":"1","password":"x"}', headers: { 'content-type': 'application/json' } }), 400],
  ['sms-code: unknown purpose', post('/auth/sms-code', { phone: '13900000000', purpose: 'hack' }), 400, 'purpose'],
  ['sms-code: SQL as the phone', post('/auth/sms-code', { phone: "1' OR '1'='1", purpose: 'register' }), 422, 'phone'],
  ['sms-code: form-encoded body', () => call(server.url, 'POST', '/auth/sms-code', { raw: 'phone=13900000000', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400],
  ['reset: phone not the registered one', () => call(server.url, 'POST', '/auth/reset-password', { body: { idNumber: a.idNumber, phone: '13900000001', smsCode: '123456', newPassword: 'abc123' } }), 422, 'phone'],
  ['a garbage bearer token', () => call(server.url, 'GET', '/applications', { token: 'not-a-token' }), 401],
  ['an overlong bearer token', () => call(server.url, 'GET', '/applications', { token: 'x'.repeat(5000) }), 401],
  ['no token', () => call(server.url, 'GET', '/applications'), 401],
  // applications
  ['create: no category', () => call(server.url, 'POST', '/applications', { token: b.token, body: { applicationType: 'initial' } }), 400, 'category'],
  ['create: unknown category', () => call(server.url, 'POST', '/applications', { token: b.token, body: { category: 'taxi', applicationType: 'initial' } }), 400, 'category'],
  ['create: unknown field', () => call(server.url, 'POST', '/applications', { token: b.token, body: { category: 'freight', applicationType: 'initial', stage: 'completed' } }), 400, 'stage'],
  ['create: second open passenger application', () => call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'passenger', applicationType: 'add_class' } }), 409, 'category'],
  ['create: a JSON body of 5 MB', () => call(server.url, 'POST', '/applications', { token: b.token, body: { category: 'freight', applicationType: 'initial', name: '王'.repeat(2 * 1024 * 1024) } }), 413],
  ['patch: change the category', patchA({ category: 'freight' }), 400, 'category'],
  ['patch: 30 February', patchA({ birthDate: '2021-02-30' }), 400, 'birthDate'],
  ['patch: classes not a list', patchA({ licenceClasses: 'A1' }), 400, 'licenceClasses'],
  ['patch: negative school id', patchA({ trainingSchoolId: -1 }), 400, 'trainingSchoolId'],
  ['patch: unknown gender', patchA({ gender: 'X' }), 400, 'gender'],
  ['patch: overlong address', patchA({ currentAddress: '路'.repeat(500) }), 400, 'currentAddress'],
  ['patch: body null', () => call(server.url, 'PATCH', `/applications/${draftA}`, { token: a.token, body: 'null' }), 400],
  ['get: id not a number', () => call(server.url, 'GET', '/applications/abc', { token: a.token }), 400, 'id'],
  ['get: id too large', () => call(server.url, 'GET', '/applications/99999999999999999999', { token: a.token }), 400, 'id'],
  ['get: no such application', () => call(server.url, 'GET', '/applications/999999', { token: a.token }), 404],
  ["get: another applicant's application", () => call(server.url, 'GET', `/applications/${draftB}`, { token: a.token }), 403],
  ["progress: another applicant's application", () => call(server.url, 'GET', `/applications/${draftB}/progress`, { token: a.token }), 403],
  ["patch: another applicant's application", () => call(server.url, 'PATCH', `/applications/${draftB}`, { token: a.token, body: { priorOccupation: '工人' } }), 403],
  ["submit: another applicant's application", () => call(server.url, 'POST', `/applications/${draftB}/submit`, { token: a.token }), 403],
  ["upload: to another applicant's application", () => upload(server.url, a.token, draftB, 'photo', SAMPLE_JPEG), 403],
  ['submit: with a body', () => call(server.url, 'POST', `/applications/${draftA}/submit`, { token: a.token, body: { force: true } }), 400],
  // attachments
  ['upload: an .exe renamed .jpg', () => upload(server.url, a.token, draftA, 'id_front', Buffer.concat([Buffer.from('MZ\x90\x00\x03'), Buffer.alloc(2000)]), 'setup.jpg'), 415, 'id_front'],
  ['upload: an 11 MB PDF', () => upload(server.url, a.token, draftA, 'no_accident', Buffer.concat([pdf.subarray(0, 100), Buffer.alloc(11 * 1024 * 1024, 0x20), Buffer.from('%%EOF')]), 'big.pdf', 'application/pdf'), 413, 'no_accident'],
  ['upload: a truncated PNG', () => { const p = sampleCardPng(3); return upload(server.url, a.token, draftA, 'id_back', p.subarray(0, p.length / 2), 'cut.png', 'image/png') }, 415, 'id_back'],
  ['upload: a truncated JPEG', () => upload(server.url, a.token, draftA, 'photo', SAMPLE_JPEG.subarray(0, 600), 'cut.jpg'), 415, 'photo'],
  ['upload: a PDF as the photo', () => upload(server.url, a.token, draftA, 'photo', pdf, 'photo.pdf', 'application/pdf'), 415, 'photo'],
  ['upload: a text file', () => upload(server.url, a.token, draftA, 'other', 'hello', 'a.txt', 'text/plain'), 415, 'other'],
  ['upload: an HTML page named .png', () => upload(server.url, a.token, draftA, 'other', '<html><script>alert(1)</script></html>', 'x.png', 'image/png'), 415, 'other'],
  ['upload: empty body', () => upload(server.url, a.token, draftA, 'licence', Buffer.alloc(0)), 400, 'licence'],
  ['upload: JSON instead of the file', () => call(server.url, 'PUT', `/applications/${draftA}/attachments/licence`, { token: a.token, body: { data: 'base64…' } }), 415, 'licence'],
  ['upload: unknown kind', () => upload(server.url, a.token, draftA, 'selfie', SAMPLE_JPEG), 400, 'kind'],
  ['upload: 结业证 on a passenger application', () => upload(server.url, a.token, draftA, 'training_cert', SAMPLE_JPEG), 422, 'training_cert'],
  ['unknown endpoint', () => call(server.url, 'GET', '/nothing-here', { token: a.token }), 404],
  ['wrong method', () => call(server.url, 'DELETE', `/applications/${draftA}`, { token: a.token }), 404]
]

describe('bad inputs', () => {
  it(`has at least 40 rows (${rows.length})`, () => expect(rows.length).toBeGreaterThanOrEqual(40))

  it.each(rows)('%s', async (_label, send, status, field) => {
    const before = dbFingerprint(server)
    const r = await send()
    expect(r.status, JSON.stringify(r.body)).toBe(status)
    expect(r.headers.get('content-type')).toContain('application/json')
    expect(r.body.error.code).toEqual(expect.any(String))
    expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/)
    if (field) expect(Object.keys(r.body.error.fields ?? {})).toContain(field)
    // A wrong SMS code may count a try; nothing else is written by a refusal.
    if (!_label.includes('SMS code')) expect(dbFingerprint(server)).toBe(before)
  })
})

describe('rules at submission (422, every problem listed)', () => {
  async function submitWith(idNumber: string, name: string, category: 'passenger' | 'freight', extra: Record<string, unknown>) {
    const who = await registerAndLogin(server, { idNumber, name })
    const created = await call(server.url, 'POST', '/applications', { token: who.token, body: { category, applicationType: 'initial', ...fullForm(who, category, extra) } })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const id = created.body.id
    for (const kind of ['id_front', 'id_back', 'licence', 'no_accident', 'photo', ...(category === 'freight' ? ['training_cert'] : [])]) {
      expect((await upload(server.url, who.token, id, kind, SAMPLE_JPEG)).status).toBe(201)
    }
    const before = dbFingerprint(server)
    const r = await call(server.url, 'POST', `/applications/${id}/submit`, { token: who.token })
    if (r.status === 422) expect(dbFingerprint(server)).toBe(before)
    return r
  }

  it('a 61-year-old', async () => {
    const r = await submitWith(makeIdNumber('1965-11-20', 'M', 31), '陈志强', 'passenger', {})
    expect(r.status).toBe(422)
    expect(r.body.error.fields).toEqual({ birthDate: '年龄61周岁，超过60周岁，不符合申请条件' })
  })
  it('a licence held 11 months', async () => {
    const r = await submitWith(makeIdNumber('1990-05-05', 'M', 32), '周杰', 'passenger', { licenceFirstIssued: '2025-12-25', licenceIssued: '2025-12-25' })
    expect(r.status).toBe(422)
    expect(r.body.error.fields).toEqual({ licenceFirstIssued: '取得驾驶证须满1年（初领日期 2025-12-25，未满1年）' })
  })
  it('freight with C1', async () => {
    const r = await submitWith(makeIdNumber('1992-02-02', 'M', 33), '吴刚', 'freight', { licenceClasses: ['C1'], vehicleClass: 'C1' })
    expect(r.status).toBe(422)
    expect(r.body.error.fields).toEqual({ vehicleClass: '货运准驾车型只能是 A1、A2、B2' })
  })
  it('mail without an address, a school that does not exist, a wrong phone and gender, all at once', async () => {
    const r = await submitWith(makeIdNumber('1993-03-03', 'F', 34), '郑红梅', 'passenger', {
      collectMethod: 'mail',
      trainingMode: 'school',
      trainingSchoolId: 999,
      phone: '10012345678',
      gender: 'M'
    })
    expect(r.status).toBe(422)
    expect(r.body.error.fields).toEqual({
      gender: '性别与身份证号不符（身份证号显示为女）',
      phone: '联系电话应为11位手机号码',
      mailAddress: '请填写邮寄地址',
      trainingSchoolId: '所选培训机构不存在，请重新选择'
    })
    expect(r.body.error.message).toBe('申请有4处需要补充或更正，请逐项修改后再提交')
  })
  it('SQL and script fragments in the form’s name are refused; names with · and 䶮 pass', async () => {
    const bad = await submitWith(makeIdNumber('1994-04-04', 'M', 35), '韩卫东', 'passenger', { name: "韩卫东'); DELETE FROM applications;--" })
    expect(bad.status).toBe(422)
    expect(Object.keys(bad.body.error.fields)).toEqual(['name'])
    expect(server.core.ctx.db.prepare('SELECT count(*) AS n FROM applications').get()).toEqual({ n: expect.any(Number) })
    const dot = await submitWith(makeIdNumber('1995-05-05', 'M', 36), '买买提·艾力', 'passenger', {})
    expect(dot.status, JSON.stringify(dot.body)).toBe(200)
    const rare = await submitWith(makeIdNumber('1996-06-06', 'M', 37), '刘䶮', 'passenger', {})
    expect(rare.status, JSON.stringify(rare.body)).toBe(200)
    expect(rare.body.name).toBe('刘䶮')
  })
  it('an expired token', async () => {
    clock.advance(8 * 24 * 3600_000)
    const r = await call(server.url, 'GET', `/applications/${draftA}`, { token: a.token })
    expect(r.status).toBe(401)
    expect(r.body.error).toEqual({ code: 'session_expired', message: '登录已失效，请重新登录' })
  })
})
