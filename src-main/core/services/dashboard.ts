// The supervisors' dashboard (统计报表): every figure from a few index range counts, the legal
// time limits counted in working days on the office's holiday calendar (domain/deadlines.ts), and
// the list behind each figure, with personal data masked.
import type {
  Dashboard,
  DayCount,
  DayFees,
  DrillColumn,
  DrillInput,
  DrillList,
  OverdueDesk,
  OverdueFigure,
  PassRate,
  SchoolPassRate
} from '../../../src-preload/contract/reports'
import {
  APPLICATION_TYPE_LABELS,
  STAGES,
  STAGE_LABELS,
  type ApplicationType,
  type Stage
} from '../../../src-preload/contract/vocab'
import type { CoreContext, StaffActor } from '../context'
import { addDays, calendarOf, overdueBefore, type HolidayCalendar } from '../domain/deadlines'
import { maskIdNumber, maskPhone } from '../domain/masking'
import { shanghaiDate } from '../domain/time'
import { AppError } from '../errors'
import { reportsRepository, type AppListRow, type AppOverdueDesk } from '../storage/repositories/reports'

/** The main path of an application, in order: the funnel's layers. */
export const FUNNEL_STAGES: readonly Stage[] = ['pre_review', 'initial_review', 'fee_payment', 'exam', 'permit_approval', 'certificate', 'pickup', 'completed']
export const OFF_PATH_STAGES: readonly Stage[] = ['returned', 'rejected', 'withdrawn', 'draft']

/** Each desk's legal time limit (domain.md "Time limits"), in working days. */
export const DESK_LIMITS: Record<OverdueDesk, { label: string; days: number; rule: string }> = {
  'pre-review': { label: '材料预审', days: 5, rule: '提交后5个工作日内一次性告知补正（行政许可法第32条）' },
  'initial-review': { label: '资格初审', days: 5, rule: '提交后5个工作日内一次性告知补正（行政许可法第32条）' },
  exams: { label: '考务管理', days: 30, rule: '受理（初审通过）后30个工作日内安排考试（已缴费、从未预约场次的）' },
  scores: { label: '成绩导入', days: 5, rule: '考试后5个工作日内公布成绩' },
  permits: { label: '许可审批', days: 5, rule: '成绩合格（货运：受理）后5个工作日内发证' },
  certificates: { label: '证件打印', days: 5, rule: '成绩合格（货运：受理）后5个工作日内发证' }
}

const startOf = (date: string) => `${date}T00:00:00+08:00`
/** The session fill chart also shows the sessions of the coming month. */
export const SESSION_LOOKAHEAD_DAYS = 30

function rate(r: { sat: number; passed: number; noShows: number }): PassRate {
  return { ...r, rate: r.sat ? r.passed / r.sat : null }
}

const APP_COLUMNS: DrillColumn[] = [
  { key: 'id', label: '申请编号', kind: 'number' },
  { key: 'name', label: '姓名', kind: 'text' },
  { key: 'idNumber', label: '身份证号', kind: 'text' },
  { key: 'phone', label: '联系电话', kind: 'text' },
  { key: 'category', label: '从业类别', kind: 'text' },
  { key: 'type', label: '申请类型', kind: 'text' },
  { key: 'stage', label: '当前状态', kind: 'text' },
  { key: 'trainingNo', label: '培训证号', kind: 'text' },
  { key: 'submittedAt', label: '提交时间', kind: 'datetime' }
]

function appRow(r: AppListRow): Record<string, string | number | null> {
  return {
    id: r.id,
    name: r.name,
    idNumber: maskIdNumber(r.id_number),
    phone: r.phone ? maskPhone(r.phone) : null,
    category: r.category === 'passenger' ? '客运' : '货运',
    type: APPLICATION_TYPE_LABELS[r.application_type as ApplicationType] ?? r.application_type,
    stage: STAGE_LABELS[r.stage] ?? r.stage,
    trainingNo: r.training_no,
    submittedAt: r.submitted_at,
    at: r.at
  }
}

const SUBJECT_LABEL: Record<string, string> = { theory: '理论', practical: '实操' }
const OUTCOME_LABEL: Record<string, string> = { passed: '合格', failed: '不合格', no_show: '缺考' }
const BOOKING_LABEL: Record<string, string> = { booked: '已预约', present: '已到场', scored: '已出成绩', no_show: '失约' }
const PROVIDER_LABEL: Record<string, string> = { wechat: '微信支付', counter: '窗口缴费' }

