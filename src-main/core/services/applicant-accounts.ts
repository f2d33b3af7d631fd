// Applicant accounts of the 政务交通 app: SMS codes, registration, login with lock-out, bearer
// tokens, password reset. Hashing and sending happen outside the transactions.
import { createHash, randomInt } from 'node:crypto'
import { dirname } from 'node:path'
import type { CoreContext } from '../context'
import { AppError } from '../errors'
import { applicantPasswordProblem, nameProblem, PHONE_PATTERN } from '../domain/application-rules'
import { normalizeIdNumber, parseIdNumber } from '../domain/id-number'
import { toShanghaiIso } from '../domain/time'
import { dummyPasswordHash, hashPassword, hashToken, newToken, verifyPassword } from '../security'
import { applicantAccountRepository, type TokenOwner } from '../storage/repositories/applicant-accounts'
import { fileSmsProvider, type SmsProvider } from './sms'

/** The signed-in applicant an applicant API request runs for. */
export interface ApplicantActor {
  kind: 'applicant'
  id: number
  idNumber: string
  name: string
  phone: string
  ip?: string
}

export type SmsPurpose = 'register' | 'reset'

/** The data folder is the database's folder (createCore puts qualdesk.db there). */
export function dataDirOf(ctx: CoreContext): string {
  return dirname(ctx.db.name)
}

function rateLimited(message: string, retryAfterSeconds: number, field?: string): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds))
  return new AppError('rate_limited', message, field ? { [field]: message } : undefined, { 'Retry-After': String(seconds) })
}

function ruleProblems(problems: Record<string, string | null>): void {
  const fields = Object.fromEntries(Object.entries(problems).filter(([, v]) => v)) as Record<string, string>
  const names = Object.keys(fields)
  if (names.length) throw new AppError('rule_violation', Object.values(fields).join('；'), fields)
}

const codeHash = (phone: string, purpose: SmsPurpose, code: string) =>
  createHash('sha256').update(`${phone}:${purpose}:${code}`).digest('hex')

