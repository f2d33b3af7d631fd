// Fixtures for the permit and certificate desks: a supervisor and an issuing clerk, applications
// brought to 许可审批 through the real state machine (with their history), a photo attachment
// stored the way the applicant API stores it, and card stock.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { StaffActor } from '../../src-main/core/context'
import type { Category, Role, Stage } from '../../src-preload/contract/vocab'
import { idCheckChar } from '../../src-main/core/domain/id-number'
import { transition, type WorkflowEvent } from '../../src-main/core/domain/workflow'
import { attachmentRepository } from '../../src-main/core/storage/repositories/attachments'
import type { TestCore } from '../support/core'

export const PHOTO = readFileSync(resolve(__dirname, '../fixtures/certificates-photo.jpg'))

export async function staffWith(core: TestCore, username: string, displayName: string, roles: Role[]): Promise<StaffActor & { token: string }> {
  await core.services.staffAccounts.create(null, { username, displayName, roles, password: 'Staff2026x' })
  const { token } = await core.services.staffAuth.login({ username, password: 'Staff2026x' })
  return Object.assign(core.services.staffAuth.authenticate(token), { token })
}
export const supervisor = (core: TestCore) => staffWith(core, 'shenpi1', '陈志强', ['supervisor'])
export const issuer = (core: TestCore) => staffWith(core, 'fazheng1', '刘芳', ['issuer'])

let seq = 0
export interface SeededApplication {
  applicationId: number
  idNumber: string
  name: string
  phone: string
}

const PATH: Record<Category, WorkflowEvent[]> = {
  passenger: ['submit', 'pre_review_pass', 'initial_review_pass', 'fee_paid', 'exams_passed'],
  freight: ['submit', 'pre_review_pass', 'initial_review_pass']
}
const MORE: Partial<Record<Stage, WorkflowEvent[]>> = {
  permit_approval: [],
  certificate: ['permit_approve'],
  pickup: ['permit_approve', 'certificate_printed']
}
const ROLES_OF: Partial<Record<WorkflowEvent, string>> = {
  pre_review_pass: 'pre_reviewer',
  initial_review_pass: 'initial_reviewer',
  exams_passed: 'exam_staff',
  permit_approve: 'supervisor',
  certificate_printed: 'issuer'
}

/** An application walked to `stage` (default 许可审批) by the state machine, its history recorded. */
export function seedApplication(
  core: TestCore,
  o: { stage?: 'permit_approval' | 'certificate'; category?: Category; name?: string; photo?: Buffer | null; collectMethod?: 'pickup' | 'mail'; applicationType?: 'initial' | 'add_class'; idNumber?: string; classes?: string[] } = {}
): SeededApplication {
  seq++
  const category = o.category ?? 'passenger'
  const birth = new Date(Date.UTC(1970, 0, 1) + ((seq * 37) % 9000) * 86400_000).toISOString().slice(0, 10)
  const first17 = `410105${birth.replaceAll('-', '')}${String(seq % 100).padStart(2, '0')}${seq % 2 ? 1 : 2}`
  const idNumber = o.idNumber ?? first17 + idCheckChar(first17)
  const name = o.name ?? `申请人${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}${seq}`
  const phone = `138${String(10_000_000 + seq).slice(-8)}`
  const { repos, db } = core.ctx
  const now = core.ctx.now()
  const app = db.transaction(() => {
    const existing = db.prepare('SELECT id FROM applicants WHERE id_number = ?').get(idNumber) as { id: number } | undefined
    const applicantId = existing?.id ?? repos.applications.insertApplicant({ idNumber, name, phone, passwordHash: null, now })
    const events = [...PATH[category], ...(MORE[o.stage ?? 'permit_approval'] ?? [])]
    let stage: Stage = 'draft'
    const history: { event: WorkflowEvent; from: Stage; to: Stage }[] = []
    for (const ev of events) {
      const role = ROLES_OF[ev]
      const r = transition({ stage, category }, ev, role ? { kind: 'staff', roles: [role as never] } : ev === 'fee_paid' ? { kind: 'system' } : { kind: 'applicant' })
      if (!r.ok) throw new Error(r.reason)
      history.push({ event: ev, from: stage, to: r.stage })
      stage = r.stage
    }
    const classes = o.classes ?? (category === 'passenger' ? ['A1', 'C1'] : ['B2'])
    const applicationId = repos.applications.insert({
      applicantId,
      category,
      applicationType: o.applicationType ?? 'initial',
      stage,
      idNumber,
      name,
      phone,
      trainingSchoolId: null,
      trainingNo: `2026${String(500000 + seq).padStart(6, '0')}`,
      form: {
        name,
        idNumber,
        phone,
        gender: Number(idNumber[16]) % 2 ? 'M' : 'F',
        birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
        householdAddress: '河南省郑州市金水区花园路18号院3号楼',
        currentAddress: '河南省郑州市管城回族区商都路66号',
        licenceClasses: classes,
        ...(category === 'freight' ? { vehicleClass: classes[0] } : {}),
        collectMethod: o.collectMethod ?? 'pickup',
        ...(o.collectMethod === 'mail' ? { mailAddress: '河南省郑州市二七区大学路南段88号' } : {})
      },
      submittedAt: now,
      stageEnteredAt: now,
      enteredByStaff: null,
      now
    })
    for (const h of history) {
      repos.applications.insertEvent({ applicationId, at: now, event: h.event, fromStage: h.from, toStage: h.to, actorType: 'system', actorId: null, actorName: '测试', detail: undefined })
    }
    return { applicationId, idNumber, name, phone }
  })()
  const photo = o.photo === undefined ? PHOTO : o.photo
  if (photo) attachPhoto(core, app.applicationId, photo)
  return app
}

/** Stores `bytes` as the application's 近期免冠照片, as the applicant API does (file by SHA-256 + metadata row). */
export function attachPhoto(core: TestCore, applicationId: number, bytes: Buffer, contentType: 'image/jpeg' | 'image/png' | 'application/pdf' = 'image/jpeg') {
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const dir = join(core.dataDir, 'attachments', sha256.slice(0, 2))
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, sha256), bytes)
  attachmentRepository(core.ctx.db).insert({ applicationId, kind: 'photo', fileName: 'photo.jpg', contentType, size: bytes.length, sha256, uploadedAt: core.ctx.now(), uploadedByType: 'applicant', uploadedById: null })
}

export function addStock(core: TestCore, actor: StaffActor, first = '4101000001', last = '4101000100') {
  return core.services.certificates.addStock(actor, { firstSerial: first, lastSerial: last, note: '2026年第1批证卡' })
}

/** Prints and waits for the job (as the desk does by polling). */
export async function printNow(core: TestCore, actor: StaffActor, applicationIds: number[], layout: 'full' | 'overlay' = 'full') {
  const started = core.services.certificates.print(actor, { applicationIds, layout })
  return core.services.certificates.waitForJob(started.jobId)
}

export function stageOf(core: TestCore, applicationId: number): Stage {
  return (core.ctx.db.prepare('SELECT stage FROM applications WHERE id = ?').get(applicationId) as { stage: Stage }).stage
}

export function auditActions(core: TestCore, targetId?: string | number) {
  return core.services.auditLog.list({ page: 1, pageSize: 200, targetId: targetId === undefined ? undefined : String(targetId) }).rows.map((r) => r.action)
}
