// A realistic office for a first look: schools, venues, exam sessions, staff for every desk and
// applications in every stage with their history. Deterministic, so screenshots are repeatable.
import type { ApplicationType, Category, Stage } from '../../../src-preload/contract/vocab'
import type { Core } from '../create-core'
import { idCheckChar } from '../domain/id-number'
import { toShanghaiIso, shanghaiDate } from '../domain/time'
import { transition, type WorkflowEvent } from '../domain/workflow'
import { hashPassword } from '../security'
import codeLists from '../../../resources/code-lists.json'
import { loadCertificateDemoData } from './certificates-demo'
import { schoolRepository } from '../storage/repositories/schools'
import { trainingCertificateRepository } from '../storage/repositories/training-certificates'
import { examRepos, feeSchedule, loadLedger } from '../services/exam-common'
import { dueItems, totalFen } from '../domain/fees'
import { emptyLedger } from '../domain/attempts'
import { seedReviewAttachments } from './review-demo'
import { SAMPLE_JPEG, sampleCardPng, samplePdf } from './sample-attachments'
import { requiredAttachments, type ApplicationForm, type AttachmentKind } from '../domain/application-rules'
import { loadDataSafetyDemo } from './data-safety-demo'

export const DEMO_STAFF_PASSWORD = 'Demo2026'

export const DEMO_STAFF = [
  { username: 'yushen', displayName: '王晓梅', roles: ['pre_reviewer'] },
  { username: 'chushen', displayName: '李建国', roles: ['initial_reviewer'] },
  { username: 'kaowu', displayName: '赵磊', roles: ['exam_staff'] },
  { username: 'shenpi', displayName: '陈志强', roles: ['supervisor'] },
  { username: 'fazheng', displayName: '刘芳', roles: ['issuer'] }
] as const

const SCHOOLS = [
  { name: '郑州市乐学学车机动车驾驶员培训有限公司', address: '郑州市经济技术开发区四港联动大道与经南八路交叉口向东300米路北', phone: '0371-65814555', licenceNo: '豫交运管许可郑字410100000101号' },
  { name: '郑州市顺达机动车驾驶员培训学校', address: '郑州市金水区丰庆路与北三环交叉口', phone: '0371-63520188', licenceNo: '豫交运管许可郑字410100000102号' },
  { name: '河南省交通技师学院驾驶培训中心', address: '郑州市中原区桐柏路与建设路交叉口', phone: '0371-67613300', licenceNo: '豫交运管许可郑字410100000103号' },
  { name: '郑州公交集团驾驶员培训有限公司', address: '郑州市二七区大学路南段88号', phone: '0371-68932210', licenceNo: '豫交运管许可郑字410100000104号' },
  { name: '郑州宇通客车驾驶培训学校', address: '郑州市管城回族区宇通路6号', phone: '0371-66718899', licenceNo: '豫交运管许可郑字410100000105号' }
]
const VENUES = [
  { name: '郑州理论考点', address: '郑州市金水区文化路与东风路交叉口交通大厦三楼' },
  { name: '郑州实操考点（圃田）', address: '郑州市中牟县圃田乡107国道东侧' },
  { name: '郑州综合考点（航海东路）', address: '郑州市经开区航海东路1296号' }
]

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '建华', '志强', '海燕', '国庆', '红梅', '卫东', '振华', '晓东', '文博', '子豪', '浩然', '雪', '俊杰', '鹏飞', '金龙', '永刚', '春生']
const STREETS = ['中原路', '建设路', '桐柏路', '嵩山路', '大学路', '航海路', '紫荆山路', '金水路', '花园路', '农业路', '东风路', '经三路', '商都路', '郑汴路']
const OCCUPATIONS = ['出租车司机', '公交车司机', '货车司机', '网约车司机', '个体经营', '工人', '待业']

