// Training schools (培训机构) as the administrator keeps them. The applicant API's list of active
// schools is read by the applications area (application-records.ts); this is the full record.
import type { Db } from '../database'

export interface SchoolRecord {
  id: number
  name: string
  address: string
  phone: string
  licenceNo: string
  active: boolean
  createdAt: string
  updatedAt: string | null
  /** 结业证 records of this school that are not revoked */
  validCertificates: number
}

interface Row {
  id: number
  name: string
  address: string
  phone: string
  licence_no: string
  active: number
  created_at: string
  updated_at: string | null
  valid_certificates: number
}

const toRecord = (r: Row): SchoolRecord => ({
  id: r.id,
  name: r.name,
  address: r.address,
  phone: r.phone,
  licenceNo: r.licence_no,
  active: r.active === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  validCertificates: r.valid_certificates
})

export interface SchoolFields {
  name: string
  address: string
  phone: string
  licenceNo: string
  active: boolean
}

export function schoolRepository(db: Db) {
  const cols = `s.*, (SELECT count(*) FROM training_certificates t WHERE t.school_id = s.id AND t.revoked_at IS NULL) AS valid_certificates`
  const all = db.prepare<[], Row>(`SELECT ${cols} FROM training_schools s ORDER BY s.active DESC, s.id`)
  const byId = db.prepare<[number], Row>(`SELECT ${cols} FROM training_schools s WHERE s.id = ?`)
  const byName = db.prepare<[string], { id: number }>('SELECT id FROM training_schools WHERE name = ?')
  const insert = db.prepare(
    `INSERT INTO training_schools (name, address, phone, licence_no, active, created_at, updated_at, updated_by)
     VALUES (@name, @address, @phone, @licenceNo, @active, @now, @now, @by)`
  )
  const update = db.prepare(
    `UPDATE training_schools SET name = @name, address = @address, phone = @phone, licence_no = @licenceNo, active = @active,
       updated_at = @now, updated_by = @by WHERE id = @id`
  )
  return {
    list: () => all.all().map(toRecord),
    get: (id: number) => {
      const r = byId.get(id)
      return r ? toRecord(r) : undefined
    },
    idByName: (name: string) => byName.get(name)?.id,
    insert: (f: SchoolFields, by: number | null, now: string) => Number(insert.run({ ...f, active: f.active ? 1 : 0, by, now }).lastInsertRowid),
    update: (id: number, f: SchoolFields, by: number, now: string) => update.run({ ...f, id, active: f.active ? 1 : 0, by, now }).changes === 1
  }
}
export type SchoolRepository = ReturnType<typeof schoolRepository>
