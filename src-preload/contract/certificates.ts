// 证件打印 (the issuing clerk's desk): print one or a batch, reprint and replace, spoiled prints,
// card stock, the 套打 calibration, pickup and mailing.
import { z } from 'zod'
import type { Category, Role, Stage } from './vocab'
import { CATEGORIES } from './vocab'

function op<O>() {
  return <S extends z.ZodType, const A extends 'any' | readonly Role[]>(def: { input: S; access: A }) =>
    def as { input: S; access: A; output?: { type: O } }
}

export type PrintLayout = 'full' | 'overlay'
export const PRINT_LAYOUT_LABELS: Record<PrintLayout, string> = { full: '整页打印（普通纸）', overlay: '套打（预印证卡）' }
export type PrintStatus = 'printed' | 'spoiled' | 'superseded' | 'voided'
export const PRINT_STATUS_LABELS: Record<PrintStatus, string> = { printed: '在用', spoiled: '印废作废', superseded: '已换发作废', voided: '空白作废' }
export type PrintReason = 'issue' | 'reprint' | 'replacement' | 'spoiled_retry' | 'blank_void'
export const PRINT_REASON_LABELS: Record<PrintReason, string> = { issue: '首次制证', reprint: '重新打印', replacement: '补发', spoiled_retry: '印废重打', blank_void: '空白证卡作废' }
export const CERTIFICATE_STATUS_LABELS = { active: '有效', superseded: '已被增驾新证取代', revoked: '已注销' } as const

export interface CertificateQueueRow {
  applicationId: number
  stage: Stage
  name: string
  /** masked */
  idNumber: string
  phone: string | null
  category: Category
  trainingNo: string | null
  collectMethod: 'pickup' | 'mail'
  /** masked mail address (shown in full on the handover dialog) */
  mailAddress: string | null
  waitingSince: string
  hasPhoto: boolean
  certificate: { id: number; serial: string | null; printId: number | null; validUntil: string } | null
}

export interface PrintJobStatus {
  jobId: string
  state: 'rendering' | 'ready' | 'failed'
  done: number
  total: number
  kind: 'issue' | 'reprint' | 'replacement' | 'spoiled_retry'
  layout: PrintLayout
  error: string | null
  /** when ready */
  printJobId: number | null
  fileName: string | null
  items: { applicationId: number; certificateId: number; printId: number; name: string; serial: string }[]
}

export interface CertificateRow {
  id: number
  applicationId: number
  certificateNo: string
  holderName: string
  category: Category
  vehicleClasses: string[]
  issuedOn: string
  validUntil: string
  status: keyof typeof CERTIFICATE_STATUS_LABELS
  currentSerial: string | null
  renewal: { state: 'valid' | 'renewable' | 'expired'; opensOn: string; daysLeft: number }
}

export interface CertificateDetail extends CertificateRow {
  gender: 'M' | 'F'
  birthDate: string
  nationality: string
  address: string
  firstIssuedOn: string
  issuingAuthority: string
  verifyUrl: string | null
  prints: { id: number; serial: string; reason: PrintReason; status: PrintStatus; printedAt: string; printedByName: string; voidedAt: string | null; voidReason: string | null; jobId: number | null }[]
  handovers: {
    method: 'pickup' | 'mail'
    collector: 'holder' | 'agent' | null
    collectorName: string | null
    collectorIdNumber: string | null
    idChecked: boolean
    carrier: string | null
    waybillNo: string | null
    handedOverAt: string
    handedOverByName: string
    serial: string
  }[]
}

export interface StockRangeView {
  id: number
  firstSerial: string
  lastSerial: string
  nextSerial: string | null
  size: number
  remaining: number
  printed: number
  voided: number
  note: string | null
  createdAt: string
}

export interface PdfFile {
  fileName: string
  base64: string
}

const serial = (label: string) => z.string().trim().regex(/^\d{10}$/, `${label}应为10位数字`)
const offset = (label: string) => z.number({ error: `${label}应为数字（毫米）` }).min(-30, `${label}不能小于-30毫米`).max(30, `${label}不能大于30毫米`)
const layout = z.enum(['full', 'overlay'], { error: '打印方式应为整页或套打' })

