// The server side of bench/booking.bench.ts: a real core on a temp data folder with one 30-seat
// session and 1,000 paid applicants with app tokens, then the real HTTP server on loopback.
// Prints one JSON line: {port, dataDir, sessionId, people: [{applicationId, token}]}.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { createCore } from '../src-main/core/create-core'
import { createHttpServer } from '../src-main/core/http/server'
import { idCheckChar } from '../src-main/core/domain/id-number'
import { hashToken, newToken } from '../src-main/core/security'
import { toShanghaiIso } from '../src-main/core/domain/time'
import { examRepos } from '../src-main/core/services/exam-common'

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1000)
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 30)

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'qualdesk-bench-booking-'))
  const core = await createCore({ dataDir, adminPassword: 'Bench2026x', logError: () => {} })
  const { ctx } = core
  const { payments } = examRepos(ctx)
  const now = ctx.now()
  const t = ctx.clock().getTime()
  const people: { applicationId: number; token: string }[] = []
  let sessionId = 0
  ctx.db.transaction(() => {
    const venueId = ctx.repos.referenceData.insertVenue({ name: '郑州理论考点', address: '郑州市金水区' }, now)
    sessionId = ctx.repos.referenceData.insertSession(
      { venueId, name: '压测场次', examDate: toShanghaiIso(new Date(t + 7 * 86400_000)).slice(0, 10), startTime: '09:00', endTime: '11:00', subjects: 'both', capacity: CAPACITY, booked: 0, bookingOpensAt: toShanghaiIso(new Date(t - 3600_000)), bookingClosesAt: toShanghaiIso(new Date(t + 6 * 86400_000)), status: 'open' },
      now
    )
    for (let i = 0; i < PEOPLE; i++) {
      const birth = new Date(Date.UTC(1970, 0, 1) + i * 86400_000).toISOString().slice(0, 10).replaceAll('-', '')
      const first17 = `410105${birth}01${1 + 2 * (i % 5)}`
      const id = first17 + idCheckChar(first17)
      const applicantId = ctx.repos.applications.insertApplicant({ idNumber: id, name: `考生${i}`, phone: '13800000000', passwordHash: null, now })
      const applicationId = ctx.repos.applications.insert({ applicantId, category: 'passenger', applicationType: 'initial', stage: 'exam', idNumber: id, name: `考生${i}`, phone: '13800000000', trainingSchoolId: null, trainingNo: null, form: {}, submittedAt: now, stageEnteredAt: now, enteredByStaff: null, now })
      const orderId = payments.insertOrder({ orderNo: `B${i}`, applicationId, provider: 'counter', amountFen: 13300, items: [], qrContent: null, expiresAt: null, now, byType: 'system', byId: null })
      for (const subject of ['theory', 'practical'] as const) payments.insertCredit({ applicationId, key: `${subject}:initial`, subject, kind: 'initial', attempts: 2, amountFen: 0, orderId, now })
      const token = newToken()
      ctx.db.prepare('INSERT INTO applicant_tokens (token_hash, applicant_id, created_at, expires_ms) VALUES (?, ?, ?, ?)').run(hashToken(token), applicantId, now, t + 86400_000)
      people.push({ applicationId, token })
    }
  })()
  // Booking notices would go to the SMS outbox file; keep the bench about the booking itself.
  const { setExamNoticeSender } = await import('../src-main/core/services/exam-common')
  setExamNoticeSender(ctx, () => {})
  const app = await createHttpServer(core, {})
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  process.stdout.write(JSON.stringify({ port, dataDir, sessionId, people }) + '\n')
  const booked = () => ctx.db.prepare('SELECT booked FROM exam_sessions WHERE id = ?').get(sessionId) as { booked: number }
  process.stdin.on('data', () => {
    process.stdout.write(JSON.stringify({ booked: booked().booked, rows: (ctx.db.prepare("SELECT count(*) AS n FROM exam_bookings WHERE status = 'booked'").get() as { n: number }).n }) + '\n')
  })
  process.on('SIGTERM', async () => {
    await app.close()
    core.close()
    process.exit(0)
  })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
