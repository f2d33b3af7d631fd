// The exam desks' operations (考务管理, 成绩导入): sessions, rosters and attendance, counter
// payments and bookings, the daily reconciliation, and score import. Spread into `contract` by index.ts.
import { z } from 'zod'
import type { Role } from './vocab'
import type { SubjectStanding } from '../../src-main/core/domain/attempts'

function op<O>() {
  return <S extends z.ZodType, const A extends 'any' | readonly Role[]>(def: { input: S; access: A }) =>
    def as { input: S; access: A; output?: { type: O } }
}

export type Subject = 'theory' | 'practical'
export type SessionSubjects = 'theory' | 'practical' | 'both'
export const SUBJECT_NAMES: Record<Subject, string> = { theory: '理论', practical: '实操' }
export const SESSION_SUBJECT_NAMES: Record<SessionSubjects, string> = { theory: '理论', practical: '实操', both: '理论、实操' }
export type BookingStatus = 'booked' | 'present' | 'scored' | 'no_show' | 'cancelled' | 'released'
export const BOOKING_STATUS_NAMES: Record<BookingStatus, string> = {
  booked: '已预约',
  present: '已到场',
  scored: '已出成绩',
  no_show: '失约',
  cancelled: '已取消',
  released: '场次取消'
}
export const SESSION_STATUS_NAMES = { open: '开放', cancelled: '已取消', finished: '已结束' } as const
export const ORDER_STATUS_NAMES = { pending: '待支付', paid: '已支付', expired: '已过期', refunded: '已退款' } as const
export const PROVIDER_NAMES = { wechat: '微信支付', counter: '窗口缴费' } as const

export { EXAM_AUDIT_LABELS, EXAM_EVENT_LABELS } from './exams-audit'

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM')
const isoTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?\+08:00$/, '时间格式应为 YYYY-MM-DDTHH:MM:SS+08:00')
  .transform((s) => (s.length === 22 ? `${s.slice(0, 16)}:00+08:00` : s))
const id = z.number().int().positive()
const FILE_ROLES = ['exam_staff'] as const

// ---- output types -------------------------------------------------------------------------
export interface ExamSessionView {
  id: number
  venueId: number
  venue: string
  venueAddress: string
  name: string
  date: string
  start: string
  end: string
  subjects: SessionSubjects
  subjectsLabel: string
  capacity: number
  booked: number
  bookingOpensAt: string
  bookingClosesAt: string
  status: 'open' | 'cancelled' | 'finished'
  cancelReason: string | null
  closedAt: string | null
}

export interface RosterEntry {
  bookingId: number
  applicationId: number
  name: string
  idNumberMasked: string
  phoneMasked: string
  trainingNo: string | null
  subjects: Subject[]
  status: BookingStatus
  bookedAt: string
  attendanceAt: string | null
  hasPhoto: boolean
}

export interface FeeItemView {
  key: string
  kind: 'initial' | 'retake'
  subject: Subject
  attempts: number
  amountFen: number
  label: string
}

export interface OrderView {
  orderId: string
  amountFen: number
  items: FeeItemView[]
  provider: 'wechat' | 'counter'
  status: 'pending' | 'paid' | 'expired' | 'refunded'
  /** paid twice for the same items: to be refunded, never credited */
  duplicate: boolean
  qrContent: string | null
  expiresAt: string | null
  createdAt: string
  paidAt: string | null
  refundedAt: string | null
  receiptNo: string | null
}

/** One subject's attempts as staff and applicants see them (the domain's own type). */
export type SubjectStandingView = SubjectStanding

export interface BookingView {
  bookingId: number
  sessionId: number
  session: ExamSessionView
  subjects: Subject[]
  status: BookingStatus
  statusLabel: string
  bookedAt: string
  cancellable: boolean
}

export interface ScoreView {
  subject: Subject
  label: string
  score: number | null
  absent: boolean
  passed: boolean
  examDate: string
  sessionId: number
}

/** The counter's view of one applicant's exam business. */
export interface ExamApplicantView {
  applicationId: number
  name: string
  idNumberMasked: string
  phoneMasked: string
  trainingNo: string | null
  stage: string
  stageLabel: string
  due: { items: FeeItemView[]; amountFen: number }
  standings: SubjectStandingView[]
  bookings: BookingView[]
  orders: OrderView[]
  scores: ScoreView[]
}

