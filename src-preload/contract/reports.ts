// The supervisors' desk (统计报表): the dashboard, the list behind each figure, and the Excel
// exports with their progress. Spread into `contract` by index.ts.
import { z } from 'zod'
import type { Role, Stage } from './vocab'

function op<O>() {
  return <S extends z.ZodType, const A extends 'any' | readonly Role[]>(def: { input: S; access: A }) =>
    def as { input: S; access: A; output?: { type: O } }
}

const REPORT_ROLES = ['supervisor'] as const

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
const id = z.number().int().positive()
/** A date range of at most `maxDays` days, from ≤ to. */
const range = (maxDays: number) =>
  z
    .object({ from: isoDate, to: isoDate })
    .strict()
    .refine((r) => r.from <= r.to, { message: '开始日期不能晚于结束日期', path: ['to'] })
    .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 < maxDays, {
      message: `日期范围不能超过${maxDays}天`,
      path: ['to']
    })

// ---- the dashboard --------------------------------------------------------------------------
/** The desks whose legal time limits the dashboard watches. */
export const OVERDUE_DESKS = ['pre-review', 'initial-review', 'exams', 'scores', 'permits', 'certificates'] as const
export type OverdueDesk = (typeof OVERDUE_DESKS)[number]

export interface OverdueFigure {
  desk: OverdueDesk
  label: string
  /** what the limit is, as the supervisor reads it: 提交后5个工作日内一次性告知 */
  rule: string
  limitWorkingDays: number
  /** items waiting at the desk now */
  waiting: number
  overdue: number
}

export interface PassRate {
  /** passed + failed (no-shows are counted apart) */
  sat: number
  passed: number
  noShows: number
  /** passed / sat, 0–1; null when nobody sat */
  rate: number | null
}

export interface SchoolPassRate {
  /** 0 = self-study (自主学习) */
  schoolId: number
  school: string
  theory: PassRate
  practical: PassRate
}

export interface SessionFill {
  sessionId: number
  name: string
  venue: string
  date: string
  start: string
  subjects: string
  capacity: number
  booked: number
  /** booked / capacity, 0–1 */
  rate: number
  status: string
}

export interface DayCount {
  date: string
  submitted: number
  issued: number
}

export interface DayFees {
  date: string
  paidCount: number
  paidFen: number
  refundCount: number
  refundFen: number
  netFen: number
}

export interface Dashboard {
  from: string
  to: string
  today: string
  generatedAt: string
  /** ms the core took to compute every figure */
  tookMs: number
  funnel: { stage: Stage; label: string; count: number }[]
  /** applications not on the main path: returned, rejected, withdrawn, draft */
  offPath: { stage: Stage; label: string; count: number }[]
  perDay: DayCount[]
  totals: { submitted: number; issued: number; paidFen: number; refundFen: number; netFen: number }
  overdue: OverdueFigure[]
  passRates: { theory: PassRate; practical: PassRate }
  schools: SchoolPassRate[]
  sessions: SessionFill[]
  fees: DayFees[]
}

// ---- the list behind a figure ---------------------------------------------------------------
export const DRILL_FIGURES = ['stage', 'submitted', 'issued', 'overdue', 'passRate', 'session', 'fees'] as const
export type DrillFigure = (typeof DRILL_FIGURES)[number]

export type ColumnKind = 'text' | 'date' | 'datetime' | 'money' | 'number' | 'percent'
export interface DrillColumn {
  key: string
  label: string
  kind: ColumnKind
}
export interface DrillList {
  title: string
  columns: DrillColumn[]
  rows: Record<string, string | number | null>[]
  total: number
}

const page = { page: z.number().int().min(1).default(1), pageSize: z.number().int().min(1).max(200).default(20) }

