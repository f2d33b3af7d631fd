// What the exams cost and the pass mark (issue 5): the administrator's settings. Payment orders
// keep the amounts they were made with, so a change applies to new orders only; a score is judged
// against the pass mark in force when it is imported.
import type { ExamFeeSettings } from '../../../src-preload/contract/exams'
import type { CoreContext, StaffActor } from '../context'

const KEYS = {
  theoryFen: 'exam.fee.theoryFen',
  practicalFen: 'exam.fee.practicalFen',
  theoryRetakeFen: 'exam.fee.theoryRetakeFen',
  practicalRetakeFen: 'exam.fee.practicalRetakeFen',
  passMark: 'exam.passMark'
} as const

export function examSettingsService(ctx: CoreContext) {
  function get(): ExamFeeSettings {
    return {
      theoryFen: ctx.settings.get(KEYS.theoryFen),
      practicalFen: ctx.settings.get(KEYS.practicalFen),
      theoryRetakeFen: ctx.settings.get(KEYS.theoryRetakeFen),
      practicalRetakeFen: ctx.settings.get(KEYS.practicalRetakeFen),
      passMark: ctx.settings.get(KEYS.passMark)
    }
  }

  function save(actor: StaffActor, input: ExamFeeSettings): ExamFeeSettings {
    const before = get()
    ctx.db.transaction(() => {
      for (const k of Object.keys(KEYS) as (keyof ExamFeeSettings)[]) {
        if (input[k] !== before[k]) ctx.settings.set(KEYS[k], input[k], actor.id)
      }
      ctx.audit.byStaff(actor, 'exam.fee_settings_saved', { type: 'settings', id: 'exam' }, { before, after: input })
    })()
    return get()
  }

  return { get, save }
}
