// The permit desk's SQL: the approval queue, the whole history of one application, decisions.
// Tables of other areas (attachments, payments, exam attempts) are read when they exist, so that
// this desk works whichever of those areas has landed.
import type { Category, Stage, ApplicationType } from '../../../../src-preload/contract/vocab'
import type { Db } from '../database'
import { notDraft } from './stage-index'

export interface PermitApplicationRow {
  id: number
  applicantId: number | null
  category: Category
  applicationType: ApplicationType
  stage: Stage
  idNumber: string
  name: string
  phone: string | null
  trainingNo: string | null
  trainingSchoolId: number | null
  form: string
  submittedAt: string | null
  stageEnteredAt: string
  createdAt: string
  updatedAt: string
}

const APP_COLUMNS = `id, applicant_id AS applicantId, category, application_type AS applicationType, stage, id_number AS idNumber,
  name, phone, training_no AS trainingNo, training_school_id AS trainingSchoolId, form, submitted_at AS submittedAt,
  stage_entered_at AS stageEnteredAt, created_at AS createdAt, updated_at AS updatedAt`

export interface QueueFilter {
  stage: Stage
  category?: Category
  /** name, ID number, training number or phone */
  query?: string
  limit: number
  offset: number
}

function optional<T>(db: Db, sql: string): { all(...args: unknown[]): T[] } {
  // A table of an area that has not landed yet: answer "nothing" instead of failing to start.
  try {
    const stmt = db.prepare(sql)
    return { all: (...args: unknown[]) => stmt.all(...args) as T[] }
  } catch {
    return { all: () => [] }
  }
}

