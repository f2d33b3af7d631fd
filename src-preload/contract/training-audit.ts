// Audit actions of the freight training area (issue 7) and how the audit screen names them.
export const TRAINING_AUDIT_LABELS: Record<string, string> = {
  'school.created': '新增培训机构',
  'school.updated': '修改培训机构',
  'training.created': '录入结业证记录',
  'training.revoked': '撤销结业证记录',
  'training.viewed': '查看结业证记录（完整身份证号）',
  'training.import_previewed': '结业证导入预览',
  'training.imported': '结业证导入',
  'training.import_discarded': '放弃结业证导入',
  'training.linked': '结业证用于申请',
  'training.released': '结业证解除占用'
}


/** The application-history events this area writes, as the history screens name them. */
export const TRAINING_EVENT_LABELS: Record<string, string> = {
  training_certificate_revoked: '所用结业证被撤销'
}
