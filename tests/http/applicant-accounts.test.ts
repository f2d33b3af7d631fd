// The guide's 注册 and 登录 screens over real HTTP: SMS codes from the outbox, registration,
// login with lock-out, tokens that expire and can be revoked, password reset, rate limits.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeClock, testServer, type TestServer } from '../support/core'
import { readOutbox } from '../../src-main/core/services/sms'
import { call, lastCode, makeIdNumber, newPhone, registerAndLogin } from './applicant-support'

// Generous limits: CI runs every project at once on two cores.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 })

let server: TestServer
let clock: ReturnType<typeof fakeClock>

beforeEach(async () => {
  clock = fakeClock('2026-11-25T09:00:00+08:00')
  server = await testServer({ clock })
})
afterEach(() => server.close())

describe('registration with an SMS code', () => {
  it('sends a code to outbox/sms.jsonl, registers, logs in and shows who is signed in', async () => {
    const phone = newPhone()
    const sms = await call(server.url, 'POST', '/auth/sms-code', { body: { phone, purpose: 'register' } })
    expect(sms.status).toBe(202)
    const outbox = await readOutbox(server.core.dataDir)
    expect(outbox).toHaveLength(1)
    expect(outbox[0]).toMatchObject({ to: phone, at: '2026-11-25T09:00:00+08:00' })
    expect(outbox[0].text).toMatch(/注册验证码为\d{6}，5分钟内有效/)

    const idNumber = makeIdNumber('1985-03-12', 'M')
    const smsCode = await lastCode(server.core.dataDir, phone)
    const reg = await call(server.url, 'POST', '/auth/register', { body: { idNumber, name: '张伟', phone, smsCode, password: 'abc123' } })
    expect(reg.status).toBe(201)
    expect(reg.body.applicantId).toBeGreaterThan(0)

    const login = await call(server.url, 'POST', '/auth/login', { body: { idNumber, password: 'abc123' } })
    expect(login.status).toBe(200)
    expect(login.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    expect(login.body.expiresAt).toBe('2026-12-02T09:00:00+08:00')
    // The token is stored only as a hash.
    const stored = server.core.ctx.db.prepare('SELECT token_hash FROM applicant_tokens').all() as { token_hash: string }[]
    expect(stored).toHaveLength(1)
    expect(stored[0].token_hash).not.toContain(login.body.token)

    const me = await call(server.url, 'GET', '/me', { token: login.body.token })
    expect(me.status).toBe(200)
    expect(me.body).toEqual({ applicantId: reg.body.applicantId, idNumber, name: '张伟', phone })
  })

  it('refuses a wrong code, voids it after 5 wrong tries, and lets it expire after 5 minutes', async () => {
    const phone = newPhone()
    await call(server.url, 'POST', '/auth/sms-code', { body: { phone, purpose: 'register' } })
    const code = await lastCode(server.core.dataDir, phone)
    const wrong = code === '000000' ? '111111' : '000000'
    const idNumber = makeIdNumber('1990-07-01', 'F')
    const body = { idNumber, name: '李娜', phone, password: 'abc123' }
    for (let i = 1; i <= 4; i++) {
      const r = await call(server.url, 'POST', '/auth/register', { body: { ...body, smsCode: wrong } })
      expect(r.status).toBe(422)
      expect(r.body.error.fields.smsCode).toBe(`验证码错误，还可尝试${5 - i}次`)
    }
    const fifth = await call(server.url, 'POST', '/auth/register', { body: { ...body, smsCode: wrong } })
    expect(fifth.body.error.fields.smsCode).toBe('验证码错误5次，已失效，请重新获取')
    // Even the right code is dead now.
    const right = await call(server.url, 'POST', '/auth/register', { body: { ...body, smsCode: code } })
    expect(right.status).toBe(422)
    expect(right.body.error.fields.smsCode).toBe('验证码无效或已过期，请重新获取')

    clock.advance(61_000)
    await call(server.url, 'POST', '/auth/sms-code', { body: { phone, purpose: 'register' } })
    const fresh = await lastCode(server.core.dataDir, phone)
    clock.advance(5 * 60_000 + 1000)
    const late = await call(server.url, 'POST', '/auth/register', { body: { ...body, smsCode: fresh } })
    expect(late.status).toBe(422)
    expect(late.body.error.fields.smsCode).toBe('验证码无效或已过期，请重新获取')
    expect(server.core.ctx.db.prepare('SELECT count(*) AS n FROM applicants').get()).toEqual({ n: 0 })
  })

  it('sends one code a minute and ten an hour per phone, answering 429 with Retry-After', async () => {
    const phone = newPhone()
    expect((await call(server.url, 'POST', '/auth/sms-code', { body: { phone, purpose: 'register' } })).status).toBe(202)
    clock.advance(20_000)
    const again = await call(server.url, 'POST', '/auth/sms-code', { body: { phone, purpose: 'register' } })
    expect(again.status).toBe(429)
    expect(again.headers.get('retry-after')).toBe('40')
    expect(again.body.error).toMatchObject({ code: 'rate_limited', message: '获取验证码过于频繁，请1分钟后再试' })
    for (let i = 2; i <= 10; i++) {
      clock.advance(60_000)
      expect((await call(server.url, 'POST', '/auth/sms-code', { body: { phone, purpose: 'register' } })).status).toBe(202)
    }
    clock.advance(60_000)
    const eleventh = await call(server.url, 'POST', '/auth/sms-code', { body: { phone, purpose: 'register' } })
    expect(eleventh.status).toBe(429)
    expect(eleventh.body.error.message).toContain('1小时内获取验证码已达10次')
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('refuses a second registration of the same ID number', async () => {
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1980-01-01', 'M') })
    const phone = newPhone()
    await call(server.url, 'POST', '/auth/sms-code', { body: { phone, purpose: 'register' } })
    const r = await call(server.url, 'POST', '/auth/register', {
      body: { idNumber: a.idNumber, name: '王强', phone, smsCode: await lastCode(server.core.dataDir, phone), password: 'xyz789' }
    })
    expect(r.status).toBe(409)
    expect(r.body.error.fields.idNumber).toBe('该身份证号已注册')
  })

  it('lists every registration problem at once', async () => {
    const r = await call(server.url, 'POST', '/auth/register', {
      body: { idNumber: '110105194912310021', name: '<script>', phone: '1234', smsCode: '123456', password: 'abc!@#' }
    })
    expect(r.status).toBe(422)
    expect(r.body.error.fields).toEqual({
      idNumber: '身份证号校验位不正确',
      name: '姓名只能包含汉字（少数民族姓名可用“·”分隔），不能含数字、空格或符号',
      phone: '手机号应为11位手机号码',
      password: '密码只能由字母和数字组成，不能含特殊字符'
    })
  })
})

describe('login, tokens and lock-out', () => {
  it('locks the ID number for 15 minutes after 5 wrong passwords (429 with Retry-After)', async () => {
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1975-05-05', 'M'), password: 'right123' })
    for (let i = 0; i < 4; i++) {
      const r = await call(server.url, 'POST', '/auth/login', { body: { idNumber: a.idNumber, password: 'wrong123' } })
      expect(r.status).toBe(401)
      expect(r.body.error).toMatchObject({ code: 'bad_credentials', message: '身份证号或密码错误' })
    }
    const fifth = await call(server.url, 'POST', '/auth/login', { body: { idNumber: a.idNumber, password: 'wrong123' } })
    expect(fifth.status).toBe(429)
    expect(fifth.headers.get('retry-after')).toBe('900')
    const locked = await call(server.url, 'POST', '/auth/login', { body: { idNumber: a.idNumber, password: 'right123' } })
    expect(locked.status).toBe(429)
    clock.advance(15 * 60_000 + 1000)
    expect((await call(server.url, 'POST', '/auth/login', { body: { idNumber: a.idNumber, password: 'right123' } })).status).toBe(200)
  })

  it('rejects an unknown ID number like a wrong password', async () => {
    const r = await call(server.url, 'POST', '/auth/login', { body: { idNumber: makeIdNumber('1970-01-01', 'F'), password: 'abc123' } })
    expect(r.status).toBe(401)
    expect(r.body.error.message).toBe('身份证号或密码错误')
  })

  it('expires tokens after 7 days and revokes them at logout', async () => {
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1988-08-08', 'M') })
    expect((await call(server.url, 'GET', '/applications', { token: a.token })).status).toBe(200)
    expect((await call(server.url, 'POST', '/auth/logout', { token: a.token })).status).toBe(204)
    const after = await call(server.url, 'GET', '/applications', { token: a.token })
    expect(after.status).toBe(401)
    expect(after.body.error.message).toBe('登录已失效，请重新登录')

    const again = await call(server.url, 'POST', '/auth/login', { body: { idNumber: a.idNumber, password: a.password } })
    clock.advance(7 * 24 * 3600_000 + 1000)
    const expired = await call(server.url, 'GET', '/applications', { token: again.body.token })
    expect(expired.status).toBe(401)
    expect((await call(server.url, 'GET', '/applications')).body.error.message).toBe('请先登录')
  })
})

describe('password reset by SMS', () => {
  it('sets a new password with a code sent to the registered phone and signs out everywhere', async () => {
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1982-02-02', 'F'), name: '王芳' })
    clock.advance(61_000)
    expect((await call(server.url, 'POST', '/auth/sms-code', { body: { phone: a.phone, purpose: 'reset' } })).status).toBe(202)
    const code = await lastCode(server.core.dataDir, a.phone)
    expect((await readOutbox(server.core.dataDir)).at(-1)!.text).toContain('找回密码验证码')
    const r = await call(server.url, 'POST', '/auth/reset-password', { body: { idNumber: a.idNumber, phone: a.phone, smsCode: code, newPassword: 'New2026' } })
    expect(r.status).toBe(204)
    expect((await call(server.url, 'GET', '/me', { token: a.token })).status).toBe(401)
    expect((await call(server.url, 'POST', '/auth/login', { body: { idNumber: a.idNumber, password: a.password } })).status).toBe(401)
    expect((await call(server.url, 'POST', '/auth/login', { body: { idNumber: a.idNumber, password: 'New2026' } })).status).toBe(200)
  })

  it('sends no reset code to an unknown phone but answers the same', async () => {
    const phone = newPhone()
    expect((await call(server.url, 'POST', '/auth/sms-code', { body: { phone, purpose: 'reset' } })).status).toBe(202)
    expect(await readOutbox(server.core.dataDir)).toHaveLength(0)
  })
})

describe('per-address limit on /auth/*', () => {
  it('answers 429 with Retry-After past 120 requests a minute from one address', async () => {
    server.core.ctx.settings.set('applicant.authRequestsPerMinute', 5, null)
    for (let i = 0; i < 5; i++) {
      expect((await call(server.url, 'POST', '/auth/login', { body: { idNumber: '1', password: 'x' } })).status).toBe(401)
    }
    const r = await call(server.url, 'POST', '/auth/login', { body: { idNumber: '1', password: 'x' } })
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('60')
    clock.advance(60_000)
    expect((await call(server.url, 'POST', '/auth/login', { body: { idNumber: '1', password: 'x' } })).status).toBe(401)
  })
})
