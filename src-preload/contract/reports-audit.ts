// Audit actions of the supervisors' desk (统计报表) and how the audit screen names them (spread into AUDIT_ACTION_LABELS).
export const REPORT_AUDIT_LABELS: Record<string, string> = {
  'report.exported': '导出报表',
  'report.export_failed': '导出报表失败',
  'report.downloaded': '下载导出文件'
}
