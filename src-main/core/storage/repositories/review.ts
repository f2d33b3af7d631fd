// The review desk's SQL: queue pages, claims, decisions, the deficiency checklist and the holiday
// calendar. Queue statements are built per filter shape (which filters are present), prepared
// once per shape and cached, so that each shape gets the index that serves it; values are always
// bound, never spliced.
import type Database from 'better-sqlite3'
import type { ApplicationType, Category, Stage } from '../../../../src-preload/contract/vocab'
import type { Deficiency, ReviewStage } from '../../../../src-preload/contract/review'
import type { Db } from '../database'
import { notDraft } from './stage-index'

export interface QueueQuery {
  stage: ReviewStage
  category?: Category
  applicationType?: ApplicationType
  schoolId?: number
  /** submitted_at bounds, ISO with offset */
  fromAt?: string
  toAt?: string
  search?: { kind: 'id' | 'name' | 'phone'; value: string }
  claim: 'all' | 'unclaimed' | 'mine'
  staffId: number
  /** claims touched at or before this are expired */
  expiredAtMs: number
  /** initial review with separation of duties: skip what this staff member pre-reviewed */
  notPreReviewedBy?: number
}

export interface QueueDbRow {
  id: number
  category: Category
  application_type: ApplicationType
  id_number: string
  name: string
  phone: string | null
  submitted_at: string
  submission_count: number
  school_name: string | null
  claim_staff_id: number | null
  claim_staff_name: string | null
  claimed_at: string | null
  claim_active_ms: number | null
}

export interface ApplicationRecord {
  id: number
  applicant_id: number | null
  category: Category
  application_type: ApplicationType
  stage: Stage
  id_number: string
  name: string
  phone: string | null
  training_school_id: number | null
  training_no: string | null
  form: string
  submitted_at: string | null
  stage_entered_at: string
  entered_by_staff: number | null
  submission_count?: number
  school_name: string | null
}

export interface ClaimRecord {
  application_id: number
  stage: ReviewStage
  staff_id: number
  staff_name: string
  claimed_at: string
  last_active_ms: number
}

export interface DecisionRecord {
  id: number
  application_id: number
  stage: ReviewStage
  decision: 'pass' | 'return'
  staff_id: number
  staff_name: string
  decided_at: string
  deficiencies: string
  note: string | null
}

const MAX_CHAR = '\u{10FFFF}'

