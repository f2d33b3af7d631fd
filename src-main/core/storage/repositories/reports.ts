// The supervisors' figures: each one a few index range counts (see migration 0008), never a scan
// of every application per figure. Statements over other areas' tables (exams, payments,
// certificates) are prepared on first use, once, so that a change there breaks one figure, not
// the start of the app.
import type { Stage } from '../../../../src-preload/contract/vocab'
import type { Db } from '../database'
import { notDraft } from './stage-index'

type Params = Record<string, unknown>

/** Prepares `sql` on first use and keeps it. */
function lazy<R = unknown>(db: Db, sql: string) {
  let stmt: ReturnType<Db['prepare']> | undefined
  return () => (stmt ??= db.prepare(sql)) as unknown as {
    all(p?: Params): R[]
    get(p?: Params): R | undefined
    run(p?: Params): { changes: number; lastInsertRowid: number | bigint }
  }
}

/** What a drilldown list of applications shows (masked later by the service). */
export interface AppListRow {
  id: number
  name: string
  id_number: string
  phone: string | null
  category: string
  application_type: string
  stage: Stage
  training_no: string | null
  submitted_at: string | null
  stage_entered_at: string
  /** the time the figure is about: the event's time, or the start of the legal time limit */
  at: string | null
}

export interface ExportJobRow {
  id: number
  kind: string
  filters: string
  status: 'running' | 'done' | 'failed' | 'expired'
  total_rows: number | null
  done_rows: number
  file_name: string | null
  file_path: string | null
  size: number | null
  error: string | null
  downloads: number
  created_by: number
  created_by_name: string
  created_at: string
  finished_at: string | null
}

const APP_COLS = `a.id, a.name, a.id_number, a.phone, a.category, a.application_type, a.stage, a.training_no, a.submitted_at, a.stage_entered_at`
/** When an application entered permit approval (许可审批): the scores, or acceptance for freight. */
const ENTERED_PERMIT = `(SELECT max(e.at) FROM application_events e WHERE e.application_id = a.id AND e.to_stage = 'permit_approval')`
/** When an application was accepted (资格初审通过): the start of the 30-day exam limit. */
const ACCEPTED = `(SELECT max(e.at) FROM application_events e WHERE e.application_id = a.id AND e.event = 'initial_review_pass')`
/** An exam was arranged: the applicant holds or held a seat in a session (a cancelled booking does not count). */
const NEVER_BOOKED = `NOT EXISTS (SELECT 1 FROM exam_bookings b WHERE b.application_id = a.id AND b.status NOT IN ('cancelled', 'released'))`

/**
 * The overdue rule of each desk as SQL: which applications wait there (`from … where`) and the
 * instant the legal time limit started (`start`). `@cutoff` is the first start that is not overdue.
 */
export const OVERDUE_SQL = {
  'pre-review': { where: `a.stage = 'pre_review' AND ${notDraft('a')}`, start: 'a.submitted_at', range: true },
  'initial-review': { where: `a.stage = 'initial_review' AND ${notDraft('a')}`, start: 'a.submitted_at', range: true },
  exams: { where: `a.stage = 'exam' AND ${notDraft('a')} AND ${NEVER_BOOKED}`, start: ACCEPTED, range: false },
  permits: { where: `a.stage = 'permit_approval' AND ${notDraft('a')}`, start: 'a.stage_entered_at', range: true },
  certificates: { where: `a.stage = 'certificate' AND ${notDraft('a')}`, start: ENTERED_PERMIT, range: false }
} as const
export type AppOverdueDesk = keyof typeof OVERDUE_SQL

