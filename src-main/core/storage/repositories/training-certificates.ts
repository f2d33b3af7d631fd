// The 结业证 registry's SQL: records, the link to the application that used a record, and the
// import batches. Statements are prepared once; list filters are bound, never spliced.
import type Database from 'better-sqlite3'
import type { Stage } from '../../../../src-preload/contract/vocab'
import type { Db } from '../database'

export interface CertificateRecord {
  id: number
  schoolId: number
  schoolName: string
  schoolActive: boolean
  certificateNo: string
  idNumber: string
  name: string
  vehicleClass: string
  trainingStart: string
  trainingEnd: string
  issuedOn: string
  source: 'import' | 'manual' | 'demo'
  importBatchId: number | null
  createdAt: string
  createdByName: string | null
  revokedAt: string | null
  revokedByName: string | null
  revokeReason: string | null
  /** the application that used this record, and where it stands */
  applicationId: number | null
  applicationStage: Stage | null
  applicationApplicantId: number | null
  linkedAt: string | null
}

interface Row {
  id: number
  school_id: number
  school_name: string
  school_active: number
  certificate_no: string
  id_number: string
  name: string
  vehicle_class: string
  training_start: string
  training_end: string
  issued_on: string
  source: 'import' | 'manual' | 'demo'
  import_batch_id: number | null
  created_at: string
  created_by_name: string | null
  revoked_at: string | null
  revoked_by_name: string | null
  revoke_reason: string | null
  application_id: number | null
  application_stage: Stage | null
  application_applicant_id: number | null
  linked_at: string | null
}

const toRecord = (r: Row): CertificateRecord => ({
  id: r.id,
  schoolId: r.school_id,
  schoolName: r.school_name,
  schoolActive: r.school_active === 1,
  certificateNo: r.certificate_no,
  idNumber: r.id_number,
  name: r.name,
  vehicleClass: r.vehicle_class,
  trainingStart: r.training_start,
  trainingEnd: r.training_end,
  issuedOn: r.issued_on,
  source: r.source,
  importBatchId: r.import_batch_id,
  createdAt: r.created_at,
  createdByName: r.created_by_name,
  revokedAt: r.revoked_at,
  revokedByName: r.revoked_by_name,
  revokeReason: r.revoke_reason,
  applicationId: r.application_id,
  applicationStage: r.application_stage,
  applicationApplicantId: r.application_applicant_id,
  linkedAt: r.linked_at
})

export interface NewCertificate {
  schoolId: number
  certificateNo: string
  idNumber: string
  name: string
  vehicleClass: string
  trainingStart: string
  trainingEnd: string
  issuedOn: string
  source: 'import' | 'manual' | 'demo'
  importBatchId: number | null
  by: number | null
  now: string
}

export interface CertificateQuery {
  schoolId?: number
  vehicleClass?: string
  status?: 'valid' | 'revoked' | 'used' | 'unused'
  /** an 18-character ID number (exact), a certificate number prefix, or a name prefix */
  search?: { kind: 'id' | 'no' | 'name'; value: string }
}

export interface BatchRecord {
  id: number
  schoolId: number
  schoolName: string
  fileName: string
  sha256: string
  status: 'previewed' | 'committed' | 'discarded'
  totalRows: number
  newRows: number
  unchangedRows: number
  errorRows: number
  createdRows: number | null
  rows: string
  createdAt: string
  createdBy: number
  createdByName: string | null
  committedAt: string | null
  committedByName: string | null
}

const SELECT = `
  SELECT t.id, t.school_id, s.name AS school_name, s.active AS school_active, t.certificate_no, t.id_number, t.name,
         t.vehicle_class, t.training_start, t.training_end, t.issued_on, t.source, t.import_batch_id, t.created_at,
         cb.display_name AS created_by_name, t.revoked_at, rb.display_name AS revoked_by_name, t.revoke_reason,
         u.application_id, a.stage AS application_stage, a.applicant_id AS application_applicant_id, u.linked_at
  FROM training_certificates t
  JOIN training_schools s ON s.id = t.school_id
  LEFT JOIN staff cb ON cb.id = t.created_by
  LEFT JOIN staff rb ON rb.id = t.revoked_by
  LEFT JOIN training_certificate_uses u ON u.certificate_id = t.id
  LEFT JOIN applications a ON a.id = u.application_id`

const MAX_CHAR = '\u{10FFFF}'

