// A small office whose figures were counted by hand (see the comments): the dashboard and the
// exports are checked against these numbers. Today is Wednesday 2026-11-25, 10:00 Shanghai time;
// November 2026 has no public holiday, so working days are Monday to Friday.
import type { Core } from '../../src-main/core/create-core'
import type { Stage } from '../../src-preload/contract/vocab'
import { idCheckChar } from '../../src-main/core/domain/id-number'

export const FIXTURE_NOW = '2026-11-25T10:00:00+08:00'

export function idNumberFor(n: number, birth = '19850315'): string {
  const first17 = `410105${birth}${String(100 + n).slice(-3)}`
  return first17 + idCheckChar(first17)
}

export interface FixtureApp {
  key: string
  stage: Stage
  category: 'passenger' | 'freight'
  /** the first submission; null for a draft */
  submittedAt: string | null
  stageEnteredAt: string
  school: 0 | 1 | 2
  events: { event: string; at: string; to?: Stage }[]
}

const T = (d: string, time = '09:30:00') => `${d}T${time}+08:00`

/**
 * Applications by stage (the funnel): pre_review 4, initial_review 2, fee_payment 1, exam 3,
 * permit_approval 2, certificate 1, pickup 1, completed 2; off the path: returned 1, rejected 1,
 * draft 1, withdrawn 0.
 * Overdue today: 材料预审 2 (P2 submitted 11-10, P3 on 11-17 → due 11-24; P4 on 11-18 is due today),
 * 资格初审 1 (I1 on 11-02), 考务 1 (D3 accepted 09-15 and never booked; D1, accepted 09-01, sat an
 * exam, so it was arranged; D2 is within 30 working days), 成绩 1 (a 'present' booking of the 11-16
 * session, due 11-23), 许可审批 1 (E1 since 11-02), 证件打印 1 (F1 in permit approval since 11-03).
 */
