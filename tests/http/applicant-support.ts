// Helpers for the applicant API tests: real HTTP calls the way the 政务交通 app makes them.
import { idCheckChar } from '../../src-main/core/domain/id-number'
import { readOutbox } from '../../src-main/core/services/sms'
import type { TestServer } from '../support/core'

export interface ApiAnswer {
  status: number
  body: any
  headers: Headers
}

/** One call: JSON in and out (or raw bytes with `raw`). */
export async function call(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: Buffer | string; headers?: Record<string, string> } = {}
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers }
  let body: RequestInit['body']
  if (options.raw !== undefined) body = options.raw
  else if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  }
  const res = await fetch(`${url}/api/v1${path}`, { method, headers, body })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers }
}

/** A valid ID number for a birth date (YYYY-MM-DD) and gender. */
export function makeIdNumber(birthDate: string, gender: 'M' | 'F', seq = 12, region = '410105'): string {
  const digit17 = gender === 'M' ? 1 + 2 * (seq % 5) : 2 * (seq % 5)
  const first17 = `${region}${birthDate.replaceAll('-', '')}${String(seq % 100).padStart(2, '0')}${digit17}`
  return first17 + idCheckChar(first17)
}

/** The last SMS code sent to a phone, read from outbox/sms.jsonl. */
export async function lastCode(dataDir: string, phone: string): Promise<string> {
  const messages = (await readOutbox(dataDir)).filter((m) => m.to === phone)
  const m = /验证码为(\d{6})/.exec(messages[messages.length - 1]?.text ?? '')
  if (!m) throw new Error(`no SMS code for ${phone}`)
  return m[1]
}

let phoneSeq = 0
export function newPhone(): string {
  phoneSeq++
  return `139${String(process.pid % 10000).padStart(4, '0')}${String(phoneSeq).padStart(4, '0')}`
}

export interface Applicant {
  idNumber: string
  name: string
  phone: string
  password: string
  token: string
  applicantId: number
}

/** Registers (SMS code from the outbox) and logs in, as the guide's 注册 and 登录 screens do. */
export async function registerAndLogin(
  server: TestServer,
  who: { idNumber: string; name?: string; phone?: string; password?: string }
): Promise<Applicant> {
  const phone = who.phone ?? newPhone()
  const name = who.name ?? '张伟'
  const password = who.password ?? 'abc12345'
  const sms = await call(server.url, 'POST', '/auth/sms-code', { body: { phone, purpose: 'register' } })
  if (sms.status !== 202) throw new Error(`sms-code ${sms.status} ${JSON.stringify(sms.body)}`)
  const smsCode = await lastCode(server.core.dataDir, phone)
  const reg = await call(server.url, 'POST', '/auth/register', { body: { idNumber: who.idNumber, name, phone, smsCode, password } })
  if (reg.status !== 201) throw new Error(`register ${reg.status} ${JSON.stringify(reg.body)}`)
  const login = await call(server.url, 'POST', '/auth/login', { body: { idNumber: who.idNumber, password } })
  if (login.status !== 200) throw new Error(`login ${login.status} ${JSON.stringify(login.body)}`)
  return { idNumber: who.idNumber, name, phone, password, token: login.body.token, applicantId: reg.body.applicantId }
}

/** Adds a training school the way the demo and the administrator do; returns its id. */
export function addSchool(server: TestServer, name = '郑州市乐学学车机动车驾驶员培训有限公司'): number {
  return server.core.ctx.repos.referenceData.insertSchool(
    { name, address: '郑州市经济技术开发区四港联动大道与经南八路交叉口向东300米路北', phone: '0371-65814555', licenceNo: '豫交运管许可郑字410100000101号' },
    server.core.ctx.now()
  )
}

/** A complete, valid form for the applicant (dates relative to the test clock's 2026-11-25). */
export function fullForm(a: { idNumber: string; name: string; phone: string }, category: 'passenger' | 'freight', extra: Record<string, unknown> = {}) {
  const birthDate = `${a.idNumber.slice(6, 10)}-${a.idNumber.slice(10, 12)}-${a.idNumber.slice(12, 14)}`
  const gender = Number(a.idNumber[16]) % 2 === 1 ? 'M' : 'F'
  return {
    name: a.name,
    householdNonLocal: false,
    idIssuer: '郑州市公安局金水分局',
    idNumber: a.idNumber,
    gender,
    birthDate,
    ethnicity: '01',
    education: '20',
    politicalStatus: '13',
    priorOccupation: '出租车司机',
    phone: a.phone,
    licenceNonLocal: false,
    licenceIssuer: '郑州市公安局交通警察支队',
    licenceFileNo: '410100123456',
    licenceClasses: category === 'passenger' ? ['A1'] : ['B2'],
    licenceFirstIssued: '2015-06-01',
    licenceIssued: '2021-06-01',
    licenceValidYears: '10',
    householdAddress: '河南省郑州市金水区花园路88号',
    currentAddress: '河南省郑州市经开区航海东路1296号',
    collectMethod: 'pickup',
    trainingMode: 'self',
    ...(category === 'freight' ? { vehicleClass: 'B2', trainingCertNonLocal: true } : {}),
    ...extra
  }
}

/** PUT an attachment as the app does: the raw bytes, the file name in X-File-Name. */
export function upload(url: string, token: string, applicationId: number, kind: string, bytes: Buffer | string, fileName = 'scan.jpg', contentType = 'image/jpeg') {
  return call(url, 'PUT', `/applications/${applicationId}/attachments/${kind}`, {
    token,
    raw: bytes,
    headers: { 'content-type': contentType, 'x-file-name': encodeURIComponent(fileName) }
  })
}

/** A fingerprint of every row of every table: equal before and after means nothing was written. */
export function dbFingerprint(server: TestServer): string {
  const db = server.core.ctx.db
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]
  return tables.map((t) => `${t.name}:${JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())}`).join('\n')
}

/** The staff side of a return (what the review desk does): the application goes back with its deficiencies. */
export function staffReturns(server: TestServer, applicationId: number, deficiencies: { field?: string; attachment?: string; reason: string }[]) {
  const { ctx } = server.core
  const now = ctx.now()
  ctx.db.transaction(() => {
    const row = ctx.db.prepare('SELECT stage FROM applications WHERE id = ?').get(applicationId) as { stage: string }
    const event = row.stage === 'pre_review' ? 'pre_review_return' : 'initial_review_return'
    ctx.db.prepare("UPDATE applications SET stage = 'returned', stage_entered_at = ? WHERE id = ?").run(now, applicationId)
    ctx.repos.applications.insertEvent({
      applicationId,
      at: now,
      event,
      fromStage: row.stage as 'pre_review',
      toStage: 'returned',
      actorType: 'staff',
      actorId: 1,
      actorName: '王晓梅',
      detail: { deficiencies }
    })
  })()
}
