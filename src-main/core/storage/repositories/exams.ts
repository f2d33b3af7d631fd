// Exam sessions, bookings, attempts (scores and no-shows) and score import batches.
import type { Stage } from '../../../../src-preload/contract/vocab'
import type { Db } from '../database'
import type { AttemptOutcome, SessionSubjects, Subject } from '../../domain/attempts'

export interface SessionRow {
  id: number
  venueId: number
  venueName: string
  venueAddress: string
  name: string
  examDate: string
  startTime: string
  endTime: string
  subjects: SessionSubjects
  capacity: number
  booked: number
  bookingOpensAt: string
  bookingClosesAt: string
  status: 'open' | 'cancelled' | 'finished'
  cancelledAt: string | null
  cancelReason: string | null
  closedAt: string | null
  createdAt: string
}

export type BookingStatus = 'booked' | 'present' | 'scored' | 'no_show' | 'cancelled' | 'released'

export interface BookingRow {
  id: number
  applicationId: number
  sessionId: number
  theory: boolean
  practical: boolean
  status: BookingStatus
  bookedAt: string
  bookedByType: 'staff' | 'applicant'
  attendanceAt: string | null
  endedAt: string | null
}

export interface ExamApplication {
  id: number
  applicantId: number | null
  category: 'passenger' | 'freight'
  stage: Stage
  idNumber: string
  name: string
  phone: string | null
  trainingNo: string | null
}

export interface AttemptRow {
  id: number
  applicationId: number
  subject: Subject
  bookingId: number
  sessionId: number
  examDate: string
  outcome: AttemptOutcome
  score: number | null
  recordedAt: string
}

export interface RosterRow extends BookingRow {
  idNumber: string
  name: string
  phone: string | null
  trainingNo: string | null
  photoSha256: string | null
}

const SESSION_COLS = `s.id, s.venue_id AS venueId, v.name AS venueName, v.address AS venueAddress, s.name, s.exam_date AS examDate,
  s.start_time AS startTime, s.end_time AS endTime, s.subjects, s.capacity, s.booked, s.booking_opens_at AS bookingOpensAt,
  s.booking_closes_at AS bookingClosesAt, s.status, s.cancelled_at AS cancelledAt, s.cancel_reason AS cancelReason,
  s.closed_at AS closedAt, s.created_at AS createdAt`
const BOOKING_COLS = `b.id, b.application_id AS applicationId, b.session_id AS sessionId, b.theory, b.practical, b.status,
  b.booked_at AS bookedAt, b.booked_by_type AS bookedByType, b.attendance_at AS attendanceAt, b.ended_at AS endedAt`

type RawBooking = Omit<BookingRow, 'theory' | 'practical'> & { theory: number; practical: number }
const booking = <T extends RawBooking>(r: T): Omit<T, 'theory' | 'practical'> & { theory: boolean; practical: boolean } => ({
  ...r,
  theory: r.theory === 1,
  practical: r.practical === 1
})

