// Rules for staff accounts that need no database.
import type { Role } from '../../../src-preload/contract/vocab'

export interface StaffSnapshot {
  id: number
  roles: readonly Role[]
  active: boolean
}

/**
 * May `actorId` change `target` to `next`? The office must never lose its last active administrator,
 * and nobody disables or demotes their own account (they would lock themselves out mid-task).
 */
export function checkStaffChange(
  actorId: number,
  target: StaffSnapshot,
  next: { roles: readonly Role[]; active: boolean },
  activeAdminCount: number
): { ok: true } | { ok: false; reason: string } {
  const wasAdmin = target.active && target.roles.includes('admin')
  const staysAdmin = next.active && next.roles.includes('admin')
  if (target.id === actorId && wasAdmin && !staysAdmin) {
    return { ok: false, reason: '不能停用自己的账户或取消自己的管理员角色' }
  }
  if (wasAdmin && !staysAdmin && activeAdminCount <= 1) {
    return { ok: false, reason: '系统至少需要保留一名启用的管理员' }
  }
  return { ok: true }
}

/** Staff passwords: 8–64 characters with letters and digits. */
export function staffPasswordProblem(password: string): string | null {
  if (password.length < 8) return '密码至少8位'
  if (password.length > 64) return '密码不能超过64位'
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码须同时包含字母和数字'
  return null
}
