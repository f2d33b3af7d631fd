// Booking exam sessions (考试预约), over the app or at the counter, and what the applicant sees of
// attempts and scores. A seat is taken by one conditional UPDATE inside the booking's transaction,
// so the capacity holds under any concurrency; one active booking per subject is enforced by a
// unique index as well as by the rules.
import type { CoreContext } from '../context'
import { AppError, notFound } from '../errors'
import { checkBooking, standings, SUBJECT_LABELS, subjectsOf, type Subject, type SubjectStanding } from '../domain/attempts'
import { dueItems, totalFen } from '../domain/fees'
import type { BookingStatus, SessionRow } from '../storage/repositories/exams'
import { auditBy, examApplication, examRepos, feeSchedule, loadLedger, recordEvent, sendNotices, type ExamActor, type ExamNotice } from './exam-common'
import { BOOKING_STATUS_LABELS, sessionView, type SessionView } from './exam-sessions'
import type { ScoreView } from '../../../src-preload/contract/exams'

/** Stages in which a passenger's step 06 shows the booking or the scores. */
const EXAM_STEP_STAGES: readonly string[] = ['exam', 'permit_approval', 'certificate', 'pickup', 'completed', 'rejected']

export interface BookableSession {
  id: number
  venue: string
  venueAddress: string
  name: string
  date: string
  start: string
  end: string
  subjects: Subject[]
  capacity: number
  booked: number
  bookingClosesAt: string
  /** the subjects this applicant would sit there */
  wouldCover: Subject[]
}

export interface BookingView {
  bookingId: number
  sessionId: number
  session: SessionView
  subjects: Subject[]
  status: BookingStatus
  statusLabel: string
  bookedAt: string
  cancellable: boolean
}

export interface AttemptsView {
  subjects: SubjectStanding[]
  /** what a new payment order would ask for now */
  dueFen: number
}

export type { ScoreView } from '../../../src-preload/contract/exams'