export function reportsRepository(db: Db) {
  // application_counts is kept by triggers (migration 0003): a dozen rows instead of 200,000 index entries.
  const stageCounts = db.prepare<[], { stage: Stage; n: number }>('SELECT stage, sum(n) AS n FROM application_counts GROUP BY stage')
  // Daily figures come from the trigger-kept report_daily_* tables (migration 0008).
  const eventsPerDay = db.prepare<Params, { d: string; n: number }>(
    `SELECT day AS d, n FROM report_daily_events WHERE event = @event AND day >= @from AND day <= @to AND n <> 0`
  )
  const overdueCount = Object.fromEntries(
    Object.entries(OVERDUE_SQL).map(([desk, q]) => [
      desk,
      db.prepare<Params, { waiting: number; overdue: number }>(
        q.range
          ? // the start column is indexed with the stage: two range counts
            `SELECT (SELECT count(*) FROM applications a WHERE ${q.where}) AS waiting,
                    (SELECT count(*) FROM applications a WHERE ${q.where} AND ${q.start} < @cutoff) AS overdue`
          : `SELECT count(*) AS waiting, coalesce(sum(${q.start} < @cutoff), 0) AS overdue FROM applications a WHERE ${q.where}`
      )
    ])
  ) as Record<AppOverdueDesk, ReturnType<typeof db.prepare<Params, { waiting: number; overdue: number }>>>

  const overduePage = Object.fromEntries(
    Object.entries(OVERDUE_SQL).map(([desk, q]) => [
      desk,
      db.prepare<Params, AppListRow>(
        `SELECT * FROM (SELECT ${APP_COLS}, ${q.start} AS at FROM applications a WHERE ${q.where})
         WHERE at < @cutoff ORDER BY at, id LIMIT @limit OFFSET @offset`
      )
    ])
  ) as Record<AppOverdueDesk, ReturnType<typeof db.prepare<Params, AppListRow>>>
  const overdueTotal = Object.fromEntries(
    Object.entries(OVERDUE_SQL).map(([desk, q]) => [
      desk,
      db.prepare<Params, { n: number }>(`SELECT count(*) AS n FROM applications a WHERE ${q.where} AND ${q.start} < @cutoff`)
    ])
  ) as Record<AppOverdueDesk, ReturnType<typeof db.prepare<Params, { n: number }>>>

  const stagePage = db.prepare<Params, AppListRow>(
    `SELECT ${APP_COLS}, a.stage_entered_at AS at FROM applications a WHERE a.stage = @stage AND ${notDraft('a')}
     ORDER BY a.stage_entered_at, a.id LIMIT @limit OFFSET @offset`
  )
  const stageTotal = db.prepare<Params, { n: number }>(`SELECT count(*) AS n FROM applications WHERE stage = @stage AND ${notDraft()}`)
  const eventPage = db.prepare<Params, AppListRow>(
    `SELECT ${APP_COLS}, e.at AS at FROM application_events e JOIN applications a ON a.id = e.application_id
     WHERE e.event = @event AND e.at >= @fromAt AND e.at < @toAt ORDER BY e.at, e.id LIMIT @limit OFFSET @offset`
  )
  const eventTotal = db.prepare<Params, { n: number }>(
    'SELECT count(*) AS n FROM application_events WHERE event = @event AND at >= @fromAt AND at < @toAt'
  )
  const schools = db.prepare<[], { id: number; name: string }>('SELECT id, name FROM training_schools ORDER BY id')
  const holidays = db.prepare<[], { date: string; kind: 'holiday' | 'workday' }>('SELECT date, kind FROM holidays ORDER BY date')

  // ---- exams (issue 5's tables) ----
  const scoresOverdue = lazy<{ waiting: number; overdue: number }>(
    db,
    `SELECT count(*) AS waiting, coalesce(sum(s.exam_date < @cutoffDate), 0) AS overdue
     FROM exam_sessions s JOIN exam_bookings b ON b.session_id = s.id
     WHERE s.status != 'cancelled' AND s.exam_date <= @today AND b.status IN ('booked', 'present')`
  )
  const scoresOverduePage = lazy<AppListRow>(
    db,
    `SELECT ${APP_COLS}, s.exam_date || 'T' || s.start_time || ':00+08:00' AS at
     FROM exam_sessions s JOIN exam_bookings b ON b.session_id = s.id JOIN applications a ON a.id = b.application_id
     WHERE s.status != 'cancelled' AND s.exam_date < @cutoffDate AND b.status IN ('booked', 'present')
     ORDER BY s.exam_date, b.id LIMIT @limit OFFSET @offset`
  )
  const passBySubject = lazy<{ subject: 'theory' | 'practical'; outcome: 'passed' | 'failed' | 'no_show'; n: number }>(
    db,
    `SELECT subject, outcome, sum(n) AS n FROM report_daily_attempts WHERE day >= @from AND day <= @to GROUP BY subject, outcome`
  )
  const passBySchool = lazy<{ school_id: number; subject: 'theory' | 'practical'; outcome: 'passed' | 'failed' | 'no_show'; n: number }>(
    db,
    `SELECT school_id, subject, outcome, sum(n) AS n FROM report_daily_attempts
     WHERE day >= @from AND day <= @to GROUP BY school_id, subject, outcome`
  )
  const attemptsPage = lazy<Record<string, unknown>>(
    db,
    `SELECT t.id, t.exam_date, t.subject, t.outcome, t.score, t.session_id, a.id AS application_id, a.name, a.id_number,
            a.training_no, coalesce(ts.name, '自主学习') AS school
     FROM exam_attempts t JOIN applications a ON a.id = t.application_id LEFT JOIN training_schools ts ON ts.id = a.training_school_id
     WHERE t.exam_date >= @from AND t.exam_date <= @to AND (@subject IS NULL OR t.subject = @subject)
       AND (@schoolId IS NULL OR coalesce(a.training_school_id, 0) = @schoolId)
       AND (CASE WHEN @outcome IS NULL THEN t.outcome IN ('passed', 'failed') ELSE t.outcome = @outcome END)
     ORDER BY t.exam_date, t.id LIMIT @limit OFFSET @offset`
  )
  const attemptsTotal = lazy<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM exam_attempts t JOIN applications a ON a.id = t.application_id
     WHERE t.exam_date >= @from AND t.exam_date <= @to AND (@subject IS NULL OR t.subject = @subject)
       AND (@schoolId IS NULL OR coalesce(a.training_school_id, 0) = @schoolId)
       AND (CASE WHEN @outcome IS NULL THEN t.outcome IN ('passed', 'failed') ELSE t.outcome = @outcome END)`
  )
  const sessionFill = lazy<{ id: number; name: string; venue: string; exam_date: string; start_time: string; subjects: string; capacity: number; booked: number; status: string }>(
    db,
    `SELECT s.id, s.name, v.name AS venue, s.exam_date, s.start_time, s.subjects, s.capacity, s.booked, s.status
     FROM exam_sessions s JOIN exam_venues v ON v.id = s.venue_id
     WHERE s.exam_date >= @from AND s.exam_date <= @to AND s.status != 'cancelled'
     ORDER BY s.exam_date, s.start_time, s.id`
  )
  const sessionOne = lazy<{ id: number; name: string; venue: string; exam_date: string; start_time: string; end_time: string; subjects: string; capacity: number; booked: number; status: string }>(
    db,
    `SELECT s.id, s.name, v.name AS venue, s.exam_date, s.start_time, s.end_time, s.subjects, s.capacity, s.booked, s.status
     FROM exam_sessions s JOIN exam_venues v ON v.id = s.venue_id WHERE s.id = @id`
  )
  const sessionBookings = lazy<Record<string, unknown>>(
    db,
    `SELECT b.id, b.status, b.theory, b.practical, b.booked_at, a.id AS application_id, a.name, a.id_number, a.phone, a.training_no
     FROM exam_bookings b JOIN applications a ON a.id = b.application_id
     WHERE b.session_id = @id AND b.status NOT IN ('cancelled', 'released') ORDER BY b.id LIMIT @limit OFFSET @offset`
  )
  const sessionBookingsTotal = lazy<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM exam_bookings b WHERE b.session_id = @id AND b.status NOT IN ('cancelled', 'released')`
  )
  const sessionList = lazy<{ id: number; name: string; venue: string; exam_date: string; start_time: string }>(
    db,
    `SELECT s.id, s.name, v.name AS venue, s.exam_date, s.start_time FROM exam_sessions s JOIN exam_venues v ON v.id = s.venue_id
     WHERE s.exam_date >= @from AND s.exam_date <= @to ORDER BY s.exam_date DESC, s.start_time, s.id`
  )

  // ---- money (issue 5's payments) ----
  const feesPerDay = lazy<{ d: string; kind: 'payment' | 'refund'; n: number; fen: number }>(
    db,
    `SELECT day AS d, kind, n, fen FROM report_daily_fees WHERE day >= @from AND day <= @to`
  )
  const feesPage = lazy<Record<string, unknown>>(
    db,
    `SELECT p.id, p.at, p.kind, p.provider, p.amount_fen, p.provider_ref, o.order_no, a.id AS application_id, a.name, a.id_number,
            st.display_name AS staff_name
     FROM payments p JOIN payment_orders o ON o.id = p.order_id JOIN applications a ON a.id = o.application_id
     LEFT JOIN staff st ON st.id = p.staff_id
     WHERE p.at >= @fromAt AND p.at < @toAt ORDER BY p.at, p.id LIMIT @limit OFFSET @offset`
  )
  const feesTotal = lazy<{ n: number }>(db, 'SELECT count(*) AS n FROM payments WHERE at >= @fromAt AND at < @toAt')

  // ---- export jobs ----
  const insertJob = db.prepare(
    `INSERT INTO export_jobs (kind, filters, status, created_by, created_by_name, created_at)
     VALUES (@kind, @filters, 'running', @createdBy, @createdByName, @createdAt)`
  )
  const jobById = db.prepare<[number], ExportJobRow>('SELECT * FROM export_jobs WHERE id = ?')
  const jobsOf = db.prepare<[number], ExportJobRow>('SELECT * FROM export_jobs WHERE created_by = ? ORDER BY id DESC LIMIT 20')
  const finishJob = db.prepare(
    `UPDATE export_jobs SET status = @status, total_rows = @totalRows, done_rows = @doneRows, file_name = @fileName,
       file_path = @filePath, size = @size, error = @error, finished_at = @finishedAt WHERE id = @id`
  )
  const countDownload = db.prepare('UPDATE export_jobs SET downloads = downloads + 1 WHERE id = ?')
  const runningCount = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM export_jobs WHERE status = 'running'`)
  const staleRunning = db.prepare(`UPDATE export_jobs SET status = 'failed', error = @error, finished_at = @now WHERE status = 'running'`)
  const expiring = db.prepare<[string], ExportJobRow>(`SELECT * FROM export_jobs WHERE status = 'done' AND finished_at < ?`)
  const expire = db.prepare(`UPDATE export_jobs SET status = 'expired', file_path = NULL WHERE id = ?`)

  return {
    stageCounts: () => stageCounts.all(),
    /** Days from … to, inclusive (YYYY-MM-DD). */
    eventsPerDay: (event: string, from: string, to: string) => eventsPerDay.all({ event, from, to }),
    overdueCount: (desk: AppOverdueDesk, cutoff: string) => overdueCount[desk].get({ cutoff })!,
    overduePage: (desk: AppOverdueDesk, cutoff: string, limit: number, offset: number) => ({
      rows: overduePage[desk].all({ cutoff, limit, offset }),
      total: overdueTotal[desk].get({ cutoff })!.n
    }),
    stagePage: (stage: string, limit: number, offset: number) => ({
      rows: stagePage.all({ stage, limit, offset }),
      total: stageTotal.get({ stage })!.n
    }),
    eventPage: (event: string, fromAt: string, toAt: string, limit: number, offset: number) => ({
      rows: eventPage.all({ event, fromAt, toAt, limit, offset }),
      total: eventTotal.get({ event, fromAt, toAt })!.n
    }),
    schools: () => schools.all(),
    holidays: () => holidays.all(),

    scoresOverdue: (cutoffDate: string, today: string) => scoresOverdue().get({ cutoffDate, today })!,
    scoresOverduePage: (cutoffDate: string, limit: number, offset: number) => ({
      rows: scoresOverduePage().all({ cutoffDate, limit, offset }),
      total: scoresOverdue().get({ cutoffDate, today: cutoffDate })!.overdue
    }),
    passBySubject: (from: string, to: string) => passBySubject().all({ from, to }),
    passBySchool: (from: string, to: string) => passBySchool().all({ from, to }),
    attemptsPage: (f: { from: string; to: string; subject: string | null; schoolId: number | null; outcome: string | null }, limit: number, offset: number) => ({
      rows: attemptsPage().all({ ...f, limit, offset }),
      total: attemptsTotal().get(f)!.n
    }),
    sessionFill: (from: string, to: string) => sessionFill().all({ from, to }),
    session: (id: number) => sessionOne().get({ id }),
    sessionBookings: (id: number, limit: number, offset: number) => ({
      rows: sessionBookings().all({ id, limit, offset }),
      total: sessionBookingsTotal().get({ id })!.n
    }),
    sessionList: (from: string, to: string) => sessionList().all({ from, to }),

    feesPerDay: (from: string, to: string) => feesPerDay().all({ from, to }),
    feesPage: (fromAt: string, toAt: string, limit: number, offset: number) => ({
      rows: feesPage().all({ fromAt, toAt, limit, offset }),
      total: feesTotal().get({ fromAt, toAt })!.n
    }),

    insertJob: (j: { kind: string; filters: unknown; createdBy: number; createdByName: string; createdAt: string }) =>
      Number(insertJob.run({ ...j, filters: JSON.stringify(j.filters) }).lastInsertRowid),
    job: (id: number) => jobById.get(id),
    jobsOf: (staffId: number) => jobsOf.all(staffId),
    finishJob: (j: {
      id: number
      status: 'done' | 'failed'
      totalRows: number | null
      doneRows: number
      fileName: string | null
      filePath: string | null
      size: number | null
      error: string | null
      finishedAt: string
    }) => finishJob.run(j),
    countDownload: (id: number) => countDownload.run(id),
    runningCount: () => runningCount.get()!.n,
    /** Jobs left running by a process that stopped: they will never finish. */
    failStale: (error: string, now: string) => staleRunning.run({ error, now }).changes,
    expiring: (before: string) => expiring.all(before),
    expire: (id: number) => expire.run(id)
  }
}
export type ReportsRepository = ReturnType<typeof reportsRepository>
