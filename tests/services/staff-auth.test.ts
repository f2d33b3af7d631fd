import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, fakeClock, testCore, type TestCore } from '../support/core'
import type { StaffActor } from '../../src-main/core/context'

let core: TestCore
afterEach(() => core?.dispose())

async function adminActor(c: TestCore): Promise<StaffActor> {
  const { token } = await c.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })
  return c.services.staffAuth.authenticate(token)
}

describe('first start', () => {
  it('creates the database, runs the migrations and creates one administrator', async () => {
    core = await testCore()
    expect(core.migrated.from).toBe(0)
    expect(core.migrated.to).toBeGreaterThanOrEqual(1)
    expect(core.ctx.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(core.ctx.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(core.createdAdmin).toEqual({ username: 'admin', password: null })
    const staff = core.services.staffAccounts.list({ includeDisabled: true })
    expect(staff.map((s) => [s.username, s.roles])).toEqual([['admin', ['admin']]])
    const stored = core.ctx.repos.staff.findByUsername('admin')!
    expect(stored.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/)
    expect(stored.passwordHash).not.toContain(ADMIN_PASSWORD)
  })

  it('generates a one-time administrator password that must be changed when none is given', async () => {
    core = await testCore({ adminPassword: undefined })
    const pw = core.createdAdmin!.password!
    expect(pw).toMatch(/^[A-Za-z0-9]{12}$/)
    const r = await core.services.staffAuth.login({ username: 'admin', password: pw })
    expect(r.staff.mustChangePassword).toBe(true)
  })

  it('creates no second administrator on the next start', async () => {
    core = await testCore()
    const again = await testCore({ dataDir: core.dataDir })
    expect(again.createdAdmin).toBeNull()
    expect(again.migrated.from).toBe(again.migrated.to)
    again.close()
  })
})

describe('staff login', () => {
  it('rejects a wrong password without saying whether the user exists', async () => {
    core = await testCore()
    const a = core.services.staffAuth.login({ username: 'admin', password: 'wrong' })
    await expect(a).rejects.toMatchObject({ code: 'bad_credentials', message: '用户名或密码错误' })
    const b = core.services.staffAuth.login({ username: 'nobody', password: 'wrong' })
    await expect(b).rejects.toMatchObject({ code: 'bad_credentials', message: '用户名或密码错误' })
  })

  it('locks the account after 5 failures, even for the right password, until the lock expires', async () => {
    const clock = fakeClock()
    core = await testCore({ clock })
    for (let i = 0; i < 4; i++) {
      await expect(core.services.staffAuth.login({ username: 'admin', password: 'bad' })).rejects.toMatchObject({ code: 'bad_credentials' })
    }
    await expect(core.services.staffAuth.login({ username: 'admin', password: 'bad' })).rejects.toMatchObject({ code: 'account_locked' })
    await expect(core.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })).rejects.toMatchObject({
      code: 'account_locked',
      message: expect.stringContaining('15分钟')
    })
    clock.advance(15 * 60_000 + 1000)
    await expect(core.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })).resolves.toMatchObject({
      staff: { username: 'admin' }
    })
    const actions = core.services.auditLog.list({ page: 1, pageSize: 50 }).rows.map((r) => r.action)
    expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(6)
    expect(actions).toContain('auth.locked')
    expect(actions[0]).toBe('auth.login')
  })

  it('expires a session left idle longer than the setting, and keeps an active one alive', async () => {
    const clock = fakeClock()
    core = await testCore({ clock })
    const { token } = await core.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })
    clock.advance(20 * 60_000)
    expect(core.services.staffAuth.authenticate(token).username).toBe('admin')
    clock.advance(29 * 60_000)
    expect(core.services.staffAuth.authenticate(token).username).toBe('admin')
    clock.advance(31 * 60_000)
    expect(() => core.services.staffAuth.authenticate(token)).toThrow(expect.objectContaining({ code: 'session_expired' }))
    // and it stays dead
    clock.set('2026-11-25T09:00:00+08:00')
    expect(() => core.services.staffAuth.authenticate(token)).toThrow(expect.objectContaining({ code: 'unauthenticated' }))
  })

  it('stores only a hash of the session token', async () => {
    core = await testCore()
    const { token } = await core.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })
    const rows = core.ctx.db.prepare('SELECT token_hash FROM staff_sessions').all() as { token_hash: string }[]
    expect(rows).toHaveLength(1)
    expect(rows[0].token_hash).not.toBe(token)
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('ends a logged-out session', async () => {
    core = await testCore()
    const { token } = await core.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })
    const actor = core.services.staffAuth.authenticate(token)
    core.services.staffAuth.logout(actor, token)
    expect(() => core.services.staffAuth.authenticate(token)).toThrow(expect.objectContaining({ code: 'unauthenticated' }))
  })
})