export function examBookingsService(ctx: CoreContext, sweep: () => void = () => {}) {
  const { exams } = examRepos(ctx)

  function bookingView(b: ReturnType<typeof exams.booking> & object, now: string): BookingView {
    const s = exams.session(b.sessionId)!
    return {
      bookingId: b.id,
      sessionId: s.id,
      session: sessionView(s),
      subjects: [...(b.theory ? (['theory'] as const) : []), ...(b.practical ? (['practical'] as const) : [])],
      status: b.status,
      statusLabel: BOOKING_STATUS_LABELS[b.status],
      bookedAt: b.bookedAt,
      cancellable: b.status === 'booked' && s.status === 'open' && now < s.bookingClosesAt
    }
  }

  function book(applicationId: number, sessionId: number, actor: ExamActor): BookingView {
    const notices: ExamNotice[] = []
    const view = ctx.db.transaction(() => {
      const app = examApplication(ctx, applicationId, actor)
      if (app.stage === 'fee_payment') throw new AppError('rule_violation', '尚未缴纳考试费，请先缴费再预约考试')
      if (app.stage !== 'exam') throw new AppError('conflict', '申请当前不在考试预约环节')
      const session = exams.session(sessionId)
      if (!session) throw new AppError('not_found', '场次不存在', { sessionId: '场次不存在' })
      const now = ctx.now()
      if (session.status !== 'open') throw new AppError('conflict', session.status === 'cancelled' ? '该场次已取消' : '该场次已结束')
      if (now < session.bookingOpensAt) throw new AppError('conflict', `该场次尚未开放预约（${session.bookingOpensAt.slice(0, 16).replace('T', ' ')} 开放）`)
      if (now >= session.bookingClosesAt) throw new AppError('conflict', '该场次预约已截止')
      // Full already: say so without reading the ledger (the conditional UPDATE below stays the guard).
      if (session.booked >= session.capacity) throw new AppError('conflict', '该场次已约满，请选择其他场次')
      const check = checkBooking(loadLedger(ctx, app.id), session.subjects, feeSchedule(ctx))
      if (!check.ok) throw new AppError(check.status === 'already_booked' || check.status === 'passed' ? 'conflict' : 'rule_violation', check.reason)
      if (!exams.takeSeat(session.id, now)) throw new AppError('conflict', '该场次已约满，请选择其他场次')
      let id: number
      try {
        id = exams.insertBooking({ applicationId: app.id, sessionId: session.id, theory: check.covers.includes('theory'), practical: check.covers.includes('practical'), now, byType: actor.kind === 'staff' ? 'staff' : 'applicant', byId: actor.kind === 'staff' ? actor.id : actor.kind === 'applicant' ? actor.applicantId : null })
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new AppError('conflict', '该科目已有有效预约，每个科目只能有一个预约')
        throw e
      }
      const subjectsText = check.covers.map((s) => SUBJECT_LABELS[s]).join('')
      const text = `您的考试预约已成功，请按预约时间参加考试并阅读考场须知。考场名称：${session.name}，考试科目：${subjectsText}，考试日期：${session.examDate}`
      recordEvent(ctx, app, 'exam_booked', actor, { bookingId: id, sessionId: session.id, session: session.name, venue: session.venueName, examDate: session.examDate, start: session.startTime, end: session.endTime, subjects: check.covers, text })
      auditBy(ctx, actor, 'exam.booked', { type: 'exam_booking', id }, { applicationId: app.id, sessionId: session.id, subjects: check.covers })
      notices.push({ applicationId: app.id, phone: app.phone, text: `【郑州交通】${text} ${session.startTime}，请于08:30前携带身份证原件到${session.venueName}（${session.venueAddress}）。` })
      return bookingView(exams.booking(id)!, now)
    })()
    sendNotices(ctx, notices)
    return view
  }

  return {
    book,

    /** GET /applications/{id}/exam-sessions: what this applicant may book now. */
    bookable(applicationId: number, actor: ExamActor): BookableSession[] {
      sweep()
      const app = examApplication(ctx, applicationId, actor)
      const ledger = loadLedger(ctx, app.id)
      const fees = feeSchedule(ctx)
      return exams
        .bookableSessions(ctx.now())
        .map((s: SessionRow) => {
          const c = checkBooking(ledger, s.subjects, fees)
          return { s, covers: c.ok ? c.covers : [] }
        })
        .filter((x) => x.covers.length > 0)
        .map(({ s, covers }) => ({
          id: s.id,
          venue: s.venueName,
          venueAddress: s.venueAddress,
          name: s.name,
          date: s.examDate,
          start: s.startTime,
          end: s.endTime,
          subjects: subjectsOf(s.subjects),
          capacity: s.capacity,
          booked: s.booked,
          bookingClosesAt: s.bookingClosesAt,
          wouldCover: covers
        }))
    },

    bookings(applicationId: number, actor: ExamActor): BookingView[] {
      sweep()
      const app = examApplication(ctx, applicationId, actor)
      const now = ctx.now()
      return exams.bookingsOfApplication(app.id).reverse().map((b) => bookingView(b, now))
    },

    /** DELETE /applications/{id}/bookings/{bookingId}: before the cut-off (a clerk may cancel until the session starts). */
    cancel(applicationId: number, bookingId: number, actor: ExamActor): void {
      ctx.db.transaction(() => {
        const app = examApplication(ctx, applicationId, actor)
        const b = exams.booking(bookingId)
        if (!b || b.applicationId !== app.id) throw notFound('预约')
        if (b.status !== 'booked') throw new AppError('conflict', `该预约状态为“${BOOKING_STATUS_LABELS[b.status]}”，不能取消`)
        const s = exams.session(b.sessionId)!
        const now = ctx.now()
        const limit = actor.kind === 'staff' ? `${s.examDate}T${s.startTime}:00+08:00` : s.bookingClosesAt
        if (now >= limit) throw new AppError('conflict', actor.kind === 'staff' ? '考试已开始，不能取消预约' : `已过取消截止时间（${s.bookingClosesAt.slice(0, 16).replace('T', ' ')}），不能取消预约`)
        exams.endBooking(b.id, 'cancelled', now, actor.kind === 'staff' ? 'staff' : 'applicant', actor.kind === 'staff' ? actor.id : actor.kind === 'applicant' ? actor.applicantId : null)
        exams.freeSeat(s.id)
        recordEvent(ctx, app, 'exam_booking_cancelled', actor, { bookingId: b.id, sessionId: s.id, session: s.name, examDate: s.examDate })
        auditBy(ctx, actor, 'exam.booking_cancelled', { type: 'exam_booking', id: b.id }, { applicationId: app.id, sessionId: s.id })
      })()
    },

    /** GET /applications/{id}/attempts */
    attempts(applicationId: number, actor: ExamActor): AttemptsView {
      sweep()
      const app = examApplication(ctx, applicationId, actor)
      const fees = feeSchedule(ctx)
      const ledger = loadLedger(ctx, app.id)
      const st = standings(ledger, fees)
      const due = ['fee_payment', 'exam'].includes(app.stage) ? dueItems(ledger, fees) : []
      return { subjects: [st.theory, st.practical], dueFen: totalFen(due) }
    },

    /**
     * What step 06 (考试预约) of the applicant's progress says, as the guide shows it: the booking
     * with venue, subjects and date; after a sitting the scores with the attempts left and any fee
     * due; once passed, both scores. Never throws: the progress answers for any application.
     */
    /** Step 06's text. `known`: the caller's already-loaded stage and category, to skip the look-up when step 06 is not concerned. */
    progressOverrides(applicationId: number, known?: { category: string; stage: string }): { '06'?: { text: string; at: string | null } } {
      if (known && (known.category !== 'passenger' || !EXAM_STEP_STAGES.includes(known.stage))) return {}
      const app = exams.application(applicationId)
      if (!app || app.category !== 'passenger' || !EXAM_STEP_STAGES.includes(app.stage)) return {}
      const attempts = exams.attemptsOfApplication(app.id)
      const scoreText = (subject: Subject) => {
        const a = [...attempts].reverse().find((x) => x.subject === subject)
        return a ? `${SUBJECT_LABELS[subject]}${a.outcome === 'no_show' ? '失约' : `${a.score}分`}` : null
      }
      const last = attempts[attempts.length - 1]
      if (app.stage !== 'exam') {
        const text = (['theory', 'practical'] as const).map(scoreText).filter(Boolean).join('，')
        return text ? { '06': { text: `考试合格：${text}`, at: last?.recordedAt ?? null } } : {}
      }
      const active = exams.activeBookings(app.id)
      if (active.length) {
        const b = active[active.length - 1]
        const s = exams.session(b.sessionId)!
        const subjects = [...(b.theory ? ['理论'] : []), ...(b.practical ? ['实操'] : [])].join('')
        return { '06': { text: `您的考试预约已成功，请按预约时间参加考试并阅读考场须知。考场名称：${s.name}，考试科目：${subjects}，考试日期：${s.examDate}`, at: b.bookedAt } }
      }
      if (!last) return {}
      const fees = feeSchedule(ctx)
      const ledger = loadLedger(ctx, app.id)
      const st = standings(ledger, fees)
      const due = totalFen(dueItems(ledger, fees))
      const results = (['theory', 'practical'] as const).map(scoreText).filter(Boolean).join('，')
      const left = (['theory', 'practical'] as const).filter((x) => !st[x].passed).map((x) => `${SUBJECT_LABELS[x]}剩余考试次数${st[x].left}次`).join('，')
      const next = due ? `请缴纳补考费${(due / 100).toFixed(2)}元后再预约考试` : '请重新预约考试'
      return { '06': { text: `考试成绩：${results}。${left}，${next}`, at: last.recordedAt } }
    },

    /** GET /applications/{id}/scores: every sitting, newest last (成绩查询). */
    scores(applicationId: number, actor: ExamActor): ScoreView[] {
      const app = examApplication(ctx, applicationId, actor)
      return exams.attemptsOfApplication(app.id).map((a) => ({
        subject: a.subject,
        label: SUBJECT_LABELS[a.subject],
        score: a.score,
        absent: a.outcome === 'no_show',
        passed: a.outcome === 'passed',
        examDate: a.examDate,
        sessionId: a.sessionId
      }))
    }
  }
}
export type ExamBookingsService = ReturnType<typeof examBookingsService>