function mulberry32(seed: number) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The events that bring a new application to `stage`, in order. */
function pathTo(stage: Stage, category: Category, returnedOnce: boolean): WorkflowEvent[] {
  const head: WorkflowEvent[] = ['submit']
  if (returnedOnce) head.push('pre_review_return', 'resubmit')
  const passenger: WorkflowEvent[] = ['pre_review_pass', 'initial_review_pass', 'fee_paid', 'exams_passed', 'permit_approve', 'certificate_printed', 'certificate_handed_over']
  const freight: WorkflowEvent[] = ['pre_review_pass', 'initial_review_pass', 'permit_approve', 'certificate_printed', 'certificate_handed_over']
  const rest = category === 'passenger' ? passenger : freight
  const target: Record<Stage, number> = {
    draft: -1, pre_review: 0, initial_review: 1, returned: -2, fee_payment: 2, exam: 3,
    permit_approval: category === 'passenger' ? 4 : 2, certificate: category === 'passenger' ? 5 : 3,
    pickup: category === 'passenger' ? 6 : 4, completed: category === 'passenger' ? 7 : 5, rejected: -3, withdrawn: -4
  }
  const n = target[stage]
  if (n === -1) return []
  if (n === -2) return ['submit', 'pre_review_return']
  if (n === -3) return [...head, ...rest.slice(0, category === 'passenger' ? 4 : 2), 'permit_reject']
  if (n === -4) return ['submit', 'withdraw']
  return [...head, ...rest.slice(0, n)]
}

const STAGE_MIX: [Stage, number][] = [
  ['draft', 3], ['pre_review', 14], ['returned', 4], ['initial_review', 9], ['fee_payment', 5], ['exam', 6],
  ['permit_approval', 7], ['certificate', 4], ['pickup', 4], ['completed', 8], ['rejected', 2], ['withdrawn', 1]
]

const ROLE_OF_EVENT: Partial<Record<WorkflowEvent, string>> = {
  pre_review_pass: 'yushen', pre_review_return: 'yushen', initial_review_pass: 'chushen', initial_review_return: 'chushen',
  exams_passed: 'kaowu', permit_approve: 'shenpi', permit_reject: 'shenpi', certificate_printed: 'fazheng', certificate_handed_over: 'fazheng'
}