export const certificatesContract = {
  'certificates.queue': op<{ rows: CertificateQueueRow[]; total: number }>()({
    input: z
      .object({
        view: z.enum(['to_print', 'to_hand_over'], { error: '列表应为待制证或待领证' }),
        category: z.enum(CATEGORIES).optional(),
        query: z.string().trim().max(40).optional(),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(500).default(50)
      })
      .strict(),
    access: ['issuer']
  }),
  'certificates.print': op<PrintJobStatus>()({
    input: z
      .object({
        applicationIds: z.array(z.number().int().positive()).min(1, '请至少选择一份申请').max(1000, '一次最多打印1000份'),
        layout
      })
      .strict(),
    access: ['issuer']
  }),
  'certificates.job': op<PrintJobStatus>()({ input: z.object({ jobId: z.string().min(1).max(64) }).strict(), access: ['issuer'] }),
  'certificates.jobPdf': op<PdfFile>()({ input: z.object({ jobId: z.string().min(1).max(64) }).strict(), access: ['issuer'] }),
  'certificates.printers': op<{ available: boolean; printers: { name: string; isDefault: boolean }[] }>()({ input: z.object({}).strict(), access: ['issuer'] }),
  'certificates.sendToPrinter': op<{ sent: boolean; message: string }>()({
    input: z.object({ jobId: z.string().min(1).max(64), printerName: z.string().trim().max(200).optional(), silent: z.boolean().default(false) }).strict(),
    access: ['issuer']
  }),
  'certificates.reprint': op<PrintJobStatus>()({
    input: z
      .object({
        certificateId: z.number().int().positive(),
        reason: z.enum(['reprint', 'replacement'], { error: '请选择重新打印或补发' }),
        note: z.string().trim().min(1, '请填写原因').max(200, '原因最多200个字'),
        layout
      })
      .strict(),
    access: ['issuer']
  }),
  'certificates.spoil': op<PrintJobStatus>()({
    input: z
      .object({
        printId: z.number().int().positive(),
        reason: z.string().trim().min(1, '请填写印废原因').max(200, '原因最多200个字'),
        layout
      })
      .strict(),
    access: ['issuer']
  }),
  'certificates.voidBlanks': op<{ serials: string[] }>()({
    input: z
      .object({
        count: z.number().int().min(1, '至少作废1张').max(50, '一次最多作废50张'),
        reason: z.string().trim().min(1, '请填写作废原因').max(200, '原因最多200个字')
      })
      .strict(),
    access: ['issuer']
  }),
  'certificates.handOver': op<{ applicationId: number; stage: Stage }>()({
    input: z.discriminatedUnion(
      'method',
      [
        z
          .object({
            method: z.literal('pickup'),
            applicationId: z.number().int().positive(),
            collector: z.enum(['holder', 'agent'], { error: '请选择本人领取或代领' }),
            collectorName: z.string().trim().min(1, '请填写领取人姓名').max(40, '姓名最多40个字'),
            collectorIdNumber: z.string().trim().min(1, '请填写领取人身份证号').max(18, '身份证号为18位'),
            idChecked: z.literal(true, { error: '请核验领取人身份证原件后勾选' }),
            note: z.string().trim().max(200, '备注最多200个字').optional()
          })
          .strict(),
        z
          .object({
            method: z.literal('mail'),
            applicationId: z.number().int().positive(),
            carrier: z.string().trim().min(1, '请填写快递公司').max(20, '快递公司最多20个字'),
            waybillNo: z.string().trim().regex(/^[A-Za-z0-9]{8,30}$/, '运单号应为8–30位字母或数字'),
            note: z.string().trim().max(200, '备注最多200个字').optional()
          })
          .strict()
      ],
      { error: '请选择领证方式（自取或邮寄）' }
    ),
    access: ['issuer']
  }),
  'certificates.search': op<CertificateRow[]>()({
    input: z.object({ query: z.string().trim().max(40).optional() }).strict(),
    access: ['issuer', 'supervisor']
  }),
  'certificates.detail': op<CertificateDetail>()({
    input: z.object({ certificateId: z.number().int().positive() }).strict(),
    access: ['issuer', 'supervisor']
  }),
  'certificates.stock': op<{ ranges: StockRangeView[]; remaining: number; recent: { serial: string; status: PrintStatus; reason: PrintReason; holderName: string | null; printedAt: string; voidReason: string | null }[] }>()({
    input: z.object({}).strict(),
    access: ['issuer', 'admin']
  }),
  'certificates.addStock': op<StockRangeView>()({
    input: z
      .object({ firstSerial: serial('起始编号'), lastSerial: serial('结束编号'), note: z.string().trim().max(100, '备注最多100个字').optional() })
      .strict(),
    access: ['issuer', 'admin']
  }),
  'certificates.calibration': op<{ xMm: number; yMm: number; updatedAt: string | null }>()({ input: z.object({}).strict(), access: ['issuer'] }),
  'certificates.saveCalibration': op<{ xMm: number; yMm: number; updatedAt: string | null }>()({
    input: z.object({ xMm: offset('水平偏移'), yMm: offset('垂直偏移') }).strict(),
    access: ['issuer']
  }),
  'certificates.testPrint': op<PdfFile>()({
    input: z.object({ xMm: offset('水平偏移'), yMm: offset('垂直偏移'), layout: layout.default('overlay') }).strict(),
    access: ['issuer']
  })
}
export type CertificatesOperationName = keyof typeof certificatesContract
