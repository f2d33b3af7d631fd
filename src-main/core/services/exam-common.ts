// What the exam and payment services share: their repositories (prepared once per database), the
// attempt ledger of an application, workflow transitions with their history and audit entries,
// and the applicant notifications of the exam steps.
import { dirname } from 'node:path'
import type { CoreContext, StaffActor } from '../context'
import { fileSmsProvider } from './sms'
import { AppError, notFound } from '../errors'
import { examRepository, type ExamApplication } from '../storage/repositories/exams'
import { paymentRepository } from '../storage/repositories/payments'
import { emptyLedger, type ExamLedger, type FeeSchedule } from '../domain/attempts'
import { applyCredit, feeScheduleFrom } from '../domain/fees'
import { transition, type WorkflowEvent } from '../domain/workflow'
import type { SettingKey } from '../domain/settings'

/** Who acts: a signed-in staff member, the applicant (through the app) or the system itself. */
export type ExamActor = StaffActor | { kind: 'applicant'; applicantId: number; ip?: string } | { kind: 'system' }

const cache = new WeakMap<object, { exams: ReturnType<typeof examRepository>; payments: ReturnType<typeof paymentRepository> }>()

export function examRepos(ctx: CoreContext) {
  let r = cache.get(ctx.db)
  if (!r) {
    r = { exams: examRepository(ctx.db), payments: paymentRepository(ctx.db) }
    cache.set(ctx.db, r)
  }
  return r
}

export function feeSchedule(ctx: CoreContext): FeeSchedule {
  return feeScheduleFrom((k) => ctx.settings.get(k as SettingKey))
}

/** The attempt ledger: what was paid, what was sat, what is booked. */
export function loadLedger(ctx: CoreContext, applicationId: number): ExamLedger {
  const { exams, payments } = examRepos(ctx)
  const ledger = emptyLedger()
  for (const c of payments.credits(applicationId)) applyCredit(ledger, c)
  for (const a of exams.attemptsOfApplication(applicationId)) (ledger.subjects[a.subject].outcomes as string[]).push(a.outcome)
  for (const b of exams.activeBookings(applicationId)) {
    if (b.theory) ledger.subjects.theory.booked = true
    if (b.practical) ledger.subjects.practical.booked = true
  }
  return ledger
}

/** A passenger application, checked to belong to the applicant when one is acting. */
export function examApplication(ctx: CoreContext, applicationId: number, actor: ExamActor): ExamApplication {
  const app = examRepos(ctx).exams.application(applicationId)
  if (!app) throw notFound('申请')
  if (actor.kind === 'applicant' && app.applicantId !== actor.applicantId) throw new AppError('forbidden', '这不是您的申请')
  if (app.category !== 'passenger') throw new AppError('rule_violation', '货运申请无需考试和缴费')
  return app
}

export function actorFields(actor: ExamActor, app?: ExamApplication) {
  if (actor.kind === 'staff') return { actorType: 'staff' as const, actorId: actor.id, actorName: actor.displayName }
  if (actor.kind === 'applicant') return { actorType: 'applicant' as const, actorId: actor.applicantId, actorName: app?.name ?? null }
  return { actorType: 'system' as const, actorId: null, actorName: '系统' }
}

/** An audit entry for whoever acted. */
export function auditBy(ctx: CoreContext, actor: ExamActor, action: string, target: { type: string; id: string | number }, detail?: unknown) {
  if (actor.kind === 'staff') return ctx.audit.byStaff(actor, action, target, detail)
  ctx.audit.record({
    ...actorFields(actor),
    action,
    targetType: target.type,
    targetId: target.id,
    detail,
    ip: actor.kind === 'applicant' ? actor.ip : undefined
  })
}

/** An entry of the application's history (not a stage change). */
export function recordEvent(ctx: CoreContext, app: ExamApplication, event: string, actor: ExamActor, detail?: unknown) {
  examRepos(ctx).exams.insertEvent({ applicationId: app.id, at: ctx.now(), event, ...actorFields(actor, app), detail })
}

/** Fires a workflow event: the state machine decides; the stage, the history and the audit log follow. Call inside a transaction. */
export function advance(ctx: CoreContext, app: ExamApplication, event: WorkflowEvent, actor: ExamActor, detail?: unknown) {
  const wfActor = actor.kind === 'staff' ? { kind: 'staff' as const, roles: actor.roles } : actor.kind === 'applicant' ? { kind: 'applicant' as const } : { kind: 'system' as const }
  const r = transition({ stage: app.stage, category: app.category }, event, wfActor)
  if (!r.ok) throw new AppError('conflict', r.reason)
  const now = ctx.now()
  if (!examRepos(ctx).exams.setStage(app.id, app.stage, r.stage, now)) throw new AppError('conflict', '申请状态已被他人更改，请刷新后重试')
  examRepos(ctx).exams.insertEvent({ applicationId: app.id, at: now, event, fromStage: app.stage, toStage: r.stage, ...actorFields(actor, app), detail })
  auditBy(ctx, actor, `application.${event}`, { type: 'application', id: app.id }, { from: app.stage, to: r.stage, ...(detail as object) })
  app.stage = r.stage
}

/** A text to the applicant. Sent after the transaction commits; the history keeps what was said. */
export interface ExamNotice {
  applicationId: number
  phone: string | null
  text: string
}

export type NoticeSender = (notice: ExamNotice) => Promise<void> | void

const noticeSenders = new WeakMap<object, NoticeSender>()
/** The shell (or a test) wires the SMS provider in; without one, notices stay in the history only. */
export function setExamNoticeSender(ctx: CoreContext, send: NoticeSender) {
  noticeSenders.set(ctx.db, send)
}
/** By default a notice goes out through the SMS provider (outbox/sms.jsonl in the data folder). */
function defaultSender(ctx: CoreContext): NoticeSender {
  const sms = fileSmsProvider(dirname(ctx.db.name))
  return (n) => (n.phone ? sms.send({ to: n.phone, text: n.text, at: ctx.now() }) : undefined)
}
export function sendNotices(ctx: CoreContext, notices: ExamNotice[]) {
  if (!notices.length) return
  let send = noticeSenders.get(ctx.db)
  if (!send) noticeSenders.set(ctx.db, (send = defaultSender(ctx)))
  for (const n of notices) {
    try {
      void Promise.resolve(send(n)).catch(() => {})
    } catch {
      /* a notice that cannot be sent never undoes the decision */
    }
  }
}

export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}
export const dayStart = (date: string) => `${date}T00:00:00+08:00`