describe('staff accounts', () => {
  it('creates a clerk who must change the generated password at first login', async () => {
    core = await testCore()
    const admin = await adminActor(core)
    const { staff, initialPassword } = await core.services.staffAccounts.create(admin, {
      username: 'yushen1',
      displayName: '王晓梅',
      roles: ['pre_reviewer']
    })
    expect(staff).toMatchObject({ username: 'yushen1', roles: ['pre_reviewer'], active: true })
    const login = await core.services.staffAuth.login({ username: 'yushen1', password: initialPassword })
    expect(login.staff).toMatchObject({ mustChangePassword: true, desks: ['pre-review'] })
    const clerk = core.services.staffAuth.authenticate(login.token)
    await expect(core.services.staffAuth.changePassword(clerk, { currentPassword: initialPassword, newPassword: 'short1' })).rejects.toMatchObject({
      fields: { newPassword: '密码至少8位' }
    })
    await core.services.staffAuth.changePassword(clerk, { currentPassword: initialPassword, newPassword: 'Yushen2026' })
    expect(core.services.staffAuth.current(clerk).mustChangePassword).toBe(false)
  })

  it('refuses a duplicate username, case-insensitively', async () => {
    core = await testCore()
    const admin = await adminActor(core)
    await core.services.staffAccounts.create(admin, { username: 'clerk', displayName: '甲', roles: ['issuer'] })
    await expect(core.services.staffAccounts.create(admin, { username: 'CLERK', displayName: '乙', roles: ['issuer'] })).rejects.toMatchObject({
      code: 'conflict',
      fields: { username: '用户名已存在' }
    })
  })

  it('re-roles and disables a clerk; a disabled clerk cannot log in and loses open sessions', async () => {
    core = await testCore()
    const admin = await adminActor(core)
    const { staff, initialPassword } = await core.services.staffAccounts.create(admin, { username: 'c1', displayName: '甲', roles: ['issuer'] })
    const { token } = await core.services.staffAuth.login({ username: 'c1', password: initialPassword })
    const updated = core.services.staffAccounts.update(admin, { id: staff.id, roles: ['supervisor', 'issuer'] })
    expect(updated.roles).toEqual(['supervisor', 'issuer'])
    // Their own desks first (a supervisor lands on 许可审批), then the review queues they oversee.
    expect(core.services.staffAuth.current(core.services.staffAuth.authenticate(token)).desks).toEqual(['permits', 'certificates', 'reports', 'pre-review', 'initial-review'])
    core.services.staffAccounts.update(admin, { id: staff.id, active: false })
    expect(() => core.services.staffAuth.authenticate(token)).toThrow(expect.objectContaining({ code: 'unauthenticated' }))
    await expect(core.services.staffAuth.login({ username: 'c1', password: initialPassword })).rejects.toMatchObject({ code: 'account_disabled' })
  })

  it('never lets the office lose its last administrator', async () => {
    core = await testCore()
    const admin = await adminActor(core)
    expect(() => core.services.staffAccounts.update(admin, { id: admin.id, active: false })).toThrow(expect.objectContaining({ code: 'rule_violation' }))
    expect(() => core.services.staffAccounts.update(admin, { id: admin.id, roles: ['supervisor'] })).toThrow(expect.objectContaining({ code: 'rule_violation' }))
  })
})

describe('audit log', () => {
  it('is append-only in the database itself', async () => {
    core = await testCore()
    await adminActor(core)
    expect(() => core.ctx.db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/)
    expect(() => core.ctx.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
  })

  it('filters by action, actor and date', async () => {
    const clock = fakeClock('2026-11-20T10:00:00+08:00')
    core = await testCore({ clock })
    await adminActor(core)
    clock.set('2026-11-24T10:00:00+08:00')
    await expect(core.services.staffAuth.login({ username: 'admin', password: 'nope' })).rejects.toThrow()
    const list = core.services.auditLog.list
    expect(list({ action: 'auth.login', page: 1, pageSize: 50 }).total).toBe(1)
    expect(list({ action: 'auth.login_failed', page: 1, pageSize: 50 }).rows[0].at).toBe('2026-11-24T10:00:00+08:00')
    expect(list({ from: '2026-11-24', to: '2026-11-24', page: 1, pageSize: 50 }).rows.map((r) => r.action)).toEqual(['auth.login_failed'])
    expect(list({ to: '2026-11-20', actorName: '系统管理员', page: 1, pageSize: 50 }).rows.map((r) => r.action)).toEqual(['auth.login'])
  })
})
