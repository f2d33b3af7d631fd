// Seeds a large office for the reports benchmarks (exports.bench.ts, dashboard.bench.ts):
// applications spread over a year with their history, exam sessions, bookings, attempts and
// payments. Deterministic. Writes through the repositories where they exist, plain inserts for
// the rest (the benchmark's own fixture, not application code).
import { idCheckChar } from '../src-main/core/domain/id-number'
import type { Core } from '../src-main/core/create-core'
import type { Stage } from '../src-preload/contract/vocab'

function mulberry32(seed: number) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆'
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '建华', '志强', '海燕', '国庆', '红梅', '卫东']
const STAGES: [Stage, number][] = [
  ['pre_review', 0.06], ['initial_review', 0.04], ['returned', 0.03], ['fee_payment', 0.03], ['exam', 0.06],
  ['permit_approval', 0.03], ['certificate', 0.02], ['pickup', 0.03], ['completed', 0.66], ['rejected', 0.02], ['withdrawn', 0.01], ['draft', 0.01]
]
const DAY = 86_400_000
const iso = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00'

export const BENCH_NOW = '2026-11-25T10:00:00+08:00'

export function seedOffice(core: Core, applications: number, options: { exams?: boolean } = {}) {
  const { db, repos } = core.ctx
  const rand = mulberry32(8_2026)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]
  const now = new Date(BENCH_NOW).getTime()
  db.transaction(() => {
    const schools = Array.from({ length: 12 }, (_, i) =>
      repos.referenceData.insertSchool({ name: `郑州市第${i + 1}机动车驾驶员培训学校`, address: `郑州市金水区文化路${i + 1}号`, phone: '0371-6000000' + (i % 10), licenceNo: `L${i}` }, BENCH_NOW)
    )
    const venue = repos.referenceData.insertVenue({ name: '郑州理论考点', address: '郑州市金水区文化路' }, BENCH_NOW)
    const sessions: { id: number; date: string }[] = []
    for (let d = -360; d <= 20; d += 2) {
      const date = iso(now + d * DAY).slice(0, 10)
      sessions.push({
        id: repos.referenceData.insertSession(
          { venueId: venue, name: `${date}场次`, examDate: date, startTime: '09:00', endTime: '11:00', subjects: d % 4 === 0 ? 'theory' : 'practical', capacity: 200, booked: Math.floor(rand() * 200), bookingOpensAt: iso(now + (d - 20) * DAY), bookingClosesAt: iso(now + (d - 1) * DAY), status: d < 0 ? 'finished' : 'open' },
          BENCH_NOW
        ),
        date
      })
    }
    const cumulative = STAGES.map(([s], i) => [s, STAGES.slice(0, i + 1).reduce((n, [, p]) => n + p, 0)] as const)
    const booking = db.prepare(
      `INSERT INTO exam_bookings (application_id, session_id, theory, practical, status, booked_at, booked_by_type) VALUES (?, ?, 1, 0, 'scored', ?, 'applicant')`
    )
    const attempt = db.prepare(
      `INSERT INTO exam_attempts (application_id, subject, booking_id, session_id, exam_date, outcome, score, pass_mark, source, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, 80, 'import', ?)`
    )
    const order = db.prepare(
      `INSERT INTO payment_orders (order_no, application_id, provider, amount_fen, items, status, created_at, created_by_type, paid_at, paid_amount_fen) VALUES (?, ?, ?, 13300, '[]', 'paid', ?, 'applicant', ?, 13300)`
    )
    const pay = db.prepare(`INSERT INTO payments (order_id, kind, provider, amount_fen, provider_ref, at, recorded_at) VALUES (?, 'payment', ?, 13300, ?, ?, ?)`)
    for (let i = 1; i <= applications; i++) {
      const r = rand()
      const stage = cumulative.find(([, c]) => r < c)?.[0] ?? 'completed'
      const category = rand() < 0.55 ? 'passenger' : 'freight'
      const submittedMs = now - Math.floor(rand() * 360 * DAY) - Math.floor(rand() * 8 * 3600_000)
      const birth = `19${60 + Math.floor(rand() * 39)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`
      const first17 = `410105${birth.replaceAll('-', '')}${String(i % 1000).padStart(3, '0')}`
      const school = rand() < 0.7 ? schools[Math.floor(rand() * schools.length)] : null
      const submittedAt = stage === 'draft' ? null : iso(submittedMs)
      const enteredMs = Math.min(now - 3600_000, submittedMs + Math.floor(rand() * 20) * DAY)
      const id = repos.applications.insert({
        applicantId: null,
        category,
        applicationType: rand() < 0.85 ? 'initial' : 'add_class',
        stage,
        idNumber: first17 + idCheckChar(first17),
        name: pick([...SURNAMES]) + pick(GIVEN),
        phone: `138${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`,
        trainingSchoolId: school,
        trainingNo: ['pre_review', 'initial_review', 'returned', 'draft', 'withdrawn'].includes(stage) ? null : `B${String(i).padStart(9, '0')}`,
        form: {
          gender: rand() < 0.85 ? 'M' : 'F',
          birthDate: birth,
          licenceClasses: [category === 'passenger' ? pick(['A1', 'A3', 'B1']) : pick(['A1', 'A2', 'B2'])],
          trainingMode: school ? 'school' : 'self',
          collectMethod: rand() < 0.8 ? 'pickup' : 'mail',
          currentAddress: `河南省郑州市金水区${pick(['文化路', '花园路', '农业路', '东风路'])}${1 + Math.floor(rand() * 300)}号院${1 + Math.floor(rand() * 20)}号楼`,
          householdAddress: '河南省郑州市金水区文化路1号',
          ethnicity: '01',
          education: '40',
          politicalStatus: '13',
          priorOccupation: '货车司机',
          licenceIssuer: '郑州市公安局交通警察支队',
          licenceFileNo: '410100123456'
        },
        submittedAt,
        stageEnteredAt: iso(enteredMs),
        enteredByStaff: null,
        now: iso(submittedMs - DAY)
      })
      const ev = (event: string, at: number, to: Stage | null) =>
        repos.applications.insertEvent({ applicationId: id, at: iso(Math.min(at, now - 60_000)), event, fromStage: null, toStage: to, actorType: 'system', actorId: null, actorName: '系统' })
      if (submittedAt) ev('submit', submittedMs, 'pre_review')
      const late = !['pre_review', 'initial_review', 'returned', 'draft', 'withdrawn'].includes(stage)
      if (late) ev('initial_review_pass', submittedMs + 2 * DAY, category === 'passenger' ? 'fee_payment' : 'permit_approval')
      if (['certificate', 'pickup', 'completed'].includes(stage)) ev('permit_approve', submittedMs + 10 * DAY, 'certificate')
      if (['pickup', 'completed'].includes(stage)) ev('certificate_printed', submittedMs + 11 * DAY, 'pickup')
      if (options.exams && late && category === 'passenger') {
        const s = sessions[Math.min(sessions.length - 1, Math.max(0, Math.floor((submittedMs - (now - 360 * DAY)) / (2 * DAY)) + 3))]
        const b = Number(booking.run(id, s.id, iso(submittedMs + 3 * DAY)).lastInsertRowid)
        const score = 50 + Math.floor(rand() * 51)
        attempt.run(id, rand() < 0.5 ? 'theory' : 'practical', b, s.id, s.date, rand() < 0.05 ? 'no_show' : score >= 80 ? 'passed' : 'failed', score, iso(submittedMs + 5 * DAY))
        const o = Number(order.run(`QD${id}`, id, rand() < 0.7 ? 'wechat' : 'counter', iso(submittedMs + 2 * DAY), iso(submittedMs + 2 * DAY)).lastInsertRowid)
        pay.run(o, rand() < 0.7 ? 'wechat' : 'counter', `REF${id}`, iso(Math.min(submittedMs + 2 * DAY, now - 60_000)), iso(submittedMs + 2 * DAY))
      }
    }
  })()
}
