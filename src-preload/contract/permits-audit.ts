// How the audit screen names the actions of the permit and certificate desks and the SMS outbox.
export const PERMIT_AUDIT_LABELS: Record<string, string> = {
  'permit.viewed': '查看审批材料（完整身份信息）',
  'permit.attachment_viewed': '查看审批附件',
  'permit.approved': '许可审批通过',
  'permit.rejected': '不予许可',
  'certificate.printed': '制证打印',
  'certificate.reprinted': '证件重新打印',
  'certificate.replaced': '证件补发',
  'certificate.spoiled': '印废作废并重打',
  'certificate.blanks_voided': '空白证卡作废',
  'certificate.handed_over': '领证登记（领取或邮寄）',
  'certificate.viewed': '查看证件（完整身份信息）',
  'certificate.stock_added': '录入证卡编号段',
  'certificate.calibration_saved': '保存套打偏移',
  'certificate.pdf_opened': '打开证件PDF',
  'certificate.sent_to_printer': '证件送打印机',
  'certificate.print_failed': '证件生成失败',
  'sms.retried': '短信重发',
  'sms.cancelled': '短信取消',
  'sms.gave_up': '短信多次发送失败',
  'sms.template_updated': '修改短信模板',
  'sms.processed': '立即发送待发短信'
}
