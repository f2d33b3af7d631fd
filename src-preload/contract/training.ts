// Training schools and the 结业证 registry (issue 7): the administrator's operations. Spread into
// `contract` by index.ts.
import { z } from 'zod'
import type { Role } from './vocab'

function op<O>() {
  return <S extends z.ZodType, const A extends 'any' | readonly Role[]>(def: { input: S; access: A }) =>
    def as { input: S; access: A; output?: { type: O } }
}

export const FREIGHT_VEHICLE_CLASSES = ['A1', 'A2', 'B2'] as const

export { TRAINING_AUDIT_LABELS } from './training-audit'

export const CERTIFICATE_STATUS_LABELS = { valid: '有效', revoked: '已撤销', used: '已使用', unused: '有效未使用' } as const

// ---- outputs --------------------------------------------------------------------------------
export interface SchoolRow {
  id: number
  name: string
  address: string
  phone: string
  licenceNo: string
  active: boolean
  createdAt: string
  updatedAt: string | null
  validCertificates: number
}

export interface TrainingCertificateRow {
  id: number
  schoolId: number
  schoolName: string
  certificateNo: string
  idNumberMasked: string
  name: string
  vehicleClass: string
  trainingStart: string
  trainingEnd: string
  issuedOn: string
  source: 'import' | 'manual' | 'demo'
  createdAt: string
  revoked: boolean
  revokedAt: string | null
  revokedByName: string | null
  revokeReason: string | null
  /** the application that used this record (申请编号) */
  applicationId: number | null
}

export interface TrainingCertificateDetail extends TrainingCertificateRow {
  /** full ID number: reading it is recorded in the audit log */
  idNumber: string
  createdByName: string | null
  importBatchId: number | null
  linkedAt: string | null
}

/** What the reviewer sees of an application's 结业证. */
export interface ReviewTrainingCertificate {
  /** local: looked up in the registry; non_local: a scan to check; none: not a freight application */
  mode: 'local' | 'non_local' | 'none'
  /** valid: local record valid and the applicant's own; revoked; not_found; scan: the reviewer checks the scan */
  status: 'valid' | 'revoked' | 'not_found' | 'scan' | 'none'
  /** one line for the reviewer */
  text: string
  record: null | {
    id: number
    certificateNo: string
    schoolName: string
    vehicleClass: string
    trainingStart: string
    trainingEnd: string
    issuedOn: string
    revokedAt: string | null
    revokeReason: string | null
    linked: boolean
  }
}

export interface TrainingImportRow {
  row: number
  status: 'new' | 'unchanged' | 'error'
  idNumberMasked: string
  name: string
  vehicleClass: string
  certificateNo: string
  trainingStart: string
  trainingEnd: string
  issuedOn: string
  errors: { column: string; reason: string }[]
  /** unchanged: the record is already in the registry (and revoked, when so) */
  note: string | null
}

export interface TrainingImportPreview {
  /** null when the file as a whole was refused (fileErrors) */
  batchId: number | null
  schoolId: number
  schoolName: string
  fileName: string
  fileErrors: string[]
  total: number
  newRows: number
  unchanged: number
  errors: number
  /** all-or-nothing: a file with any error row cannot be committed */
  canCommit: boolean
  /** this very file was committed before at (nothing will change) */
  committedBefore: string | null
  rows: TrainingImportRow[]
}

export interface TrainingImportResult {
  batchId: number
  created: number
  unchanged: number
}

export interface TrainingBatchRow {
  id: number
  schoolName: string
  fileName: string
  status: 'previewed' | 'committed' | 'discarded'
  totalRows: number
  newRows: number
  unchangedRows: number
  errorRows: number
  createdRows: number | null
  createdAt: string
  createdByName: string | null
  committedAt: string | null
  committedByName: string | null
}

export interface TrainingFileDownload {
  fileName: string
  mimeType: string
  data: string
}

// ---- inputs ---------------------------------------------------------------------------------
const id = z.number({ error: '编号应为数字' }).int().positive()
const isoDate = z.string({ error: '请填写日期' }).regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, min <= 1 ? `请填写${label}` : `${label}至少${min}个字`)
    .max(max, `${label}不能超过${max}个字`)