export function trainingCertificateRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO training_certificates (school_id, certificate_no, id_number, name, vehicle_class, training_start, training_end,
       issued_on, source, import_batch_id, created_at, created_by)
     VALUES (@schoolId, @certificateNo, @idNumber, @name, @vehicleClass, @trainingStart, @trainingEnd,
       @issuedOn, @source, @importBatchId, @now, @by)`
  )
  const byId = db.prepare<[number], Row>(`${SELECT} WHERE t.id = ?`)
  const bySchoolNo = db.prepare<[number, string], Row>(`${SELECT} WHERE t.school_id = ? AND t.certificate_no = ? ORDER BY t.id`)
  const ofPerson = db.prepare<[string, string], Row>(`${SELECT} WHERE t.id_number = ? AND t.vehicle_class = ? ORDER BY t.issued_on DESC, t.id DESC`)
  const ofApplication = db.prepare<[number], Row>(`${SELECT} WHERE u.application_id = ?`)
  const revoke = db.prepare(
    `UPDATE training_certificates SET revoked_at = @now, revoked_by = @by, revoke_reason = @reason WHERE id = @id AND revoked_at IS NULL`
  )
  const link = db.prepare('INSERT INTO training_certificate_uses (certificate_id, application_id, linked_at) VALUES (@certificateId, @applicationId, @now)')
  const unlinkApplication = db.prepare('DELETE FROM training_certificate_uses WHERE application_id = ?')
  const unlinkCertificate = db.prepare('DELETE FROM training_certificate_uses WHERE certificate_id = ?')
  const revokedLinked = db.prepare<[string], { application_id: number }>(
    `SELECT u.application_id FROM training_certificate_uses u JOIN training_certificates t ON t.id = u.certificate_id
     WHERE t.revoked_at IS NOT NULL AND u.application_id IN (SELECT value FROM json_each(?))`
  )

  const insertBatch = db.prepare(
    `INSERT INTO training_import_batches (school_id, file_name, file_sha256, status, total_rows, new_rows, unchanged_rows, error_rows, rows, created_at, created_by)
     VALUES (@schoolId, @fileName, @sha256, 'previewed', @total, @newRows, @unchanged, @errors, @rows, @now, @by)`
  )
  const batchSelect = `
    SELECT b.id, b.school_id AS schoolId, s.name AS schoolName, b.file_name AS fileName, b.file_sha256 AS sha256, b.status,
           b.total_rows AS totalRows, b.new_rows AS newRows, b.unchanged_rows AS unchangedRows, b.error_rows AS errorRows,
           b.created_rows AS createdRows, b.rows, b.created_at AS createdAt, b.created_by AS createdBy, cb.display_name AS createdByName,
           b.committed_at AS committedAt, mb.display_name AS committedByName
    FROM training_import_batches b JOIN training_schools s ON s.id = b.school_id
    LEFT JOIN staff cb ON cb.id = b.created_by LEFT JOIN staff mb ON mb.id = b.committed_by`
  const batch = db.prepare<[number], BatchRecord>(`${batchSelect} WHERE b.id = ?`)
  const recentBatches = db.prepare<[], BatchRecord>(`${batchSelect} ORDER BY b.id DESC LIMIT 20`)
  const committedWithSha = db.prepare<[string, number], { id: number; committedAt: string }>(
    `SELECT id, committed_at AS committedAt FROM training_import_batches WHERE file_sha256 = ? AND school_id = ? AND status = 'committed' ORDER BY id DESC LIMIT 1`
  )
  const commitBatch = db.prepare(
    `UPDATE training_import_batches SET status = 'committed', created_rows = @created, committed_at = @now, committed_by = @by WHERE id = @id AND status = 'previewed'`
  )
  // The demo office (demo-data.ts): its freight applications, and their form's chosen record.
  const demoFreight = db.prepare<[], { id: number; idNumber: string; name: string; stage: Stage; schoolId: number | null; form: string; createdAt: string }>(
    `SELECT id, id_number AS idNumber, name, stage, training_school_id AS schoolId, form, created_at AS createdAt
     FROM applications WHERE category = 'freight' ORDER BY id`
  )
  const setFormCertificate = db.prepare(`UPDATE applications SET form = json_set(form, '$.trainingCertificateId', @certificateId) WHERE id = @applicationId`)
  const discardBatch = db.prepare(`UPDATE training_import_batches SET status = 'discarded' WHERE id = ? AND status = 'previewed'`)

  // List pages: one statement per filter shape, prepared once and cached.
  const cache = new Map<string, Database.Statement>()
  function where(q: CertificateQuery) {
    const parts: string[] = []
    const params: Record<string, unknown> = {}
    if (q.schoolId) (parts.push('t.school_id = @schoolId'), (params.schoolId = q.schoolId))
    if (q.vehicleClass) (parts.push('t.vehicle_class = @vehicleClass'), (params.vehicleClass = q.vehicleClass))
    if (q.status === 'valid') parts.push('t.revoked_at IS NULL')
    if (q.status === 'revoked') parts.push('t.revoked_at IS NOT NULL')
    if (q.status === 'used') parts.push('u.application_id IS NOT NULL')
    if (q.status === 'unused') parts.push('t.revoked_at IS NULL AND u.application_id IS NULL')
    if (q.search?.kind === 'id') (parts.push('t.id_number = @value'), (params.value = q.search.value))
    if (q.search?.kind === 'no') {
      parts.push('t.certificate_no >= @lo AND t.certificate_no < @hi')
      params.lo = q.search.value
      params.hi = q.search.value + MAX_CHAR
    }
    if (q.search?.kind === 'name') {
      parts.push('t.name >= @lo AND t.name < @hi')
      params.lo = q.search.value
      params.hi = q.search.value + MAX_CHAR
    }
    const key = [!!q.schoolId, !!q.vehicleClass, q.status ?? '', q.search?.kind ?? ''].join('|')
    return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params, key }
  }
  function statement(kind: 'page' | 'count', q: CertificateQuery) {
    const w = where(q)
    const key = `${kind}|${w.key}`
    let st = cache.get(key)
    if (!st) {
      st = db.prepare(
        kind === 'page'
          ? `${SELECT} ${w.sql} ORDER BY t.id DESC LIMIT @limit OFFSET @offset`
          : `SELECT count(*) AS n FROM training_certificates t LEFT JOIN training_certificate_uses u ON u.certificate_id = t.id ${w.sql}`
      )
      cache.set(key, st)
    }
    return { st, params: w.params }
  }

  const one = (r: Row | undefined) => (r ? toRecord(r) : undefined)
  return {
    insert: (c: NewCertificate) => Number(insert.run(c).lastInsertRowid),
    get: (id: number) => one(byId.get(id)),
    bySchoolNo: (schoolId: number, no: string) => bySchoolNo.all(schoolId, no).map(toRecord),
    ofPerson: (idNumber: string, vehicleClass: string) => ofPerson.all(idNumber, vehicleClass).map(toRecord),
    ofApplication: (applicationId: number) => one(ofApplication.get(applicationId)),
    page(q: CertificateQuery, limit: number, offset: number) {
      const p = statement('page', q)
      const c = statement('count', q)
      return {
        rows: (p.st.all({ ...p.params, limit, offset }) as Row[]).map(toRecord),
        total: (c.st.get(c.params) as { n: number }).n
      }
    },
    revoke: (id: number, reason: string, by: number, now: string) => revoke.run({ id, reason, by, now }).changes === 1,
    /** Throws SQLITE_CONSTRAINT when the record or the application is already linked. */
    link: (certificateId: number, applicationId: number, now: string) => link.run({ certificateId, applicationId, now }),
    unlinkApplication: (applicationId: number) => unlinkApplication.run(applicationId).changes,
    unlinkCertificate: (certificateId: number) => unlinkCertificate.run(certificateId).changes,
    /** Of these applications, those whose linked record has been revoked. */
    revokedLinked: (applicationIds: readonly number[]) =>
      new Set(applicationIds.length ? revokedLinked.all(JSON.stringify(applicationIds)).map((r) => r.application_id) : []),

    insertBatch: (b: { schoolId: number; fileName: string; sha256: string; total: number; newRows: number; unchanged: number; errors: number; rows: unknown; by: number; now: string }) =>
      Number(insertBatch.run({ ...b, rows: JSON.stringify(b.rows) }).lastInsertRowid),
    batch: (id: number) => batch.get(id),
    recentBatches: () => recentBatches.all(),
    committedWithSha: (sha: string, schoolId: number) => committedWithSha.get(sha, schoolId),
    commitBatch: (id: number, created: number, by: number, now: string) => commitBatch.run({ id, created, by, now }).changes === 1,
    discardBatch: (id: number) => discardBatch.run(id).changes === 1,
    demoFreightApplications: () => demoFreight.all().map((a) => ({ ...a, form: JSON.parse(a.form) as { vehicleClass?: string; trainingCertNonLocal?: boolean } })),
    demoSetFormCertificate: (applicationId: number, certificateId: number) => setFormCertificate.run({ applicationId, certificateId })
  }
}
export type TrainingCertificateRepository = ReturnType<typeof trainingCertificateRepository>
