// The bureau's adjustable rules and limits, with their defaults. Stored in the settings table;
// a value missing there takes its default.
export const SETTING_DEFAULTS = {
  /** 登录失败多少次锁定 */
  'staff.maxFailedLogins': 5,
  'staff.lockMinutes': 15,
  /** idle staff sessions expire */
  'staff.sessionIdleMinutes': 30,
  'passenger.licenceClasses': ['A1', 'A3', 'B1'],
  'freight.licenceClasses': ['A1', 'A2', 'B2'],
  'application.maxAge': 60,
  'passenger.minLicenceYears': 1,
  'attachment.maxBytes': 10 * 1024 * 1024,
  // applicant API limits (applicant-api.md): tokens, SMS codes, lock-out, per-address rate
  'applicant.tokenHours': 168,
  'applicant.maxFailedLogins': 5,
  'applicant.lockMinutes': 15,
  'applicant.authRequestsPerMinute': 120,
  'sms.codeMinutes': 5,
  'sms.codeMaxTries': 5,
  'sms.minIntervalSeconds': 60,
  'sms.maxPerHour': 10,
  'exam.passMark': 80,
  // exam fees in fen (issue 5); a change applies to new payment orders only
  'exam.fee.theoryFen': 5100,
  'exam.fee.practicalFen': 8200,
  'exam.fee.theoryRetakeFen': 2550,
  'exam.fee.practicalRetakeFen': 4100,
  'exam.includedAttempts': 2,
  'payment.orderExpiryMinutes': 120,
  'certificate.issuingAuthority': '郑州市交通运输局',
  // permits and certificates (issue 6)
  'certificate.verifyBaseUrl': 'http://127.0.0.1:8310/api/v1/certificates/verify',
  'certificate.pickupPlace': '郑州市政务服务中心交通运输窗口',
  'permit.deadlineWorkingDays': 5,
  'sms.signature': '【郑州交通】',
  'review.separateInitialReviewer': true,
  'review.lockIdleMinutes': 30
} as const

export type SettingKey = keyof typeof SETTING_DEFAULTS
export type SettingValue<K extends SettingKey> = (typeof SETTING_DEFAULTS)[K] extends readonly string[]
  ? string[]
  : (typeof SETTING_DEFAULTS)[K] extends number
    ? number
    : (typeof SETTING_DEFAULTS)[K] extends boolean
      ? boolean
      : string
