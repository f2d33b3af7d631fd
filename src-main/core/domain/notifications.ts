// SMS to applicants: the templates (editable by the administrator), how an application's history
// event becomes a message, filling in the placeholders, and the retry schedule. Pure.
import { CATEGORY_LABELS, type Category } from '../../../src-preload/contract/vocab'

export interface TemplateDef {
  key: string
  name: string
  body: string
  /** placeholders the body may use, with what each means (shown to the administrator) */
  vars: Record<string, string>
}

const COMMON_VARS = { name: '申请人姓名', category: '从业类别', trainingNo: '培训证号' }

export const DEFAULT_TEMPLATES: readonly TemplateDef[] = [
  {
    key: 'returned',
    name: '退回补正',
    body: '{name}您好，您的{category}从业资格申请{step}未通过，请按以下意见补正后重新提交：{reasons}',
    vars: { ...COMMON_VARS, step: '环节（材料预审/资格初审）', reasons: '全部补正意见' }
  },
  {
    key: 'review_passed',
    name: '审核通过',
    body: '{name}您好，您的{category}从业资格申请已通过资格初审，培训证号{trainingNo}。',
    vars: COMMON_VARS
  },
  {
    key: 'fee_due',
    name: '缴纳考试费',
    body: '{name}您好，请在“政务交通”APP缴纳考试费{amount}元后预约考试（培训证号{trainingNo}）。如扣款成功仍不能预约，请勿重复缴费。',
    vars: { ...COMMON_VARS, amount: '应缴金额（元）' }
  },
  {
    key: 'booking_confirmed',
    name: '考试预约成功',
    body: '{name}您好，您已预约{examDate} {venue}（{session}）的考试。请于考试当天8:30前携带身份证原件到达考场，逾期视为失约。',
    vars: { ...COMMON_VARS, examDate: '考试日期', venue: '考点', session: '场次' }
  },
  {
    key: 'no_show',
    name: '考试失约',
    body: '{name}您好，您未参加{examDate}的考试，已按失约处理并扣减一次考试机会，请重新预约考试。',
    vars: { ...COMMON_VARS, examDate: '考试日期' }
  },
  {
    key: 'session_cancelled',
    name: '考试场次取消',
    body: '{name}您好，您预约的{examDate}考试场次已取消（{reason}），考试次数不受影响，请重新预约。',
    vars: { ...COMMON_VARS, examDate: '考试日期', reason: '取消原因' }
  },
  {
    key: 'scores',
    name: '考试成绩',
    body: '{name}您好，您的{category}从业资格考试成绩已发布：{scores}。详情请在“政务交通”APP成绩查询中查看。',
    vars: { ...COMMON_VARS, scores: '成绩' }
  },
  {
    key: 'approved',
    name: '许可审批通过',
    body: '{name}您好，您的{category}从业资格申请已通过许可审批，证件制作完成后将另行通知。',
    vars: COMMON_VARS
  },
  {
    key: 'rejected',
    name: '不予许可',
    body: '{name}您好，您的{category}从业资格申请经审批不予许可，原因：{reasons}。如有异议，可依法申请行政复议或提起行政诉讼。',
    vars: { ...COMMON_VARS, reasons: '不予许可的理由' }
  },
  {
    key: 'ready_for_pickup',
    name: '证件待领取',
    body: '{name}您好，您的从业资格证已制作完成，请携带身份证、驾驶证、照片等资料原件及报名材料复印件到{pickupPlace}领取。',
    vars: { ...COMMON_VARS, pickupPlace: '领证地点（系统设置）' }
  },
  {
    key: 'mailed',
    name: '证件已寄出',
    body: '{name}您好，您的从业资格证已由{carrier}寄出，运单号{waybillNo}，请注意查收。',
    vars: { ...COMMON_VARS, carrier: '快递公司', waybillNo: '运单号' }
  }
]

export const TEMPLATE_KEYS = DEFAULT_TEMPLATES.map((t) => t.key)
export const templateDef = (key: string) => DEFAULT_TEMPLATES.find((t) => t.key === key)

const PLACEHOLDER = /\{([A-Za-z]+)\}/g

/** Placeholders a body uses that its template does not know (an administrator's typo). */
export function unknownPlaceholders(key: string, body: string): string[] {
  const def = templateDef(key)
  const known = new Set(Object.keys(def?.vars ?? {}))
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((v) => !known.has(v)))]
}

/** Fills `{var}` placeholders; an unknown or missing value becomes empty. Prefixes the signature. */
export function renderTemplate(body: string, vars: Record<string, string | number | null | undefined>, signature = ''): string {
  const text = body.replace(PLACEHOLDER, (_, k: string) => {
    const v = vars[k]
    return v === null || v === undefined ? '' : String(v)
  })
  return signature ? `${signature}${text}` : text
}

// ---- from history events to messages -----------------------------------------------------------

export interface EventForSms {
  id: number
  event: string
  detail: unknown
  application: { id: number; name: string; phone: string | null; category: Category; trainingNo: string | null; collectMethod?: string | null }
}

