// Reading and changing one application as the applicant API (and the counter) needs it:
// the form, the stage, the history of submissions. Queue pages are the review desk's.
import { OPEN_STAGES, type ApplicationType, type Category, type Stage } from '../../../../src-preload/contract/vocab'
import type { Db } from '../database'

export interface ApplicationRecord {
  id: number
  applicantId: number | null
  category: Category
  applicationType: ApplicationType
  stage: Stage
  idNumber: string
  name: string
  phone: string | null
  trainingSchoolId: number | null
  trainingNo: string | null
  form: Record<string, unknown>
  submittedAt: string | null
  stageEnteredAt: string
  submissionCount: number
  createdAt: string
  updatedAt: string
  /** the applicant account's registration time (step 01) */
  registeredAt: string | null
}

interface Row extends Omit<ApplicationRecord, 'form'> {
  form: string
}

export interface ProgressRow {
  id: number
  applicantId: number | null
  category: Category
  stage: Stage
  idNumber: string
  name: string
  trainingNo: string | null
  createdAt: string
  registeredAt: string | null
  collectMethod: 'pickup' | 'mail' | null
  events: { event: string; at: string; detail: unknown }[]
}

export interface EventRecord {
  id: number
  event: string
  at: string
  fromStage: Stage | null
  toStage: Stage | null
  actorType: 'staff' | 'applicant' | 'system'
  actorName: string | null
  detail: unknown
}

export interface SubmissionRecord {
  submissionNo: number
  submittedAt: string
  actorType: 'staff' | 'applicant' | 'system'
  actorId: number | null
  form: Record<string, unknown>
  attachments: unknown[]
}

const COLUMNS = `a.id, a.applicant_id AS applicantId, a.category, a.application_type AS applicationType, a.stage,
  a.id_number AS idNumber, a.name, a.phone, a.training_school_id AS trainingSchoolId, a.training_no AS trainingNo, a.form,
  a.submitted_at AS submittedAt, a.stage_entered_at AS stageEnteredAt, a.submission_count AS submissionCount,
  a.created_at AS createdAt, a.updated_at AS updatedAt, p.created_at AS registeredAt`

/** The row with its form parsed, in place: the row object is new from each call, and a copy of its 17 fields costs more than the parse. */
const toRecord = (r: Row | undefined): ApplicationRecord | undefined => {
  if (!r) return undefined
  const record = r as unknown as ApplicationRecord
  record.form = JSON.parse(r.form) as Record<string, unknown>
  return record
}

const OPEN_LIST = OPEN_STAGES.map((s) => `'${s}'`).join(', ')

