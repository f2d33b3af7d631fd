// The application form's rules: eligibility and completeness, checked all at once at submission
// (一次性告知) and shown again to the reviewer with their results. Pure: the caller passes in what
// the database knows (the school, the training certificate, the attachments present).
import type { ApplicationType, Category } from '../../../src-preload/contract/vocab'
import codeLists from '../../../resources/code-lists.json'
import { parseIdNumber } from './id-number'
import { yearsBetween } from './time'
import { FORM_FIELD_LABELS } from '../../../src-preload/contract/review'

export const ATTACHMENT_KINDS = [
  'id_front',
  'id_back',
  'licence',
  'no_accident',
  'photo',
  'other',
  'training_cert',
  'other2',
  'old_certificate'
] as const
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number]

export const ATTACHMENT_LABELS: Record<AttachmentKind, string> = {
  id_front: '身份证原件正面',
  id_back: '身份证原件反面',
  licence: '驾驶证原件（正副本）',
  no_accident: '三年无事故证明',
  photo: '近期免冠照片',
  other: '其他材料',
  training_cert: '结业证原件',
  other2: '其它材料二',
  old_certificate: '原资格证照片'
}

export const LICENCE_VALIDITY = ['6', '10', 'long'] as const

/** The form of domain.md as stored (absent = not filled in yet). */
export interface ApplicationForm {
  category: Category
  applicationType: ApplicationType
  name?: string
  householdNonLocal?: boolean
  idIssuer?: string
  idNumber?: string
  gender?: 'M' | 'F'
  birthDate?: string
  ethnicity?: string
  education?: string
  politicalStatus?: string
  priorOccupation?: string
  phone?: string
  licenceNonLocal?: boolean
  licenceIssuer?: string
  licenceFileNo?: string
  licenceClasses?: string[]
  licenceFirstIssued?: string
  licenceIssued?: string
  licenceValidYears?: (typeof LICENCE_VALIDITY)[number]
  householdAddress?: string
  currentAddress?: string
  collectMethod?: 'pickup' | 'mail'
  mailAddress?: string
  trainingMode?: 'self' | 'school'
  trainingSchoolId?: number
  vehicleClass?: string
  trainingCertNonLocal?: boolean
  trainingCertificateId?: number
}

/** The form's labels: one list, shared with the reviewer's screens (contract/review.ts). */
export const FIELD_LABELS: Record<keyof ApplicationForm, string> = FORM_FIELD_LABELS

// ---- field formats (also used by account registration) -----------------------------------
/** Mainland mobile numbers: 11 digits starting 13–19. */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/
/** Han characters (any CJK block, so rare ones such as 䶮 pass) with the middle dot of minority names. */
export const NAME_PATTERN = /^[\p{Script=Han}A-Za-z]+(?:[·•・][\p{Script=Han}A-Za-z]+)*$/u
/** The guide: 6–10 letters and digits, no special characters. */
export const APPLICANT_PASSWORD_PATTERN = /^[A-Za-z0-9]{6,10}$/
export const LICENCE_FILE_NO_PATTERN = /^\d{12}$/

export function nameProblem(name: string): string | null {
  const n = [...name].length
  if (n < 2) return '姓名至少2个字'
  if (n > 30) return '姓名不能超过30个字'
  if (!NAME_PATTERN.test(name)) return '姓名只能包含汉字（少数民族姓名可用“·”分隔），不能含数字、空格或符号'
  return null
}

export function applicantPasswordProblem(password: string): string | null {
  if (password.length < 6) return '密码至少6位'
  if (password.length > 10) return '密码不能超过10位'
  if (!APPLICANT_PASSWORD_PATTERN.test(password)) return '密码只能由字母和数字组成，不能含特殊字符'
  return null
}

const ETHNICITIES = new Set(codeLists.ethnicity_GB3304.map((e) => e.code))
const EDUCATION = new Set(codeLists.education_GBT4658_top_level.map((e) => e.code))
const POLITICAL = new Set(codeLists.political_status_GBT4762.map((e) => e.code))
const LICENCE_CLASSES = new Set(codeLists.driving_licence_classes.map((e) => e.code))

