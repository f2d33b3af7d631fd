// Staff sign-in: passwords, lock-out after repeated failures, idle session expiry.
import type { LoginResult, StaffMe } from '../../../src-preload/contract'
import { desksFor } from '../../../src-preload/contract/vocab'
import { staffPasswordProblem } from '../domain/staff-rules'
import { AppError } from '../errors'
import type { CoreContext, StaffActor } from '../context'
import type { StaffRecord } from '../storage/repositories/staff'
import { dummyPasswordHash, hashPassword, hashToken, newToken, verifyPassword } from '../security'

/** A session's last-seen time is written at most this often (not on every call). */
const TOUCH_EVERY_MS = 15_000

export function staffAuthService(ctx: CoreContext) {
  const { repos, settings, audit } = ctx

  function me(s: StaffRecord): StaffMe {
    return {
      id: s.id,
      username: s.username,
      displayName: s.displayName,
      roles: s.roles,
      desks: desksFor(s.roles),
      mustChangePassword: s.mustChangePassword,
      idleMinutes: settings.get('staff.sessionIdleMinutes')
    }
  }

  async function login(input: { username: string; password: string }, ip?: string): Promise<LoginResult> {
    const staff = repos.staff.findByUsername(input.username)
    const nowMs = ctx.clock().getTime()
    const fail = () => new AppError('bad_credentials', '用户名或密码错误', { password: '用户名或密码错误' })
    if (!staff) {
      await verifyPassword(input.password, await dummyPasswordHash())
      audit.record({ actorType: 'staff', actorName: input.username, action: 'auth.login_failed', detail: { reason: 'unknown_user' }, ip })
      throw fail()
    }
    const actorFields = { actorType: 'staff' as const, actorId: staff.id, actorName: staff.displayName, ip }
    if (staff.lockedUntilMs && staff.lockedUntilMs > nowMs) {
      const minutes = Math.ceil((staff.lockedUntilMs - nowMs) / 60_000)
      audit.record({ ...actorFields, action: 'auth.login_failed', detail: { reason: 'locked' } })
      throw new AppError('account_locked', `密码错误次数过多，账户已锁定，请${minutes}分钟后再试或联系管理员解锁`)
    }
    const ok = await verifyPassword(input.password, staff.passwordHash)
    if (!ok) {
      const max = settings.get('staff.maxFailedLogins')
      const lockUntil = nowMs + settings.get('staff.lockMinutes') * 60_000
      const r = repos.staff.recordLoginFailure(staff.id, max, lockUntil)
      audit.record({ ...actorFields, action: 'auth.login_failed', detail: { reason: 'bad_password', failures: r.failed_logins } })
      if (r.failed_logins >= max) {
        audit.record({ ...actorFields, action: 'auth.locked', detail: { minutes: settings.get('staff.lockMinutes') } })
        throw new AppError('account_locked', `密码连续错误${max}次，账户已锁定${settings.get('staff.lockMinutes')}分钟`)
      }
      throw fail()
    }
    if (!staff.active) {
      audit.record({ ...actorFields, action: 'auth.login_failed', detail: { reason: 'disabled' } })
      throw new AppError('account_disabled', '该账户已停用，请联系管理员')
    }
    const token = newToken()
    ctx.db.transaction(() => {
      repos.staffSessions.insert(hashToken(token), staff.id, ctx.now(), nowMs)
      repos.staff.recordLoginSuccess(staff.id, ctx.now())
      audit.record({ ...actorFields, action: 'auth.login' })
    })()
    return { token, staff: me(staff) }
  }

  /** The staff member behind a session token, or 401. Refreshes the idle timer. */
  function authenticate(token: string | undefined, ip?: string): StaffActor {
    if (!token) throw new AppError('unauthenticated', '请先登录')
    const tokenHash = hashToken(token)
    const session = repos.staffSessions.get(tokenHash)
    if (!session || session.revoked) throw new AppError('unauthenticated', '登录已失效，请重新登录')
    const nowMs = ctx.clock().getTime()
    const idleMs = settings.get('staff.sessionIdleMinutes') * 60_000
    if (nowMs - session.last_seen_ms > idleMs) {
      repos.staffSessions.revoke(tokenHash)
      throw new AppError('session_expired', `超过${settings.get('staff.sessionIdleMinutes')}分钟未操作，登录已超时，请重新登录`)
    }
    const staff = repos.staff.get(session.staff_id)
    if (!staff || !staff.active) {
      repos.staffSessions.revoke(tokenHash)
      throw new AppError('account_disabled', '该账户已停用，请联系管理员')
    }
    if (nowMs - session.last_seen_ms > TOUCH_EVERY_MS) repos.staffSessions.touch(tokenHash, nowMs)
    return { kind: 'staff', id: staff.id, username: staff.username, displayName: staff.displayName, roles: staff.roles, ip }
  }

  function logout(actor: StaffActor, token: string) {
    repos.staffSessions.revoke(hashToken(token))
    audit.byStaff(actor, 'auth.logout')
  }

  function current(actor: StaffActor): StaffMe {
    return me(repos.staff.get(actor.id)!)
  }

  async function changePassword(actor: StaffActor, input: { currentPassword: string; newPassword: string }) {
    const staff = repos.staff.get(actor.id)!
    if (!(await verifyPassword(input.currentPassword, staff.passwordHash))) {
      throw new AppError('rule_violation', '当前密码不正确', { currentPassword: '当前密码不正确' })
    }
    const problem = staffPasswordProblem(input.newPassword)
    if (problem) throw new AppError('rule_violation', problem, { newPassword: problem })
    if (input.newPassword === input.currentPassword) {
      throw new AppError('rule_violation', '新密码不能与当前密码相同', { newPassword: '新密码不能与当前密码相同' })
    }
    const hash = await hashPassword(input.newPassword)
    ctx.db.transaction(() => {
      repos.staff.setPassword(actor.id, hash, false, ctx.now())
      audit.byStaff(actor, 'auth.password_changed', { type: 'staff', id: actor.id })
    })()
  }

  return { login, authenticate, logout, current, changePassword }
}
export type StaffAuthService = ReturnType<typeof staffAuthService>
