// Certificates, card stock, print jobs, every used serial, handovers and the overlay calibration.
import type { Category } from '../../../../src-preload/contract/vocab'
import type { Db } from '../database'

export interface CertificateRecord {
  id: number
  applicationId: number
  certificateNo: string
  category: Category
  holderName: string
  gender: 'M' | 'F'
  birthDate: string
  nationality: string
  address: string
  vehicleClasses: string[]
  firstIssuedOn: string
  issuedOn: string
  validUntil: string
  issuingAuthority: string
  photoSha256: string | null
  status: 'active' | 'superseded' | 'revoked'
  currentSerial: string | null
  supersededBy: number | null
  createdAt: string
}

export interface StockRangeRecord {
  id: number
  firstSerial: string
  lastSerial: string
  nextSerial: string | null
  note: string | null
  createdAt: string
}

export interface PrintRecord {
  id: number
  serial: string
  rangeId: number
  certificateId: number | null
  jobId: number | null
  reason: 'issue' | 'reprint' | 'replacement' | 'spoiled_retry' | 'blank_void'
  status: 'printed' | 'spoiled' | 'superseded' | 'voided'
  printedAt: string
  printedByName: string
  voidedAt: string | null
  voidReason: string | null
}

export interface HandoverRecord {
  id: number
  certificateId: number
  applicationId: number
  serial: string
  method: 'pickup' | 'mail'
  collector: 'holder' | 'agent' | null
  collectorName: string | null
  collectorIdNumber: string | null
  idChecked: boolean
  carrier: string | null
  waybillNo: string | null
  mailAddress: string | null
  note: string | null
  handedOverAt: string
  handedOverByName: string
}

const CERT_COLUMNS = `id, application_id AS applicationId, certificate_no AS certificateNo, category, holder_name AS holderName,
  gender, birth_date AS birthDate, nationality, address, vehicle_classes AS vehicleClasses, first_issued_on AS firstIssuedOn,
  issued_on AS issuedOn, valid_until AS validUntil, issuing_authority AS issuingAuthority, photo_sha256 AS photoSha256,
  status, current_serial AS currentSerial, superseded_by AS supersededBy, created_at AS createdAt`
const PRINT_COLUMNS = `id, serial, range_id AS rangeId, certificate_id AS certificateId, job_id AS jobId, reason, status,
  printed_at AS printedAt, printed_by_name AS printedByName, voided_at AS voidedAt, void_reason AS voidReason`
const HANDOVER_COLUMNS = `id, certificate_id AS certificateId, application_id AS applicationId, serial, method, collector,
  collector_name AS collectorName, collector_id_number AS collectorIdNumber, id_checked AS idChecked, carrier, waybill_no AS waybillNo,
  mail_address AS mailAddress, note, handed_over_at AS handedOverAt, handed_over_by_name AS handedOverByName`

type CertRow = Omit<CertificateRecord, 'vehicleClasses'> & { vehicleClasses: string }
const toCert = (r: CertRow | undefined): CertificateRecord | undefined => (r ? { ...r, vehicleClasses: JSON.parse(r.vehicleClasses) as string[] } : undefined)