export const FIXTURE_APPS: FixtureApp[] = [
  { key: 'P1', stage: 'pre_review', category: 'passenger', submittedAt: T('2026-11-24'), stageEnteredAt: T('2026-11-24'), school: 1, events: [] },
  { key: 'P2', stage: 'pre_review', category: 'freight', submittedAt: T('2026-11-10'), stageEnteredAt: T('2026-11-10'), school: 0, events: [] },
  { key: 'P3', stage: 'pre_review', category: 'passenger', submittedAt: T('2026-11-17'), stageEnteredAt: T('2026-11-17'), school: 2, events: [] },
  { key: 'P4', stage: 'pre_review', category: 'passenger', submittedAt: T('2026-11-18'), stageEnteredAt: T('2026-11-18'), school: 1, events: [] },
  { key: 'I1', stage: 'initial_review', category: 'passenger', submittedAt: T('2026-11-02'), stageEnteredAt: T('2026-11-03'), school: 1, events: [] },
  { key: 'I2', stage: 'initial_review', category: 'freight', submittedAt: T('2026-11-20'), stageEnteredAt: T('2026-11-23'), school: 0, events: [] },
  { key: 'C1', stage: 'fee_payment', category: 'passenger', submittedAt: T('2026-11-16'), stageEnteredAt: T('2026-11-19'), school: 1, events: [{ event: 'initial_review_pass', at: T('2026-11-19') }] },
  { key: 'D1', stage: 'exam', category: 'passenger', submittedAt: T('2026-08-20'), stageEnteredAt: T('2026-09-03'), school: 1, events: [{ event: 'initial_review_pass', at: T('2026-09-01') }] },
  { key: 'D2', stage: 'exam', category: 'passenger', submittedAt: T('2026-11-16'), stageEnteredAt: T('2026-11-21'), school: 0, events: [{ event: 'initial_review_pass', at: T('2026-11-20') }] },
  { key: 'E1', stage: 'permit_approval', category: 'freight', submittedAt: T('2026-10-20'), stageEnteredAt: T('2026-11-02'), school: 2, events: [{ event: 'initial_review_pass', at: T('2026-11-02'), to: 'permit_approval' }] },
  { key: 'E2', stage: 'permit_approval', category: 'passenger', submittedAt: T('2026-10-10'), stageEnteredAt: T('2026-11-24'), school: 1, events: [{ event: 'exams_passed', at: T('2026-11-24'), to: 'permit_approval' }] },
  { key: 'F1', stage: 'certificate', category: 'freight', submittedAt: T('2026-10-15'), stageEnteredAt: T('2026-11-24'), school: 0, events: [{ event: 'initial_review_pass', at: T('2026-11-03'), to: 'permit_approval' }, { event: 'permit_approve', at: T('2026-11-24') }] },
  { key: 'G1', stage: 'pickup', category: 'passenger', submittedAt: T('2026-10-01'), stageEnteredAt: T('2026-11-20'), school: 1, events: [{ event: 'certificate_printed', at: T('2026-11-20', '10:00:00') }] },
  { key: 'H1', stage: 'completed', category: 'freight', submittedAt: T('2026-10-02'), stageEnteredAt: T('2026-11-21'), school: 2, events: [{ event: 'certificate_printed', at: T('2026-11-20', '15:00:00') }] },
  { key: 'H2', stage: 'completed', category: 'passenger', submittedAt: T('2026-10-03'), stageEnteredAt: T('2026-11-24'), school: 1, events: [{ event: 'certificate_printed', at: T('2026-11-23', '11:00:00') }] },
  { key: 'R1', stage: 'returned', category: 'passenger', submittedAt: T('2026-11-23'), stageEnteredAt: T('2026-11-24'), school: 0, events: [] },
  { key: 'X1', stage: 'rejected', category: 'freight', submittedAt: T('2026-09-23'), stageEnteredAt: T('2026-11-05'), school: 0, events: [] },
  { key: 'Q1', stage: 'draft', category: 'passenger', submittedAt: null, stageEnteredAt: T('2026-11-22'), school: 0, events: [] },
  // Paid on 09-20, accepted 09-15, never booked into a session: the exam was not arranged in time.
  { key: 'D3', stage: 'exam', category: 'passenger', submittedAt: T('2026-09-01'), stageEnteredAt: T('2026-09-20'), school: 2, events: [{ event: 'initial_review_pass', at: T('2026-09-15') }] }
]

/** Submitted per day over 2026-11-16 … 2026-11-25 (the 'submit' events): hand-counted. */
export const SUBMITTED_PER_DAY: Record<string, number> = {
  '2026-11-16': 2, // C1, D2
  '2026-11-17': 1, // P3
  '2026-11-18': 1, // P4
  '2026-11-20': 1, // I2
  '2026-11-23': 1, // R1
  '2026-11-24': 1 // P1
}
/** Issued (certificate printed) per day: G1 and H1 on 11-20, H2 on 11-23. */
export const ISSUED_PER_DAY: Record<string, number> = { '2026-11-20': 2, '2026-11-23': 1 }

export interface Fixture {
  appIds: Record<string, number>
  schoolIds: [number, number]
  sessionIds: { s1: number; s2: number; s3: number }
}