/** What the exams cost and the pass mark: administrator's settings (a change applies to new payment orders only). */
export interface ExamFeeSettings {
  theoryFen: number
  practicalFen: number
  theoryRetakeFen: number
  practicalRetakeFen: number
  passMark: number
}

export interface ReconciliationView {
  date: string
  providers: {
    provider: 'wechat' | 'counter'
    label: string
    ordersCreated: number
    paidCount: number
    paidFen: number
    refundCount: number
    refundFen: number
    netFen: number
  }[]
  totals: { paidCount: number; paidFen: number; refundCount: number; refundFen: number; netFen: number }
  awaitingRefund: { orderId: string; applicationId: number; name: string; idNumber: string; amountFen: number; paidAt: string | null; provider: 'wechat' | 'counter' }[]
  movements: {
    at: string
    kind: 'payment' | 'refund'
    provider: 'wechat' | 'counter'
    amountFen: number
    providerRef: string
    orderId: string
    orderStatus: string
    applicationId: number
    name: string
    idNumber: string
    staffName: string | null
  }[]
}

export interface FileDownload {
  fileName: string
  mimeType: string
  /** base64 of the bytes */
  data: string
}

export interface ImportRowError {
  row: number
  column: string
  reason: string
}

export interface ImportPreviewRow {
  row: number
  idNumberMasked: string
  name: string
  status: 'ok' | 'unchanged' | 'error'
  summary: string
  errors: ImportRowError[]
}

export interface ImportPreview {
  batchId: number | null
  fileName: string
  fileErrors: string[]
  total: number
  ok: number
  unchanged: number
  errors: number
  committedBefore: string | null
  rows: ImportPreviewRow[]
  readMs: number
  checkMs: number
}

export interface ImportCommitResult {
  batchId: number
  applied: number
  scores: number
  unchanged: number
  skipped: number
  passedBoth: number
}

export interface ImportBatchRow {
  id: number
  fileName: string
  status: string
  totalRows: number
  okRows: number
  errorRows: number
  unchangedRows: number
  appliedRows: number | null
  createdAt: string
  committedAt: string | null
  committedBy: string | null
}

