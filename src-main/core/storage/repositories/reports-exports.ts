// The exports' SQL. Runs on a read-only connection of its own (see services/exports.ts): its
// iterator stays open while the file is written, and a read transaction in WAL mode sees one
// consistent snapshot throughout, while the office keeps working on the main connection.
// Rows come back as arrays (`raw`) in the sheet's column order.
import type { Db } from '../database'

export interface ApplicationLedgerFilter {
  fromAt: string
  toAt: string
  category: string | null
  applicationType: string | null
  stage: string | null
  /** 0 = self-study */
  trainingSchoolId: number | null
}

const APP_WHERE = `a.submitted_at >= @fromAt AND a.submitted_at < @toAt
  AND (@category IS NULL OR a.category = @category)
  AND (@applicationType IS NULL OR a.application_type = @applicationType)
  AND (@stage IS NULL OR a.stage = @stage)
  AND (@trainingSchoolId IS NULL OR coalesce(a.training_school_id, 0) = @trainingSchoolId)`

/** Column order = the ledger's column order (services/exports-sheets.ts). */
const APP_SELECT = `SELECT a.id, a.training_no, a.name, a.id_number, json_extract(a.form, '$.gender'), json_extract(a.form, '$.birthDate'),
    a.phone, a.category, a.application_type, json_extract(a.form, '$.licenceClasses'), json_extract(a.form, '$.trainingMode'),
    ts.name, a.stage, a.submitted_at, a.submission_count, a.stage_entered_at, json_extract(a.form, '$.collectMethod'),
    json_extract(a.form, '$.currentAddress')
  FROM applications a LEFT JOIN training_schools ts ON ts.id = a.training_school_id
  WHERE ${APP_WHERE} ORDER BY a.submitted_at, a.id`

const CERT_SELECT = `SELECT c.certificate_no, c.current_serial, c.holder_name, c.gender, c.birth_date, c.nationality, c.address, c.category,
    c.vehicle_classes, c.first_issued_on, c.issued_on, c.valid_until, c.issuing_authority, c.status, c.application_id, a.training_no,
    h.method, h.handed_over_at, h.handed_over_by_name
  FROM certificates c JOIN applications a ON a.id = c.application_id
  LEFT JOIN certificate_handovers h ON h.id = (SELECT max(h2.id) FROM certificate_handovers h2 WHERE h2.certificate_id = c.id)
  WHERE c.issued_on >= @from AND c.issued_on <= @to ORDER BY c.issued_on, c.id`

const RESULT_SELECT = `SELECT s.exam_date, v.name, s.start_time || '–' || s.end_time, a.name, a.id_number, a.training_no, coalesce(ts.name, '自主学习'),
    b.theory, b.practical, b.status,
    th.score, th.outcome, pr.score, pr.outcome, b.id
  FROM exam_bookings b JOIN exam_sessions s ON s.id = b.session_id JOIN exam_venues v ON v.id = s.venue_id
  JOIN applications a ON a.id = b.application_id LEFT JOIN training_schools ts ON ts.id = a.training_school_id
  LEFT JOIN exam_attempts th ON th.booking_id = b.id AND th.subject = 'theory'
  LEFT JOIN exam_attempts pr ON pr.booking_id = b.id AND pr.subject = 'practical'
  WHERE b.session_id = @sessionId AND b.status NOT IN ('cancelled', 'released') ORDER BY b.id`

const FEES_DAILY = `SELECT substr(p.at, 1, 10) AS d,
    sum(p.kind = 'payment'), sum(CASE WHEN p.kind = 'payment' THEN p.amount_fen ELSE 0 END),
    sum(p.kind = 'refund'), sum(CASE WHEN p.kind = 'refund' THEN p.amount_fen ELSE 0 END),
    sum(CASE WHEN p.kind = 'payment' THEN p.amount_fen ELSE -p.amount_fen END)
  FROM payments p WHERE p.at >= @fromAt AND p.at < @toAt GROUP BY d ORDER BY d`

const FEES_SELECT = `SELECT substr(p.at, 1, 10), p.at, p.kind, p.provider, CASE WHEN p.kind = 'refund' THEN -p.amount_fen ELSE p.amount_fen END,
    p.provider_ref, o.order_no, o.receipt_no, a.id, a.name, a.id_number, st.display_name
  FROM payments p JOIN payment_orders o ON o.id = p.order_id JOIN applications a ON a.id = o.application_id
  LEFT JOIN staff st ON st.id = p.staff_id
  WHERE p.at >= @fromAt AND p.at < @toAt ORDER BY p.at, p.id`

const AUDIT_SELECT = `SELECT id, at, actor_type, actor_name, action, action, target_type, target_id, detail, ip FROM audit_log
  WHERE at >= @fromAt AND at < @toAt AND (@action IS NULL OR action = @action) ORDER BY id`

/** Statements are prepared when the export asks for them: one export uses one or two. */
export function reportsExportRepository(db: Db) {
  const stmt = (sql: string) => db.prepare(sql).raw(true)
  const count = (sql: string) => db.prepare<object, { n: number }>(`SELECT count(*) AS n FROM (${sql})`)
  return {
    applications: (f: ApplicationLedgerFilter) => ({
      count: () => count(APP_SELECT).get(f)!.n,
      rows: () => stmt(APP_SELECT).iterate(f) as IterableIterator<unknown[]>
    }),
    certificates: (f: { from: string; to: string }) => ({
      count: () => count(CERT_SELECT).get(f)!.n,
      rows: () => stmt(CERT_SELECT).iterate(f) as IterableIterator<unknown[]>
    }),
    examResults: (f: { sessionId: number }) => ({
      count: () => count(RESULT_SELECT).get(f)!.n,
      rows: () => stmt(RESULT_SELECT).iterate(f) as IterableIterator<unknown[]>
    }),
    feesDaily: (f: { fromAt: string; toAt: string }) => ({
      count: () => count(FEES_DAILY).get(f)!.n,
      rows: () => stmt(FEES_DAILY).iterate(f) as IterableIterator<unknown[]>
    }),
    fees: (f: { fromAt: string; toAt: string }) => ({
      count: () => count(FEES_SELECT).get(f)!.n,
      rows: () => stmt(FEES_SELECT).iterate(f) as IterableIterator<unknown[]>
    }),
    audit: (f: { fromAt: string; toAt: string; action: string | null }) => ({
      count: () => count(AUDIT_SELECT).get(f)!.n,
      rows: () => stmt(AUDIT_SELECT).iterate(f) as IterableIterator<unknown[]>
    }),
    session: (id: number) =>
      db
        .prepare<[number], { id: number; name: string; exam_date: string; venue: string }>(
          'SELECT s.id, s.name, s.exam_date, v.name AS venue FROM exam_sessions s JOIN exam_venues v ON v.id = s.venue_id WHERE s.id = ?'
        )
        .get(id)
  }
}
export type ReportsExportRepository = ReturnType<typeof reportsExportRepository>