export function dashboardService(ctx: CoreContext) {
  const repo = reportsRepository(ctx.db)
  const today = () => shanghaiDate(ctx.clock())
  // The calendar is small and changes rarely: read it per dashboard, never per row.
  const calendar = (): HolidayCalendar => calendarOf(repo.holidays())

  /** Where each desk's overdue line lies today: starts before it are overdue. */
  function cutoffs(cal: HolidayCalendar, day: string): Record<OverdueDesk, string> {
    const out = {} as Record<OverdueDesk, string>
    for (const [desk, limit] of Object.entries(DESK_LIMITS) as [OverdueDesk, (typeof DESK_LIMITS)[OverdueDesk]][]) {
      out[desk] = overdueBefore(day, cal, limit.days)
    }
    return out
  }

  function overdue(cal: HolidayCalendar, day: string): OverdueFigure[] {
    const cut = cutoffs(cal, day)
    return (Object.keys(DESK_LIMITS) as OverdueDesk[]).map((desk) => {
      const limit = DESK_LIMITS[desk]
      let counts: { waiting: number; overdue: number }
      if (desk === 'scores') counts = guarded(() => repo.scoresOverdue(cut.scores, day), { waiting: 0, overdue: 0 })
      else counts = repo.overdueCount(desk as AppOverdueDesk, startOf(cut[desk]))
      return { desk, label: limit.label, rule: limit.rule, limitWorkingDays: limit.days, waiting: counts.waiting, overdue: counts.overdue }
    })
  }

  function perDay(from: string, to: string): DayCount[] {
    const submitted = new Map(repo.eventsPerDay('submit', from, to).map((r) => [r.d, r.n]))
    const issued = new Map(repo.eventsPerDay('certificate_printed', from, to).map((r) => [r.d, r.n]))
    const days: DayCount[] = []
    for (let d = from; d <= to; d = addDays(d, 1)) days.push({ date: d, submitted: submitted.get(d) ?? 0, issued: issued.get(d) ?? 0 })
    return days
  }

  function fees(from: string, to: string): DayFees[] {
    const rows = guarded(() => repo.feesPerDay(from, to), [])
    const byDay = new Map<string, DayFees>()
    for (let d = from; d <= to; d = addDays(d, 1)) byDay.set(d, { date: d, paidCount: 0, paidFen: 0, refundCount: 0, refundFen: 0, netFen: 0 })
    for (const r of rows) {
      const day = byDay.get(r.d)
      if (!day) continue
      if (r.kind === 'payment') {
        day.paidCount += r.n
        day.paidFen += r.fen
      } else {
        day.refundCount += r.n
        day.refundFen += r.fen
      }
      day.netFen = day.paidFen - day.refundFen
    }
    return [...byDay.values()]
  }

  function passRates(from: string, to: string) {
    const blank = () => ({ sat: 0, passed: 0, noShows: 0 })
    const subjects = { theory: blank(), practical: blank() }
    for (const r of guarded(() => repo.passBySubject(from, to), [])) tally(subjects[r.subject], r.outcome, r.n)
    const names = new Map<number, string>([[0, '自主学习'], ...repo.schools().map((s) => [s.id, s.name] as [number, string])])
    const schools = new Map<number, { theory: ReturnType<typeof blank>; practical: ReturnType<typeof blank> }>()
    for (const r of guarded(() => repo.passBySchool(from, to), [])) {
      let s = schools.get(r.school_id)
      if (!s) schools.set(r.school_id, (s = { theory: blank(), practical: blank() }))
      tally(s[r.subject], r.outcome, r.n)
    }
    const perSchool: SchoolPassRate[] = [...schools.entries()]
      .map(([id, s]) => ({ schoolId: id, school: names.get(id) ?? `培训学校 ${id}`, theory: rate(s.theory), practical: rate(s.practical) }))
      .sort((a, b) => b.theory.sat + b.practical.sat - (a.theory.sat + a.practical.sat) || a.schoolId - b.schoolId)
    return { passRates: { theory: rate(subjects.theory), practical: rate(subjects.practical) }, schools: perSchool }
  }

  function dashboard(_actor: StaffActor | null, input: { from: string; to: string }): Dashboard {
    const t0 = performance.now()
    const { from, to } = input
    if (from > to) throw new AppError('invalid_input', '开始日期不能晚于结束日期', { to: '结束日期早于开始日期' })
    const day = today()
    const cal = calendar()
    const counts = new Map(repo.stageCounts().map((r) => [r.stage, r.n]))
    const funnel = FUNNEL_STAGES.map((stage) => ({ stage, label: STAGE_LABELS[stage], count: counts.get(stage) ?? 0 }))
    const offPath = OFF_PATH_STAGES.map((stage) => ({ stage, label: STAGE_LABELS[stage], count: counts.get(stage) ?? 0 }))
    const days = perDay(from, to)
    const money = fees(from, to)
    const { passRates: rates, schools } = passRates(from, to)
    // Sessions: those in the range and the coming SESSION_LOOKAHEAD_DAYS, whose fill is what can still be acted on.
    const sessionsTo = addDays(to > day ? to : day, SESSION_LOOKAHEAD_DAYS)
    const sessions = guarded(() => repo.sessionFill(from, sessionsTo), []).map((s) => ({
      sessionId: s.id,
      name: s.name,
      venue: s.venue,
      date: s.exam_date,
      start: s.start_time,
      subjects: s.subjects === 'both' ? '理论、实操' : (SUBJECT_LABEL[s.subjects] ?? s.subjects),
      capacity: s.capacity,
      booked: s.booked,
      rate: s.capacity ? s.booked / s.capacity : 0,
      status: s.status
    }))
    const result: Dashboard = {
      from,
      to,
      today: day,
      generatedAt: ctx.now(),
      tookMs: 0,
      funnel,
      offPath,
      perDay: days,
      totals: {
        submitted: days.reduce((n, d) => n + d.submitted, 0),
        issued: days.reduce((n, d) => n + d.issued, 0),
        paidFen: money.reduce((n, d) => n + d.paidFen, 0),
        refundFen: money.reduce((n, d) => n + d.refundFen, 0),
        netFen: money.reduce((n, d) => n + d.netFen, 0)
      },
      overdue: overdue(cal, day),
      passRates: rates,
      schools,
      sessions,
      fees: money
    }
    result.tookMs = Math.round((performance.now() - t0) * 10) / 10
    return result
  }

  function drilldown(_actor: StaffActor, input: DrillInput): DrillList {
    const limit = input.pageSize
    const offset = (input.page - 1) * input.pageSize
    switch (input.figure) {
      case 'stage': {
        if (!(STAGES as readonly string[]).includes(input.stage)) throw new AppError('invalid_input', '申请状态无效', { stage: '没有这个状态' })
        const page = repo.stagePage(input.stage, limit, offset)
        return {
          title: `${STAGE_LABELS[input.stage as Stage]}的申请`,
          columns: [...APP_COLUMNS, { key: 'at', label: '进入该状态时间', kind: 'datetime' }],
          rows: page.rows.map(appRow),
          total: page.total
        }
      }
      case 'submitted':
      case 'issued': {
        const event = input.figure === 'submitted' ? 'submit' : 'certificate_printed'
        const page = repo.eventPage(event, startOf(input.date), startOf(addDays(input.date, 1)), limit, offset)
        return {
          title: `${input.date} ${input.figure === 'submitted' ? '提交的申请' : '发证（制证）的申请'}`,
          columns: [...APP_COLUMNS, { key: 'at', label: input.figure === 'submitted' ? '首次提交时间' : '制证时间', kind: 'datetime' }],
          rows: page.rows.map(appRow),
          total: page.total
        }
      }
      case 'overdue': {
        const day = today()
        const cut = cutoffs(calendar(), day)
        const limitDef = DESK_LIMITS[input.desk]
        const page =
          input.desk === 'scores'
            ? guarded(() => repo.scoresOverduePage(cut.scores, limit, offset), { rows: [], total: 0 })
            : repo.overduePage(input.desk as AppOverdueDesk, startOf(cut[input.desk]), limit, offset)
        return {
          title: `${limitDef.label}超期事项（${limitDef.rule}）`,
          columns: [...APP_COLUMNS, { key: 'at', label: input.desk === 'scores' ? '考试时间' : '时限起算时间', kind: 'datetime' }],
          rows: page.rows.map(appRow),
          total: page.total
        }
      }
      case 'passRate': {
        const f = { from: input.from, to: input.to, subject: input.subject ?? null, schoolId: input.schoolId ?? null, outcome: input.outcome ?? null }
        const page = guarded(() => repo.attemptsPage(f, limit, offset), { rows: [], total: 0 })
        const school = input.schoolId == null ? '' : input.schoolId === 0 ? '自主学习 ' : `${repo.schools().find((s) => s.id === input.schoolId)?.name ?? ''} `
        return {
          title: `${input.from} 至 ${input.to} ${school}${input.subject ? SUBJECT_LABEL[input.subject] : ''}考试成绩${input.outcome ? `（${OUTCOME_LABEL[input.outcome]}）` : ''}`,
          columns: [
            { key: 'examDate', label: '考试日期', kind: 'date' },
            { key: 'subject', label: '科目', kind: 'text' },
            { key: 'score', label: '成绩', kind: 'number' },
            { key: 'outcome', label: '结果', kind: 'text' },
            { key: 'name', label: '姓名', kind: 'text' },
            { key: 'idNumber', label: '身份证号', kind: 'text' },
            { key: 'trainingNo', label: '培训证号', kind: 'text' },
            { key: 'school', label: '培训学校', kind: 'text' },
            { key: 'sessionId', label: '场次', kind: 'number' },
            { key: 'applicationId', label: '申请编号', kind: 'number' }
          ],
          rows: page.rows.map((r) => ({
            examDate: r.exam_date as string,
            subject: SUBJECT_LABEL[r.subject as string] ?? (r.subject as string),
            score: (r.score as number | null) ?? null,
            outcome: OUTCOME_LABEL[r.outcome as string] ?? (r.outcome as string),
            name: r.name as string,
            idNumber: maskIdNumber(r.id_number as string),
            trainingNo: (r.training_no as string | null) ?? null,
            school: r.school as string,
            sessionId: r.session_id as number,
            applicationId: r.application_id as number
          })),
          total: page.total
        }
      }
      case 'session': {
        const s = guarded(() => repo.session(input.sessionId), undefined)
        if (!s) throw new AppError('not_found', '该考试场次不存在', { sessionId: '场次不存在' })
        const page = repo.sessionBookings(input.sessionId, limit, offset)
        return {
          title: `${s.exam_date} ${s.start_time}–${s.end_time} ${s.venue}：已预约 ${s.booked}/${s.capacity}`,
          columns: [
            { key: 'bookingId', label: '预约编号', kind: 'number' },
            { key: 'name', label: '姓名', kind: 'text' },
            { key: 'idNumber', label: '身份证号', kind: 'text' },
            { key: 'phone', label: '联系电话', kind: 'text' },
            { key: 'trainingNo', label: '培训证号', kind: 'text' },
            { key: 'subjects', label: '预约科目', kind: 'text' },
            { key: 'status', label: '状态', kind: 'text' },
            { key: 'bookedAt', label: '预约时间', kind: 'datetime' }
          ],
          rows: page.rows.map((r) => ({
            bookingId: r.id as number,
            name: r.name as string,
            idNumber: maskIdNumber(r.id_number as string),
            phone: r.phone ? maskPhone(r.phone as string) : null,
            trainingNo: (r.training_no as string | null) ?? null,
            subjects: [r.theory ? '理论' : '', r.practical ? '实操' : ''].filter(Boolean).join('、'),
            status: BOOKING_LABEL[r.status as string] ?? (r.status as string),
            bookedAt: r.booked_at as string
          })),
          total: page.total
        }
      }
      case 'fees': {
        const page = guarded(() => repo.feesPage(startOf(input.date), startOf(addDays(input.date, 1)), limit, offset), { rows: [], total: 0 })
        return {
          title: `${input.date} 考试费收退款明细`,
          columns: [
            { key: 'at', label: '时间', kind: 'datetime' },
            { key: 'kind', label: '类型', kind: 'text' },
            { key: 'provider', label: '渠道', kind: 'text' },
            { key: 'amountFen', label: '金额', kind: 'money' },
            { key: 'orderNo', label: '订单号', kind: 'text' },
            { key: 'name', label: '姓名', kind: 'text' },
            { key: 'idNumber', label: '身份证号', kind: 'text' },
            { key: 'applicationId', label: '申请编号', kind: 'number' },
            { key: 'staffName', label: '经办人', kind: 'text' }
          ],
          rows: page.rows.map((r) => ({
            at: r.at as string,
            kind: r.kind === 'refund' ? '退款' : '缴费',
            provider: PROVIDER_LABEL[r.provider as string] ?? (r.provider as string),
            amountFen: r.kind === 'refund' ? -(r.amount_fen as number) : (r.amount_fen as number),
            orderNo: r.order_no as string,
            name: r.name as string,
            idNumber: maskIdNumber(r.id_number as string),
            applicationId: r.application_id as number,
            staffName: (r.staff_name as string | null) ?? null
          })),
          total: page.total
        }
      }
    }
  }

  return {
    dashboard,
    drilldown,
    schools: () => repo.schools(),
    sessions: (_actor: StaffActor, input: { from: string; to: string }) =>
      guarded(() => repo.sessionList(input.from, input.to), []).map((s) => ({
        id: s.id,
        date: s.exam_date,
        label: `${s.exam_date} ${s.start_time} ${s.venue}（场次 ${s.id}）`
      }))
  }
}
export type DashboardService = ReturnType<typeof dashboardService>

function tally(t: { sat: number; passed: number; noShows: number }, outcome: string, n: number) {
  if (outcome === 'passed') {
    t.passed += n
    t.sat += n
  } else if (outcome === 'failed') t.sat += n
  else if (outcome === 'no_show') t.noShows += n
}

/**
 * A figure over another area's tables: if that area's schema is missing (its migration not yet
 * landed), the figure is empty instead of the whole dashboard failing.
 */
function guarded<T>(f: () => T, empty: T): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof Error && /no such (table|column)/.test(e.message)) return empty
    throw e
  }
}
