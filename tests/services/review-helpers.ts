// Review-desk test fixtures: clerks with roles, and applications waiting in a review stage with
// a complete, valid form and their attachments' metadata, inserted the way a submission leaves them.
import type { Role, Stage, Category, ApplicationType } from '../../src-preload/contract/vocab'
import type { StaffActor } from '../../src-main/core/context'
import { idCheckChar } from '../../src-main/core/domain/id-number'
import type { TestCore } from '../support/core'

export async function clerk(core: TestCore, username: string, displayName: string, roles: Role[]): Promise<StaffActor & { token: string }> {
  await core.services.staffAccounts.create(null, { username, displayName, roles, password: 'Clerk2026x' })
  const { token } = await core.services.staffAuth.login({ username, password: 'Clerk2026x' })
  return Object.assign(core.services.staffAuth.authenticate(token), { token })
}

let seq = 0
/** A valid ID number born on `birth` (YYYY-MM-DD) in Zhengzhou's 金水区. */
export function idNumberFor(birth: string, male = true): string {
  seq = (seq + 1) % 50
  const first17 = `410105${birth.replaceAll('-', '')}${String(seq).padStart(2, '0')}${male ? 1 : 2}`
  return first17 + idCheckChar(first17)
}

export interface SeedOptions {
  stage?: Stage
  category?: Category
  applicationType?: ApplicationType
  submittedAt?: string
  name?: string
  birth?: string
  phone?: string
  idNumber?: string
  schoolId?: number | null
  attachments?: string[]
  form?: Record<string, unknown>
}

export function seedApplication(core: TestCore, o: SeedOptions = {}): number {
  const { repos } = core.ctx
  const birth = o.birth ?? '1985-06-15'
  const idNumber = o.idNumber ?? idNumberFor(birth)
  const category = o.category ?? 'passenger'
  const submittedAt = o.submittedAt ?? '2026-11-23T10:00:00+08:00'
  const stage = o.stage ?? 'pre_review'
  const name = o.name ?? '张伟'
  const phone = o.phone ?? '13812345678'
  const form = {
    name,
    idNumber,
    phone,
    householdNonLocal: false,
    idIssuer: '郑州市公安局金水分局',
    gender: 'M',
    birthDate: birth,
    ethnicity: '01',
    education: '20',
    politicalStatus: '13',
    priorOccupation: '出租车司机',
    licenceNonLocal: false,
    licenceIssuer: '郑州市公安局交通警察支队',
    licenceFileNo: '410100123456',
    licenceClasses: category === 'passenger' ? ['A1'] : ['B2'],
    licenceFirstIssued: '2010-03-01',
    licenceIssued: '2016-03-01',
    licenceValidYears: '10',
    householdAddress: '河南省郑州市金水区花园路88号',
    currentAddress: '河南省郑州市金水区花园路88号院3号楼',
    collectMethod: 'pickup',
    trainingMode: 'self',
    ...(category === 'freight' ? { vehicleClass: 'B2', trainingCertNonLocal: true } : {}),
    ...o.form
  }
  const id = repos.applications.insert({
    applicantId: null,
    category,
    applicationType: o.applicationType ?? 'initial',
    stage,
    idNumber,
    name,
    phone,
    trainingSchoolId: o.schoolId ?? null,
    trainingNo: null,
    form,
    submittedAt,
    stageEnteredAt: submittedAt,
    enteredByStaff: null,
    now: submittedAt
  })
  repos.applications.insertEvent({ applicationId: id, at: submittedAt, event: 'submit', fromStage: 'draft', toStage: 'pre_review', actorType: 'applicant', actorId: null, actorName: name })
  const kinds = o.attachments ?? ['id_front', 'id_back', 'licence', 'no_accident', 'photo', ...(category === 'freight' ? ['training_cert'] : [])]
  const insert = core.ctx.db.prepare(
    `INSERT INTO attachments (application_id, kind, file_name, content_type, size, sha256, uploaded_at, uploaded_by_type)
     VALUES (?, ?, ?, 'image/png', 1000, ?, ?, 'applicant')`
  )
  for (const k of kinds) insert.run(id, k, `${k}.png`, 'a'.repeat(64), submittedAt)
  return id
}

export function stageOf(core: TestCore, id: number): Stage {
  return (core.ctx.db.prepare('SELECT stage FROM applications WHERE id = ?').get(id) as { stage: Stage }).stage
}

/** The applicant corrects and resubmits (as issue 3's submit does: stage, time, event). */
export function resubmit(core: TestCore, id: number, at: string) {
  core.ctx.db.prepare(`UPDATE applications SET stage = 'pre_review', submitted_at = ?, stage_entered_at = ? WHERE id = ? AND stage = 'returned'`).run(at, at, id)
  core.ctx.repos.applications.insertEvent({ applicationId: id, at, event: 'resubmit', fromStage: 'returned', toStage: 'pre_review', actorType: 'applicant', actorId: null, actorName: '申请人' })
}

export function auditActions(core: TestCore, targetId: number): string[] {
  return (core.ctx.db.prepare(`SELECT action FROM audit_log WHERE target_type = 'application' AND target_id = ? ORDER BY id`).all(String(targetId)) as { action: string }[]).map((r) => r.action)
}