export function certificateRepository(db: Db) {
  const certByApp = db.prepare<[number], CertRow>(`SELECT ${CERT_COLUMNS} FROM certificates WHERE application_id = ?`)
  const certById = db.prepare<[number], CertRow>(`SELECT ${CERT_COLUMNS} FROM certificates WHERE id = ?`)
  const certsByApps = db.prepare<[string], CertRow>(`SELECT ${CERT_COLUMNS} FROM certificates WHERE application_id IN (SELECT value FROM json_each(?))`)
  const activeByNo = db.prepare<[string, string], CertRow>(`SELECT ${CERT_COLUMNS} FROM certificates WHERE certificate_no = ? AND category = ? AND status = 'active'`)
  const search = db.prepare<Record<string, unknown>, CertRow>(
    `SELECT ${CERT_COLUMNS} FROM certificates
     WHERE certificate_no = @q OR holder_name = @q OR current_serial = @q
        OR id IN (SELECT certificate_id FROM certificate_prints WHERE serial = @q)
     ORDER BY id DESC LIMIT 50`
  )
  const recent = db.prepare<[number], CertRow>(`SELECT ${CERT_COLUMNS} FROM certificates ORDER BY id DESC LIMIT ?`)
  const insertCert = db.prepare(
    `INSERT INTO certificates (application_id, certificate_no, category, holder_name, gender, birth_date, nationality, address,
       vehicle_classes, first_issued_on, issued_on, valid_until, issuing_authority, photo_sha256, status, current_serial, created_at, created_by)
     VALUES (@applicationId, @certificateNo, @category, @holderName, @gender, @birthDate, @nationality, @address,
       @vehicleClasses, @firstIssuedOn, @issuedOn, @validUntil, @issuingAuthority, @photoSha256, 'active', NULL, @now, @by)`
  )
  const supersede = db.prepare(`UPDATE certificates SET status = 'superseded' WHERE id = ? AND status = 'active'`)
  const linkSuperseded = db.prepare('UPDATE certificates SET superseded_by = @by WHERE id = @id')
  const setSerial = db.prepare('UPDATE certificates SET current_serial = @serial WHERE id = @id')

  const ranges = db.prepare<[], StockRangeRecord>(
    `SELECT id, first_serial AS firstSerial, last_serial AS lastSerial, next_serial AS nextSerial, note, created_at AS createdAt
     FROM certificate_stock_ranges ORDER BY first_serial`
  )
  const openRanges = db.prepare<[], StockRangeRecord>(
    `SELECT id, first_serial AS firstSerial, last_serial AS lastSerial, next_serial AS nextSerial, note, created_at AS createdAt
     FROM certificate_stock_ranges WHERE next_serial IS NOT NULL ORDER BY id`
  )
  const insertRange = db.prepare(
    `INSERT INTO certificate_stock_ranges (first_serial, last_serial, next_serial, note, created_at, created_by)
     VALUES (@firstSerial, @lastSerial, @firstSerial, @note, @now, @by)`
  )
  // Moves a cursor only from where the plan saw it: a concurrent print makes this change nothing.
  const advanceRange = db.prepare(
    'UPDATE certificate_stock_ranges SET next_serial = @next WHERE id = @id AND next_serial IS @expected'
  )
  const usedInRange = db.prepare<[], { rangeId: number; status: string; n: number }>(
    'SELECT range_id AS rangeId, status, count(*) AS n FROM certificate_prints GROUP BY range_id, status'
  )

  const insertJob = db.prepare(
    `INSERT INTO certificate_print_jobs (kind, layout, pages, file_name, file_sha256, offsets, created_at, created_by, created_by_name)
     VALUES (@kind, @layout, @pages, @fileName, @fileSha256, @offsets, @now, @staffId, @staffName)`
  )
  const jobById = db.prepare<[number], { id: number; kind: string; layout: string; pages: number; fileName: string; createdAt: string; createdByName: string }>(
    `SELECT id, kind, layout, pages, file_name AS fileName, created_at AS createdAt, created_by_name AS createdByName FROM certificate_print_jobs WHERE id = ?`
  )
  const insertPrint = db.prepare(
    `INSERT INTO certificate_prints (serial, range_id, certificate_id, job_id, reason, status, printed_at, printed_by, printed_by_name, voided_at, voided_by, void_reason)
     VALUES (@serial, @rangeId, @certificateId, @jobId, @reason, @status, @now, @staffId, @staffName, @voidedAt, @voidedBy, @voidReason)`
  )
  const printBySerial = db.prepare<[string], PrintRecord>(`SELECT ${PRINT_COLUMNS} FROM certificate_prints WHERE serial = ?`)
  const printById = db.prepare<[number], PrintRecord>(`SELECT ${PRINT_COLUMNS} FROM certificate_prints WHERE id = ?`)
  const printsOfCert = db.prepare<[number], PrintRecord>(`SELECT ${PRINT_COLUMNS} FROM certificate_prints WHERE certificate_id = ? ORDER BY id`)
  const printsOfJob = db.prepare<[number], PrintRecord>(`SELECT ${PRINT_COLUMNS} FROM certificate_prints WHERE job_id = ? ORDER BY id`)
  const recentPrints = db.prepare<[number], PrintRecord & { holderName: string | null; certificateNo: string | null }>(
    `SELECT p.id, p.serial, p.range_id AS rangeId, p.certificate_id AS certificateId, p.job_id AS jobId, p.reason, p.status,
       p.printed_at AS printedAt, p.printed_by_name AS printedByName, p.voided_at AS voidedAt, p.void_reason AS voidReason,
       c.holder_name AS holderName, c.certificate_no AS certificateNo
     FROM certificate_prints p LEFT JOIN certificates c ON c.id = p.certificate_id ORDER BY p.id DESC LIMIT ?`
  )
  const voidPrint = db.prepare(
    `UPDATE certificate_prints SET status = @status, voided_at = @now, voided_by = @staffId, void_reason = @reason WHERE id = @id AND status = 'printed'`
  )

  const insertHandover = db.prepare(
    `INSERT INTO certificate_handovers (certificate_id, application_id, serial, method, collector, collector_name, collector_id_number,
       id_checked, carrier, waybill_no, mail_address, note, handed_over_at, handed_over_by, handed_over_by_name)
     VALUES (@certificateId, @applicationId, @serial, @method, @collector, @collectorName, @collectorIdNumber,
       @idChecked, @carrier, @waybillNo, @mailAddress, @note, @now, @staffId, @staffName)`
  )
  const handoversOfCert = db.prepare<[number], Omit<HandoverRecord, "idChecked"> & { idChecked: number }>(`SELECT ${HANDOVER_COLUMNS} FROM certificate_handovers WHERE certificate_id = ? ORDER BY id`)

  const calibration = db.prepare<[string], { xMm: number; yMm: number; updatedAt: string }>(
    'SELECT offset_x_mm AS xMm, offset_y_mm AS yMm, updated_at AS updatedAt FROM print_calibration WHERE profile = ?'
  )
  const saveCalibration = db.prepare(
    `INSERT INTO print_calibration (profile, offset_x_mm, offset_y_mm, updated_at, updated_by) VALUES (@profile, @xMm, @yMm, @now, @by)
     ON CONFLICT (profile) DO UPDATE SET offset_x_mm = excluded.offset_x_mm, offset_y_mm = excluded.offset_y_mm,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`
  )

  // The photo to print: the application's current 近期免冠照片 (attachments come from the applicant API's migration).
  let photoStmt: { get(id: number): { sha256: string; contentType: string } | undefined } | null = null
  const photoOf = (applicationId: number) => {
    try {
      photoStmt ??= db.prepare<[number], { sha256: string; contentType: string }>(
        `SELECT sha256, content_type AS contentType FROM attachments WHERE application_id = ? AND kind = 'photo' AND replaced_at IS NULL`
      )
      return photoStmt.get(applicationId)
    } catch {
      return undefined
    }
  }

  return {
    certByApp: (applicationId: number) => toCert(certByApp.get(applicationId)),
    certById: (id: number) => toCert(certById.get(id)),
    certsByApps: (ids: number[]) => (ids.length ? certsByApps.all(JSON.stringify(ids)).map((r) => toCert(r)!) : []),
    activeByNo: (no: string, category: Category) => toCert(activeByNo.get(no, category)),
    search: (q: string) => search.all({ q }).map((r) => toCert(r)!),
    recent: (limit: number) => recent.all(limit).map((r) => toCert(r)!),
    insertCert: (c: Omit<CertificateRecord, 'id' | 'status' | 'currentSerial' | 'supersededBy' | 'createdAt'> & { now: string; by: number }) =>
      Number(insertCert.run({ ...c, vehicleClasses: JSON.stringify(c.vehicleClasses) }).lastInsertRowid),
    /** The earlier certificate stops being the active one (before the new one is inserted: one active per number). */
    supersede: (id: number) => supersede.run(id).changes === 1,
    linkSuperseded: (id: number, by: number) => linkSuperseded.run({ id, by }),
    setSerial: (id: number, serial: string) => setSerial.run({ id, serial }),

    ranges: () => ranges.all(),
    openRanges: () => openRanges.all(),
    insertRange: (r: { firstSerial: string; lastSerial: string; note: string | null; now: string; by: number }) => Number(insertRange.run(r).lastInsertRowid),
    advanceRange: (id: number, expected: string | null, next: string | null) => advanceRange.run({ id, expected, next }).changes === 1,
    usedInRanges: () => usedInRange.all(),

    insertJob: (j: { kind: string; layout: string; pages: number; fileName: string; fileSha256: string; offsets: unknown; now: string; staffId: number; staffName: string }) =>
      Number(insertJob.run({ ...j, offsets: j.offsets == null ? null : JSON.stringify(j.offsets) }).lastInsertRowid),
    jobById: (id: number) => jobById.get(id),
    insertPrint: (p: {
      serial: string
      rangeId: number
      certificateId: number | null
      jobId: number | null
      reason: PrintRecord['reason']
      status: PrintRecord['status']
      now: string
      staffId: number
      staffName: string
      voidedAt?: string | null
      voidedBy?: number | null
      voidReason?: string | null
    }) => Number(insertPrint.run({ voidedAt: null, voidedBy: null, voidReason: null, ...p }).lastInsertRowid),
    printBySerial: (serial: string) => printBySerial.get(serial),
    printById: (id: number) => printById.get(id),
    printsOfCert: (id: number) => printsOfCert.all(id),
    printsOfJob: (id: number) => printsOfJob.all(id),
    recentPrints: (limit: number) => recentPrints.all(limit),
    voidPrint: (id: number, status: 'spoiled' | 'superseded', reason: string, now: string, staffId: number) =>
      voidPrint.run({ id, status, reason, now, staffId }).changes === 1,

    insertHandover: (h: Omit<HandoverRecord, 'id' | 'handedOverAt' | 'handedOverByName' | 'idChecked'> & { idChecked: boolean; now: string; staffId: number; staffName: string }) =>
      Number(insertHandover.run({ ...h, idChecked: h.idChecked ? 1 : 0 }).lastInsertRowid),
    handoversOfCert: (id: number): HandoverRecord[] => handoversOfCert.all(id).map((h) => ({ ...h, idChecked: h.idChecked === 1 })),

    calibration: (profile = 'default') => calibration.get(profile),
    saveCalibration: (c: { profile?: string; xMm: number; yMm: number; now: string; by: number }) => saveCalibration.run({ profile: 'default', ...c }),

    photoOf
  }
}
export type CertificateRepository = ReturnType<typeof certificateRepository>
