// Exam test fixtures: an exam clerk, passenger applications at the fee or exam stage with an app
// token, and sessions whose booking window is open now.
import type { StaffActor } from '../../src-main/core/context'
import { idCheckChar } from '../../src-main/core/domain/id-number'
import { hashToken, newToken } from '../../src-main/core/security'
import { toShanghaiIso } from '../../src-main/core/domain/time'
import type { TestCore } from '../support/core'

export async function examClerk(core: TestCore, username = 'kaowu1', displayName = '赵磊'): Promise<StaffActor & { token: string }> {
  await core.services.staffAccounts.create(null, { username, displayName, roles: ['exam_staff'], password: 'Clerk2026x' })
  const { token } = await core.services.staffAuth.login({ username, password: 'Clerk2026x' })
  return Object.assign(core.services.staffAuth.authenticate(token), { token })
}

let seq = 0
export interface ExamApplicant {
  applicationId: number
  applicantId: number
  idNumber: string
  name: string
  phone: string
  token: string
}

/** A passenger application accepted at initial review (stage fee_payment), owned by an app account with a live token. */
export function seedExamApplicant(core: TestCore, o: { name?: string; stage?: 'fee_payment' | 'exam'; birth?: string } = {}): ExamApplicant {
  seq++
  const birth = o.birth ?? new Date(Date.UTC(1975, 0, 1) + (seq % 9000) * 86400_000).toISOString().slice(0, 10)
  const first17 = `410105${birth.replaceAll('-', '')}${String(seq % 100).padStart(2, '0')}${seq % 2 ? 1 : 2}`
  const idNumber = first17 + idCheckChar(first17)
  const name = o.name ?? `考生${seq}`
  const phone = `139${String(10_000_000 + seq).slice(-8)}`
  const now = core.ctx.now()
  const { repos, db } = core.ctx
  return db.transaction(() => {
    const applicantId = repos.applications.insertApplicant({ idNumber, name, phone, passwordHash: null, now })
    const applicationId = repos.applications.insert({
      applicantId,
      category: 'passenger',
      applicationType: 'initial',
      stage: o.stage ?? 'fee_payment',
      idNumber,
      name,
      phone,
      trainingSchoolId: null,
      trainingNo: `2026${String(seq).padStart(6, '0')}`,
      form: { name, idNumber, phone, licenceClasses: ['A1'] },
      submittedAt: now,
      stageEnteredAt: now,
      enteredByStaff: null,
      now
    })
    const token = newToken()
    db.prepare('INSERT INTO applicant_tokens (token_hash, applicant_id, created_at, expires_ms) VALUES (?, ?, ?, ?)').run(hashToken(token), applicantId, now, core.ctx.clock().getTime() + 86400_000)
    return { applicationId, applicantId, idNumber, name, phone, token }
  })()
}

export function venueId(core: TestCore): number {
  const v = core.services.examSessions.venues()
  if (v.length) return v[0].id
  return core.ctx.repos.referenceData.insertVenue({ name: '郑州理论考点', address: '郑州市金水区文化路与东风路交叉口交通大厦三楼' }, core.ctx.now())
}

const DAY = 86400_000
/** A session `daysAhead` days from now, booking open from an hour ago until the day before. */
export function openSession(core: TestCore, clerk: StaffActor, o: { capacity?: number; subjects?: 'theory' | 'practical' | 'both'; daysAhead?: number; start?: string; end?: string } = {}) {
  const now = core.ctx.clock().getTime()
  const date = toShanghaiIso(new Date(now + (o.daysAhead ?? 3) * DAY)).slice(0, 10)
  return core.services.examSessions.create(clerk, {
    venueId: venueId(core),
    date,
    start: o.start ?? '09:00',
    end: o.end ?? '11:00',
    subjects: o.subjects ?? 'both',
    capacity: o.capacity ?? 30,
    bookingOpensAt: toShanghaiIso(new Date(now - 3600_000)),
    bookingClosesAt: toShanghaiIso(new Date(now + ((o.daysAhead ?? 3) - 1) * DAY))
  })
}