export function reviewRepository(db: Db) {
  const hasSubmissionCount = (db.prepare(`SELECT count(*) AS n FROM pragma_table_info('applications') WHERE name = 'submission_count'`).get() as { n: number }).n > 0
  const submissionCountCol = hasSubmissionCount ? 'a.submission_count' : '1'

  // ---- the queue ----------------------------------------------------------------------------
  const liveClaim = `c.application_id = a.id AND c.stage = a.stage AND c.last_active_ms > @expiredAtMs`
  const cache = new Map<string, Database.Statement>()

  function where(q: QueueQuery): { from: string; sql: string; params: Record<string, unknown> } {
    // A search starts from the index on its column (a prefix finds few rows in any stage; the
    // stage is then a filter on them): `+a.stage` keeps the stage-led indexes out of the plan.
    const parts = [q.search ? '+a.stage = @stage' : 'a.stage = @stage', notDraft('a')]
    const params: Record<string, unknown> = { stage: q.stage, expiredAtMs: q.expiredAtMs }
    if (q.category) (parts.push('a.category = @category'), (params.category = q.category))
    if (q.applicationType) (parts.push('a.application_type = @applicationType'), (params.applicationType = q.applicationType))
    if (q.schoolId) (parts.push('a.training_school_id = @schoolId'), (params.schoolId = q.schoolId))
    if (q.fromAt) (parts.push('a.submitted_at >= @fromAt'), (params.fromAt = q.fromAt))
    if (q.toAt) (parts.push('a.submitted_at < @toAt'), (params.toAt = q.toAt))
    if (q.search) {
      // Prefix searches as ranges, so that the column's index serves them.
      const col = q.search.kind === 'id' ? 'a.id_number' : q.search.kind === 'name' ? 'a.name' : 'a.phone'
      parts.push(`${col} >= @lo AND ${col} < @hi`)
      params.lo = q.search.value
      params.hi = q.search.value + MAX_CHAR
    }
    let from = 'applications a'
    if (q.claim === 'unclaimed') parts.push(`NOT EXISTS (SELECT 1 FROM review_claims c WHERE ${liveClaim})`)
    if (q.claim === 'mine') {
      // A clerk's own claims are few: start from them, not from the queue.
      from = 'review_claims c JOIN applications a ON a.id = c.application_id AND a.stage = c.stage'
      parts.push('c.staff_id = @staffId AND c.last_active_ms > @expiredAtMs')
      params.staffId = q.staffId
    }
    if (q.notPreReviewedBy) {
      parts.push(`NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.application_id = a.id AND d.stage = 'pre_review'
        AND d.decision = 'pass' AND d.staff_id = @notPreReviewedBy
        AND d.id = (SELECT max(d2.id) FROM review_decisions d2 WHERE d2.application_id = a.id AND d2.stage = 'pre_review'))`)
      params.notPreReviewedBy = q.notPreReviewedBy
    }
    return { from, sql: parts.join(' AND '), params }
  }

  function shapeKey(kind: string, q: QueueQuery) {
    return [kind, !!q.category, !!q.applicationType, !!q.schoolId, !!q.fromAt, !!q.toAt, q.search?.kind ?? '', q.claim, !!q.notPreReviewedBy].join('|')
  }

  function statement(kind: string, q: QueueQuery, build: (w: { from: string; sql: string }) => string) {
    const key = shapeKey(kind, q)
    let st = cache.get(key)
    const w = where(q)
    if (!st) {
      st = db.prepare(build(w))
      cache.set(key, st)
    }
    return { st, params: w.params }
  }

  // The page's ids come from the index alone (covering: stage, filter columns, submitted_at, id),
  // so that skipping to page 2,500 walks index entries, not rows; only the page's rows are read.
  const pageSql = (w: { from: string; sql: string }) => `
    SELECT a.id, a.category, a.application_type, a.id_number, a.name, a.phone, a.submitted_at,
           ${submissionCountCol} AS submission_count, s.name AS school_name,
           c.staff_id AS claim_staff_id, c.staff_name AS claim_staff_name, c.claimed_at, c.last_active_ms AS claim_active_ms
    FROM (SELECT a.id FROM ${w.from} WHERE ${w.sql} ORDER BY a.submitted_at, a.id LIMIT @limit OFFSET @offset) p
    JOIN applications a ON a.id = p.id
    LEFT JOIN training_schools s ON s.id = a.training_school_id
    LEFT JOIN review_claims c ON ${liveClaim}
    ORDER BY a.submitted_at, a.id`
  const countSql = (w: { from: string; sql: string }) => `SELECT count(*) AS n FROM ${w.from} WHERE ${w.sql}`

  function queuePage(q: QueueQuery, limit: number, offset: number): QueueDbRow[] {
    const { st, params } = statement('page', q, pageSql)
    return st.all({ ...params, limit, offset }) as QueueDbRow[]
  }

  // Counts by stage, category and type are kept by triggers (application_counts): O(1).
  const counted = db.prepare<{ stage: string; category: string | null; applicationType: string | null }, { n: number }>(
    `SELECT coalesce(sum(n), 0) AS n FROM application_counts WHERE stage = @stage
       AND (@category IS NULL OR category = @category) AND (@applicationType IS NULL OR application_type = @applicationType)`
  )
  function queueCount(q: QueueQuery): number {
    const plain = !q.schoolId && !q.fromAt && !q.toAt && !q.search && !q.notPreReviewedBy
    if (plain && q.claim !== 'mine') {
      const all = counted.get({ stage: q.stage, category: q.category ?? null, applicationType: q.applicationType ?? null })!.n
      if (q.claim === 'all') return all
      // unclaimed = all − the live claims (few) matching the same filters
      const { st, params } = statement('count-claimed', { ...q, claim: 'all' }, (w) => `SELECT count(*) AS n FROM review_claims c JOIN applications a ON a.id = c.application_id AND a.stage = c.stage WHERE ${w.sql} AND c.last_active_ms > @expiredAtMs`)
      return all - (st.get(params) as { n: number }).n
    }
    const { st, params } = statement('count', q, countSql)
    return (st.get(params) as { n: number }).n
  }
  function nextUnclaimed(q: QueueQuery): number | undefined {
    const { st, params } = statement('next', { ...q, claim: 'unclaimed' }, (w) => `SELECT a.id FROM ${w.from} WHERE ${w.sql} ORDER BY a.submitted_at, a.id LIMIT 1`)
    return (st.get(params) as { id: number } | undefined)?.id
  }
  /** The SQL and parameters of a queue page, for EXPLAIN QUERY PLAN in the benchmark. */
  function explainPage(q: QueueQuery, limit: number, offset: number) {
    const w = where(q)
    return db.prepare(`EXPLAIN QUERY PLAN ${pageSql(w)}`).all({ ...w.params, limit, offset }) as { detail: string }[]
  }
  function explainCount(q: QueueQuery) {
    const w = where(q)
    return db.prepare(`EXPLAIN QUERY PLAN ${countSql(w)}`).all(w.params) as { detail: string }[]
  }

  const stageCount = db.prepare<{ stage: string }, { n: number }>('SELECT coalesce(sum(n), 0) AS n FROM application_counts WHERE stage = @stage')
  // Overdue = waiting − those submitted since the cut-off: the recent side is at most ~5 working
  // days of intake, whatever the backlog.
  const stageCountSince = db.prepare<{ stage: string; since: string }, { n: number }>(
    `SELECT count(*) AS n FROM applications WHERE stage = @stage AND ${notDraft()} AND submitted_at >= @since`
  )
  const mineCount = db.prepare<{ stage: string; staffId: number; expiredAtMs: number }, { n: number }>(
    `SELECT count(*) AS n FROM review_claims c JOIN applications a ON a.id = c.application_id AND a.stage = c.stage
     WHERE c.staff_id = @staffId AND c.stage = @stage AND c.last_active_ms > @expiredAtMs`
  )

  // ---- applications ---------------------------------------------------------------------------
  const getApp = db.prepare<[number], ApplicationRecord>(
    `SELECT a.*, s.name AS school_name FROM applications a LEFT JOIN training_schools s ON s.id = a.training_school_id WHERE a.id = ?`
  )
  const setStage = db.prepare(
    `UPDATE applications SET stage = @stage, stage_entered_at = @now, updated_at = @now WHERE id = @id AND stage = @from`
  )
  const setTrainingNo = db.prepare(`UPDATE applications SET training_no = @trainingNo WHERE id = @id AND training_no IS NULL`)
  const duplicates = db.prepare<{ idNumber: string; category: string; id: number }, { id: number; stage: Stage }>(
    `SELECT id, stage FROM applications WHERE id_number = @idNumber AND category = @category AND id <> @id
       AND stage NOT IN ('draft', 'completed', 'rejected', 'withdrawn')`
  )
  const events = db.prepare<[number], { at: string; event: string; from_stage: Stage | null; to_stage: Stage | null; actor_type: 'staff' | 'applicant' | 'system'; actor_name: string | null; detail: string | null }>(
    'SELECT at, event, from_stage, to_stage, actor_type, actor_name, detail FROM application_events WHERE application_id = ? ORDER BY id'
  )
  const insertEvent = db.prepare(
    `INSERT INTO application_events (application_id, at, event, from_stage, to_stage, actor_type, actor_id, actor_name, detail)
     VALUES (@applicationId, @at, @event, @fromStage, @toStage, 'staff', @actorId, @actorName, @detail)`
  )
  // The first number of a year continues after any already assigned (imported or demo data).
  const nextTrainingSeq = db.prepare<{ year: number; lo: string; hi: string }, { last: number }>(
    `INSERT INTO training_no_sequence (year, last)
     VALUES (@year, COALESCE((SELECT max(CAST(substr(training_no, 5) AS INTEGER)) FROM applications
                              WHERE training_no >= @lo AND training_no < @hi), 0) + 1)
     ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last`
  )
  const applicantByIdNumber = db.prepare<[string], { id: number }>('SELECT id FROM applicants WHERE id_number = ?')
  const schools = db.prepare<[], { id: number; name: string }>('SELECT id, name FROM training_schools ORDER BY active DESC, name')
  const school = db.prepare<[number], { id: number; active: number }>('SELECT id, active FROM training_schools WHERE id = ?')

  // ---- claims ---------------------------------------------------------------------------------
  const getClaim = db.prepare<[number], ClaimRecord>('SELECT * FROM review_claims WHERE application_id = ?')
  // One statement decides the race: it takes the row unless another clerk holds a live claim.
  const takeClaim = db.prepare(
    `INSERT INTO review_claims (application_id, stage, staff_id, staff_name, claimed_at, last_active_ms)
     VALUES (@applicationId, @stage, @staffId, @staffName, @now, @nowMs)
     ON CONFLICT (application_id) DO UPDATE SET
       stage = excluded.stage, staff_id = excluded.staff_id, staff_name = excluded.staff_name,
       claimed_at = CASE WHEN review_claims.staff_id = excluded.staff_id AND review_claims.stage = excluded.stage
                          AND review_claims.last_active_ms > @expiredAtMs THEN review_claims.claimed_at ELSE excluded.claimed_at END,
       last_active_ms = excluded.last_active_ms
     WHERE review_claims.staff_id = excluded.staff_id OR review_claims.stage <> excluded.stage
        OR review_claims.last_active_ms <= @expiredAtMs`
  )
  const touch = db.prepare(
    'UPDATE review_claims SET last_active_ms = @nowMs WHERE application_id = @applicationId AND staff_id = @staffId AND stage = @stage AND last_active_ms > @expiredAtMs'
  )
  const deleteClaim = db.prepare('DELETE FROM review_claims WHERE application_id = ?')
  const liveClaims = db.prepare<{ stage: string; expiredAtMs: number }, ClaimRecord & { name: string; id_number: string }>(
    `SELECT c.*, a.name, a.id_number FROM review_claims c JOIN applications a ON a.id = c.application_id AND a.stage = c.stage
     WHERE c.stage = @stage AND ${notDraft('a')} AND c.last_active_ms > @expiredAtMs ORDER BY c.claimed_at`
  )

  // ---- decisions ------------------------------------------------------------------------------
  const insertDecision = db.prepare(
    `INSERT INTO review_decisions (application_id, stage, decision, staff_id, staff_name, decided_at, deficiencies, note, submitted_at)
     VALUES (@applicationId, @stage, @decision, @staffId, @staffName, @at, @deficiencies, @note, @submittedAt)`
  )
  const lastDecision = db.prepare<{ applicationId: number; stage: string }, DecisionRecord>(
    'SELECT * FROM review_decisions WHERE application_id = @applicationId AND stage = @stage ORDER BY id DESC LIMIT 1'
  )
  const lastReturn = db.prepare<[number], DecisionRecord>(
    `SELECT * FROM review_decisions WHERE application_id = ? AND decision = 'return' ORDER BY id DESC LIMIT 1`
  )

  // ---- checklist and calendar -----------------------------------------------------------------
  const reasonsAll = db.prepare<[], { id: number; applies_to: 'field' | 'attachment'; target: string; label: string; sort: number; active: number }>(
    'SELECT * FROM deficiency_reasons ORDER BY applies_to, target, sort, id'
  )
  const reasonById = db.prepare<[number], { id: number }>('SELECT id FROM deficiency_reasons WHERE id = ?')
  const reasonDuplicate = db.prepare<{ appliesTo: string; target: string; label: string; id: number }, { id: number }>(
    'SELECT id FROM deficiency_reasons WHERE applies_to = @appliesTo AND target = @target AND label = @label AND id <> @id'
  )
  const insertReason = db.prepare(
    `INSERT INTO deficiency_reasons (applies_to, target, label, sort, active, created_at, updated_at)
     VALUES (@appliesTo, @target, @label, @sort, @active, @now, @now)`
  )
  const updateReason = db.prepare(
    `UPDATE deficiency_reasons SET applies_to = @appliesTo, target = @target, label = @label, sort = @sort, active = @active, updated_at = @now WHERE id = @id`
  )
  const holidaysAll = db.prepare<[], { date: string; kind: 'holiday' | 'workday'; name: string }>('SELECT date, kind, name FROM holidays ORDER BY date')
  const upsertHoliday = db.prepare(
    `INSERT INTO holidays (date, kind, name, updated_at, updated_by) VALUES (@date, @kind, @name, @now, @by)
     ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name, updated_at = excluded.updated_at, updated_by = excluded.updated_by`
  )
  const deleteHoliday = db.prepare('DELETE FROM holidays WHERE date = ?')

  // Attachments belong to the applicant API's table (migration 0002); read-only here.
  const hasAttachments = (db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'attachments'`).get() as { n: number }).n > 0
  const currentAttachments = hasAttachments
    ? db.prepare<[number], { kind: string; file_name: string; content_type: string; size: number; sha256: string; uploaded_at: string }>(
        'SELECT kind, file_name, content_type, size, sha256, uploaded_at FROM attachments WHERE application_id = ? AND replaced_at IS NULL ORDER BY id'
      )
    : null

  return {
    queuePage,
    queueCount,
    nextUnclaimed,
    explainPage,
    explainCount,
    stageCount: (stage: ReviewStage) => stageCount.get({ stage })!.n,
    stageCountBefore: (stage: ReviewStage, before: string) => stageCount.get({ stage })!.n - stageCountSince.get({ stage, since: before })!.n,
    mineCount: (stage: ReviewStage, staffId: number, expiredAtMs: number) => mineCount.get({ stage, staffId, expiredAtMs })!.n,
    explainStageCountBefore: (stage: ReviewStage, before: string) =>
      db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) AS n FROM applications WHERE stage = @stage AND ${notDraft()} AND submitted_at >= @since`).all({ stage, since: before }) as { detail: string }[],

    getApplication: (id: number) => getApp.get(id),
    setStage: (id: number, from: Stage, stage: Stage, now: string) => setStage.run({ id, from, stage, now }).changes === 1,
    setTrainingNo: (id: number, trainingNo: string) => setTrainingNo.run({ id, trainingNo }).changes === 1,
    nextTrainingSeq: (year: number) => nextTrainingSeq.get({ year, lo: String(year), hi: String(year + 1) })!.last,
    school: (id: number) => school.get(id),
    schools: () => schools.all(),
    applicantByIdNumber: (idNumber: string) => applicantByIdNumber.get(idNumber),
    duplicates: (idNumber: string, category: Category, id: number) => duplicates.all({ idNumber, category, id }),
    events: (id: number) => events.all(id),
    insertEvent: (e: { applicationId: number; at: string; event: string; fromStage: Stage; toStage: Stage; actorId: number; actorName: string; detail: unknown }) =>
      insertEvent.run({ ...e, detail: e.detail === undefined ? null : JSON.stringify(e.detail) }),
    attachments: (id: number) => currentAttachments?.all(id) ?? [],

    getClaim: (id: number) => getClaim.get(id),
    takeClaim: (c: { applicationId: number; stage: ReviewStage; staffId: number; staffName: string; now: string; nowMs: number; expiredAtMs: number }) =>
      takeClaim.run(c).changes === 1,
    touch: (c: { applicationId: number; stage: ReviewStage; staffId: number; nowMs: number; expiredAtMs: number }) => touch.run(c).changes === 1,
    deleteClaim: (id: number) => deleteClaim.run(id),
    liveClaims: (stage: ReviewStage, expiredAtMs: number) => liveClaims.all({ stage, expiredAtMs }),

    insertDecision: (d: { applicationId: number; stage: ReviewStage; decision: 'pass' | 'return'; staffId: number; staffName: string; at: string; deficiencies: Deficiency[]; note: string | null; submittedAt: string | null }) =>
      insertDecision.run({ ...d, deficiencies: JSON.stringify(d.deficiencies) }),
    lastDecision: (applicationId: number, stage: ReviewStage) => lastDecision.get({ applicationId, stage }),
    lastReturn: (applicationId: number) => lastReturn.get(applicationId),

    reasons: () => reasonsAll.all(),
    reasonExists: (id: number) => !!reasonById.get(id),
    reasonDuplicate: (r: { appliesTo: string; target: string; label: string; id: number }) => !!reasonDuplicate.get(r),
    insertReason: (r: { appliesTo: string; target: string; label: string; sort: number; active: number; now: string }) => Number(insertReason.run(r).lastInsertRowid),
    updateReason: (r: { id: number; appliesTo: string; target: string; label: string; sort: number; active: number; now: string }) => updateReason.run(r),
    holidays: () => holidaysAll.all(),
    upsertHoliday: (h: { date: string; kind: string; name: string; now: string; by: number }) => upsertHoliday.run(h),
    deleteHoliday: (date: string) => deleteHoliday.run(date).changes === 1
  }
}
export type ReviewRepository = ReturnType<typeof reviewRepository>
