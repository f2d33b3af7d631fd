// The administrator's staff accounts: create, re-role, disable, reset passwords, unlock.
import type { StaffRow } from '../../../src-preload/contract'
import type { Role } from '../../../src-preload/contract/vocab'
import { checkStaffChange, staffPasswordProblem } from '../domain/staff-rules'
import { AppError, notFound } from '../errors'
import type { CoreContext, StaffActor } from '../context'
import type { StaffRecord } from '../storage/repositories/staff'
import { generatePassword, hashPassword } from '../security'

export function staffAccountsService(ctx: CoreContext) {
  const { repos, audit } = ctx

  const toRow = (s: StaffRecord): StaffRow => ({
    id: s.id,
    username: s.username,
    displayName: s.displayName,
    roles: s.roles,
    active: s.active,
    locked: !!s.lockedUntilMs && s.lockedUntilMs > ctx.clock().getTime(),
    lastLoginAt: s.lastLoginAt,
    createdAt: s.createdAt
  })

  const getOr404 = (id: number) => repos.staff.get(id) ?? (() => { throw notFound('员工账户') })()

  function list(input: { includeDisabled: boolean }): StaffRow[] {
    return repos.staff.list(input.includeDisabled).map(toRow)
  }

  async function create(
    actor: StaffActor | null,
    input: { username: string; displayName: string; roles: Role[]; password?: string }
  ): Promise<{ staff: StaffRow; initialPassword: string }> {
    if (repos.staff.findByUsername(input.username)) {
      throw new AppError('conflict', `用户名 ${input.username} 已存在`, { username: '用户名已存在' })
    }
    // Given password: the administrator chose it; generated: the clerk must change it at first login.
    const initialPassword = input.password || generatePassword()
    const problem = input.password ? staffPasswordProblem(input.password) : null
    if (problem) throw new AppError('rule_violation', problem, { password: problem })
    const hash = await hashPassword(initialPassword)
    const id = ctx.db.transaction(() => {
      if (repos.staff.findByUsername(input.username)) {
        throw new AppError('conflict', `用户名 ${input.username} 已存在`, { username: '用户名已存在' })
      }
      const id = repos.staff.insert({
        username: input.username,
        displayName: input.displayName,
        passwordHash: hash,
        roles: [...new Set(input.roles)],
        mustChange: !input.password || actor !== null,
        now: ctx.now()
      })
      const detail = { username: input.username, displayName: input.displayName, roles: input.roles }
      if (actor) audit.byStaff(actor, 'staff.created', { type: 'staff', id }, detail)
      else audit.record({ actorType: 'system', action: 'system.admin_created', targetType: 'staff', targetId: id, detail })
      return id
    })()
    return { staff: toRow(repos.staff.get(id)!), initialPassword }
  }

  function update(actor: StaffActor, input: { id: number; displayName?: string; roles?: Role[]; active?: boolean }): StaffRow {
    return ctx.db.transaction(() => {
      const target = getOr404(input.id)
      const next = {
        displayName: input.displayName ?? target.displayName,
        roles: input.roles ? [...new Set(input.roles)] : target.roles,
        active: input.active ?? target.active
      }
      const check = checkStaffChange(actor.id, target, next, repos.staff.activeAdminCount())
      if (!check.ok) throw new AppError('rule_violation', check.reason)
      repos.staff.update({ id: target.id, ...next, now: ctx.now() })
      if (!next.active) repos.staffSessions.revokeAllOf(target.id)
      audit.byStaff(actor, 'staff.updated', { type: 'staff', id: target.id }, {
        before: { displayName: target.displayName, roles: target.roles, active: target.active },
        after: next
      })
      return toRow(repos.staff.get(target.id)!)
    })()
  }

  async function resetPassword(actor: StaffActor, input: { id: number }): Promise<{ initialPassword: string }> {
    const target = getOr404(input.id)
    const initialPassword = generatePassword()
    const hash = await hashPassword(initialPassword)
    ctx.db.transaction(() => {
      repos.staff.setPassword(target.id, hash, true, ctx.now())
      repos.staffSessions.revokeAllOf(target.id)
      audit.byStaff(actor, 'staff.password_reset', { type: 'staff', id: target.id })
    })()
    return { initialPassword }
  }

  function unlock(actor: StaffActor, input: { id: number }): StaffRow {
    return ctx.db.transaction(() => {
      const target = getOr404(input.id)
      repos.staff.unlock(target.id, ctx.now())
      audit.byStaff(actor, 'staff.unlocked', { type: 'staff', id: target.id })
      return toRow(repos.staff.get(target.id)!)
    })()
  }

  /**
   * First start: an office with no active administrator gets one. The password comes from
   * QUALDESK_ADMIN_PASSWORD, or is generated, returned once for printing, and must be changed.
   */
  async function ensureAdministrator(password?: string): Promise<{ username: string; password: string | null } | null> {
    if (repos.staff.activeAdminCount() > 0) return null
    const username = repos.staff.findByUsername('admin') ? `admin${Date.now() % 10000}` : 'admin'
    const { initialPassword } = await create(null, { username, displayName: '系统管理员', roles: ['admin'], password })
    return { username, password: password ? null : initialPassword }
  }

  return { list, create, update, resetPassword, unlock, ensureAdministrator }
}
export type StaffAccountsService = ReturnType<typeof staffAccountsService>
