// The applicant's timeline (客货运进度查看): steps 01–08 for passenger, 01–04, 07, 08 for freight,
// each with a state (grey pending, green done, red rejected, or current), a text and a time.
// Derived from the application's stage and its history; pure.
import type { Category, Stage } from '../../../src-preload/contract/vocab'
import { attachmentLabel, FIELD_LABELS, type ApplicationForm, type AttachmentKind, ATTACHMENT_KINDS } from './application-rules'

export const STEP_NUMBERS = ['01', '02', '03', '04', '05', '06', '07', '08'] as const
export type StepNo = (typeof STEP_NUMBERS)[number]

export const STEP_NAMES: Record<StepNo, string> = {
  '01': '用户注册',
  '02': '从业申请',
  '03': '材料预审',
  '04': '资格初审',
  '05': '考试费交纳',
  '06': '考试预约',
  '07': '许可审批',
  '08': '许可发证'
}

const PENDING_TEXT: Record<StepNo, string> = {
  '01': '未注册',
  '02': '未提交申请',
  '03': '未预审',
  '04': '未初审',
  '05': '未缴费',
  '06': '未预约',
  '07': '未审批',
  '08': '未发证'
}

export type StepState = 'done' | 'current' | 'rejected' | 'pending'

/** One deficiency of a return (一次性告知): a form field or an attachment, and why. */
export interface Deficiency {
  field?: string
  attachment?: string
  reason: string
}

export interface ProgressStep {
  no: StepNo
  name: string
  state: StepState
  text: string
  at: string | null
  /** on a rejected step: every reason, as listed by the reviewer */
  deficiencies?: (Deficiency & { label: string })[]
}

export interface ProgressEvent {
  event: string
  at: string
  detail?: unknown
}

export interface ProgressInput {
  category: Category
  stage: Stage
  /** when the applicant's account was registered (null for counter-entered applicants) */
  registeredAt: string | null
  createdAt: string
  collectMethod?: 'pickup' | 'mail'
  /** the application's history, oldest first */
  events: readonly ProgressEvent[]
  /** Texts other areas know better (the exam booking of step 06, for one); replace the derived text. */
  overrides?: Partial<Record<StepNo, { text: string; at: string | null }>>
}

export function stepsOf(category: Category): StepNo[] {
  return category === 'passenger' ? [...STEP_NUMBERS] : ['01', '02', '03', '04', '07', '08']
}

/** The applicant-facing status of each stage (the API's `status`). */
export const APPLICANT_STATUS: Record<Stage, string> = {
  draft: 'draft',
  pre_review: 'submitted',
  initial_review: 'initial_review',
  returned: 'returned',
  fee_payment: 'fee_payment',
  exam: 'exam',
  permit_approval: 'permit_approval',
  certificate: 'approved',
  pickup: 'ready_for_pickup',
  completed: 'completed',
  rejected: 'rejected',
  withdrawn: 'withdrawn'
}

export const APPLICANT_STATUS_TEXT: Record<Stage, string> = {
  draft: '草稿（未提交）',
  pre_review: '已提交，等待材料预审',
  initial_review: '等待资格初审',
  returned: '退回补正',
  fee_payment: '待缴纳考试费',
  exam: '考试阶段',
  permit_approval: '等待许可审批',
  certificate: '审批通过，证件制作中',
  pickup: '证件已制作，待领取',
  completed: '已发证',
  rejected: '不予许可',
  withdrawn: '已撤回'
}

function labelOf(d: Deficiency, category: Category): string {
  if (d.attachment && (ATTACHMENT_KINDS as readonly string[]).includes(d.attachment)) return attachmentLabel(d.attachment as AttachmentKind, category)
  if (d.field && d.field in FIELD_LABELS) return FIELD_LABELS[d.field as keyof ApplicationForm]
  return d.field ?? d.attachment ?? '其他'
}

/** The deficiencies a return event carries: `detail.deficiencies` (plus an optional free `detail.note`). */
export function deficienciesOf(detail: unknown): Deficiency[] {
  const d = detail as { deficiencies?: unknown; note?: unknown } | null | undefined
  const list: Deficiency[] = []
  if (d && Array.isArray(d.deficiencies)) {
    for (const x of d.deficiencies as Deficiency[]) {
      if (x && typeof x.reason === 'string') list.push({ ...(x.field ? { field: String(x.field) } : {}), ...(x.attachment ? { attachment: String(x.attachment) } : {}), reason: x.reason })
    }
  }
  if (d && typeof d.note === 'string' && d.note.trim()) list.push({ reason: d.note.trim() })
  return list
}

