// The exam area's services, built together (they share repositories and the no-show sweep).
import type { CoreContext, StaffActor } from '../context'
import { AppError } from '../errors'
import { maskIdNumber, maskPhone } from '../domain/masking'
import { STAGE_LABELS } from '../../../src-preload/contract/vocab'
import { examSessionsService } from './exam-sessions'
import { examBookingsService } from './exam-bookings'
import { examScoresService } from './exam-scores'
import { examDocumentsService } from './exam-documents'
import { paymentsService } from './payments'
import { examSettingsService } from './exam-settings'
import { examApplication, examRepos } from './exam-common'

export function examServices(ctx: CoreContext) {
  const examSessions = examSessionsService(ctx)
  const examBookings = examBookingsService(ctx, () => examSessions.sweep())
  const payments = paymentsService(ctx)
  return {
    examSessions,
    examBookings,
    examScores: examScoresService(ctx),
    payments,
    examSettings: examSettingsService(ctx),
    examDocuments: examDocumentsService(ctx, examSessions, payments),
    /** The counter's view of one applicant: found by ID number, training number or application number. */
    examCounter: {
      find(actor: StaffActor, query: string) {
        const id = examRepos(ctx).exams.findForCounter(query.trim())
        if (!id) throw new AppError('not_found', '未找到该客运申请（请核对身份证号、培训证号或申请编号）', { query: '未找到' })
        const app = examApplication(ctx, id, actor)
        const due = payments.due(app.id, actor)
        return {
          applicationId: app.id,
          name: app.name,
          idNumberMasked: maskIdNumber(app.idNumber),
          phoneMasked: app.phone ? maskPhone(app.phone) : '',
          trainingNo: app.trainingNo,
          stage: app.stage,
          stageLabel: STAGE_LABELS[app.stage],
          due: { items: due.items, amountFen: due.amountFen },
          standings: [due.standings.theory, due.standings.practical],
          bookings: examBookings.bookings(app.id, actor),
          orders: payments.orders(app.id, actor),
          scores: examBookings.scores(app.id, actor)
        }
      }
    }
  }
}
