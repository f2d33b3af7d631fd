// How the review screens write dates, countdowns and codes.
import codeLists from '../../../../resources/code-lists.json'
import type { ReviewCountdown } from '../../../../src-preload/contract/review'

/** 2026-11-25T09:30:00+08:00 → 2026-11-25 09:30 */
export const dateTime = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—')

export const COUNTDOWN_TYPE: Record<ReviewCountdown['state'], 'success' | 'warning' | 'danger' | 'info'> = {
  ok: 'success',
  due_soon: 'warning',
  due_today: 'warning',
  overdue: 'danger'
}

const byCode = (list: { code: string; name: string }[]) => Object.fromEntries(list.map((x) => [x.code, x.name]))
const ETHNICITY = byCode(codeLists.ethnicity_GB3304)
const EDUCATION = byCode(codeLists.education_GBT4658_top_level)
const POLITICAL = byCode(codeLists.political_status_GBT4762)
const CLASSES = byCode(codeLists.driving_licence_classes)

const yesNo = (v: unknown) => (v === true ? '是' : v === false ? '否' : '—')

/** A form value as the clerk reads it (codes named, booleans in words). */
export function fieldText(key: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '—'
  switch (key) {
    case 'gender':
      return value === 'M' ? '男' : value === 'F' ? '女' : String(value)
    case 'ethnicity':
      return ETHNICITY[String(value)] ?? String(value)
    case 'education':
      return EDUCATION[String(value)] ?? String(value)
    case 'politicalStatus':
      return POLITICAL[String(value)] ?? String(value)
    case 'licenceClasses':
      return Array.isArray(value) ? value.map((c) => `${c}（${CLASSES[c] ?? ''}）`).join('、') : String(value)
    case 'vehicleClass':
      return `${value}（${CLASSES[String(value)] ?? ''}）`
    case 'licenceValidYears':
      return value === 'long' ? '长期' : `${value}年`
    case 'collectMethod':
      return value === 'mail' ? '邮寄' : '自取'
    case 'trainingMode':
      return value === 'school' ? '培训机构' : '自主学习'
    case 'householdNonLocal':
    case 'licenceNonLocal':
    case 'trainingCertNonLocal':
      return yesNo(value)
    default:
      return String(value)
  }
}

/** The form in the app's order, grouped as on its screens. */
export const FORM_SECTIONS: { title: string; fields: string[] }[] = [
  { title: '本人信息', fields: ['name', 'idNumber', 'gender', 'birthDate', 'ethnicity', 'householdNonLocal', 'idIssuer', 'education', 'politicalStatus', 'priorOccupation', 'phone'] },
  { title: '驾驶证', fields: ['licenceNonLocal', 'licenceIssuer', 'licenceFileNo', 'licenceClasses', 'licenceFirstIssued', 'licenceIssued', 'licenceValidYears', 'vehicleClass'] },
  { title: '地址与领证', fields: ['householdAddress', 'currentAddress', 'collectMethod', 'mailAddress'] },
  { title: '培训', fields: ['trainingMode', 'trainingSchoolId', 'trainingCertNonLocal', 'trainingCertificateId'] }
]

/** The category in a queue's narrow column and its filter. */
export const SHORT_CATEGORY = { passenger: '客运', freight: '货运' } as const