export async function loadDemoData(core: Core): Promise<{ applications: number; staff: number }> {
  const { ctx } = core
  const { repos } = ctx
  const rand = mulberry32(20260401)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]
  const now = ctx.clock()
  const DAY = 86400_000

  const staffIds = new Map<string, { id: number; name: string }>()
  for (const s of DEMO_STAFF) {
    const existing = repos.staff.findByUsername(s.username)
    if (existing) {
      staffIds.set(s.username, { id: existing.id, name: existing.displayName })
      continue
    }
    const { staff } = await core.services.staffAccounts.create(null, { ...s, roles: [...s.roles], password: DEMO_STAFF_PASSWORD })
    staffIds.set(s.username, { id: staff.id, name: staff.displayName })
  }
  const applicantHash = await hashPassword('abc123')

  const counts = ctx.db.transaction(() => {
    const nowIso = ctx.now()
    const schoolIds = SCHOOLS.map((s) => repos.referenceData.insertSchool(s, nowIso))
    const venueIds = VENUES.map((v) => repos.referenceData.insertVenue(v, nowIso))
    for (let d = -6; d <= 24; d += 3) {
      const date = shanghaiDate(new Date(now.getTime() + d * DAY))
      const venue = d % 2 === 0 ? 0 : 1
      const capacity = venue === 0 ? 30 : 20
      repos.referenceData.insertSession(
        {
          venueId: venueIds[venue],
          name: `${date} ${VENUES[venue].name}场次`,
          examDate: date,
          startTime: venue === 0 ? '09:00' : '08:30',
          endTime: venue === 0 ? '11:00' : '17:00',
          subjects: venue === 0 ? 'theory' : 'practical',
          capacity,
          booked: d < 0 ? capacity - 2 : Math.min(capacity, Math.floor(rand() * capacity)),
          bookingOpensAt: toShanghaiIso(new Date(now.getTime() + (d - 20) * DAY)),
          bookingClosesAt: toShanghaiIso(new Date(now.getTime() + (d - 1) * DAY)),
          status: d < 0 ? 'finished' : 'open'
        },
        nowIso
      )
    }

    const divisions = codeLists.zhengzhou_divisions_GBT2260
    let seq = 0
    let trainingSeq = 0
    for (const [stage, howMany] of STAGE_MIX) {
      for (let i = 0; i < howMany; i++) {
        seq++
        const category: Category = stage === 'fee_payment' || stage === 'exam' ? 'passenger' : rand() < 0.55 ? 'passenger' : 'freight'
        const type: ApplicationType = rand() < 0.85 ? 'initial' : 'add_class'
        const gender = rand() < 0.85 ? 'M' : 'F'
        const birth = new Date(Date.UTC(1966 + Math.floor(rand() * 34), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)))
        const birthDate = birth.toISOString().slice(0, 10)
        const region = pick(divisions).code
        const seqDigit = Math.floor(rand() * 50) * 2 + (gender === 'M' ? 1 : 0)
        const first17 = `${region}${birthDate.replaceAll('-', '')}${String(100 + (seq % 9)).slice(0, 1)}${String(seqDigit).padStart(2, '0')}`
        const idNumber = first17 + idCheckChar(first17)
        const name = pick([...SURNAMES]) + pick(GIVEN)
        const phone = `1${pick(['38', '39', '58', '59', '86', '87', '37', '77'])}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`
        const classes = category === 'passenger' ? [pick(['A1', 'A3', 'B1'])] : [pick(['A1', 'A2', 'B2'])]
        const firstIssued = new Date(Date.UTC(2005 + Math.floor(rand() * 17), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)))
        const schoolIdx = Math.floor(rand() * schoolIds.length)
        const trainingMode = rand() < 0.7 ? 'school' : 'self'
        const form = {
          householdNonLocal: false,
          idIssuer: `郑州市公安局${divisions.find((d) => d.code === region)?.name ?? ''}分局`,
          gender,
          birthDate,
          ethnicity: rand() < 0.92 ? '01' : '03',
          education: pick(['20', '30', '40', '60', '70']),
          politicalStatus: pick(['13', '13', '13', '01', '03']),
          priorOccupation: pick(OCCUPATIONS),
          licenceNonLocal: false,
          licenceIssuer: '郑州市公安局交通警察支队',
          licenceFileNo: String(410100000000 + Math.floor(rand() * 99999999)),
          licenceClasses: classes,
          licenceFirstIssued: firstIssued.toISOString().slice(0, 10),
          licenceIssued: new Date(firstIssued.getTime() + 6 * 365 * DAY).toISOString().slice(0, 10),
          licenceValidYears: pick(['6', '10', 'long']),
          householdAddress: `河南省郑州市${divisions.find((d) => d.code === region)?.name}${pick(STREETS)}${1 + Math.floor(rand() * 300)}号`,
          currentAddress: `河南省郑州市${pick(divisions).name}${pick(STREETS)}${1 + Math.floor(rand() * 300)}号院${1 + Math.floor(rand() * 20)}号楼`,
          collectMethod: rand() < 0.8 ? 'pickup' : 'mail',
          trainingMode,
          ...(category === 'freight' ? { vehicleClass: classes[0], trainingCertNonLocal: rand() < 0.2 } : {})
        }
        const startedAt = now.getTime() - (2 + Math.floor(rand() * 40)) * DAY - Math.floor(rand() * 8 * 3600_000)
        const applicantId = repos.applications.insertApplicant({ idNumber, name, phone, passwordHash: applicantHash, now: toShanghaiIso(new Date(startedAt - DAY)) })
        const events = pathTo(stage, category, stage !== 'returned' && rand() < 0.15)
        let current: Stage = 'draft'
        let t = startedAt
        let submittedAt: string | null = null
        const history: { event: WorkflowEvent; from: Stage; to: Stage; at: string; actor: 'applicant' | 'staff' | 'system'; staff?: { id: number; name: string } }[] = []
        for (const ev of events) {
          const who = ROLE_OF_EVENT[ev]
          const actor = who ? { kind: 'staff' as const, roles: DEMO_STAFF.find((s) => s.username === who)!.roles } : ev === 'fee_paid' ? { kind: 'system' as const } : { kind: 'applicant' as const }
          const r = transition({ stage: current, category }, ev, actor)
          if (!r.ok) throw new Error(`demo path broken at ${ev}: ${r.reason}`)
          t += (0.3 + rand() * 2) * DAY
          if (t > now.getTime()) t = now.getTime() - Math.floor(rand() * 3600_000)
          const at = toShanghaiIso(new Date(t))
          if (ev === 'submit' || ev === 'resubmit') submittedAt = at
          history.push({ event: ev, from: current, to: r.stage, at, actor: actor.kind, staff: who ? staffIds.get(who) : undefined })
          current = r.stage
        }
        const accepted = history.some((h) => h.event === 'initial_review_pass')
        const appId = repos.applications.insert({
          applicantId,
          category,
          applicationType: type,
          stage: current,
          idNumber,
          name,
          phone,
          trainingSchoolId: trainingMode === 'school' ? schoolIds[schoolIdx] : null,
          trainingNo: accepted ? `2026${String(++trainingSeq).padStart(6, '0')}` : null,
          form,
          submittedAt,
          stageEnteredAt: history.length ? history[history.length - 1].at : toShanghaiIso(new Date(startedAt)),
          enteredByStaff: null,
          now: toShanghaiIso(new Date(startedAt))
        })
        for (const h of history) {
          repos.applications.insertEvent({
            applicationId: appId,
            at: h.at,
            event: h.event,
            fromStage: h.from,
            toStage: h.to,
            actorType: h.actor,
            actorId: h.staff?.id ?? (h.actor === 'applicant' ? applicantId : null),
            actorName: h.staff?.name ?? (h.actor === 'applicant' ? name : '系统'),
            detail: h.event.endsWith('_return') ? { deficiencies: [{ attachment: 'photo', reason: '照片非白底' }, { attachment: 'id_front', reason: '扫描件不清晰' }] } : undefined
          })
        }
      }
    }
    ctx.audit.record({ actorType: 'system', action: 'system.demo_loaded', detail: { applications: seq } })
    return { applications: seq, staff: DEMO_STAFF.length }
  })()
  await seedReviewAttachments(core)
  await seedApplicantAttachments(core) // issue 3: the scans of every other submitted application
  loadTrainingDemoData(core) // issue 7
  await loadCertificateDemoData(core) // issue 6
  await loadExamDemoData(core)
  await loadDataSafetyDemo(core) // issue 9: one verified backup
  return counts
}

