// Firing a workflow event for the permit and certificate desks: the state machine decides; the
// stage, the history (application_events) and the audit log follow. Call inside a transaction.
import type { Stage } from '../../../src-preload/contract/vocab'
import type { CoreContext, StaffActor } from '../context'
import { AppError } from '../errors'
import { transition, type WorkflowEvent } from '../domain/workflow'
import type { PermitRepository } from '../storage/repositories/permits'

export function fireEvent(
  ctx: CoreContext,
  repo: PermitRepository,
  app: { id: number; stage: Stage; category: 'passenger' | 'freight' },
  event: WorkflowEvent,
  actor: StaffActor,
  detail?: unknown,
  audit?: { action: string; detail?: unknown }
): Stage {
  const r = transition({ stage: app.stage, category: app.category }, event, { kind: 'staff', roles: actor.roles })
  if (!r.ok) throw new AppError('conflict', r.reason)
  const now = ctx.now()
  if (!repo.setStage(app.id, app.stage, r.stage, now)) throw new AppError('conflict', '申请状态已被他人更改，请刷新后重试')
  repo.insertEvent({ applicationId: app.id, at: now, event, fromStage: app.stage, toStage: r.stage, actorType: 'staff', actorId: actor.id, actorName: actor.displayName, detail })
  ctx.audit.byStaff(actor, audit?.action ?? `workflow.${event}`, { type: 'application', id: app.id }, { from: app.stage, to: r.stage, ...((audit?.detail ?? {}) as object) })
  return r.stage
}