// ---- attachments -----------------------------------------------------------------------
/** The kinds an application of this category and type may carry. */
export function allowedAttachments(category: Category, type: ApplicationType): AttachmentKind[] {
  const kinds: AttachmentKind[] = ['id_front', 'id_back', 'licence', 'no_accident', 'photo', 'other']
  if (category === 'freight') kinds.push('training_cert', 'other2')
  if (type === 'add_class') kinds.push('old_certificate')
  return kinds
}

/** The kinds that must be present at submission. */
export function requiredAttachments(form: Pick<ApplicationForm, 'category' | 'applicationType' | 'trainingCertNonLocal'>): AttachmentKind[] {
  const kinds: AttachmentKind[] = ['id_front', 'id_back', 'licence', 'no_accident', 'photo']
  // A local 结业证 is looked up in the bureau's registry; a non-local one is checked from its scan.
  if (form.category === 'freight' && form.trainingCertNonLocal === true) kinds.push('training_cert')
  if (form.applicationType === 'add_class') kinds.push('old_certificate')
  return kinds
}

export function attachmentLabel(kind: AttachmentKind, category: Category): string {
  if (kind === 'other' && category === 'freight') return '其它材料（交通违法、事故证明）'
  return ATTACHMENT_LABELS[kind]
}

// ---- the rules ---------------------------------------------------------------------------
export interface RuleContext {
  /** today in Shanghai, YYYY-MM-DD */
  today: string
  passengerClasses: readonly string[]
  freightClasses: readonly string[]
  maxAge: number
  minLicenceYears: number
  /** the form's training school as found in the database (null: no such school) */
  trainingSchool?: { id: number; active: boolean } | null
  /** the linked local 结业证 record; undefined when the registry was not consulted */
  trainingCertificate?: { idNumber: string; vehicleClass: string; valid: boolean } | null
  /** the ID number of the account applying (an applicant applies for themselves) */
  accountIdNumber?: string
  /** attachment kinds present */
  attachments: ReadonlySet<string>
}

export interface RuleCheck {
  /** a form field or attachment kind: the key of the 422 answer's `fields` */
  key: string
  /** what was checked, for the reviewer's list */
  rule: string
  ok: boolean
  /** why it failed (Chinese, for the applicant) */
  reason?: string
}

/** YYYY-MM-DD naming a real day (no 2026-02-30). */
function isCalendarDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false
  const y = Number(v.slice(0, 4))
  const m = Number(v.slice(5, 7))
  const d = Number(v.slice(8, 10))
  const t = new Date(0)
  t.setUTCFullYear(y, m - 1, d)
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

/**
 * Every rule of the form, each with its result. The submission answer lists the failed ones;
 * the reviewer sees all of them.
 */
