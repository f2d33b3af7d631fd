// Audit actions of the review desk (issue 4) and how the audit screen names them.
export const REVIEW_AUDIT_LABELS: Record<string, string> = {
  'review.passed': '审查通过',
  'review.returned': '审查退回补正',
  'review.lock_released': '主管释放审查锁定',
  'review.attachment_viewed': '查看申请附件',
  'pii.viewed': '查看完整身份证号和手机号',
  'review.reason_created': '新增退回原因',
  'review.reason_updated': '修改退回原因',
  'review.holiday_saved': '登记节假日',
  'review.holiday_deleted': '删除节假日',
  'review.counter_created': '窗口代办录入申请',
  'review.counter_submitted': '窗口代办提交申请',
  'review.settings_saved': '修改审查设置'
}