// ---- freight training (issue 7): 结业证 records of the demo's freight applicants ---------------

/**
 * Training completion records (结业证) for the demo's freight applicants who chose a local
 * certificate, each linked to its application once submitted; a few records not used yet (as a
 * school's fresh report), one revoked with its reason, and one revoked while its application waits
 * in review (the queue flags it). Through the registry's repository, as an import would leave them.
 */
export function loadTrainingDemoData(core: Core): { records: number; linked: number } {
  const { ctx } = core
  const repo = trainingCertificateRepository(ctx.db)
  const schools = schoolRepository(ctx.db).list().filter((s) => s.active)
  if (!schools.length) return { records: 0, linked: 0 }
  const rand = mulberry32(20261125)
  const day = (iso: string, d: number) => new Date(Date.parse(iso.slice(0, 10) + 'T00:00:00Z') + d * 86400_000).toISOString().slice(0, 10)
  let records = 0
  let linked = 0
  return ctx.db.transaction(() => {
    const now = ctx.now()
    const adminRecord = ctx.repos.staff.findByUsername('admin')
    const admin = adminRecord?.id ?? null
    const adminActor = adminRecord ? { kind: 'staff' as const, id: adminRecord.id, username: adminRecord.username, displayName: adminRecord.displayName, roles: adminRecord.roles } : null
    const add = (schoolId: number, person: { idNumber: string; name: string }, vehicleClass: string, issuedOn: string) => {
      const trainingEnd = day(issuedOn, -3 - Math.floor(rand() * 5))
      const trainingStart = day(trainingEnd, -40 - Math.floor(rand() * 20))
      records++
      return repo.insert({ schoolId, certificateNo: `JY${schoolId}${String(2026000 + records)}`, ...person, vehicleClass, trainingStart, trainingEnd, issuedOn, source: 'demo', importBatchId: null, by: admin, now })
    }
    let flagged = false
    for (const app of repo.demoFreightApplications()) {
      if (app.form.trainingCertNonLocal !== false || !app.form.vehicleClass) continue
      const schoolId = app.schoolId ?? schools[Math.floor(rand() * schools.length)].id
      const id = add(schoolId, { idNumber: app.idNumber, name: app.name }, app.form.vehicleClass, day(app.createdAt, -5 - Math.floor(rand() * 40)))
      repo.demoSetFormCertificate(app.id, id)
      if (app.stage === 'draft' || app.stage === 'withdrawn') continue
      repo.link(id, app.id, app.createdAt)
      linked++
      if (!flagged && app.stage === 'initial_review' && adminActor) {
        // Through the registry's service, so the application's history and the audit log say so.
        flagged = true
        core.services.trainingCertificates.revoke(adminActor, { id, reason: '培训机构复核：该学员实操培训学时不足，申请撤销' })
      }
    }
    // A school's fresh report: people who have not applied yet, and one record revoked at once.
    const people = [['41010219920315451', '冯建军'], ['41010519881102063', '于海涛'], ['41018119950721325', '董志刚'], ['41012219860211801', '程伟'], ['41018319900606151', '曹磊']]
    people.forEach(([first17, name], i) => {
      const idNumber = first17 + idCheckChar(first17)
      const id = add(schools[i % schools.length].id, { idNumber, name }, ['B2', 'A2', 'B2', 'A1', 'B2'][i], day(now, -3 - i))
      if (i === 4) repo.revoke(id, '学校上报重复，已另行登记', admin ?? 1, now)
    })
    return { records, linked }
  })()
}