export const schoolInput = z
  .object({
    id: id.optional(),
    name: text('机构名称', 2, 60),
    address: text('地址', 5, 120),
    phone: z
      .string({ error: '请填写联系电话' })
      .trim()
      .regex(/^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9})$/, '联系电话应为固定电话（如 0371-65814555）或11位手机号'),
    licenceNo: text('经营许可证号', 4, 60),
    active: z.boolean({ error: '请选择是否启用' }).default(true)
  })
  .strict()

export const certificateFilter = z
  .object({
    schoolId: id.optional(),
    vehicleClass: z.enum(FREIGHT_VEHICLE_CLASSES, { error: '准驾车型应为 A1、A2 或 B2' }).optional(),
    status: z.enum(['valid', 'revoked', 'used', 'unused'], { error: '状态无效' }).optional(),
    /** an ID number (18 characters), a certificate number or a name */
    search: z.string().trim().max(40, '搜索内容最多40个字').optional(),
    page: z.number().int().min(1).max(100_000).default(1),
    pageSize: z.number().int().min(1).max(200).default(20)
  })
  .strict()

export const certificateInput = z
  .object({
    schoolId: id,
    idNumber: z.string({ error: '请填写身份证号' }).trim().min(1, '请填写身份证号').max(18, '身份证号应为18位'),
    name: text('姓名', 1, 30),
    vehicleClass: z.enum(FREIGHT_VEHICLE_CLASSES, { error: '准驾车型应为 A1、A2 或 B2' }),
    trainingStart: isoDate,
    trainingEnd: isoDate,
    issuedOn: isoDate,
    certificateNo: text('结业证编号', 1, 40)
  })
  .strict()

export const trainingContract = {
  'schools.list': op<SchoolRow[]>()({ input: z.object({}).strict(), access: 'any' }),
  'schools.save': op<SchoolRow>()({ input: schoolInput, access: ['admin'] }),
  'training.list': op<{ rows: TrainingCertificateRow[]; total: number }>()({ input: certificateFilter, access: ['admin', 'pre_reviewer', 'initial_reviewer', 'supervisor'] }),
  'training.detail': op<TrainingCertificateDetail>()({ input: z.object({ id }).strict(), access: ['admin', 'pre_reviewer', 'initial_reviewer', 'supervisor'] }),
  'training.create': op<TrainingCertificateDetail>()({ input: certificateInput, access: ['admin'] }),
  'training.revoke': op<TrainingCertificateRow>()({
    input: z
      .object({ id, reason: z.string({ error: '请填写撤销原因' }).trim().min(2, '请填写撤销原因（至少2个字）').max(200, '撤销原因最多200个字') })
      .strict(),
    access: ['admin']
  }),
  'training.importPreview': op<TrainingImportPreview>()({
    input: z
      .object({
        schoolId: id,
        fileName: z.string({ error: '缺少文件名' }).trim().min(1, '缺少文件名').max(200, '文件名过长'),
        // up to about 512 KB of spreadsheet, base64-encoded (the RPC body limit is 1 MB)
        data: z
          .string({ error: '缺少文件内容' })
          .min(1, '文件为空')
          .max(700_000, '文件过大（上限 512 KB，约一万行）')
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, '不是有效的 base64')
      })
      .strict(),
    access: ['admin']
  }),
  'training.importCommit': op<TrainingImportResult>()({ input: z.object({ batchId: id }).strict(), access: ['admin'] }),
  'training.importDiscard': op<null>()({ input: z.object({ batchId: id }).strict(), access: ['admin'] }),
  'training.batches': op<TrainingBatchRow[]>()({ input: z.object({}).strict(), access: ['admin'] }),
  'training.template': op<TrainingFileDownload>()({ input: z.object({}).strict(), access: ['admin'] })
}

export const TRAINING_OPERATIONS = Object.keys(trainingContract) as (keyof typeof trainingContract)[]
