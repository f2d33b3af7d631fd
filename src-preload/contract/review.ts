// The review desk's operations (材料预审, 资格初审): queues, claims, decisions, the deficiency
// checklist and the holiday calendar. Spread into `contract` by index.ts.
import { z } from 'zod'
import type { ApplicationType, Category, Role, Stage } from './vocab'
import { APPLICATION_TYPES, CATEGORIES } from './vocab'
import type { ReviewTrainingCertificate } from './training'

function op<O>() {
  return <S extends z.ZodType, const A extends 'any' | readonly Role[]>(def: { input: S; access: A }) =>
    def as { input: S; access: A; output?: { type: O } }
}

export const REVIEW_STAGES = ['pre_review', 'initial_review'] as const
export type ReviewStage = (typeof REVIEW_STAGES)[number]
export const REVIEW_STAGE_LABELS: Record<ReviewStage, string> = { pre_review: '材料预审', initial_review: '资格初审' }
/** The role that works each queue; supervisors may look at both and release locks. */
export const REVIEW_ROLE: Record<ReviewStage, Role> = { pre_review: 'pre_reviewer', initial_review: 'initial_reviewer' }

/** The form's fields as the reviewer reads them, in the order of the app's screens. */
export const FORM_FIELD_LABELS: Record<string, string> = {
  category: '从业类别',
  applicationType: '申请类型',
  name: '姓名',
  householdNonLocal: '户口是否异地',
  idIssuer: '身份证发证机关',
  idNumber: '身份证号',
  gender: '性别',
  birthDate: '出生日期',
  ethnicity: '民族',
  education: '文化程度',
  politicalStatus: '政治面貌',
  priorOccupation: '岗前职业',
  phone: '联系电话',
  licenceNonLocal: '驾驶证是否异地',
  licenceIssuer: '驾驶证发证机关',
  licenceFileNo: '档案编号',
  licenceClasses: '准驾车型',
  licenceFirstIssued: '初领日期',
  licenceIssued: '发证日期',
  licenceValidYears: '有效期(年)',
  householdAddress: '户籍地址',
  currentAddress: '现住地址',
  collectMethod: '领证方式',
  mailAddress: '邮寄地址',
  trainingMode: '培训方式',
  trainingSchoolId: '培训机构',
  vehicleClass: '货运准驾车型',
  trainingCertNonLocal: '结业证是否异地',
  trainingCertificateId: '结业证信息'
}

export const ATTACHMENT_KINDS = ['id_front', 'id_back', 'licence', 'no_accident', 'photo', 'other', 'training_cert', 'other2', 'old_certificate'] as const
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number]
export const ATTACHMENT_KIND_LABELS: Record<AttachmentKind, string> = {
  id_front: '身份证原件正面',
  id_back: '身份证原件反面',
  licence: '驾驶证原件',
  no_accident: '三年无事故证明',
  photo: '近期免冠照片',
  other: '其他材料',
  training_cert: '结业证原件',
  other2: '其它材料二',
  old_certificate: '原资格证照片'
}

// ---- output types -------------------------------------------------------------------------
export interface ReviewCountdown {
  deadline: string
  state: 'ok' | 'due_soon' | 'due_today' | 'overdue'
  workingDaysLeft: number
  label: string
}
export interface ClaimInfo {
  staffId: number
  staffName: string
  claimedAt: string
  mine: boolean
  /** epoch ms after which the lock expires unless touched */
  expiresMs: number
}
export interface QueueRow {
  id: number
  category: Category
  applicationType: ApplicationType
  idNumberMasked: string
  name: string
  phoneMasked: string
  schoolName: string | null
  submittedAt: string
  submissionCount: number
  countdown: ReviewCountdown
  /** issue 7: the local 结业证 this application used has been revoked (during review) */
  trainingCertRevoked?: boolean
  claim: ClaimInfo | null
}
export interface QueuePage {
  rows: QueueRow[]
  page: number
  pageSize: number
  hasMore: boolean
}
export interface QueueStats {
  /** all waiting in the stage */
  waiting: number
  /** matching the filter */
  total: number
  overdue: number
  mine: number
}
export interface ReviewCheck {
  key: string
  label: string
  ok: boolean | null
  detail: string
  /** the form field or attachment kind the check is about, for one-click return reasons */
  field?: string
  attachment?: AttachmentKind
}
export interface AttachmentMeta {
  kind: AttachmentKind
  label: string
  fileName: string
  contentType: string
  size: number
  sha256: string
  uploadedAt: string
}
export interface Deficiency {
  field?: string
  attachment?: AttachmentKind
  reason: string
}
export interface HistoryEntry {
  at: string
  event: string
  label: string
  fromStage: Stage | null
  toStage: Stage | null
  actorName: string | null
  actorType: 'staff' | 'applicant' | 'system'
  deficiencies: Deficiency[]
  note: string | null
}
export interface ReviewDetail {
  id: number
  stage: Stage
  category: Category
  applicationType: ApplicationType
  name: string
  idNumberMasked: string
  phoneMasked: string
  submittedAt: string | null
  submissionCount: number
  trainingNo: string | null
  schoolName: string | null
  enteredByStaff: boolean
  form: Record<string, unknown>
  attachments: AttachmentMeta[]
  requiredAttachments: AttachmentKind[]
  checks: ReviewCheck[]
  history: HistoryEntry[]
  countdown: ReviewCountdown | null
  claim: ClaimInfo | null
  /** what this staff member may do now, and why not */
  canDecide: boolean
  cannotDecideBecause: string | null
  /** the previous return's deficiencies, to check what the applicant corrected */
  lastDeficiencies: Deficiency[]
  /** issue 7: the 结业证 of a freight application: a local record (valid or revoked) or a non-local scan to check */
  trainingCertificate?: ReviewTrainingCertificate
}
export interface AttachmentContent extends AttachmentMeta {
  dataBase64: string
}
export interface DecisionResult {
  applicationId: number
  stage: Stage
  trainingNo: string | null
  smsQueued: boolean
}
export interface DeficiencyReason {
  id: number
  appliesTo: 'field' | 'attachment'
  target: string
  label: string
  sort: number
  active: boolean
}
export interface ReviewSettings {
  /** 资格初审须由材料预审以外的审查员进行 */
  separateInitialReviewer: boolean
  /** a claim left idle this long is released */
  lockIdleMinutes: number
}
export interface HolidayRow {
  date: string
  kind: 'holiday' | 'workday'
  name: string
}
export interface LockRow {
  applicationId: number
  stage: ReviewStage
  name: string
  idNumberMasked: string
  staffName: string
  claimedAt: string
  idleMinutes: number
  expiresMs: number
}

