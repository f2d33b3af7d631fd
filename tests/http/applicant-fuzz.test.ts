// Random JSON (and random bytes) thrown at every endpoint of the applicant API, from its own route
// table: never a 5xx, never a crash, the error shape on every 4xx, and nothing written by a 4xx
// (except the counters a refusal must keep: wrong SMS codes and failed logins).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { APPLICANT_ROUTES } from '../../src-main/core/http/applicant'
import { fakeClock, testServer, type TestServer } from '../support/core'
import { SAMPLE_JPEG } from '../../src-main/core/demo/sample-attachments'
import { addSchool, call, dbFingerprint, fullForm, makeIdNumber, registerAndLogin, type Applicant } from './applicant-support'

// Generous limits: CI runs every project at once on two cores.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 })

const SEED = Number(process.env.FUZZ_SEED ?? 20261125)
const PER_ROUTE = Number(process.env.FUZZ_PER_ROUTE ?? 50)

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const rand = prng(SEED)
const int = (n: number) => Math.floor(rand() * n)
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]

const STRINGS = [
  '', ' ', '0', '-1', '1e309', 'null', 'true', '张伟', '䶮', '阿卜杜拉·买买提', "' OR 1=1 --", '"; DROP TABLE applications; --', '<script>alert(1)</script>',
  '../../etc/passwd', '%00', '\u0000', '\ud800', '😀'.repeat(50), 'A1', 'B2', 'C1', 'passenger', 'freight', 'initial', 'add_class', 'M', 'F', 'mail', 'school',
  '2021-02-30', '2026-11-25', '1900-01-01', '9999-12-31', '11010519491231002X', '110105194912310021', '13812345678', '123456', 'abc123', 'x'.repeat(300), '__proto__', 'constructor'
]
const FIELDS = [
  'category', 'applicationType', 'name', 'householdNonLocal', 'idIssuer', 'idNumber', 'gender', 'birthDate', 'ethnicity', 'education', 'politicalStatus',
  'priorOccupation', 'phone', 'licenceNonLocal', 'licenceIssuer', 'licenceFileNo', 'licenceClasses', 'licenceFirstIssued', 'licenceIssued', 'licenceValidYears',
  'householdAddress', 'currentAddress', 'collectMethod', 'mailAddress', 'trainingMode', 'trainingSchoolId', 'vehicleClass', 'trainingCertNonLocal',
  'trainingCertificateId', 'password', 'smsCode', 'purpose', 'newPassword', 'constructor', 'stage', 'id'
]

function value(depth = 0): unknown {
  switch (int(depth > 2 ? 5 : 8)) {
    case 0: return null
    case 1: return rand() < 0.5
    case 2: return pick([0, -1, 1, 2 ** 31, 2 ** 53 + 1, -0.5, 1e308, 3.14, 999999])
    case 3:
    case 4: return pick(STRINGS)
    case 5: return Array.from({ length: int(4) }, () => value(depth + 1))
    default: return object(depth + 1)
  }
}
function object(depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (let i = int(6); i > 0; i--) o[rand() < 0.8 ? pick(FIELDS) : pick(STRINGS)] = value(depth)
  return o
}

let server: TestServer
let a: Applicant
let b: Applicant
let appA: number
let appB: number

beforeAll(async () => {
  server = await testServer({ clock: fakeClock() })
  server.core.ctx.settings.set('applicant.authRequestsPerMinute', 1_000_000, null)
  addSchool(server)
  a = await registerAndLogin(server, { idNumber: makeIdNumber('1985-03-12', 'M'), name: '张伟' })
  b = await registerAndLogin(server, { idNumber: makeIdNumber('1991-11-11', 'F'), name: '李娜' })
  appA = (await call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'passenger', applicationType: 'initial', ...fullForm(a, 'passenger') } })).body.id
  appB = (await call(server.url, 'POST', '/applications', { token: b.token, body: { category: 'freight', applicationType: 'initial' } })).body.id
})
afterAll(() => server.close())

/** A body: random JSON, a valid template with one field made random, or not JSON at all. */
function body(): { raw?: string | Buffer; body?: unknown; headers?: Record<string, string> } {
  const r = rand()
  if (r < 0.35) return { body: object() }
  if (r < 0.55) return { body: JSON.stringify(value()) }
  if (r < 0.8) {
    const template: Record<string, unknown> = { ...fullForm(a, 'passenger'), category: 'passenger', applicationType: 'initial', password: 'abc123', smsCode: '123456', purpose: 'register' }
    const keys = Object.keys(template)
    for (let i = 1 + int(2); i > 0; i--) template[pick(keys)] = value()
    return { body: template }
  }
  if (r < 0.9) return { raw: pick(['{', '[1,', '{"a":1}}', 'null', '"x"', '{"__proto__":{"x":1}}', '\u0000']), headers: { 'content-type': 'application/json' } }
  return { raw: Buffer.from(Array.from({ length: int(200) }, () => int(256))), headers: { 'content-type': pick(['image/jpeg', 'image/png', 'application/pdf', 'text/plain', 'application/octet-stream', 'multipart/form-data']) } }
}

function path(template: string): string {
  return template
    .replace(':id', () => String(pick([appA, appB, appA, 0, -1, 999999, 'abc', '1e3', '%27%20OR%201=1', '99999999999999999999'])))
    .replace(':kind', () => pick(['photo', 'id_front', 'training_cert', 'selfie', '..%2F..%2Fetc', '']))
}

const ALLOWED_WRITES = (route: string, status: number, fields: Record<string, string> | undefined) =>
  (route === '/auth/login' && (status === 401 || status === 429)) || ((route === '/auth/register' || route === '/auth/reset-password') && status === 422 && !!fields?.smsCode)

describe('fuzz', () => {
  it.each(APPLICANT_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: never 5xx, nothing written on 4xx', async (_name, route) => {
    for (let i = 0; i < PER_ROUTE; i++) {
      const token = pick([a.token, a.token, b.token, undefined, 'garbage'])
      const payload = route.method === 'GET' ? {} : route.rawBody && rand() < 0.4 ? { raw: rand() < 0.5 ? SAMPLE_JPEG.subarray(0, int(SAMPLE_JPEG.length)) : SAMPLE_JPEG, headers: { 'content-type': 'image/jpeg' } } : body()
      const url = path(route.path) + (rand() < 0.2 ? `?${pick(FIELDS)}=${encodeURIComponent(pick(STRINGS).replace(/[\ud800-\udfff]/g, '%ED%A0%80'))}` : '')
      const before = dbFingerprint(server)
      const r = await call(server.url, route.method, url, { token, ...payload })
      const context = `${route.method} ${url} seed=${SEED} → ${r.status} ${JSON.stringify(r.body)?.slice(0, 300)}`
      expect(r.status, context).toBeLessThan(500)
      if (r.status >= 400) {
        expect(r.body?.error?.message, context).toMatch(/[\u4e00-\u9fff]/)
        if (!ALLOWED_WRITES(route.path, r.status, r.body.error.fields)) expect(dbFingerprint(server) === before, context).toBe(true)
      }
    }
    expect((await call(server.url, 'GET', '/health')).status).toBe(200)
  })
})
