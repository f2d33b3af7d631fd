// Audit actions of data safety (issue 9), spread into AUDIT_ACTION_LABELS.
export const DATA_SAFETY_AUDIT_LABELS: Record<string, string> = {
  'backup.completed': '数据备份完成',
  'backup.failed': '数据备份失败',
  'backup.removed': '删除过期备份',
  'backup.config_changed': '修改备份设置',
  'backup.restored': '从备份恢复数据',
  'backup.restore_refused': '拒绝恢复备份',
  'doctor.run': '数据完整性检查',
  'system.recovered': '异常退出后启动检查'
}
