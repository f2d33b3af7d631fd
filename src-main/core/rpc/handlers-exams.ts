// The exam desks' handlers: the bridge from the contract to the exam and payment services.
import type { HandlerMap } from './handlers'
import { EXAM_OPERATIONS } from '../../../src-preload/contract/exams'

type ExamOperation = (typeof EXAM_OPERATIONS)[number]

export const examHandlers: HandlerMap<ExamOperation> = {
  'exams.venues': (s) => s.examSessions.venues(),
  'exams.sessions': (s, input) => s.examSessions.list(input),
  'exams.createSession': (s, input, call) => s.examSessions.create(call.actor, input),
  'exams.setCapacity': (s, input, call) => s.examSessions.setCapacity(call.actor, input),
  'exams.cancelSession': (s, input, call) => s.examSessions.cancel(call.actor, input),
  'exams.roster': (s, input) => s.examSessions.roster(input.sessionId),
  'exams.markAttendance': (s, input, call) => ({ status: s.examSessions.markAttendance(call.actor, input) }),
  'exams.closeSession': (s, input, call) => s.examSessions.close(call.actor, input.sessionId),
  'exams.exportRoster': (s, input, call) =>
    input.format === 'pdf' ? s.examDocuments.rosterPdf(call.actor, input.sessionId) : s.examDocuments.rosterXlsx(call.actor, input.sessionId),
  'exams.findApplicant': (s, input, call) => s.examCounter.find(call.actor, input.query),
  'exams.counterPayment': (s, input, call) => s.payments.recordCounterPayment(call.actor, input),
  'exams.counterBook': (s, input, call) => s.examBookings.book(input.applicationId, input.sessionId, call.actor),
  'exams.counterCancelBooking': (s, input, call) => {
    s.examBookings.cancel(input.applicationId, input.bookingId, call.actor)
    return null
  },
  'exams.reconciliation': (s, input) => s.payments.reconciliation(input.date),
  'exams.exportReconciliation': (s, input, call) => s.examDocuments.reconciliationXlsx(call.actor, input.date),
  'exams.recordRefund': (s, input, call) => s.payments.recordRefund(call.actor, input),
  'exams.feeSettings': (s) => s.examSettings.get(),
  'exams.saveFeeSettings': (s, input, call) => s.examSettings.save(call.actor, input),
  'scores.template': async (s) => ({
    fileName: '成绩导入模板.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    data: (await s.examScores.template()).toString('base64')
  }),
  'scores.uploadChunk': (s, input, call) => s.examScores.uploadChunk(call.actor, input),
  'scores.preview': (s, input, call) => s.examScores.previewUpload(call.actor, input.uploadId),
  'scores.commit': (s, input, call) => s.examScores.commit(call.actor, input.batchId),
  'scores.batches': (s) => s.examScores.recentBatches()
}