export function applicantAccountsService(ctx: CoreContext, sms: SmsProvider = fileSmsProvider(dataDirOf(ctx))) {
  const { settings, audit } = ctx
  const repo = applicantAccountRepository(ctx.db)
  const nowMs = () => ctx.clock().getTime()

  /** Checks a code inside the caller's transaction; a wrong try is counted (and survives the refusal). */
  function checkCode(phone: string, purpose: SmsPurpose, code: string): { ok: true; id: number } | { ok: false; reason: string } {
    const row = repo.liveCode(phone, purpose)
    if (!row || row.expires_ms <= nowMs()) return { ok: false, reason: '验证码无效或已过期，请重新获取' }
    if (row.code_hash !== codeHash(phone, purpose, code)) {
      const max = settings.get('sms.codeMaxTries')
      const tries = repo.wrongCode(row.id, max)
      return {
        ok: false,
        reason: tries >= max ? `验证码错误${max}次，已失效，请重新获取` : `验证码错误，还可尝试${max - tries}次`
      }
    }
    return { ok: true, id: row.id }
  }

  async function requestSmsCode(input: { phone: string; purpose: SmsPurpose }, ip?: string): Promise<void> {
    const { phone, purpose } = input
    if (!PHONE_PATTERN.test(phone)) throw new AppError('rule_violation', '手机号应为11位手机号码', { phone: '手机号应为11位手机号码' })
    const now = nowMs()
    const minGap = settings.get('sms.minIntervalSeconds') * 1000
    const perHour = settings.get('sms.maxPerHour')
    const minutes = settings.get('sms.codeMinutes')
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
    const send = ctx.db.transaction(() => {
      const recent = repo.codesSince(phone, now - 3600_000)
      if (recent.last !== null && now - recent.last < minGap) {
        throw rateLimited('获取验证码过于频繁，请1分钟后再试', (recent.last + minGap - now) / 1000, 'phone')
      }
      if (recent.n >= perHour) {
        throw rateLimited(`该手机号1小时内获取验证码已达${perHour}次，请稍后再试`, (recent.first! + 3600_000 - now) / 1000, 'phone')
      }
      // A reset code goes only to a registered phone; the answer is the same either way.
      if (purpose === 'reset' && !repo.phoneKnown(phone)) return null
      return repo.insertCode({ phone, purpose, codeHash: codeHash(phone, purpose, code), createdMs: now, expiresMs: now + minutes * 60_000, ip: ip ?? null })
    })()
    if (send === null) return
    const what = purpose === 'register' ? '注册' : '找回密码'
    try {
      await sms.send({ to: phone, text: `【郑州交通】您的${what}验证码为${code}，${minutes}分钟内有效。如非本人操作，请忽略本短信。`, at: ctx.now() })
    } catch (e) {
      repo.voidCode(send)
      throw new AppError('unavailable', '短信发送失败，请稍后再试')
    }
  }

  async function register(input: { idNumber: string; name: string; phone: string; smsCode: string; password: string }, ip?: string) {
    const idNumber = normalizeIdNumber(input.idNumber)
    const name = input.name.trim()
    const id = parseIdNumber(idNumber)
    ruleProblems({
      idNumber: id.ok ? null : id.reason,
      name: nameProblem(name),
      phone: PHONE_PATTERN.test(input.phone) ? null : '手机号应为11位手机号码',
      password: applicantPasswordProblem(input.password)
    })
    const existing = repo.findByIdNumber(idNumber)
    if (existing?.passwordHash) throw new AppError('conflict', '该身份证号已注册，请直接登录；忘记密码可通过注册手机号找回', { idNumber: '该身份证号已注册' })
    const passwordHash = await hashPassword(input.password)
    const result = ctx.db.transaction(() => {
      const code = checkCode(input.phone, 'register', input.smsCode)
      if (!code.ok) return code
      const again = repo.findByIdNumber(idNumber)
      if (again?.passwordHash) return { ok: false as const, conflict: true, reason: '该身份证号已注册' }
      repo.useCode(code.id)
      const now = ctx.now()
      // An applicant first entered at the counter (窗口代办) has no password yet: the app account takes it over.
      const applicantId = again ? (repo.claim({ id: again.id, name, phone: input.phone, passwordHash, now }), again.id) : repo.insert({ idNumber, name, phone: input.phone, passwordHash, now })
      audit.record({ actorType: 'applicant', actorId: applicantId, actorName: name, action: 'applicant.registered', targetType: 'applicant', targetId: applicantId, ip })
      return { ok: true as const, applicantId }
    })()
    if (!result.ok) {
      if ('conflict' in result) throw new AppError('conflict', '该身份证号已注册，请直接登录', { idNumber: result.reason })
      throw new AppError('rule_violation', result.reason, { smsCode: result.reason })
    }
    return { applicantId: result.applicantId }
  }

  async function login(input: { idNumber: string; password: string }, ip?: string): Promise<{ token: string; expiresAt: string }> {
    const idNumber = normalizeIdNumber(input.idNumber)
    const applicant = repo.findByIdNumber(idNumber)
    const fail = () => new AppError('bad_credentials', '身份证号或密码错误', { password: '身份证号或密码错误' })
    if (!applicant?.passwordHash) {
      await verifyPassword(input.password, await dummyPasswordHash())
      throw fail()
    }
    const who = { actorType: 'applicant' as const, actorId: applicant.id, actorName: applicant.name, ip }
    const now = nowMs()
    if (applicant.lockedUntilMs && applicant.lockedUntilMs > now) {
      const seconds = (applicant.lockedUntilMs - now) / 1000
      throw rateLimited(`密码错误次数过多，请${Math.ceil(seconds / 60)}分钟后再试`, seconds, 'password')
    }
    if (!(await verifyPassword(input.password, applicant.passwordHash))) {
      const max = settings.get('applicant.maxFailedLogins')
      const lockMs = settings.get('applicant.lockMinutes') * 60_000
      const failures = ctx.db.transaction(() => {
        const n = repo.recordLoginFailure(applicant.id, max, now + lockMs)
        audit.record({ ...who, action: n >= max ? 'applicant.locked' : 'applicant.login_failed', targetType: 'applicant', targetId: applicant.id, detail: { failures: n } })
        return n
      })()
      if (failures >= max) throw rateLimited(`密码连续错误${max}次，账户已锁定${lockMs / 60_000}分钟`, lockMs / 1000, 'password')
      throw fail()
    }
    const token = newToken()
    const expiresMs = now + settings.get('applicant.tokenHours') * 3600_000
    ctx.db.transaction(() => {
      repo.insertToken(hashToken(token), applicant.id, ctx.now(), expiresMs)
      repo.recordLoginSuccess(applicant.id)
      audit.record({ ...who, action: 'applicant.login', targetType: 'applicant', targetId: applicant.id })
    })()
    return { token, expiresAt: toShanghaiIso(new Date(expiresMs)) }
  }

  // Recently seen tokens, so that a busy app does not hash and look up its token on every call.
  // Entries live a minute at most; logout and password reset drop them at once.
  const TOKEN_CACHE_MS = 60_000
  const tokenCache = new Map<string, { owner: TokenOwner; until: number }>()

  /** The applicant behind a bearer token, or 401. Read-only: no write per request. */
  function authenticate(token: string | undefined, ip?: string): ApplicantActor {
    if (!token) throw new AppError('unauthenticated', '请先登录')
    const now = nowMs()
    let owner: TokenOwner | undefined
    const cached = tokenCache.get(token)
    if (cached && cached.until > now && cached.owner.expiresMs > now) owner = cached.owner
    else {
      owner = token.length <= 128 ? repo.tokenOwner(hashToken(token), now) : undefined
      if (cached) tokenCache.delete(token)
      if (owner) {
        if (tokenCache.size >= 20_000) tokenCache.clear()
        tokenCache.set(token, { owner, until: now + TOKEN_CACHE_MS })
      }
    }
    if (!owner) throw new AppError('session_expired', '登录已失效，请重新登录')
    return { kind: 'applicant', id: owner.applicantId, idNumber: owner.idNumber, name: owner.name, phone: owner.phone, ip }
  }

  function logout(actor: ApplicantActor, token: string) {
    tokenCache.delete(token)
    ctx.db.transaction(() => {
      repo.revokeToken(hashToken(token))
      audit.record({ actorType: 'applicant', actorId: actor.id, actorName: actor.name, action: 'applicant.logout', targetType: 'applicant', targetId: actor.id, ip: actor.ip })
    })()
  }

  async function resetPassword(input: { idNumber: string; phone: string; smsCode: string; newPassword: string }, ip?: string) {
    const idNumber = normalizeIdNumber(input.idNumber)
    ruleProblems({ newPassword: applicantPasswordProblem(input.newPassword) })
    const applicant = repo.findByIdNumber(idNumber)
    if (!applicant?.passwordHash || applicant.phone !== input.phone) {
      throw new AppError('rule_violation', '身份证号与注册手机号不符', { phone: '身份证号与注册手机号不符' })
    }
    const passwordHash = await hashPassword(input.newPassword)
    const result = ctx.db.transaction(() => {
      const code = checkCode(input.phone, 'reset', input.smsCode)
      if (!code.ok) return code
      repo.useCode(code.id)
      repo.setPassword(applicant.id, passwordHash, ctx.now())
      // A reset signs out every device: whoever knew the old password is out.
      repo.revokeAllTokens(applicant.id)
      for (const [t, c] of tokenCache) if (c.owner.applicantId === applicant.id) tokenCache.delete(t)
      audit.record({ actorType: 'applicant', actorId: applicant.id, actorName: applicant.name, action: 'applicant.password_reset', targetType: 'applicant', targetId: applicant.id, ip })
      return code
    })()
    if (!result.ok) throw new AppError('rule_violation', result.reason, { smsCode: result.reason })
  }

  /** When the account was registered (step 01 of the timeline). */
  function registeredAt(applicantId: number): string | undefined {
    return repo.get(applicantId)?.createdAt
  }

  return { requestSmsCode, register, login, authenticate, logout, resetPassword, registeredAt, repo }
}
export type ApplicantAccountsService = ReturnType<typeof applicantAccountsService>