// ---- the operations -----------------------------------------------------------------------
export const examsContract = {
  'exams.venues': op<{ id: number; name: string; address: string }[]>()({ input: z.object({}).strict(), access: ['exam_staff'] }),
  'exams.sessions': op<ExamSessionView[]>()({
    input: z.object({ from: isoDate.optional(), to: isoDate.optional() }).strict(),
    access: ['exam_staff', 'supervisor']
  }),
  'exams.createSession': op<ExamSessionView>()({
    input: z
      .object({
        venueId: id,
        name: z.string().trim().max(60).optional(),
        date: isoDate,
        start: hhmm,
        end: hhmm,
        subjects: z.enum(['theory', 'practical', 'both'], { message: '考试科目应为理论、实操或理论+实操' }),
        capacity: z.number().int('计划人数应为整数').min(1, '计划人数至少为1').max(2000, '计划人数不超过2000'),
        bookingOpensAt: isoTime,
        bookingClosesAt: isoTime
      })
      .strict(),
    access: ['exam_staff']
  }),
  'exams.setCapacity': op<ExamSessionView>()({
    input: z.object({ sessionId: id, capacity: z.number().int('计划人数应为整数').min(1, '计划人数至少为1').max(2000, '计划人数不超过2000') }).strict(),
    access: ['exam_staff']
  }),
  'exams.cancelSession': op<{ session: ExamSessionView; released: number }>()({
    input: z.object({ sessionId: id, reason: z.string().trim().min(2, '请填写取消原因').max(200) }).strict(),
    access: ['exam_staff']
  }),
  'exams.roster': op<{ session: ExamSessionView; entries: RosterEntry[] }>()({ input: z.object({ sessionId: id }).strict(), access: ['exam_staff'] }),
  'exams.markAttendance': op<{ status: BookingStatus }>()({
    input: z.object({ bookingId: id, present: z.boolean() }).strict(),
    access: ['exam_staff']
  }),
  'exams.closeSession': op<{ noShows: number }>()({ input: z.object({ sessionId: id }).strict(), access: ['exam_staff'] }),
  'exams.exportRoster': op<FileDownload>()({
    input: z.object({ sessionId: id, format: z.enum(['pdf', 'xlsx']) }).strict(),
    access: FILE_ROLES
  }),
  'exams.findApplicant': op<ExamApplicantView>()({
    input: z
      .object({ query: z.string().trim().min(1, '请输入身份证号、培训证号或申请编号').max(32) })
      .strict(),
    access: ['exam_staff']
  }),
  'exams.counterPayment': op<OrderView>()({
    input: z
      .object({
        applicationId: id,
        method: z.enum(['cash', 'card'], { message: '请选择现金或刷卡' }),
        receiptNo: z.string().trim().min(4, '收据号至少4位').max(32, '收据号不超过32位').regex(/^[A-Za-z0-9-]+$/, '收据号只能包含字母、数字和 -'),
        amountFen: z.number().int('金额以分为单位的整数').positive('金额应大于0')
      })
      .strict(),
    access: ['exam_staff']
  }),
  'exams.counterBook': op<BookingView>()({ input: z.object({ applicationId: id, sessionId: id }).strict(), access: ['exam_staff'] }),
  'exams.counterCancelBooking': op<null>()({ input: z.object({ applicationId: id, bookingId: id }).strict(), access: ['exam_staff'] }),
  'exams.reconciliation': op<ReconciliationView>()({ input: z.object({ date: isoDate }).strict(), access: ['exam_staff', 'supervisor'] }),
  'exams.exportReconciliation': op<FileDownload>()({ input: z.object({ date: isoDate }).strict(), access: ['exam_staff', 'supervisor'] }),
  'exams.feeSettings': op<ExamFeeSettings>()({ input: z.object({}).strict(), access: ['exam_staff', 'supervisor', 'admin'] }),
  'exams.saveFeeSettings': op<ExamFeeSettings>()({
    input: z
      .object({
        theoryFen: z.number({ error: '请填写理论考试费' }).int('金额以分为单位的整数').min(0, '理论考试费不能为负').max(1_000_000, '理论考试费不超过10000元'),
        practicalFen: z.number({ error: '请填写实操考试费' }).int('金额以分为单位的整数').min(0, '实操考试费不能为负').max(1_000_000, '实操考试费不超过10000元'),
        theoryRetakeFen: z.number({ error: '请填写理论补考费' }).int('金额以分为单位的整数').min(0, '理论补考费不能为负').max(1_000_000, '理论补考费不超过10000元'),
        practicalRetakeFen: z.number({ error: '请填写实操补考费' }).int('金额以分为单位的整数').min(0, '实操补考费不能为负').max(1_000_000, '实操补考费不超过10000元'),
        passMark: z.number({ error: '请填写合格分数' }).int('合格分数须为整数').min(1, '合格分数在1到100之间').max(100, '合格分数在1到100之间')
      })
      .strict(),
    access: ['admin']
  }),
  'exams.recordRefund': op<OrderView>()({
    input: z.object({ orderId: z.string().trim().min(1).max(40), refundRef: z.string().trim().min(4, '请填写退款单号').max(64) }).strict(),
    access: ['exam_staff']
  }),
  'scores.template': op<FileDownload>()({ input: z.object({}).strict(), access: ['exam_staff'] }),
  'scores.uploadChunk': op<{ uploadId: string; size: number }>()({
    input: z
      .object({
        uploadId: z.string().regex(/^[0-9a-f]{24}$/).optional(),
        fileName: z.string().trim().min(1).max(200),
        // 512 KB of file per call at most, base64-encoded
        data: z.string().max(700_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, '不是有效的 base64')
      })
      .strict(),
    access: ['exam_staff']
  }),
  'scores.preview': op<ImportPreview>()({ input: z.object({ uploadId: z.string().regex(/^[0-9a-f]{24}$/) }).strict(), access: ['exam_staff'] }),
  'scores.commit': op<ImportCommitResult>()({ input: z.object({ batchId: id }).strict(), access: ['exam_staff'] }),
  'scores.batches': op<ImportBatchRow[]>()({ input: z.object({}).strict(), access: ['exam_staff'] })
}

export const EXAM_OPERATIONS = Object.keys(examsContract) as (keyof typeof examsContract)[]
