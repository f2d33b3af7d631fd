// Audit actions of the applicant API and how the audit screen names them (spread into AUDIT_ACTION_LABELS).
export const APPLICANT_AUDIT_LABELS: Record<string, string> = {
  'applicant.registered': '申请人注册',
  'applicant.login': '申请人登录',
  'applicant.login_failed': '申请人登录失败',
  'applicant.locked': '申请人账户锁定',
  'applicant.logout': '申请人退出登录',
  'applicant.password_reset': '申请人找回密码',
  'application.created': '新建申请（草稿）',
  'application.submitted': '提交申请',
  'application.resubmitted': '补正后重新提交'
}