const drillInput = z.discriminatedUnion(
  'figure',
  [
    z.object({ figure: z.literal('stage'), stage: z.string().trim().min(1).max(32), ...page }).strict(),
    z.object({ figure: z.literal('submitted'), date: isoDate, ...page }).strict(),
    z.object({ figure: z.literal('issued'), date: isoDate, ...page }).strict(),
    z.object({ figure: z.enum(['overdue']), desk: z.enum(OVERDUE_DESKS, { message: '没有这个窗口' }), ...page }).strict(),
    z
      .object({
        figure: z.literal('passRate'),
        from: isoDate,
        to: isoDate,
        subject: z.enum(['theory', 'practical'], { message: '科目应为理论或实操' }).optional(),
        /** 0 = self-study */
        schoolId: z.number().int().min(0).optional(),
        outcome: z.enum(['passed', 'failed', 'no_show']).optional(),
        ...page
      })
      .strict(),
    z.object({ figure: z.literal('session'), sessionId: id, ...page }).strict(),
    z.object({ figure: z.literal('fees'), date: isoDate, ...page }).strict()
  ],
  { message: '不支持的统计项' }
)
export type DrillInput = z.output<typeof drillInput>

// ---- exports ----------------------------------------------------------------------------------
export const EXPORT_KINDS = ['applications', 'certificates', 'exam_results', 'fees', 'audit'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]
export const EXPORT_KIND_LABELS: Record<ExportKind, string> = {
  applications: '申请台账',
  certificates: '发证台账',
  exam_results: '考试成绩（按场次）',
  fees: '考试费收退款（按日）',
  audit: '审计日志'
}

const personal = z.enum(['full', 'masked'], { message: '请选择完整或脱敏' }).default('full')

export const exportRequest = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('applications'),
        from: isoDate,
        to: isoDate,
        category: z.enum(['passenger', 'freight'], { message: '从业类别无效' }).optional(),
        applicationType: z.enum(['initial', 'add_class'], { message: '申请类型无效' }).optional(),
        stage: z.string().trim().min(1).max(32).optional(),
        trainingSchoolId: z.number().int().min(0).optional(),
        personalData: personal
      })
      .strict(),
    z.object({ kind: z.literal('certificates'), from: isoDate, to: isoDate, personalData: personal }).strict(),
    z.object({ kind: z.literal('exam_results'), sessionId: id, personalData: personal }).strict(),
    z.object({ kind: z.literal('fees'), from: isoDate, to: isoDate, personalData: personal }).strict(),
    z.object({ kind: z.literal('audit'), from: isoDate, to: isoDate, action: z.string().trim().max(64).optional() }).strict()
  ],
  { message: '不支持的导出类型' }
)
export type ExportRequest = z.output<typeof exportRequest>

export interface ExportJobView {
  id: number
  kind: ExportKind
  kindLabel: string
  /** what was asked, in words: 2026-11-01 至 2026-11-25，客运 */
  summary: string
  status: 'running' | 'done' | 'failed' | 'expired'
  totalRows: number | null
  doneRows: number
  /** 0–100 */
  percent: number
  fileName: string | null
  size: number | null
  error: string | null
  createdAt: string
  finishedAt: string | null
  downloads: number
}

// ---- the operations -----------------------------------------------------------------------
export const reportsContract = {
  'reports.dashboard': op<Dashboard>()({
    input: range(366),
    access: REPORT_ROLES
  }),
  'reports.drilldown': op<DrillList>()({ input: drillInput, access: REPORT_ROLES }),
  'reports.schools': op<{ id: number; name: string }[]>()({ input: z.object({}).strict(), access: REPORT_ROLES }),
  'reports.sessions': op<{ id: number; label: string; date: string }[]>()({
    input: z.object({ from: isoDate, to: isoDate }).strict(),
    access: REPORT_ROLES
  }),
  'reports.startExport': op<ExportJobView>()({ input: exportRequest, access: REPORT_ROLES }),
  'reports.exportStatus': op<ExportJobView>()({ input: z.object({ id }).strict(), access: REPORT_ROLES }),
  'reports.exports': op<ExportJobView[]>()({ input: z.object({}).strict(), access: REPORT_ROLES })
}
