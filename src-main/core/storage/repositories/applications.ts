import type { ApplicationType, Category, Stage } from '../../../../src-preload/contract/vocab'
import type { Db } from '../database'

export interface NewApplication {
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
  enteredByStaff: number | null
  now: string
}

export interface NewApplicationEvent {
  applicationId: number
  at: string
  event: string
  fromStage: Stage | null
  toStage: Stage | null
  actorType: 'staff' | 'applicant' | 'system'
  actorId: number | null
  actorName: string | null
  detail?: unknown
}

export function applicationRepository(db: Db) {
  const countByStage = db.prepare<[], { stage: Stage; n: number }>(
    // application_counts is kept by triggers (migration 0003): a few rows, not 100,000 index entries.
    `SELECT stage, sum(n) AS n FROM application_counts
     WHERE stage IN ('pre_review', 'initial_review', 'fee_payment', 'exam', 'permit_approval', 'certificate', 'pickup')
     GROUP BY stage HAVING sum(n) > 0`
  )
  const insertApplicant = db.prepare(
    'INSERT INTO applicants (id_number, name, phone, password_hash, created_at) VALUES (@idNumber, @name, @phone, @passwordHash, @now)'
  )
  const insert = db.prepare(
    `INSERT INTO applications (applicant_id, category, application_type, stage, id_number, name, phone,
       training_school_id, training_no, form, submitted_at, stage_entered_at, entered_by_staff, created_at, updated_at)
     VALUES (@applicantId, @category, @applicationType, @stage, @idNumber, @name, @phone,
       @trainingSchoolId, @trainingNo, @form, @submittedAt, @stageEnteredAt, @enteredByStaff, @now, @now)`
  )
  const insertEvent = db.prepare(
    `INSERT INTO application_events (application_id, at, event, from_stage, to_stage, actor_type, actor_id, actor_name, detail)
     VALUES (@applicationId, @at, @event, @fromStage, @toStage, @actorType, @actorId, @actorName, @detail)`
  )
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM applications')
  return {
    countByStage: () => countByStage.all(),
    count: () => count.get()!.n,
    insertApplicant: (a: { idNumber: string; name: string; phone: string; passwordHash: string | null; now: string }) =>
      Number(insertApplicant.run(a).lastInsertRowid),
    insert: (a: NewApplication) => Number(insert.run({ ...a, form: JSON.stringify(a.form) }).lastInsertRowid),
    insertEvent: (e: NewApplicationEvent) =>
      insertEvent.run({ ...e, detail: e.detail === undefined ? null : JSON.stringify(e.detail) })
  }
}
export type ApplicationRepository = ReturnType<typeof applicationRepository>