// ---- exams (issue 5): payments, bookings and scores of the passenger applications --------------

/**
 * Payments, bookings, attempts and scores for the demo's passenger applications from the fee stage
 * on: paid orders (WeChat and counter) with their credits, scored sittings in the past sessions for
 * everyone past the exam, a mix of futures for those in it (booked, failed once, a no-show, a retake
 * due, a duplicate payment awaiting its refund). Written through the exam repositories, so the
 * desks and the applicant API show it as if it had happened.
 */
export async function loadExamDemoData(core: Core): Promise<{ orders: number; bookings: number; attempts: number }> {
  const { ctx } = core
  const { exams, payments } = examRepos(ctx)
  const db = ctx.db
  const kaowu = ctx.repos.staff.findByUsername('kaowu')
  if (!kaowu) return { orders: 0, bookings: 0, attempts: 0 }
  const clerk = { kind: 'staff' as const, id: kaowu.id, username: kaowu.username, displayName: kaowu.displayName, roles: ['exam_staff' as const] }
  const fees = feeSchedule(ctx)
  const passMark = ctx.settings.get('exam.passMark')
  const nowMs = ctx.clock().getTime()
  const iso = (ms: number) => toShanghaiIso(new Date(ms))
  const apps = db
    .prepare(`SELECT id, stage, stage_entered_at AS enteredAt FROM applications WHERE category = 'passenger' AND stage IN ('exam', 'permit_approval', 'certificate', 'pickup', 'completed', 'rejected') ORDER BY id`)
    .all() as { id: number; stage: string; enteredAt: string }[]
  const sessions = exams.sessionsBetween('0000-01-01', '9999-12-31')
  const practicalVenue = sessions.find((s) => s.subjects === 'practical')
  if (practicalVenue && sessions.filter((s) => s.status === 'finished' && s.subjects === 'practical').length < 2) {
    // an earlier practical session, so that a second practical sitting has a session of its own
    const date = toShanghaiIso(new Date(nowMs - 9 * 86400_000)).slice(0, 10)
    ctx.repos.referenceData.insertSession(
      { venueId: practicalVenue.venueId, name: `${date} ${practicalVenue.venueName}场次`, examDate: date, startTime: '08:30', endTime: '17:00', subjects: 'practical', capacity: 20, booked: 0, bookingOpensAt: iso(nowMs - 29 * 86400_000), bookingClosesAt: iso(nowMs - 10 * 86400_000), status: 'finished' },
      ctx.now()
    )
  }
  const all = exams.sessionsBetween('0000-01-01', '9999-12-31')
  const past = all.filter((s) => s.status === 'finished')
  const pastTheory = past.filter((s) => s.subjects !== 'practical')
  const pastPractical = past.filter((s) => s.subjects !== 'theory')
  let orders = 0
  let bookingCount = 0
  let attemptCount = 0
  let receipt = 20260001

  const pay = (appId: number, provider: 'wechat' | 'counter', at: string, status: 'paid' | 'duplicate' = 'paid') => {
    // a duplicate pays again for what the first order already bought
    const items = dueItems(status === 'duplicate' ? emptyLedger() : loadLedger(ctx, appId), fees)
    const orderNo = `QD${at.slice(0, 19).replace(/\D/g, '')}${String(appId).padStart(4, '0')}${status === 'duplicate' ? 'D' : ''}`
    const id = payments.insertOrder({ orderNo, applicationId: appId, provider, amountFen: totalFen(items), items, qrContent: null, expiresAt: provider === 'wechat' ? iso(new Date(at).getTime() + 2 * 3600_000) : null, now: at, byType: provider === 'wechat' ? 'applicant' : 'staff', byId: provider === 'wechat' ? null : kaowu.id })
    const ref = provider === 'wechat' ? `4200001${String(receipt++).padStart(21, '0')}` : `SJ${receipt++}`
    payments.markPaid({ id, status, paidAt: at, amount: totalFen(items), txn: provider === 'wechat' ? ref : null, method: provider === 'counter' ? 'cash' : null, receiptNo: provider === 'counter' ? ref : null, recordedBy: provider === 'counter' ? kaowu.id : null, refundReason: status === 'duplicate' ? '重复缴费：theory:initial、practical:initial 已由其他订单支付' : null })
    payments.insertPayment({ orderId: id, kind: 'payment', provider, amountFen: totalFen(items), providerRef: ref, at, now: at, staffId: provider === 'counter' ? kaowu.id : null })
    if (status === 'paid') for (const i of items) payments.insertCredit({ applicationId: appId, key: i.key, subject: i.subject, kind: i.kind, attempts: i.attempts, amountFen: i.amountFen, orderId: id, now: at })
    orders++
  }
  const sat = (appId: number, session: (typeof sessions)[number], subject: 'theory' | 'practical', score: number | null) => {
    const bookedAt = iso(new Date(session.bookingOpensAt).getTime() + 3600_000)
    const id = exams.insertBooking({ applicationId: appId, sessionId: session.id, theory: subject === 'theory', practical: subject === 'practical', now: bookedAt, byType: 'applicant', byId: null })
    const at = `${session.examDate}T${session.endTime}:00+08:00`
    exams.setStatus(id, score === null ? 'no_show' : 'scored', at)
    exams.insertAttempt({ applicationId: appId, subject, bookingId: id, sessionId: session.id, examDate: session.examDate, outcome: score === null ? 'no_show' : score >= passMark ? 'passed' : 'failed', score, passMark: score === null ? null : passMark, source: score === null ? 'auto' : 'import', batchId: null, now: at, by: score === null ? null : kaowu.id })
    bookingCount++
    attemptCount++
  }

  db.transaction(() => {
    apps.forEach((a, i) => {
      const paidAt = iso(Math.min(nowMs - 3 * 86400_000, new Date(a.enteredAt).getTime() - 86400_000 * (a.stage === 'exam' ? 0 : 5)))
      pay(a.id, i % 3 === 0 ? 'counter' : 'wechat', a.stage === 'exam' ? iso(nowMs - (i === 0 ? 0.1 : 8 + i) * 86400_000) : paidAt)
      if (a.stage !== 'exam') {
        // past the exam: both subjects passed in the past sessions
        if (pastTheory.length) sat(a.id, pastTheory[i % pastTheory.length], 'theory', 80 + ((i * 7) % 21))
        if (pastPractical.length) sat(a.id, pastPractical[i % pastPractical.length], 'practical', 80 + ((i * 11) % 21))
      }
    })
    const inExam = apps.filter((a) => a.stage === 'exam')
    inExam.forEach((a, i) => {
      if (i % 6 === 1 && pastTheory[0]) sat(a.id, pastTheory[0], 'theory', 72) // failed once: the free retake is left
      if (i % 6 === 2 && pastPractical[0]) sat(a.id, pastPractical[0], 'practical', null) // 失约
      if (i % 6 === 3 && pastPractical.length) {
        sat(a.id, pastPractical[0], 'practical', 65)
        if (pastPractical[1]) sat(a.id, pastPractical[1], 'practical', 70) // two failures: retake fee 41.00 due
        if (pastTheory[0]) sat(a.id, pastTheory[0], 'theory', 90)
      }
      if (i % 6 === 4) pay(a.id, 'wechat', iso(nowMs - 2 * 3600_000), 'duplicate') // paid twice: awaiting refund
    })
    exams.syncBookedCounts()
  })()
  // Upcoming bookings through the booking service (capacity and the rules as for everyone).
  const inExam = apps.filter((a) => a.stage === 'exam')
  for (const [i, a] of inExam.entries()) {
    if (i % 6 === 3) continue
    for (const s of exams.bookableSessions(ctx.now())) {
      try {
        core.services.examBookings.book(a.id, s.id, i % 2 ? clerk : { kind: 'applicant', applicantId: (db.prepare('SELECT applicant_id AS a FROM applications WHERE id = ?').get(a.id) as { a: number }).a })
        bookingCount++
      } catch {
        /* full, or that subject is booked or not needed: try the next session */
      }
    }
  }
  return { orders, bookings: bookingCount, attempts: attemptCount }
}

