// The bureau's shared vocabulary: pure data, importable by the main process, the preload and the
// renderer alike (no Node, no DOM). Labels are the ones staff and applicants see.
import { APPLICANT_AUDIT_LABELS } from './applicant-audit'
import { REPORT_AUDIT_LABELS } from './reports-audit'
import { TRAINING_AUDIT_LABELS } from './training-audit'
import { EXAM_AUDIT_LABELS } from './exams-audit'
import { REVIEW_AUDIT_LABELS } from './review-audit'
import { DATA_SAFETY_AUDIT_LABELS } from './data-safety-audit'
import { PERMIT_AUDIT_LABELS } from './permits-audit'

export const ROLES = ['pre_reviewer', 'initial_reviewer', 'exam_staff', 'supervisor', 'issuer', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  pre_reviewer: '预审员',
  initial_reviewer: '初审员',
  exam_staff: '考务员',
  supervisor: '审批员',
  issuer: '发证员',
  admin: '管理员'
}

/**
 * The desks of the side menu, in menu order, with the roles that work at each; `oversight`: roles
 * that may also open it (supervisors look at the review queues and release locks, never decide).
 */
export const DESKS = [
  { key: 'pre-review', label: '材料预审', roles: ['pre_reviewer'], oversight: ['supervisor'] },
  { key: 'initial-review', label: '资格初审', roles: ['initial_reviewer'], oversight: ['supervisor'] },
  { key: 'exams', label: '考务管理', roles: ['exam_staff'] },
  { key: 'scores', label: '成绩导入', roles: ['exam_staff'] },
  { key: 'permits', label: '许可审批', roles: ['supervisor'] },
  { key: 'certificates', label: '证件打印', roles: ['issuer'] },
  { key: 'reports', label: '统计报表', roles: ['supervisor'] },
  { key: 'admin', label: '系统管理', roles: ['admin'] }
] as const satisfies readonly { key: string; label: string; roles: readonly Role[]; oversight?: readonly Role[] }[]
export type DeskKey = (typeof DESKS)[number]['key']

/** A staff member's desks: their own first (the first is where they land), then those they oversee. */
export function desksFor(roles: readonly Role[]): DeskKey[] {
  const any = (rs: readonly Role[]) => rs.some((r) => roles.includes(r))
  const own = DESKS.filter((d) => any(d.roles))
  const overseen = DESKS.filter((d) => !any(d.roles) && 'oversight' in d && any(d.oversight))
  return [...own, ...overseen].map((d) => d.key)
}

export const CATEGORIES = ['passenger', 'freight'] as const
export type Category = (typeof CATEGORIES)[number]
export const CATEGORY_LABELS: Record<Category, string> = {
  passenger: '经营性道路旅客运输驾驶员',
  freight: '经营性道路货物运输驾驶员'
}

export const APPLICATION_TYPES = ['initial', 'add_class'] as const
export type ApplicationType = (typeof APPLICATION_TYPES)[number]
export const APPLICATION_TYPE_LABELS: Record<ApplicationType, string> = {
  initial: '初领',
  add_class: '增驾'
}

/**
 * Where an application stands. The applicant's timeline (01–08) is derived from the stage and
 * the application's history; the stage is what the queues are built on.
 */
export const STAGES = [
  'draft', // 02 being filled in by the applicant
  'pre_review', // 03 waiting for 材料预审
  'initial_review', // 04 waiting for 资格初审
  'returned', // 补正: sent back to the applicant with deficiencies
  'fee_payment', // 05 passenger: exam fee due
  'exam', // 06 passenger: booking, sitting and scores
  'permit_approval', // 07 waiting for 许可审批
  'certificate', // 08 approved, certificate to be printed
  'pickup', // 08 printed, waiting to be collected or mailed
  'completed', // 08 handed over
  'rejected', // 07 permit refused (不予许可)
  'withdrawn' // withdrawn by the applicant
] as const
export type Stage = (typeof STAGES)[number]

export const STAGE_LABELS: Record<Stage, string> = {
  draft: '草稿',
  pre_review: '待材料预审',
  initial_review: '待资格初审',
  returned: '退回补正',
  fee_payment: '待缴考试费',
  exam: '考试中',
  permit_approval: '待许可审批',
  certificate: '待制证',
  pickup: '待领证',
  completed: '已发证',
  rejected: '不予许可',
  withdrawn: '已撤回'
}

/** Stages in which an application is still open (one open application per ID number and category). */
export const OPEN_STAGES: readonly Stage[] = STAGES.filter((s) => !['completed', 'rejected', 'withdrawn'].includes(s))

/** Audit actions and how the audit screen names them. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  ...APPLICANT_AUDIT_LABELS,
  ...REPORT_AUDIT_LABELS,
  ...TRAINING_AUDIT_LABELS,
  ...EXAM_AUDIT_LABELS,
  ...REVIEW_AUDIT_LABELS,
  ...DATA_SAFETY_AUDIT_LABELS,
  ...PERMIT_AUDIT_LABELS,
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.locked': '账户锁定',
  'auth.logout': '退出登录',
  'auth.password_changed': '修改密码',
  'access.denied': '越权操作被拒绝',
  'staff.created': '创建员工账户',
  'staff.updated': '修改员工账户',
  'staff.password_reset': '重置员工密码',
  'staff.unlocked': '解锁员工账户',
  'system.admin_created': '创建管理员账户',
  'system.demo_loaded': '载入演示数据'
}