export interface PlannedSms {
  templateKey: string
  vars: Record<string, string>
  dedupeKey: string
}

const SUBJECT_LABELS: Record<string, string> = { theory: '理论', practical: '实操' }

function reasonsOf(detail: unknown): string {
  const d = detail as { deficiencies?: { reason?: unknown; label?: unknown; field?: unknown; attachment?: unknown }[]; reasons?: unknown; note?: unknown } | null
  const parts: string[] = []
  if (d && Array.isArray(d.deficiencies)) {
    for (const x of d.deficiencies) {
      if (!x || typeof x.reason !== 'string') continue
      parts.push(typeof x.label === 'string' && x.label ? `${x.label}：${x.reason}` : x.reason)
    }
  }
  if (d && Array.isArray(d.reasons)) for (const r of d.reasons) if (typeof r === 'string') parts.push(r)
  if (d && typeof d.note === 'string' && d.note.trim()) parts.push(d.note.trim())
  // A decision recorded without its reasons (old data) still reads as a sentence.
  return parts.length ? parts.map((p, i) => `${i + 1}.${p}`).join('；') : '详见“政务交通”APP办理进度'
}

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v)
}

type Extra = { feeYuan?: string; pickupPlace?: string }
type One = (templateKey: string, vars?: Record<string, string>) => PlannedSms
type Planner = (e: EventForSms, one: One, d: Record<string, unknown>, extra: Extra) => PlannedSms[]

function scoresText(d: Record<string, unknown>, otherwise: string): string {
  return Array.isArray(d.scores)
    ? (d.scores as { subject?: string; score?: number }[]).map((s) => `${SUBJECT_LABELS[str(s.subject)] ?? str(s.subject)}${str(s.score)}分`).join('，')
    : otherwise
}
const scored: Planner = (_e, one, d) => [one('scores', { scores: scoresText(d, str(d.text ?? d.summary)) })]

/** The events of the application's history that send messages, and which; every other event sends none. */
const PLANNERS: Record<string, Planner> = {
  pre_review_return: (e, one) => [one('returned', { step: '材料预审', reasons: reasonsOf(e.detail) })],
  initial_review_return: (e, one) => [one('returned', { step: '资格初审', reasons: reasonsOf(e.detail) })],
  initial_review_pass: (e, one, _d, extra) =>
    e.application.category === 'passenger' ? [one('review_passed'), one('fee_due', { amount: extra.feeYuan ?? '133' })] : [one('review_passed')],
  exam_booked: (_e, one, d) => [one('booking_confirmed', { examDate: str(d.examDate), venue: str(d.venue), session: str(d.session) })],
  exam_no_show: (_e, one, d) => [one('no_show', { examDate: str(d.examDate) })],
  exam_session_cancelled: (_e, one, d) => [one('session_cancelled', { examDate: str(d.examDate), reason: str(d.reason) || '考点原因' })],
  exam_scored: scored,
  scores_published: scored,
  exam_scores: scored,
  exams_passed: (_e, one, d) => [one('scores', { scores: scoresText(d, '理论、实操均合格') })],
  permit_approve: (_e, one) => [one('approved')],
  permit_reject: (e, one) => [one('rejected', { reasons: reasonsOf(e.detail) })],
  certificate_printed: (e, one, _d, extra) => (e.application.collectMethod === 'mail' ? [] : [one('ready_for_pickup', { pickupPlace: extra.pickupPlace ?? '' })]),
  certificate_handed_over: (_e, one, d) => (d.method === 'mail' ? [one('mailed', { carrier: str(d.carrier), waybillNo: str(d.waybillNo) })] : [])
}

/** The events worth reading at all: the notifier leaves the others (submissions, edits, …) in the database. */
export const EVENTS_WITH_MESSAGES: readonly string[] = Object.keys(PLANNERS)

/** The messages an event of the application's history sends (none for most events). */
export function messagesForEvent(e: EventForSms, extra: Extra = {}): PlannedSms[] {
  const plan = Object.hasOwn(PLANNERS, e.event) ? PLANNERS[e.event] : undefined
  if (!plan) return []
  const base = { name: e.application.name, category: CATEGORY_LABELS[e.application.category], trainingNo: e.application.trainingNo ?? '' }
  const one: One = (templateKey, vars = {}) => ({ templateKey, vars: { ...base, ...vars }, dedupeKey: `event:${e.id}:${templateKey}` })
  return plan(e, one, (e.detail ?? {}) as Record<string, unknown>, extra)
}

// ---- retries ----------------------------------------------------------------------------------

/** Waits before the 2nd, 3rd, … try: 1 min, 5 min, 30 min, 2 h; after the 5th failure the message is given up. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000]
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1

/** After a failed try number `attempts` (1-based): when to try again, or null to give up. */
export function nextAttemptAfterFailure(attempts: number, nowMs: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null
  return nowMs + RETRY_DELAYS_MS[Math.min(attempts - 1, RETRY_DELAYS_MS.length - 1)]
}

export const MOBILE_PATTERN = /^1[3-9]\d{9}$/