// ---- inputs -------------------------------------------------------------------------------
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
const appId = z.number({ error: '申请编号应为数字' }).int().positive()
const stage = z.enum(REVIEW_STAGES, { error: '审查环节应为 pre_review 或 initial_review' })

export const queueFilter = z
  .object({
    stage,
    category: z.enum(CATEGORIES, { error: '从业类别无效' }).optional(),
    applicationType: z.enum(APPLICATION_TYPES, { error: '申请类型无效' }).optional(),
    schoolId: z.number().int().positive().optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    search: z.string().trim().max(40, '搜索内容最多40个字').optional(),
    claim: z.enum(['all', 'unclaimed', 'mine']).default('all')
  })
  .strict()
export type QueueFilterInput = z.output<typeof queueFilter>

const deficiency = z
  .object({
    field: z.string().trim().min(1).max(40).optional(),
    attachment: z.enum(ATTACHMENT_KINDS, { error: '附件类型无效' }).optional(),
    reason: z.string().trim().min(1, '请填写退回原因').max(200, '退回原因最多200个字')
  })
  .strict()
  .refine((d) => (d.field ? !d.attachment : !!d.attachment), { message: '每条退回原因须指明一个字段或一个附件' })

export const reviewContract = {
  'review.queue': op<QueuePage>()({
    input: queueFilter.extend({
      page: z.number().int().min(1).max(100_000).default(1),
      pageSize: z.number().int().min(1).max(200).default(20)
    }),
    access: ['pre_reviewer', 'initial_reviewer', 'supervisor']
  }),
  'review.stats': op<QueueStats>()({ input: queueFilter, access: ['pre_reviewer', 'initial_reviewer', 'supervisor'] }),
  'review.claimNext': op<{ applicationId: number } | null>()({
    input: queueFilter.omit({ claim: true, search: true }),
    access: ['pre_reviewer', 'initial_reviewer']
  }),
  'review.claim': op<ClaimInfo>()({ input: z.object({ applicationId: appId }).strict(), access: ['pre_reviewer', 'initial_reviewer'] }),
  'review.touch': op<ClaimInfo>()({ input: z.object({ applicationId: appId }).strict(), access: ['pre_reviewer', 'initial_reviewer'] }),
  'review.release': op<null>()({
    input: z.object({ applicationId: appId }).strict(),
    access: ['pre_reviewer', 'initial_reviewer', 'supervisor', 'admin']
  }),
  'review.locks': op<LockRow[]>()({ input: z.object({ stage }).strict(), access: ['pre_reviewer', 'initial_reviewer', 'supervisor', 'admin'] }),
  'review.detail': op<ReviewDetail>()({
    input: z.object({ applicationId: appId }).strict(),
    access: ['pre_reviewer', 'initial_reviewer', 'supervisor']
  }),
  'review.revealPersonal': op<{ idNumber: string; phone: string }>()({
    input: z.object({ applicationId: appId }).strict(),
    access: ['pre_reviewer', 'initial_reviewer', 'supervisor']
  }),
  'review.attachment': op<AttachmentContent>()({
    input: z.object({ applicationId: appId, kind: z.enum(ATTACHMENT_KINDS, { error: '附件类型无效' }) }).strict(),
    access: ['pre_reviewer', 'initial_reviewer', 'supervisor']
  }),
  'review.pass': op<DecisionResult>()({
    input: z
      .object({
        applicationId: appId,
        note: z.string().trim().max(500, '备注最多500个字').optional(),
        /** initial review: the reviewer confirms the no-accident proof (三年无事故证明) */
        noAccidentConfirmed: z.boolean().optional()
      })
      .strict(),
    access: ['pre_reviewer', 'initial_reviewer']
  }),
  'review.return': op<DecisionResult>()({
    input: z
      .object({
        applicationId: appId,
        deficiencies: z.array(deficiency).min(1, '退回补正须至少列出一项原因（一次性告知）').max(50),
        note: z.string().trim().max(500, '附言最多500个字').optional()
      })
      .strict(),
    access: ['pre_reviewer', 'initial_reviewer']
  }),
  'review.filterOptions': op<{ schools: { id: number; name: string }[] }>()({
    input: z.object({}).strict(),
    access: ['pre_reviewer', 'initial_reviewer', 'supervisor']
  }),
  // 窗口代办: the form travels as the applicant API's fields; the service checks it with that API's schema.
  'review.counterCreate': op<{ applicationId: number }>()({
    input: z
      .object({
        category: z.enum(CATEGORIES, { error: '请选择从业类别' }),
        applicationType: z.enum(APPLICATION_TYPES, { error: '请选择申请类型' }),
        form: z.record(z.string(), z.unknown())
      })
      .strict(),
    access: ['pre_reviewer']
  }),
  'review.counterSave': op<{ applicationId: number }>()({
    input: z.object({ applicationId: appId, form: z.record(z.string(), z.unknown()) }).strict(),
    access: ['pre_reviewer']
  }),
  'review.counterUpload': op<{ kind: AttachmentKind; fileName: string; contentType: string; size: number; sha256: string } | { received: number }>()({
    input: z
      .object({
        applicationId: appId,
        kind: z.enum(ATTACHMENT_KINDS, { error: '附件类型无效' }),
        fileName: z.string().trim().min(1).max(120),
        uploadId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
        index: z.number().int().min(0).max(200),
        count: z.number().int().min(1).max(200),
        // ~512 KB per chunk in base64, under the HTTP bridge's 1 MB body limit
        dataBase64: z.string().max(720_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, '文件内容编码有误')
      })
      .strict(),
    access: ['pre_reviewer']
  }),
  'review.counterSubmit': op<{ applicationId: number }>()({
    input: z.object({ applicationId: appId }).strict(),
    access: ['pre_reviewer']
  }),
  'review.settings': op<ReviewSettings>()({ input: z.object({}).strict(), access: ['pre_reviewer', 'initial_reviewer', 'supervisor', 'admin'] }),
  'review.saveSettings': op<ReviewSettings>()({
    input: z
      .object({
        separateInitialReviewer: z.boolean().optional(),
        lockIdleMinutes: z.number({ error: '请填写分钟数' }).int('请填写整数').min(5, '至少5分钟').max(240, '最多240分钟').optional()
      })
      .strict(),
    access: ['admin']
  }),
  'review.reasons': op<DeficiencyReason[]>()({
    input: z.object({ includeInactive: z.boolean().default(false) }).strict(),
    access: ['pre_reviewer', 'initial_reviewer', 'supervisor', 'admin']
  }),
  'review.saveReason': op<DeficiencyReason>()({
    input: z
      .object({
        id: z.number().int().positive().optional(),
        appliesTo: z.enum(['field', 'attachment'], { error: '适用对象应为字段或附件' }),
        target: z.string().trim().min(1, '请选择适用的字段或附件').max(40),
        label: z.string().trim().min(1, '请填写原因').max(100, '原因最多100个字'),
        sort: z.number().int().min(0).max(9999).default(100),
        active: z.boolean().default(true)
      })
      .strict(),
    access: ['admin']
  }),
  'review.holidays': op<HolidayRow[]>()({
    input: z.object({ year: z.number().int().min(2000).max(2100).optional() }).strict(),
    access: ['pre_reviewer', 'initial_reviewer', 'supervisor', 'admin']
  }),
  'review.saveHoliday': op<HolidayRow>()({
    input: z
      .object({
        date: isoDate,
        kind: z.enum(['holiday', 'workday'], { error: '类型应为节假日或调休上班' }),
        name: z.string().trim().min(1, '请填写名称').max(20, '名称最多20个字')
      })
      .strict(),
    access: ['admin']
  }),
  'review.deleteHoliday': op<null>()({ input: z.object({ date: isoDate }).strict(), access: ['admin'] })
}
export type ReviewOperationName = keyof typeof reviewContract