export function permitRepository(db: Db) {
  const where = `WHERE stage = @stage AND ${notDraft()} AND (@category IS NULL OR category = @category)
    AND (@query IS NULL OR name = @query OR id_number = @query OR training_no = @query OR phone = @query OR name LIKE @prefix)`
  const page = db.prepare<Record<string, unknown>, PermitApplicationRow>(
    `SELECT ${APP_COLUMNS} FROM applications ${where} ORDER BY stage_entered_at, id LIMIT @limit OFFSET @offset`
  )
  const count = db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM applications ${where}`)
  const byId = db.prepare<[number], PermitApplicationRow>(`SELECT ${APP_COLUMNS} FROM applications WHERE id = ?`)
  const setStage = db.prepare(
    'UPDATE applications SET stage = @stage, stage_entered_at = @now, updated_at = @now WHERE id = @id AND stage = @from'
  )
  const insertEvent = db.prepare(
    `INSERT INTO application_events (application_id, at, event, from_stage, to_stage, actor_type, actor_id, actor_name, detail)
     VALUES (@applicationId, @at, @event, @fromStage, @toStage, @actorType, @actorId, @actorName, @detail)`
  )
  const events = db.prepare<[number], { id: number; at: string; event: string; fromStage: Stage | null; toStage: Stage | null; actorType: string; actorName: string | null; detail: string | null }>(
    `SELECT id, at, event, from_stage AS fromStage, to_stage AS toStage, actor_type AS actorType, actor_name AS actorName, detail
     FROM application_events WHERE application_id = ? ORDER BY id`
  )
  const lastEventAt = db.prepare<[number, string], { at: string }>(
    'SELECT at FROM application_events WHERE application_id = ? AND event = ? ORDER BY id DESC LIMIT 1'
  )
  const insertDecision = db.prepare(
    `INSERT INTO permit_decisions (application_id, decision, reasons, note, batch_id, decided_at, decided_by, decided_by_name)
     VALUES (@applicationId, @decision, @reasons, @note, @batchId, @at, @staffId, @staffName)`
  )
  const decisionOf = db.prepare<[number], { decision: 'approve' | 'reject'; reasons: string; note: string | null; decidedAt: string; decidedByName: string }>(
    `SELECT decision, reasons, note, decided_at AS decidedAt, decided_by_name AS decidedByName FROM permit_decisions WHERE application_id = ?`
  )
  const holidays = db.prepare<[], { date: string; kind: 'holiday' | 'workday' }>('SELECT date, kind FROM holidays')
  const schoolName = db.prepare<[number], { name: string }>('SELECT name FROM training_schools WHERE id = ?')

  const attachments = optional<{ id: number; kind: string; fileName: string; contentType: string; size: number; sha256: string; uploadedAt: string }>(
    db,
    `SELECT id, kind, file_name AS fileName, content_type AS contentType, size, sha256, uploaded_at AS uploadedAt
     FROM attachments WHERE application_id = ? AND replaced_at IS NULL ORDER BY id`
  )
  const attachmentById = optional<{ id: number; applicationId: number; kind: string; fileName: string; contentType: string; sha256: string }>(
    db,
    `SELECT id, application_id AS applicationId, kind, file_name AS fileName, content_type AS contentType, sha256 FROM attachments WHERE id = ?`
  )
  const attempts = optional<{ subject: 'theory' | 'practical'; examDate: string; outcome: string; score: number | null; passMark: number | null }>(
    db,
    `SELECT subject, exam_date AS examDate, outcome, score, pass_mark AS passMark FROM exam_attempts WHERE application_id = ? ORDER BY id`
  )
  const payments = optional<{ orderNo: string; amountFen: number; items: string; status: string; provider: string; createdAt: string; paidAt: string | null; refundedAt: string | null }>(
    db,
    `SELECT order_no AS orderNo, amount_fen AS amountFen, items, status, provider, created_at AS createdAt, paid_at AS paidAt, refunded_at AS refundedAt
     FROM payment_orders WHERE application_id = ? ORDER BY id`
  )
  /** Best score per subject for a page of applications (the queue shows them). */
  const bestScores = optional<{ applicationId: number; subject: 'theory' | 'practical'; score: number }>(
    db,
    `SELECT application_id AS applicationId, subject, max(score) AS score FROM exam_attempts
     WHERE application_id IN (SELECT value FROM json_each(?)) AND outcome = 'passed' GROUP BY application_id, subject`
  )

  return {
    page(f: QueueFilter) {
      const q = f.query?.trim() || null
      const p = { stage: f.stage, category: f.category ?? null, query: q, prefix: q ? `${q}%` : null }
      return { rows: page.all({ ...p, limit: f.limit, offset: f.offset }), total: count.get(p)!.n }
    },
    byId: (id: number) => byId.get(id),
    /** Moves the application from `from` to `stage`; false when it was no longer in `from`. */
    setStage: (id: number, from: Stage, stage: Stage, now: string) => setStage.run({ id, from, stage, now }).changes === 1,
    insertEvent: (e: { applicationId: number; at: string; event: string; fromStage: Stage | null; toStage: Stage | null; actorType: 'staff' | 'system'; actorId: number | null; actorName: string | null; detail?: unknown }) =>
      Number(insertEvent.run({ ...e, detail: e.detail === undefined ? null : JSON.stringify(e.detail) }).lastInsertRowid),
    events: (id: number) => events.all(id).map((e) => ({ ...e, detail: e.detail ? (JSON.parse(e.detail) as unknown) : null })),
    lastEventAt: (id: number, event: string) => lastEventAt.get(id, event)?.at ?? null,
    insertDecision: (d: { applicationId: number; decision: 'approve' | 'reject'; reasons: string[]; note: string | null; batchId: string | null; at: string; staffId: number; staffName: string }) =>
      insertDecision.run({ ...d, reasons: JSON.stringify(d.reasons) }),
    decisionOf: (id: number) => {
      const r = decisionOf.get(id)
      return r ? { ...r, reasons: JSON.parse(r.reasons) as string[] } : null
    },
    holidays: () => holidays.all(),
    schoolName: (id: number) => schoolName.get(id)?.name ?? null,
    attachments: (id: number) => attachments.all(id),
    attachmentById: (id: number) => attachmentById.all(id)[0],
    attempts: (id: number) => attempts.all(id),
    payments: (id: number) => payments.all(id).map((p) => ({ ...p, items: JSON.parse(p.items) as unknown })),
    bestScores: (ids: number[]) => (ids.length ? bestScores.all(JSON.stringify(ids)) : [])
  }
}
export type PermitRepository = ReturnType<typeof permitRepository>
