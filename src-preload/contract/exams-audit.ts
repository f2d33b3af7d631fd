// Audit actions and application-history events of the exam area (issue 5), as the audit and
// history screens name them. Pure data (no zod): vocab.ts spreads it into AUDIT_ACTION_LABELS.
export const EXAM_AUDIT_LABELS: Record<string, string> = {
  'exam.session_created': '创建考试场次',
  'exam.capacity_changed': '修改场次计划人数',
  'exam.session_cancelled': '取消考试场次',
  'exam.session_closed': '场次结束（失约处理）',
  'exam.booked': '预约考试',
  'exam.booking_cancelled': '取消考试预约',
  'exam.present': '登记到场',
  'exam.no_show': '考试失约',
  'exam.no_show_corrected': '更正失约为到场',
  'exam.roster_exported': '导出考生名册',
  'exam.scores_previewed': '成绩导入预览',
  'exam.scores_imported': '成绩导入',
  'payment.order_created': '生成缴费订单',
  'payment.credited': '考试费入账',
  'payment.duplicate': '重复缴费待退款',
  'payment.refunded': '登记退款',
  'payment.callback_rejected': '支付回调验签失败',
  'payment.reconciliation_exported': '导出对账单',
  'exam.fee_settings_saved': '修改考试收费和合格分数',
  'application.fee_paid': '考试费已交',
  'application.exams_passed': '考试合格'
}

/** The application-history events this area writes. */
export const EXAM_EVENT_LABELS: Record<string, string> = {
  exam_booked: '预约考试',
  exam_booking_cancelled: '取消考试预约',
  exam_session_cancelled: '考试场次取消，预约已释放',
  exam_present: '考试到场',
  exam_no_show: '考试失约',
  exam_no_show_corrected: '失约更正为到场',
  exam_scored: '考试成绩',
  retake_fee_paid: '补考费已交',
  payment_duplicate: '重复缴费待退款',
  payment_refunded: '重复缴费已退款'
}