/** Loads the office into `core`: applications with their history, two schools, sessions, bookings, scores and payments. */
export function loadFixture(core: Core): Fixture {
  const { db, repos } = core.ctx
  const now = FIXTURE_NOW
  return db.transaction(() => {
    const schoolIds: [number, number] = [
      repos.referenceData.insertSchool({ name: '郑州市顺达机动车驾驶员培训学校', address: '郑州市金水区丰庆路', phone: '0371-63520188', licenceNo: 'L1' }, now),
      repos.referenceData.insertSchool({ name: '河南省交通技师学院驾驶培训中心', address: '郑州市中原区桐柏路', phone: '0371-67613300', licenceNo: 'L2' }, now)
    ]
    const appIds: Record<string, number> = {}
    FIXTURE_APPS.forEach((a, i) => {
      const idNumber = idNumberFor(i + 1)
      const id = repos.applications.insert({
        applicantId: null,
        category: a.category,
        applicationType: 'initial',
        stage: a.stage,
        idNumber,
        name: `测试${a.key}`,
        phone: `1380000${String(1000 + i)}`,
        trainingSchoolId: a.school ? schoolIds[a.school - 1] : null,
        trainingNo: ['pre_review', 'initial_review', 'draft', 'returned'].includes(a.stage) ? null : `2026${String(i + 1).padStart(6, '0')}`,
        form: {
          gender: 'M',
          birthDate: '1985-03-15',
          licenceClasses: a.category === 'passenger' ? ['A1'] : ['B2'],
          trainingMode: a.school ? 'school' : 'self',
          collectMethod: 'pickup',
          currentAddress: `河南省郑州市金水区文化路${i + 1}号`
        },
        submittedAt: a.submittedAt,
        stageEnteredAt: a.stageEnteredAt,
        enteredByStaff: null,
        now: a.submittedAt ?? a.stageEnteredAt
      })
      appIds[a.key] = id
      const ev = (event: string, at: string, to: Stage | null = null) =>
        repos.applications.insertEvent({ applicationId: id, at, event, fromStage: null, toStage: to, actorType: 'system', actorId: null, actorName: '系统' })
      if (a.submittedAt) ev('submit', a.submittedAt, 'pre_review')
      for (const e of a.events) ev(e.event, e.at, e.to ?? null)
    })

    // Sessions: S1 (11-16, theory, 3/30, finished), S2 (11-30, practical, 5/20), S3 cancelled.
    const venue = repos.referenceData.insertVenue({ name: '郑州理论考点', address: '郑州市金水区文化路' }, now)
    const session = (date: string, subjects: 'theory' | 'practical', capacity: number, booked: number, status: 'open' | 'finished' | 'cancelled') =>
      repos.referenceData.insertSession(
        { venueId: venue, name: `${date}场次`, examDate: date, startTime: '09:00', endTime: '11:00', subjects, capacity, booked, bookingOpensAt: T('2026-11-01'), bookingClosesAt: T(date), status },
        now
      )
    const s1 = session('2026-11-16', 'theory', 30, 3, 'finished')
    const s2 = session('2026-11-30', 'practical', 20, 5, 'open')
    const s3 = session('2026-11-18', 'practical', 10, 0, 'cancelled')
    const booking = db.prepare(
      `INSERT INTO exam_bookings (application_id, session_id, theory, practical, status, booked_at, booked_by_type)
       VALUES (?, ?, ?, ?, ?, '2026-11-10T09:00:00+08:00', 'applicant')`
    )
    const attempt = db.prepare(
      `INSERT INTO exam_attempts (application_id, subject, booking_id, session_id, exam_date, outcome, score, pass_mark, source, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 80, 'import', '2026-11-19T09:00:00+08:00')`
    )
    const book = (key: string, sessionId: number, theory: number, practical: number, status: string) =>
      Number(booking.run(appIds[key], sessionId, theory, practical, status).lastInsertRowid)
    // Theory on 11-16: passed ×2 (E2 school 1, D2 self-study), failed ×1 (D1 school 1), no-show ×1 (H1 school 2).
    const bE2 = book('E2', s1, 1, 0, 'scored')
    attempt.run(appIds.E2, 'theory', bE2, s1, '2026-11-16', 'passed', 92)
    const bD2 = book('D2', s1, 1, 0, 'scored')
    attempt.run(appIds.D2, 'theory', bD2, s1, '2026-11-16', 'passed', 85)
    const bD1 = book('D1', s1, 1, 0, 'scored')
    attempt.run(appIds.D1, 'theory', bD1, s1, '2026-11-16', 'failed', 64)
    const bH1 = book('H1', s1, 1, 0, 'no_show')
    attempt.run(appIds.H1, 'theory', bH1, s1, '2026-11-16', 'no_show', null)
    // Practical on 11-18 (another session, since cancelled: the attempt stands): passed ×1 (G1 school 1).
    const bG1 = book('G1', s3, 0, 1, 'scored')
    attempt.run(appIds.G1, 'practical', bG1, s3, '2026-11-18', 'passed', 90)
    // Waiting for scores: C1 sat S1 on 11-16 and is still 'present' → overdue since 11-23.
    book('C1', s1, 1, 0, 'present')

    // Money: 11-20 two payments of 133.00 (WeChat, counter); 11-21 one refund of 133.00.
    const order = db.prepare(
      `INSERT INTO payment_orders (order_no, application_id, provider, amount_fen, items, status, created_at, created_by_type, paid_at, paid_amount_fen)
       VALUES (?, ?, ?, 13300, '[]', ?, '2026-11-20T08:00:00+08:00', 'applicant', ?, 13300)`
    )
    const o1 = Number(order.run('QD20261120001', appIds.D2, 'wechat', 'paid', T('2026-11-20', '08:05:00')).lastInsertRowid)
    const o2 = Number(order.run('QD20261120002', appIds.D2, 'counter', 'refunded', T('2026-11-20', '14:00:00')).lastInsertRowid)
    const pay = db.prepare(
      `INSERT INTO payments (order_id, kind, provider, amount_fen, provider_ref, at, recorded_at) VALUES (?, ?, ?, 13300, ?, ?, ?)`
    )
    pay.run(o1, 'payment', 'wechat', 'WX-4200001', T('2026-11-20', '08:05:00'), T('2026-11-20', '08:05:00'))
    pay.run(o2, 'payment', 'counter', 'R-0001', T('2026-11-20', '14:00:00'), T('2026-11-20', '14:00:00'))
    pay.run(o2, 'refund', 'counter', 'RF-0001', T('2026-11-21', '10:30:00'), T('2026-11-21', '10:30:00'))

    // Certificates (发证台账): G1 and H1 issued 11-20, H2 on 11-23; H1 collected at the counter on
    // 11-21, H2 mailed on 11-24, G1 not yet handed over.
    const cert = db.prepare(
      `INSERT INTO certificates (application_id, certificate_no, category, holder_name, gender, birth_date, nationality, address,
         vehicle_classes, first_issued_on, issued_on, valid_until, issuing_authority, status, current_serial, created_at)
       VALUES (?, ?, ?, ?, 'M', '1985-03-15', '中国', ?, ?, ?, ?, '2032-11-19', '郑州市交通运输局', 'active', ?, ?)`
    )
    const certFor = (key: string, issuedOn: string, serial: string) => {
      const i = FIXTURE_APPS.findIndex((a) => a.key === key)
      const a = FIXTURE_APPS[i]
      return Number(
        cert.run(appIds[key], idNumberFor(i + 1), a.category, `测试${key}`, `河南省郑州市金水区文化路${i + 1}号`, JSON.stringify(a.category === 'passenger' ? ['A1'] : ['B2']), issuedOn, issuedOn, serial, T(issuedOn)).lastInsertRowid
      )
    }
    const cG1 = certFor('G1', '2026-11-20', '0000000101')
    const cH1 = certFor('H1', '2026-11-20', '0000000102')
    const cH2 = certFor('H2', '2026-11-23', '0000000103')
    void cG1
    db.prepare(
      `INSERT INTO certificate_handovers (certificate_id, application_id, serial, method, collector, collector_name, collector_id_number, id_checked, handed_over_at, handed_over_by, handed_over_by_name)
       VALUES (?, ?, '0000000102', 'pickup', 'holder', '测试H1', ?, 1, ?, 1, '刘芳')`
    ).run(cH1, appIds.H1, idNumberFor(FIXTURE_APPS.findIndex((a) => a.key === 'H1') + 1), T('2026-11-21', '10:00:00'))
    db.prepare(
      `INSERT INTO certificate_handovers (certificate_id, application_id, serial, method, carrier, waybill_no, mail_address, handed_over_at, handed_over_by, handed_over_by_name)
       VALUES (?, ?, '0000000103', 'mail', '中国邮政EMS', '1234567890123', '河南省郑州市金水区文化路15号', ?, 1, '刘芳')`
    ).run(cH2, appIds.H2, T('2026-11-24', '16:00:00'))
    return { appIds, schoolIds, sessionIds: { s1, s2, s3 } }
  })()
}