// ---- applicant attachments (issue 3): every submitted application carries its scans ------------

/**
 * The scans the applicant uploaded, for every submitted application the review demo has not
 * covered (later stages need them too: the certificate prints the photo). Through the attachment
 * service, so the files are stored once by SHA-256 exactly as an upload leaves them.
 */
export async function seedApplicantAttachments(core: Core): Promise<number> {
  const { applications, applicationAttachments } = core.services
  const pdf = await samplePdf('Traffic record certificate (12123)')
  let n = 0
  for (const id of applications.records.allIds()) {
    const r = applications.records.get(id)!
    if (r.stage === 'draft' || r.applicantId === null) continue
    const actor = { kind: 'applicant' as const, id: r.applicantId, idNumber: r.idNumber, name: r.name, phone: r.phone ?? '' }
    const form = { ...(r.form as Partial<ApplicationForm>), category: r.category, applicationType: r.applicationType } as ApplicationForm
    const files: Partial<Record<AttachmentKind, [Buffer, string]>> = {
      id_front: [sampleCardPng(id, [214, 232, 245]), '身份证正面.png'],
      id_back: [sampleCardPng(id + 1, [230, 236, 220]), '身份证反面.png'],
      licence: [sampleCardPng(id + 2, [236, 228, 214]), '驾驶证正副本.png'],
      no_accident: [pdf, '三年无事故证明.pdf'],
      photo: [SAMPLE_JPEG, '免冠照片.jpg'],
      training_cert: [sampleCardPng(id + 3, [240, 220, 220]), '结业证.png'],
      old_certificate: [sampleCardPng(id + 4, [220, 240, 230]), '原资格证.png']
    }
    for (const kind of requiredAttachments(form)) {
      const f = files[kind]
      if (!f || applicationAttachments.repo.currentOfKind(id, kind)) continue
      await applicationAttachments.store(actor, id, kind, f[0], { fileName: f[1], anyStage: true })
      n++
    }
  }
  return n
}