export function applicationRecordRepository(db: Db) {
  const get = db.prepare<[number], Row>(`SELECT ${COLUMNS} FROM applications a LEFT JOIN applicants p ON p.id = a.applicant_id WHERE a.id = ?`)
  // The progress screen needs the row without its form (only the way the certificate is collected)
  // and its history, in one statement: the applicant app polls it, and each statement costs a read
  // transaction of its own. Only returns and refusals carry a detail the timeline reads.
  const forProgress = db.prepare<[number], Omit<ProgressRow, 'events'> & { events: string }>(
    `SELECT a.id, a.applicant_id AS applicantId, a.category, a.stage, a.id_number AS idNumber, a.name, a.training_no AS trainingNo,
       a.created_at AS createdAt, p.created_at AS registeredAt, json_extract(a.form, '$.collectMethod') AS collectMethod,
       (SELECT json_group_array(json_array(e.event, e.at, CASE WHEN e.event LIKE '%\\_return' ESCAPE '\\' OR e.event = 'permit_reject' THEN json(e.detail) END) ORDER BY e.id)
          FROM application_events e WHERE e.application_id = a.id) AS events
     FROM applications a LEFT JOIN applicants p ON p.id = a.applicant_id WHERE a.id = ?`
  )
  const allIds = db.prepare<[], { id: number }>('SELECT id FROM applications ORDER BY id')
  const byApplicant = db.prepare<[number], Row>(
    `SELECT ${COLUMNS} FROM applications a LEFT JOIN applicants p ON p.id = a.applicant_id WHERE a.applicant_id = ? ORDER BY a.id DESC`
  )
  const openOf = db.prepare<[string, string, number], { id: number; stage: Stage }>(
    `SELECT id, stage FROM applications WHERE id_number = ? AND category = ? AND id <> ? AND stage IN (${OPEN_LIST}) LIMIT 1`
  )
  const updateForm = db.prepare(
    `UPDATE applications SET application_type = @applicationType, id_number = @idNumber, name = @name, phone = @phone,
       training_school_id = @trainingSchoolId, form = @form, updated_at = @now WHERE id = @id`
  )
  const submitted = db.prepare(
    `UPDATE applications SET stage = @stage, submitted_at = @now, stage_entered_at = @now, updated_at = @now,
       submission_count = submission_count + 1 WHERE id = @id AND stage = @fromStage RETURNING submission_count AS n`
  )
  const touch = db.prepare('UPDATE applications SET updated_at = ? WHERE id = ?')
  const events = db.prepare<[number], Omit<EventRecord, 'detail'> & { detail: string | null }>(
    `SELECT id, event, at, from_stage AS fromStage, to_stage AS toStage, actor_type AS actorType, actor_name AS actorName, detail
     FROM application_events WHERE application_id = ? ORDER BY id`
  )
  const lastReturn = db.prepare<[number], { event: string; at: string; detail: string | null }>(
    `SELECT event, at, detail FROM application_events WHERE application_id = ? AND event LIKE '%\\_return' ESCAPE '\\' ORDER BY id DESC LIMIT 1`
  )
  const insertSubmission = db.prepare(
    `INSERT INTO application_submissions (application_id, submission_no, submitted_at, actor_type, actor_id, form, attachments)
     VALUES (@applicationId, @submissionNo, @submittedAt, @actorType, @actorId, @form, @attachments)`
  )
  const submissions = db.prepare<[number], { submissionNo: number; submittedAt: string; actorType: SubmissionRecord['actorType']; actorId: number | null; form: string; attachments: string }>(
    `SELECT submission_no AS submissionNo, submitted_at AS submittedAt, actor_type AS actorType, actor_id AS actorId, form, attachments
     FROM application_submissions WHERE application_id = ? ORDER BY submission_no`
  )
  const schoolOf = db.prepare<[number], { id: number; active: number }>('SELECT id, active FROM training_schools WHERE id = ?')
  const schools = db.prepare<[], { id: number; name: string; address: string; phone: string }>(
    'SELECT id, name, address, phone FROM training_schools WHERE active = 1 ORDER BY id'
  )
  const venues = db.prepare<[], { id: number; name: string; address: string }>('SELECT id, name, address FROM exam_venues WHERE active = 1 ORDER BY id')

  return {
    get: (id: number) => toRecord(get.get(id)),
    /** Every application id, oldest first (demo data, maintenance). */
    allIds: () => allIds.all().map((r) => r.id),
    /** The row the timeline needs with its history (event, time, and the detail of returns and refusals). */
    forProgress: (id: number): ProgressRow | undefined => {
      const r = forProgress.get(id)
      if (!r) return undefined
      const events = (JSON.parse(r.events) as [string, string, unknown][]).map(([event, at, detail]) => ({ event, at, detail: detail ?? undefined }))
      return { ...r, events }
    },
    listByApplicant: (applicantId: number) => byApplicant.all(applicantId).map((r) => toRecord(r)!),
    /** Another open application of this person in this category (one at a time). */
    openOf: (idNumber: string, category: Category, exceptId = 0) => openOf.get(idNumber, category, exceptId),
    updateForm: (a: {
      id: number
      applicationType: ApplicationType
      idNumber: string
      name: string
      phone: string | null
      trainingSchoolId: number | null
      form: Record<string, unknown>
      now: string
    }) => updateForm.run({ ...a, form: JSON.stringify(a.form) }),
    /** Moves a draft or returned application to `stage`; returns the new submission number (undefined if the stage moved meanwhile). */
    markSubmitted: (id: number, fromStage: Stage, stage: Stage, now: string) =>
      (submitted.get({ id, fromStage, stage, now }) as { n: number } | undefined)?.n,
    touch: (id: number, now: string) => touch.run(now, id),
    events: (id: number): EventRecord[] => events.all(id).map((e) => ({ ...e, detail: e.detail === null ? undefined : JSON.parse(e.detail) })),
    lastReturn: (id: number) => {
      const r = lastReturn.get(id)
      return r && { event: r.event, at: r.at, detail: r.detail === null ? undefined : (JSON.parse(r.detail) as unknown) }
    },
    insertSubmission: (s: SubmissionRecord & { applicationId: number }) =>
      insertSubmission.run({ ...s, form: JSON.stringify(s.form), attachments: JSON.stringify(s.attachments) }),
    submissions: (id: number): SubmissionRecord[] =>
      submissions.all(id).map((s) => ({ ...s, form: JSON.parse(s.form), attachments: JSON.parse(s.attachments) })),
    school: (id: number) => {
      const s = schoolOf.get(id)
      return s ? { id: s.id, active: s.active === 1 } : null
    },
    activeSchools: () => schools.all(),
    activeVenues: () => venues.all()
  }
}
export type ApplicationRecordRepository = ReturnType<typeof applicationRecordRepository>