export function examRepository(db: Db) {
  const s = {
    venues: db.prepare<[], { id: number; name: string; address: string }>('SELECT id, name, address FROM exam_venues WHERE active = 1 ORDER BY id'),
    venue: db.prepare<[number], { id: number; name: string }>('SELECT id, name FROM exam_venues WHERE id = ? AND active = 1'),
    session: db.prepare<[number], SessionRow>(`SELECT ${SESSION_COLS} FROM exam_sessions s JOIN exam_venues v ON v.id = s.venue_id WHERE s.id = ?`),
    sessionsBetween: db.prepare<{ from: string; to: string }, SessionRow>(
      `SELECT ${SESSION_COLS} FROM exam_sessions s JOIN exam_venues v ON v.id = s.venue_id
       WHERE s.exam_date >= @from AND s.exam_date <= @to ORDER BY s.exam_date, s.start_time, s.id`
    ),
    bookable: db.prepare<{ now: string }, SessionRow>(
      `SELECT ${SESSION_COLS} FROM exam_sessions s JOIN exam_venues v ON v.id = s.venue_id
       WHERE s.status = 'open' AND s.booking_opens_at <= @now AND s.booking_closes_at > @now
       ORDER BY s.exam_date, s.start_time, s.id`
    ),
    due: db.prepare<{ today: string; hhmm: string }, { id: number }>(
      `SELECT id FROM exam_sessions WHERE status = 'open' AND (exam_date < @today OR (exam_date = @today AND end_time <= @hhmm))`
    ),
    insertSession: db.prepare(
      `INSERT INTO exam_sessions (venue_id, name, exam_date, start_time, end_time, subjects, capacity, booked,
         booking_opens_at, booking_closes_at, status, created_at, created_by, updated_at)
       VALUES (@venueId, @name, @examDate, @startTime, @endTime, @subjects, @capacity, 0,
         @bookingOpensAt, @bookingClosesAt, 'open', @now, @by, @now)`
    ),
    setCapacity: db.prepare(
      `UPDATE exam_sessions SET capacity = @capacity, updated_at = @now WHERE id = @id AND status = 'open' AND booked <= @capacity`
    ),
    // The seat: one conditional UPDATE, so capacity holds whatever the concurrency.
    takeSeat: db.prepare(
      `UPDATE exam_sessions SET booked = booked + 1 WHERE id = @id AND status = 'open' AND booked < capacity
         AND booking_opens_at <= @now AND booking_closes_at > @now`
    ),
    freeSeat: db.prepare(`UPDATE exam_sessions SET booked = booked - 1 WHERE id = ? AND booked > 0`),
    cancelSession: db.prepare(
      `UPDATE exam_sessions SET status = 'cancelled', booked = 0, cancelled_at = @now, cancelled_by = @by, cancel_reason = @reason, updated_at = @now
       WHERE id = @id AND status = 'open'`
    ),
    // Demo data only: make each session's booked count agree with its bookings.
    syncBooked: db.prepare(
      `UPDATE exam_sessions SET booked = min(capacity, (SELECT count(*) FROM exam_bookings b WHERE b.session_id = exam_sessions.id
         AND b.status IN ('booked', 'present', 'scored', 'no_show')))`
    ),
    finishSession: db.prepare(`UPDATE exam_sessions SET status = 'finished', closed_at = @now, updated_at = @now WHERE id = @id AND status = 'open'`),

    application: db.prepare<[number], ExamApplication>(
      `SELECT id, applicant_id AS applicantId, category, stage, id_number AS idNumber, name, phone, training_no AS trainingNo
       FROM applications WHERE id = ?`
    ),
    findForCounter: db.prepare<{ q: string }, { id: number }>(
      `SELECT id FROM applications WHERE category = 'passenger' AND (id_number = upper(@q) OR training_no = @q OR CAST(id AS TEXT) = @q)
       ORDER BY CASE WHEN stage IN ('fee_payment', 'exam') THEN 0 ELSE 1 END, id DESC LIMIT 1`
    ),
    applicationsIn: db.prepare<[string], ExamApplication>(
      `SELECT id, applicant_id AS applicantId, category, stage, id_number AS idNumber, name, phone, training_no AS trainingNo
       FROM applications WHERE id IN (SELECT value FROM json_each(?))`
    ),
    examCandidate: db.prepare<[string], { id: number; name: string }>(
      `SELECT id, name FROM applications WHERE id_number = ? AND category = 'passenger'
         AND stage IN ('exam', 'permit_approval', 'certificate', 'pickup', 'completed')
       ORDER BY CASE stage WHEN 'exam' THEN 0 ELSE 1 END, id DESC LIMIT 1`
    ),
    setStage: db.prepare(
      `UPDATE applications SET stage = @to, stage_entered_at = @now, updated_at = @now WHERE id = @id AND stage = @from`
    ),
    insertEvent: db.prepare(
      `INSERT INTO application_events (application_id, at, event, from_stage, to_stage, actor_type, actor_id, actor_name, detail)
       VALUES (@applicationId, @at, @event, @fromStage, @toStage, @actorType, @actorId, @actorName, @detail)`
    ),

    insertBooking: db.prepare(
      `INSERT INTO exam_bookings (application_id, session_id, theory, practical, status, booked_at, booked_by_type, booked_by_id)
       VALUES (@applicationId, @sessionId, @theory, @practical, 'booked', @now, @byType, @byId)`
    ),
    booking: db.prepare<[number], RawBooking>(`SELECT ${BOOKING_COLS} FROM exam_bookings b WHERE b.id = ?`),
    activeBookings: db.prepare<[number], RawBooking>(
      `SELECT ${BOOKING_COLS} FROM exam_bookings b WHERE b.application_id = ? AND b.status IN ('booked', 'present') ORDER BY b.id`
    ),
    bookingsOfApp: db.prepare<[number], RawBooking>(`SELECT ${BOOKING_COLS} FROM exam_bookings b WHERE b.application_id = ? ORDER BY b.id`),
    bookingsOfSession: db.prepare<[number], RawBooking>(`SELECT ${BOOKING_COLS} FROM exam_bookings b WHERE b.session_id = ? ORDER BY b.id`),
    roster: db.prepare<[number], RawBooking & Omit<RosterRow, keyof BookingRow>>(
      `SELECT ${BOOKING_COLS}, a.id_number AS idNumber, a.name, a.phone, a.training_no AS trainingNo,
         (SELECT sha256 FROM attachments t WHERE t.application_id = a.id AND t.kind = 'photo' AND t.replaced_at IS NULL) AS photoSha256
       FROM exam_bookings b JOIN applications a ON a.id = b.application_id
       WHERE b.session_id = ? AND b.status NOT IN ('cancelled', 'released') ORDER BY b.id`
    ),
    bookingsOnDate: db.prepare<{ applicationId: number; examDate: string }, RawBooking & { sessionName: string; examDate: string }>(
      `SELECT ${BOOKING_COLS}, s.name AS sessionName, s.exam_date AS examDate FROM exam_bookings b JOIN exam_sessions s ON s.id = b.session_id
       WHERE b.application_id = @applicationId AND s.exam_date = @examDate ORDER BY b.id`
    ),
    endBooking: db.prepare(
      `UPDATE exam_bookings SET status = @status, ended_at = @now, ended_by_type = @byType, ended_by_id = @byId
       WHERE id = @id AND status IN ('booked', 'present')`
    ),
    markPresent: db.prepare(
      `UPDATE exam_bookings SET status = 'present', attendance_at = @now, attendance_by = @by, ended_at = NULL, ended_by_type = NULL, ended_by_id = NULL
       WHERE id = @id AND status IN ('booked', 'no_show')`
    ),
    setStatusRaw: db.prepare(`UPDATE exam_bookings SET status = @status, ended_at = @at, ended_by_type = 'system' WHERE id = @id`),
    setScored: db.prepare(`UPDATE exam_bookings SET status = 'scored', ended_at = @now, ended_by_type = 'staff', ended_by_id = @by WHERE id = @id AND status IN ('booked', 'present')`),

    insertAttempt: db.prepare(
      `INSERT INTO exam_attempts (application_id, subject, booking_id, session_id, exam_date, outcome, score, pass_mark, source, import_batch_id, recorded_at, recorded_by)
       VALUES (@applicationId, @subject, @bookingId, @sessionId, @examDate, @outcome, @score, @passMark, @source, @batchId, @now, @by)`
    ),
    // Many at once (score import): one statement over a JSON array instead of one call per row.
    insertAttempts: db.prepare(
      `INSERT INTO exam_attempts (application_id, subject, booking_id, session_id, exam_date, outcome, score, pass_mark, source, import_batch_id, recorded_at, recorded_by)
       SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]'),
              json_extract(value, '$[5]'), json_extract(value, '$[6]'), @passMark, 'import', @batchId, @now, @by
       FROM json_each(@rows)`
    ),
    setScoredMany: db.prepare(
      `UPDATE exam_bookings SET status = 'scored', ended_at = @now, ended_by_type = 'staff', ended_by_id = @by
       WHERE id IN (SELECT value FROM json_each(@ids)) AND status IN ('booked', 'present')`
    ),
    setStageMany: db.prepare(
      `UPDATE applications SET stage = @to, stage_entered_at = @now, updated_at = @now WHERE id IN (SELECT value FROM json_each(@ids)) AND stage = @from`
    ),
    insertTransitionEvents: db.prepare(
      `INSERT INTO application_events (application_id, at, event, from_stage, to_stage, actor_type, actor_id, actor_name, detail)
       SELECT value, @at, @event, @from, @to, @actorType, @actorId, @actorName, @detail FROM json_each(@ids)`
    ),
    insertEvents: db.prepare(
      `INSERT INTO application_events (application_id, at, event, from_stage, to_stage, actor_type, actor_id, actor_name, detail)
       SELECT json_extract(value, '$[0]'), @at, @event, NULL, NULL, @actorType, @actorId, @actorName, json_extract(value, '$[1]')
       FROM json_each(@rows)`
    ),
    deleteNoShows: db.prepare(`DELETE FROM exam_attempts WHERE booking_id = ? AND outcome = 'no_show' AND source IN ('auto', 'attendance')`),
    attemptsOfApp: db.prepare<[number], AttemptRow>(
      `SELECT id, application_id AS applicationId, subject, booking_id AS bookingId, session_id AS sessionId, exam_date AS examDate,
         outcome, score, recorded_at AS recordedAt FROM exam_attempts WHERE application_id = ? ORDER BY id`
    ),
    attemptsOfBooking: db.prepare<[number], { subject: Subject; score: number | null; outcome: AttemptOutcome }>(
      'SELECT subject, score, outcome FROM exam_attempts WHERE booking_id = ?'
    ),
    passedSubjects: db.prepare<[number], { subject: Subject }>(`SELECT DISTINCT subject FROM exam_attempts WHERE application_id = ? AND outcome = 'passed'`),

    // Score import look-ups in bulk: one statement each instead of one per row, rows as arrays
    // (10,000 of them: no object per row). The applications of the ID numbers in the file only,
    // each found through the ID-number index: CROSS JOIN drives from the file's list, and the
    // unary + keeps the stage indexes out (with them the planner read every passenger
    // application at those stages, or sought each ID number once per stage). Then what they passed.
    candidatesOf: db
      .prepare<[string], [id: number, idNumber: string, name: string, stage: string]>(
        `SELECT a.id, a.id_number, a.name, a.stage FROM json_each(?) j CROSS JOIN applications a ON a.id_number = j.value
         WHERE +a.category = 'passenger' AND +a.stage IN ('exam', 'permit_approval', 'certificate', 'pickup', 'completed')`
      )
      .raw(),
    passedOf: db
      .prepare<[string], [applicationId: number, subject: Subject]>(
        `SELECT DISTINCT t.application_id, t.subject FROM exam_attempts t
         WHERE t.application_id IN (SELECT value FROM json_each(?)) AND t.outcome = 'passed'`
      )
      .raw(),
    bookingsOnDates: db
      .prepare<[string], [id: number, applicationId: number, sessionId: number, theory: number, practical: number, status: BookingStatus, sessionName: string, examDate: string]>(
        `SELECT b.id, b.application_id, b.session_id, b.theory, b.practical, b.status, s.name, s.exam_date
         FROM exam_sessions s JOIN exam_bookings b ON b.session_id = s.id WHERE s.exam_date IN (SELECT value FROM json_each(?))
         ORDER BY b.id`
      )
      .raw(),
    attemptsOnDates: db
      .prepare<[string], [bookingId: number, subject: Subject, score: number | null]>(
        `SELECT booking_id, subject, score FROM exam_attempts WHERE exam_date IN (SELECT value FROM json_each(?))`
      )
      .raw(),
    creditsOf: db.prepare<[string], { applicationId: number; subject: Subject; kind: 'initial' | 'retake'; attempts: number }>(
      `SELECT application_id AS applicationId, subject, kind, attempts FROM payment_credits WHERE application_id IN (SELECT value FROM json_each(?)) ORDER BY id`
    ),
    outcomesOf: db.prepare<[string], { applicationId: number; subject: Subject; outcome: AttemptOutcome }>(
      `SELECT application_id AS applicationId, subject, outcome FROM exam_attempts WHERE application_id IN (SELECT value FROM json_each(?)) ORDER BY id`
    ),
    // Grows with every change a score check depends on: any application's history entry (bookings,
    // cancellations, attendance, no-shows, stage changes), any attempt, any booking.
    fingerprint: db.prepare<[], { e: number; a: number; b: number }>(
      `SELECT (SELECT ifnull(max(id), 0) FROM application_events) AS e, (SELECT ifnull(max(id), 0) FROM exam_attempts) AS a,
              (SELECT ifnull(max(id), 0) FROM exam_bookings) AS b`
    ),
    insertBatch: db.prepare(
      `INSERT INTO score_import_batches (file_name, file_sha256, status, total_rows, ok_rows, error_rows, unchanged_rows, rows, created_at, created_by)
       VALUES (@fileName, @sha256, 'previewed', @total, @ok, @errors, @unchanged, @rows, @now, @by)`
    ),
    batch: db.prepare<[number], { id: number; fileName: string; sha256: string; status: string; createdBy: number | null; appliedRows: number | null; errorRows: number; unchangedRows: number }>(
      `SELECT id, file_name AS fileName, file_sha256 AS sha256, status, created_by AS createdBy, applied_rows AS appliedRows, error_rows AS errorRows, unchanged_rows AS unchangedRows FROM score_import_batches WHERE id = ?`
    ),
    // The stored rows (about 1 MB for 10,000 rows): read only when the commit must check them again.
    batchRows: db.prepare<[number], string>('SELECT rows FROM score_import_batches WHERE id = ?').pluck(),
    committedWithSha: db.prepare<[string], { id: number; committedAt: string }>(
      `SELECT id, committed_at AS committedAt FROM score_import_batches WHERE file_sha256 = ? AND status = 'committed' ORDER BY id DESC LIMIT 1`
    ),
    commitBatch: db.prepare(
      `UPDATE score_import_batches SET status = 'committed', applied_rows = @applied, committed_at = @now, committed_by = @by WHERE id = @id AND status = 'previewed'`
    ),
    recentBatches: db.prepare<[], { id: number; fileName: string; status: string; totalRows: number; okRows: number; errorRows: number; unchangedRows: number; appliedRows: number | null; createdAt: string; committedAt: string | null; committedBy: string | null }>(
      `SELECT b.id, b.file_name AS fileName, b.status, b.total_rows AS totalRows, b.ok_rows AS okRows, b.error_rows AS errorRows,
         b.unchanged_rows AS unchangedRows, b.applied_rows AS appliedRows, b.created_at AS createdAt, b.committed_at AS committedAt,
         st.display_name AS committedBy
       FROM score_import_batches b LEFT JOIN staff st ON st.id = b.committed_by ORDER BY b.id DESC LIMIT 20`
    )
  }

  return {
    venues: () => s.venues.all(),
    venue: (id: number) => s.venue.get(id),
    session: (id: number) => s.session.get(id),
    sessionsBetween: (from: string, to: string) => s.sessionsBetween.all({ from, to }),
    bookableSessions: (now: string) => s.bookable.all({ now }),
    sessionsDueToClose: (today: string, hhmm: string) => s.due.all({ today, hhmm }).map((r) => r.id),
    insertSession: (x: {
      venueId: number
      name: string
      examDate: string
      startTime: string
      endTime: string
      subjects: SessionSubjects
      capacity: number
      bookingOpensAt: string
      bookingClosesAt: string
      now: string
      by: number
    }) => Number(s.insertSession.run(x).lastInsertRowid),
    setCapacity: (id: number, capacity: number, now: string) => s.setCapacity.run({ id, capacity, now }).changes === 1,
    takeSeat: (id: number, now: string) => s.takeSeat.run({ id, now }).changes === 1,
    freeSeat: (id: number) => s.freeSeat.run(id).changes === 1,
    cancelSession: (id: number, reason: string, by: number, now: string) => s.cancelSession.run({ id, reason, by, now }).changes === 1,
    finishSession: (id: number, now: string) => s.finishSession.run({ id, now }).changes === 1,
    syncBookedCounts: () => s.syncBooked.run().changes,

    application: (id: number) => s.application.get(id),
    applicationsIn: (ids: number[]) => new Map(s.applicationsIn.all(JSON.stringify(ids)).map((a) => [a.id, a])),
    examCandidate: (idNumber: string) => s.examCandidate.get(idNumber),
    findForCounter: (q: string) => s.findForCounter.get({ q })?.id,
    setStage: (id: number, from: Stage, to: Stage, now: string) => s.setStage.run({ id, from, to, now }).changes === 1,
    insertEvent: (e: {
      applicationId: number
      at: string
      event: string
      fromStage?: Stage | null
      toStage?: Stage | null
      actorType: 'staff' | 'applicant' | 'system'
      actorId?: number | null
      actorName?: string | null
      detail?: unknown
    }) =>
      s.insertEvent.run({
        applicationId: e.applicationId,
        at: e.at,
        event: e.event,
        fromStage: e.fromStage ?? null,
        toStage: e.toStage ?? null,
        actorType: e.actorType,
        actorId: e.actorId ?? null,
        actorName: e.actorName ?? null,
        detail: e.detail === undefined ? null : JSON.stringify(e.detail)
      }),

    insertBooking: (x: { applicationId: number; sessionId: number; theory: boolean; practical: boolean; now: string; byType: 'staff' | 'applicant'; byId: number | null }) =>
      Number(s.insertBooking.run({ ...x, theory: x.theory ? 1 : 0, practical: x.practical ? 1 : 0 }).lastInsertRowid),
    booking: (id: number) => {
      const r = s.booking.get(id)
      return r ? booking(r) : undefined
    },
    activeBookings: (applicationId: number) => s.activeBookings.all(applicationId).map(booking),
    bookingsOfApplication: (applicationId: number) => s.bookingsOfApp.all(applicationId).map(booking),
    bookingsOfSession: (sessionId: number) => s.bookingsOfSession.all(sessionId).map(booking),
    roster: (sessionId: number): RosterRow[] => s.roster.all(sessionId).map(booking),
    bookingsOnDate: (applicationId: number, examDate: string) => s.bookingsOnDate.all({ applicationId, examDate }).map(booking),
    endBooking: (id: number, status: 'no_show' | 'cancelled' | 'released', now: string, byType: 'staff' | 'applicant' | 'system', byId: number | null) =>
      s.endBooking.run({ id, status, now, byType, byId }).changes === 1,
    setStatus: (id: number, status: BookingStatus, at: string) => s.setStatusRaw.run({ id, status, at }),
    markPresent: (id: number, by: number, now: string) => s.markPresent.run({ id, by, now }).changes === 1,
    setScored: (id: number, by: number, now: string) => s.setScored.run({ id, by, now }).changes === 1,

    insertAttempt: (x: {
      applicationId: number
      subject: Subject
      bookingId: number
      sessionId: number
      examDate: string
      outcome: AttemptOutcome
      score: number | null
      passMark: number | null
      source: 'import' | 'attendance' | 'auto'
      batchId: number | null
      now: string
      by: number | null
    }) => s.insertAttempt.run(x),
    /** rows: [applicationId, subject, bookingId, sessionId, examDate, outcome, score] */
    insertAttempts: (rows: [number, Subject, number, number, string, AttemptOutcome, number | null][], x: { passMark: number; batchId: number; now: string; by: number }) =>
      s.insertAttempts.run({ ...x, rows: JSON.stringify(rows) }).changes,
    setScoredMany: (ids: number[], by: number, now: string) => s.setScoredMany.run({ ids: JSON.stringify(ids), by, now }).changes,
    /** Many applications from one stage to the next at once (score import); false when any had moved meanwhile. */
    setStageMany: (ids: number[], from: Stage, to: Stage, now: string) => s.setStageMany.run({ ids: JSON.stringify(ids), from, to, now }).changes === ids.length,
    insertTransitionEvents: (ids: number[], x: { at: string; event: string; from: Stage; to: Stage; actorType: 'staff' | 'system'; actorId: number | null; actorName: string | null; detail: unknown }) =>
      s.insertTransitionEvents.run({ ...x, ids: JSON.stringify(ids), detail: JSON.stringify(x.detail) }).changes,
    /** rows: [applicationId, detail]: each detail is stored as its JSON text (json_extract gives an object's text) */
    insertEvents: (rows: [number, object][], x: { at: string; event: string; actorType: 'staff' | 'system'; actorId: number | null; actorName: string | null }) =>
      s.insertEvents.run({ ...x, rows: JSON.stringify(rows) }).changes,
    deleteNoShows: (bookingId: number) => s.deleteNoShows.run(bookingId).changes,
    attemptsOfApplication: (applicationId: number) => s.attemptsOfApp.all(applicationId),
    attemptsOfBooking: (bookingId: number) => s.attemptsOfBooking.all(bookingId),
    passedSubjects: (applicationId: number) => new Set(s.passedSubjects.all(applicationId).map((r) => r.subject)),

    /** [id, idNumber, name, stage] of the open passenger applications of these ID numbers */
    candidatesOf: (idNumbers: string[]) => s.candidatesOf.all(JSON.stringify(idNumbers)),
    /** [applicationId, subject] passed */
    passedOf: (applicationIds: number[]) => s.passedOf.all(JSON.stringify(applicationIds)),
    /** [id, applicationId, sessionId, theory 0/1, practical 0/1, status, sessionName, examDate], in no particular order */
    bookingsOnDates: (dates: string[]) => s.bookingsOnDates.all(JSON.stringify(dates)),
    /** [bookingId, subject, score] */
    attemptsOnDates: (dates: string[]) => s.attemptsOnDates.all(JSON.stringify(dates)),
    creditsOf: (ids: number[]) => s.creditsOf.all(JSON.stringify(ids)),
    outcomesOf: (ids: number[]) => s.outcomesOf.all(JSON.stringify(ids)),
    fingerprint: () => {
      const f = s.fingerprint.get()!
      return `${f.e}/${f.a}/${f.b}`
    },
    /** rows: the rows to apply, as JSON text */
    insertBatch: (x: { fileName: string; sha256: string; total: number; ok: number; errors: number; unchanged: number; rows: string; now: string; by: number }) =>
      Number(s.insertBatch.run(x).lastInsertRowid),
    batch: (id: number) => s.batch.get(id),
    batchRows: (id: number) => s.batchRows.get(id),
    committedWithSha: (sha: string) => s.committedWithSha.get(sha),
    commitBatch: (id: number, applied: number, by: number, now: string) => s.commitBatch.run({ id, applied, by, now }).changes === 1,
    recentBatches: () => s.recentBatches.all()
  }
}
export type ExamRepository = ReturnType<typeof examRepository>
