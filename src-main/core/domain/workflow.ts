// The workflow state machine: every allowed transition of an application, who may make it, and a
// reason for every refusal. Pure: no I/O, no clock.
import type { Category, Role, Stage } from '../../../src-preload/contract/vocab'
import { STAGE_LABELS } from '../../../src-preload/contract/vocab'

export const EVENTS = [
  'submit', // applicant (or a counter clerk on the applicant's behalf) submits a draft
  'resubmit', // applicant submits a returned application again after 补正
  'withdraw', // applicant withdraws an application not yet accepted
  'pre_review_pass',
  'pre_review_return',
  'initial_review_pass',
  'initial_review_return',
  'fee_paid', // the exam fee order was paid (payment provider or counter)
  'exams_passed', // both subjects passed (score import)
  'permit_approve',
  'permit_reject',
  'certificate_printed',
  'certificate_handed_over' // picked up at the counter or mailed
] as const
export type WorkflowEvent = (typeof EVENTS)[number]

export type Actor =
  | { kind: 'applicant' }
  | { kind: 'staff'; roles: readonly Role[] }
  | { kind: 'system' }

export interface TransitionSubject {
  stage: Stage
  category: Category
}

export type TransitionResult = { ok: true; stage: Stage } | { ok: false; reason: string }

type Who = 'applicant' | 'system' | Role

interface Rule {
  from: readonly Stage[]
  by: readonly Who[]
  to: (category: Category) => Stage
  /** Categories the event applies to; both when absent. */
  only?: Category
}

const after = (stage: Stage) => () => stage

export const EVENT_LABELS: Record<WorkflowEvent, string> = {
  submit: '提交申请',
  resubmit: '补正后重新提交',
  withdraw: '撤回申请',
  pre_review_pass: '材料预审通过',
  pre_review_return: '材料预审退回补正',
  initial_review_pass: '资格初审通过',
  initial_review_return: '资格初审退回补正',
  fee_paid: '考试费已交',
  exams_passed: '考试合格',
  permit_approve: '许可审批通过',
  permit_reject: '不予许可',
  certificate_printed: '证件已制作',
  certificate_handed_over: '证件已领取'
}

const RULES: Record<WorkflowEvent, Rule> = {
  // A counter clerk (窗口代办) enters and submits a walk-in applicant's form.
  submit: { from: ['draft'], by: ['applicant', 'pre_reviewer'], to: after('pre_review') },
  resubmit: { from: ['returned'], by: ['applicant', 'pre_reviewer'], to: after('pre_review') },
  withdraw: { from: ['draft', 'returned', 'pre_review'], by: ['applicant'], to: after('withdrawn') },
  pre_review_pass: { from: ['pre_review'], by: ['pre_reviewer'], to: after('initial_review') },
  pre_review_return: { from: ['pre_review'], by: ['pre_reviewer'], to: after('returned') },
  initial_review_pass: {
    from: ['initial_review'],
    by: ['initial_reviewer'],
    // Passenger drivers pay and sit exams; freight drivers go straight to permit approval.
    to: (category) => (category === 'passenger' ? 'fee_payment' : 'permit_approval')
  },
  initial_review_return: { from: ['initial_review'], by: ['initial_reviewer'], to: after('returned') },
  fee_paid: { from: ['fee_payment'], by: ['system', 'exam_staff'], to: after('exam'), only: 'passenger' },
  exams_passed: { from: ['exam'], by: ['system', 'exam_staff'], to: after('permit_approval'), only: 'passenger' },
  permit_approve: { from: ['permit_approval'], by: ['supervisor'], to: after('certificate') },
  permit_reject: { from: ['permit_approval'], by: ['supervisor'], to: after('rejected') },
  certificate_printed: { from: ['certificate'], by: ['issuer'], to: after('pickup') },
  certificate_handed_over: { from: ['pickup'], by: ['issuer'], to: after('completed') }
}

const WHO_LABELS: Record<Who, string> = {
  applicant: '申请人',
  system: '系统',
  pre_reviewer: '预审员',
  initial_reviewer: '初审员',
  exam_staff: '考务员',
  supervisor: '审批员',
  issuer: '发证员',
  admin: '管理员'
}

function actorMayAct(actor: Actor, by: readonly Who[]): boolean {
  if (actor.kind === 'applicant') return by.includes('applicant')
  if (actor.kind === 'system') return by.includes('system')
  return actor.roles.some((r) => by.includes(r))
}

/** The next stage of `subject` after `event` by `actor`, or why that cannot happen. */
export function transition(subject: TransitionSubject, event: WorkflowEvent, actor: Actor): TransitionResult {
  const rule = RULES[event]
  if (!rule) return { ok: false, reason: `未知的操作：${String(event)}` }
  if (rule.only && rule.only !== subject.category) {
    return { ok: false, reason: `货运申请没有“${EVENT_LABELS[event]}”环节` }
  }
  if (!rule.from.includes(subject.stage)) {
    return {
      ok: false,
      reason: `申请当前状态为“${STAGE_LABELS[subject.stage]}”，不能${EVENT_LABELS[event]}`
    }
  }
  if (!actorMayAct(actor, rule.by)) {
    return { ok: false, reason: `只有${rule.by.map((w) => WHO_LABELS[w]).join('或')}可以${EVENT_LABELS[event]}` }
  }
  return { ok: true, stage: rule.to(subject.category) }
}

/** The events that `actor` may fire on `subject` now (for buttons and keyboard shortcuts). */
export function allowedEvents(subject: TransitionSubject, actor: Actor): WorkflowEvent[] {
  return EVENTS.filter((e) => transition(subject, e, actor).ok)
}

/** Exposed for the exhaustive tests: the declared rule of each event. */
export function ruleOf(event: WorkflowEvent): Readonly<Rule> {
  return RULES[event]
}