function reasonsText(prefix: string, list: (Deficiency & { label: string })[]): string {
  if (!list.length) return prefix
  return `${prefix}：${list.map((d) => (d.field || d.attachment ? `${d.label}：${d.reason}` : d.reason)).join('；')}`
}

export function deriveProgress(input: ProgressInput): ProgressStep[] {
  const { category } = input
  const steps = new Map<StepNo, ProgressStep>()
  for (const no of stepsOf(category)) steps.set(no, { no, name: STEP_NAMES[no], state: 'pending', text: PENDING_TEXT[no], at: null })
  const set = (no: StepNo, state: StepState, text: string, at: string | null, deficiencies?: ProgressStep['deficiencies']) => {
    const s = steps.get(no)
    if (!s) return
    s.state = state
    s.text = text
    s.at = at
    if (deficiencies) s.deficiencies = deficiencies
    else delete s.deficiencies
  }
  const reset = (...nos: StepNo[]) => nos.forEach((no) => set(no, 'pending', PENDING_TEXT[no], null))
  const withLabels = (detail: unknown) => deficienciesOf(detail).map((d) => ({ ...d, label: labelOf(d, category) }))

  set('01', 'done', '已注册', input.registeredAt ?? input.createdAt)
  set('02', 'current', '未提交申请（草稿）', input.createdAt)
  let submissions = 0
  for (const e of input.events) {
    switch (e.event) {
      case 'submit':
      case 'resubmit':
        submissions++
        set('02', 'done', submissions > 1 ? `已补正并重新提交申请（第${submissions}次提交）` : '已提交申请', e.at)
        set('03', 'current', submissions > 1 ? '已重新提交，等待材料预审' : '已提交，等待材料预审', e.at)
        reset('04')
        break
      case 'pre_review_return': {
        const list = withLabels(e.detail)
        set('03', 'rejected', reasonsText('材料预审未通过，请按以下意见补正后重新提交', list), e.at, list)
        break
      }
      case 'pre_review_pass':
        set('03', 'done', '材料预审通过', e.at)
        set('04', 'current', '等待资格初审', e.at)
        break
      case 'initial_review_return': {
        const list = withLabels(e.detail)
        set('04', 'rejected', reasonsText('资格初审未通过，请按以下意见补正后重新提交', list), e.at, list)
        break
      }
      case 'initial_review_pass':
        set('04', 'done', '资格初审通过', e.at)
        if (category === 'passenger') set('05', 'current', '请缴纳考试费', e.at)
        else set('07', 'current', '等待许可审批', e.at)
        break
      case 'fee_paid':
        set('05', 'done', '考试费已交', e.at)
        set('06', 'current', '请预约考试', e.at)
        break
      case 'exams_passed':
        set('06', 'done', '考试合格', e.at)
        set('07', 'current', '等待许可审批', e.at)
        break
      case 'permit_approve':
        set('07', 'done', '许可审批通过', e.at)
        set('08', 'current', '审批通过，证件制作中', e.at)
        break
      case 'permit_reject': {
        const list = withLabels(e.detail)
        set('07', 'rejected', reasonsText('不予许可', list), e.at, list)
        break
      }
      case 'certificate_printed':
        set(
          '08',
          'current',
          input.collectMethod === 'mail'
            ? '证件已制作，等待邮寄'
            : '证件已制作，请携带身份证、驾驶证、照片等资料原件及报名时上传资料的原件和复印件前往领取',
          e.at
        )
        break
      case 'certificate_handed_over':
        set('08', 'done', input.collectMethod === 'mail' ? '证件已寄出' : '证件已领取', e.at)
        break
      case 'withdraw':
        for (const s of steps.values()) if (s.state === 'current') reset(s.no)
        set('02', 'rejected', '申请已撤回', e.at)
        break
      default:
        // Events of other areas (bookings, attendance, …) leave the derived steps alone.
        break
    }
  }
  for (const [no, o] of Object.entries(input.overrides ?? {}) as [StepNo, { text: string; at: string | null }][]) {
    const s = steps.get(no)
    if (s && o) {
      s.text = o.text
      s.at = o.at
    }
  }
  return [...steps.values()]
}
