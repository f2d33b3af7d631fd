// What the administrator keeps for the review desk: the deficiency checklist (退回原因) and the
// holiday calendar the working-day deadlines are counted on. Every change is audited.
import type { DeficiencyReason, HolidayRow, ReviewSettings } from '../../../src-preload/contract/review'
import { ATTACHMENT_KINDS, FORM_FIELD_LABELS } from '../../../src-preload/contract/review'
import type { StaffActor } from '../context'
import { AppError, notFound } from '../errors'
import type { ReviewKit } from './review-kit'

export function reviewConfigService(kit: ReviewKit) {
  const { repo, ctx } = kit

  function reasons(_actor: StaffActor, input: { includeInactive: boolean }): DeficiencyReason[] {
    return repo
      .reasons()
      .filter((r) => input.includeInactive || r.active === 1)
      .map((r) => ({ id: r.id, appliesTo: r.applies_to, target: r.target, label: r.label, sort: r.sort, active: r.active === 1 }))
  }

  function saveReason(actor: StaffActor, input: Omit<DeficiencyReason, 'id'> & { id?: number }): DeficiencyReason {
    const targetOk =
      input.target === '*' ||
      (input.appliesTo === 'attachment' ? (ATTACHMENT_KINDS as readonly string[]).includes(input.target) : input.target in FORM_FIELD_LABELS)
    if (!targetOk) throw new AppError('invalid_input', '适用的字段或附件无效', { target: '请从列表中选择字段或附件' })
    return ctx.db.transaction(() => {
      if (input.id !== undefined && !repo.reasonExists(input.id)) throw notFound('退回原因')
      if (repo.reasonDuplicate({ ...input, id: input.id ?? 0 })) {
        throw new AppError('conflict', '同一字段或附件下已有相同的原因', { label: '已有相同的原因' })
      }
      const row = { appliesTo: input.appliesTo, target: input.target, label: input.label, sort: input.sort, active: input.active ? 1 : 0, now: ctx.now() }
      const id = input.id ?? repo.insertReason(row)
      if (input.id !== undefined) repo.updateReason({ ...row, id })
      ctx.audit.byStaff(actor, input.id ? 'review.reason_updated' : 'review.reason_created', { type: 'deficiency_reason', id }, { ...input, id })
      return { id, appliesTo: input.appliesTo, target: input.target, label: input.label, sort: input.sort, active: input.active }
    })()
  }

  function holidays(_actor: StaffActor, input: { year?: number }): HolidayRow[] {
    return repo.holidays().filter((h) => !input.year || h.date.startsWith(`${input.year}-`))
  }

  function saveHoliday(actor: StaffActor, input: HolidayRow): HolidayRow {
    if (Number.isNaN(Date.parse(`${input.date}T00:00:00Z`)) || !new Date(`${input.date}T00:00:00Z`).toISOString().startsWith(input.date)) {
      throw new AppError('invalid_input', '日期无效', { date: '不是有效日期' })
    }
    ctx.db.transaction(() => {
      repo.upsertHoliday({ ...input, now: ctx.now(), by: actor.id })
      ctx.audit.byStaff(actor, 'review.holiday_saved', { type: 'holiday', id: input.date }, input)
    })()
    kit.calendarChanged()
    return input
  }

  function deleteHoliday(actor: StaffActor, input: { date: string }): null {
    ctx.db.transaction(() => {
      if (!repo.deleteHoliday(input.date)) throw notFound('该日期的节假日设置')
      ctx.audit.byStaff(actor, 'review.holiday_deleted', { type: 'holiday', id: input.date })
    })()
    kit.calendarChanged()
    return null
  }

  function settings(): ReviewSettings {
    return { separateInitialReviewer: ctx.settings.get('review.separateInitialReviewer'), lockIdleMinutes: ctx.settings.get('review.lockIdleMinutes') }
  }

  function saveSettings(actor: StaffActor, input: Partial<ReviewSettings>): ReviewSettings {
    const before = settings()
    ctx.db.transaction(() => {
      if (input.separateInitialReviewer !== undefined) ctx.settings.set('review.separateInitialReviewer', input.separateInitialReviewer, actor.id)
      if (input.lockIdleMinutes !== undefined) ctx.settings.set('review.lockIdleMinutes', input.lockIdleMinutes, actor.id)
      ctx.audit.byStaff(actor, 'review.settings_saved', { type: 'settings', id: 'review' }, { before, after: { ...before, ...input } })
    })()
    return settings()
  }

  return { reasons, saveReason, holidays, saveHoliday, deleteHoliday, settings, saveSettings }
}