export function checkApplication(form: ApplicationForm, ctx: RuleContext): RuleCheck[] {
  const checks: RuleCheck[] = []
  const failed = new Set<string>()
  const add = (key: string, rule: string, reason: string | null) => {
    // The first failure of a field is the one the applicant is told (one line per field).
    if (reason && failed.has(key)) return
    if (reason) failed.add(key)
    checks.push(reason ? { key, rule, ok: false, reason } : { key, rule, ok: true })
  }
  const required = (key: keyof ApplicationForm) => {
    const v = form[key]
    const missing = isBlank(v) || (Array.isArray(v) && v.length === 0)
    add(key, `${FIELD_LABELS[key]}已填写`, missing ? `请填写${FIELD_LABELS[key]}` : null)
    return !missing
  }
  const text = (key: keyof ApplicationForm, min: number, max: number) => {
    if (!required(key)) return
    const n = [...String(form[key]).trim()].length
    add(key, `${FIELD_LABELS[key]}长度`, n < min ? `${FIELD_LABELS[key]}至少${min}个字` : n > max ? `${FIELD_LABELS[key]}不能超过${max}个字` : null)
  }
  const date = (key: keyof ApplicationForm) => {
    if (!required(key)) return false
    const v = String(form[key])
    const ok = isCalendarDate(v)
    add(key, `${FIELD_LABELS[key]}为有效日期`, ok ? null : `${FIELD_LABELS[key]}不是有效日期（格式 YYYY-MM-DD）`)
    if (ok) add(key, `${FIELD_LABELS[key]}不晚于今天`, v > ctx.today ? `${FIELD_LABELS[key]}不能晚于今天` : null)
    return ok && v <= ctx.today
  }
  const code = (key: keyof ApplicationForm, list: Set<string>) => {
    if (!required(key)) return
    add(key, `${FIELD_LABELS[key]}为标准代码`, list.has(String(form[key])) ? null : `${FIELD_LABELS[key]}不在国家标准代码表中`)
  }
  const yesNo = (key: keyof ApplicationForm) => {
    add(key, `${FIELD_LABELS[key]}已选择`, typeof form[key] === 'boolean' ? null : `请选择${FIELD_LABELS[key]}`)
  }

  // 姓名
  if (required('name')) add('name', '姓名格式', nameProblem(String(form.name).trim()))

  // 身份证号 (GB 11643) and what it says about birth date, gender and age
  let idBirth: string | undefined
  if (required('idNumber')) {
    const id = parseIdNumber(String(form.idNumber))
    add('idNumber', '身份证号符合 GB 11643（长度、出生日期、校验位）', id.ok ? null : id.reason)
    if (id.ok) {
      idBirth = id.birthDate
      if (ctx.accountIdNumber !== undefined) {
        add('idNumber', '身份证号与注册账户一致', String(form.idNumber).toUpperCase() === ctx.accountIdNumber ? null : '身份证号须与注册账户的身份证号一致（只能为本人申请）')
      }
      if (required('gender')) {
        add('gender', '性别与身份证号一致', form.gender === id.gender ? null : `性别与身份证号不符（身份证号显示为${id.gender === 'M' ? '男' : '女'}）`)
      }
      if (date('birthDate')) {
        add('birthDate', '出生日期与身份证号一致', form.birthDate === id.birthDate ? null : `出生日期与身份证号不符（身份证号显示为${id.birthDate}）`)
      }
    } else {
      required('gender')
      date('birthDate')
    }
  } else {
    required('gender')
    date('birthDate')
  }
  const birth = idBirth ?? (form.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(form.birthDate) ? form.birthDate : undefined)
  if (birth) {
    const age = yearsBetween(birth, ctx.today)
    add('birthDate', `年龄不超过${ctx.maxAge}周岁`, age > ctx.maxAge ? `年龄${age}周岁，超过${ctx.maxAge}周岁，不符合申请条件` : null)
  }

  text('idIssuer', 2, 60)
  yesNo('householdNonLocal')
  code('ethnicity', ETHNICITIES)
  code('education', EDUCATION)
  code('politicalStatus', POLITICAL)
  text('priorOccupation', 1, 40)
  if (required('phone')) add('phone', '联系电话为11位手机号', PHONE_PATTERN.test(String(form.phone)) ? null : '联系电话应为11位手机号码')

  // 驾驶证
  yesNo('licenceNonLocal')
  text('licenceIssuer', 2, 60)
  if (required('licenceFileNo')) {
    add('licenceFileNo', '档案编号为12位数字', LICENCE_FILE_NO_PATTERN.test(String(form.licenceFileNo)) ? null : '档案编号应为12位数字')
  }
  const qualifying = form.category === 'passenger' ? ctx.passengerClasses : ctx.freightClasses
  const classes = Array.isArray(form.licenceClasses) ? form.licenceClasses : []
  if (required('licenceClasses')) {
    const unknown = classes.filter((c) => !LICENCE_CLASSES.has(c))
    add('licenceClasses', '准驾车型为有效代码', unknown.length ? `未知的准驾车型：${unknown.join('、')}` : null)
    if (form.category === 'passenger') {
      add(
        'licenceClasses',
        `准驾车型含 ${qualifying.join('/')} 之一`,
        classes.some((c) => qualifying.includes(c)) ? null : `申请客运从业资格须持有 ${qualifying.join('、')} 驾驶证之一`
      )
    }
  }
  if (form.category === 'freight') {
    if (required('vehicleClass')) {
      const vc = String(form.vehicleClass)
      add('vehicleClass', `货运准驾车型为 ${qualifying.join('/')}`, qualifying.includes(vc) ? null : `货运准驾车型只能是 ${qualifying.join('、')}`)
      add('vehicleClass', '驾驶证含所选车型', classes.includes(vc) ? null : `驾驶证准驾车型中没有所选的 ${vc}`)
    }
  }
  const firstOk = date('licenceFirstIssued')
  if (firstOk && birth) {
    add('licenceFirstIssued', '初领日期晚于出生日期', form.licenceFirstIssued! > birth ? null : '初领日期不能早于出生日期')
  }
  if (firstOk && form.category === 'passenger') {
    const held = yearsBetween(form.licenceFirstIssued!, ctx.today)
    add(
      'licenceFirstIssued',
      `驾驶证初领满${ctx.minLicenceYears}年`,
      held >= ctx.minLicenceYears ? null : `取得驾驶证须满${ctx.minLicenceYears}年（初领日期 ${form.licenceFirstIssued}，未满${ctx.minLicenceYears}年）`
    )
  }
  if (date('licenceIssued') && firstOk) {
    add('licenceIssued', '发证日期不早于初领日期', form.licenceIssued! >= form.licenceFirstIssued! ? null : '发证日期不能早于初领日期')
  }
  if (required('licenceValidYears')) {
    add('licenceValidYears', '有效期为6年、10年或长期', (LICENCE_VALIDITY as readonly string[]).includes(String(form.licenceValidYears)) ? null : '有效期只能是6年、10年或长期')
  }

  text('householdAddress', 5, 120)
  text('currentAddress', 5, 120)
  if (required('collectMethod') && form.collectMethod === 'mail') text('mailAddress', 5, 120)

  if (required('trainingMode') && form.trainingMode === 'school') {
    if (required('trainingSchoolId')) {
      const s = ctx.trainingSchool
      add('trainingSchoolId', '培训机构存在', !s ? '所选培训机构不存在，请重新选择' : !s.active ? '所选培训机构已停用，请重新选择' : null)
    }
  }

  if (form.category === 'freight') {
    yesNo('trainingCertNonLocal')
    if (form.trainingCertNonLocal === false && required('trainingCertificateId') && ctx.trainingCertificate !== undefined) {
      const c = ctx.trainingCertificate
      add(
        'trainingCertificateId',
        '本地结业证有效且属于本人',
        !c
          ? '未查询到所选结业证，请点击“查询”重新选择'
          : !c.valid
            ? '所选结业证已失效'
            : c.idNumber !== String(form.idNumber ?? '').toUpperCase()
              ? '所选结业证不属于本人'
              : form.vehicleClass && c.vehicleClass !== form.vehicleClass
                ? `结业证车型（${c.vehicleClass}）与所选货运准驾车型不符`
                : null
      )
    }
  }

  // Attachments: missing ones are named by their kind.
  for (const kind of requiredAttachments(form)) {
    add(kind, `已上传${attachmentLabel(kind, form.category)}`, ctx.attachments.has(kind) ? null : `请上传${attachmentLabel(kind, form.category)}`)
  }
  return checks
}

/** The failed checks as the 422 answer's `fields`: one Chinese line per field or attachment. */
export function problemsOf(checks: readonly RuleCheck[]): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const c of checks) if (!c.ok) fields[c.key] ??= c.reason!
  return fields
}
