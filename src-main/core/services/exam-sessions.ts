// Exam sessions (考场场次) as the exam staff run them: create with a capacity, change the capacity
// (never below what is booked), cancel (bookings released, applicants told), the roster with
// attendance, and closing a session: everyone not marked present is a no-show (失约) and uses one
// attempt of each booked subject, automatically once the session is over.
import type { CoreContext, StaffActor } from '../context'
import { AppError, notFound } from '../errors'
import { SESSION_SUBJECT_LABELS, type SessionSubjects, type Subject } from '../domain/attempts'
import { maskIdNumber, maskPhone } from '../domain/masking'
import { shanghaiDate } from '../domain/time'
import type { BookingRow, BookingStatus, SessionRow } from '../storage/repositories/exams'
import { auditBy, examRepos, recordEvent, sendNotices, type ExamActor, type ExamNotice } from './exam-common'
import type { ExamSessionView, RosterEntry } from '../../../src-preload/contract/exams'

/** What staff and applicants see of a session: the contract's type, not a second copy. */
export type SessionView = ExamSessionView

export const sessionView = (s: SessionRow): SessionView => ({
  id: s.id,
  venueId: s.venueId,
  venue: s.venueName,
  venueAddress: s.venueAddress,
  name: s.name,
  date: s.examDate,
  start: s.startTime,
  end: s.endTime,
  subjects: s.subjects,
  subjectsLabel: SESSION_SUBJECT_LABELS[s.subjects],
  capacity: s.capacity,
  booked: s.booked,
  bookingOpensAt: s.bookingOpensAt,
  bookingClosesAt: s.bookingClosesAt,
  status: s.status,
  cancelReason: s.cancelReason,
  closedAt: s.closedAt
})

export type { RosterEntry } from '../../../src-preload/contract/exams'

export const BOOKING_STATUS_LABELS: Record<BookingStatus, string> = {
  booked: '已预约',
  present: '已到场',
  scored: '已出成绩',
  no_show: '失约',
  cancelled: '已取消',
  released: '场次取消',
}

const coveredSubjects = (b: Pick<BookingRow, 'theory' | 'practical'>): Subject[] => [...(b.theory ? (['theory'] as const) : []), ...(b.practical ? (['practical'] as const) : [])]

/** "HH:MM" */
const hhmm = (iso: string) => iso.slice(11, 16)

export function examSessionsService(ctx: CoreContext) {
  const { exams } = examRepos(ctx)

  /** Marks one booking a no-show: one attempt of each covered subject is used and the booking ends. Inside a transaction. */
  function noShow(b: BookingRow, session: SessionRow, actor: ExamActor, source: 'attendance' | 'auto', notices: ExamNotice[]) {
    const now = ctx.now()
    if (!exams.endBooking(b.id, 'no_show', now, actor.kind === 'applicant' ? 'system' : actor.kind, actor.kind === 'staff' ? actor.id : null)) return false
    for (const subject of coveredSubjects(b)) {
      exams.insertAttempt({ applicationId: b.applicationId, subject, bookingId: b.id, sessionId: session.id, examDate: session.examDate, outcome: 'no_show', score: null, passMark: null, source, batchId: null, now, by: actor.kind === 'staff' ? actor.id : null })
    }
    const app = exams.application(b.applicationId)!
    recordEvent(ctx, app, 'exam_no_show', actor, { sessionId: session.id, session: session.name, examDate: session.examDate, subjects: coveredSubjects(b) })
    auditBy(ctx, actor, 'exam.no_show', { type: 'exam_booking', id: b.id }, { applicationId: app.id, sessionId: session.id, subjects: coveredSubjects(b), source })
    notices.push({ applicationId: app.id, phone: app.phone, text: `【郑州交通】您预约的${session.examDate}${session.name}考试未到场，按失约处理，已扣除一次考试机会，请重新预约。` })
    return true
  }

  function close(sessionId: number, actor: ExamActor): { noShows: number } {
    const notices: ExamNotice[] = []
    const result = ctx.db.transaction(() => {
      const session = exams.session(sessionId)
      if (!session) throw notFound('场次')
      if (session.status !== 'open') throw new AppError('conflict', session.status === 'cancelled' ? '场次已取消' : '场次已结束')
      if (ctx.now() < `${session.examDate}T${session.startTime}:00+08:00`) throw new AppError('rule_violation', '考试开始后才能结束场次（未到场的考生按失约处理）')
      let noShows = 0
      for (const b of exams.bookingsOfSession(sessionId)) if (b.status === 'booked' && noShow(b, session, actor, actor.kind === 'staff' ? 'attendance' : 'auto', notices)) noShows++
      exams.finishSession(sessionId, ctx.now())
      auditBy(ctx, actor, 'exam.session_closed', { type: 'exam_session', id: sessionId }, { noShows })
      return { noShows }
    })()
    sendNotices(ctx, notices)
    return result
  }

  /** Closes every open session whose end time has passed (no-shows applied automatically). */
  function sweep(): number {
    const now = ctx.now()
    const due = exams.sessionsDueToClose(now.slice(0, 10), hhmm(now))
    for (const id of due) {
      try {
        close(id, { kind: 'system' })
      } catch (e) {
        if (!(e instanceof AppError)) throw e
      }
    }
    return due.length
  }

  function requireSession(id: number): SessionRow {
    const s = exams.session(id)
    if (!s) throw notFound('场次')
    return s
  }

  return {
    sweep,
    venues: () => exams.venues(),

    list(input: { from?: string; to?: string }): SessionView[] {
      sweep()
      const today = shanghaiDate(ctx.clock())
      return exams.sessionsBetween(input.from ?? '0000-01-01', input.to ?? '9999-12-31').map(sessionView).filter((s) => input.from || input.to || s.date >= today || s.status === 'open')
    },

    get(id: number): SessionView {
      return sessionView(requireSession(id))
    },

    create(actor: StaffActor, input: { venueId: number; name?: string; date: string; start: string; end: string; subjects: SessionSubjects; capacity: number; bookingOpensAt: string; bookingClosesAt: string }): SessionView {
      const fields: Record<string, string> = {}
      const venue = exams.venue(input.venueId)
      if (!venue) fields.venueId = '考点不存在或已停用'
      if (input.end <= input.start) fields.end = '结束时间应晚于开始时间'
      const startsAt = `${input.date}T${input.start}:00+08:00`
      if (startsAt <= ctx.now()) fields.date = '考试时间应在当前时间之后'
      if (input.bookingClosesAt <= input.bookingOpensAt) fields.bookingClosesAt = '预约截止时间应晚于开放时间'
      else if (input.bookingClosesAt > startsAt) fields.bookingClosesAt = '预约截止时间不能晚于考试开始时间'
      if (Object.keys(fields).length) throw new AppError('invalid_input', `场次信息有误：${Object.values(fields).join('；')}`, fields)
      return ctx.db.transaction(() => {
        const name = input.name?.trim() || `${input.date} ${venue!.name}${SESSION_SUBJECT_LABELS[input.subjects]}场次`
        const id = exams.insertSession({ venueId: input.venueId, name, examDate: input.date, startTime: input.start, endTime: input.end, subjects: input.subjects, capacity: input.capacity, bookingOpensAt: input.bookingOpensAt, bookingClosesAt: input.bookingClosesAt, now: ctx.now(), by: actor.id })
        ctx.audit.byStaff(actor, 'exam.session_created', { type: 'exam_session', id }, { name, date: input.date, capacity: input.capacity, subjects: input.subjects })
        return sessionView(exams.session(id)!)
      })()
    },

    setCapacity(actor: StaffActor, input: { sessionId: number; capacity: number }): SessionView {
      return ctx.db.transaction(() => {
        const s = requireSession(input.sessionId)
        if (s.status !== 'open') throw new AppError('conflict', '只能修改未结束的场次')
        if (!exams.setCapacity(s.id, input.capacity, ctx.now())) {
          const now = requireSession(s.id)
          throw new AppError('rule_violation', `计划人数不能少于已预约人数（${now.booked}人）`, { capacity: `不能少于已预约的${now.booked}人` })
        }
        ctx.audit.byStaff(actor, 'exam.capacity_changed', { type: 'exam_session', id: s.id }, { from: s.capacity, to: input.capacity })
        return sessionView(requireSession(s.id))
      })()
    },

    cancel(actor: StaffActor, input: { sessionId: number; reason: string }): { session: SessionView; released: number } {
      const notices: ExamNotice[] = []
      const result = ctx.db.transaction(() => {
        const s = requireSession(input.sessionId)
        if (s.status !== 'open') throw new AppError('conflict', s.status === 'cancelled' ? '场次已取消' : '场次已结束，不能取消')
        const now = ctx.now()
        let released = 0
        for (const b of exams.bookingsOfSession(s.id)) {
          if (b.status !== 'booked' && b.status !== 'present') continue
          exams.endBooking(b.id, 'released', now, 'staff', actor.id)
          released++
          const app = exams.application(b.applicationId)!
          const text = `【郑州交通】您预约的${s.examDate} ${s.startTime} ${s.venueName}考试场次已取消（${input.reason}），考试次数不受影响，请重新预约。`
          recordEvent(ctx, app, 'exam_session_cancelled', actor, { sessionId: s.id, session: s.name, examDate: s.examDate, reason: input.reason, notice: text })
          notices.push({ applicationId: app.id, phone: app.phone, text })
        }
        exams.cancelSession(s.id, input.reason, actor.id, now)
        ctx.audit.byStaff(actor, 'exam.session_cancelled', { type: 'exam_session', id: s.id }, { reason: input.reason, released })
        return { session: sessionView(requireSession(s.id)), released }
      })()
      sendNotices(ctx, notices)
      return result
    },

    roster(sessionId: number): { session: SessionView; entries: RosterEntry[] } {
      sweep()
      const s = requireSession(sessionId)
      return {
        session: sessionView(s),
        entries: exams.roster(sessionId).map((r) => ({
          bookingId: r.id,
          applicationId: r.applicationId,
          name: r.name,
          idNumberMasked: maskIdNumber(r.idNumber),
          phoneMasked: r.phone ? maskPhone(r.phone) : '',
          trainingNo: r.trainingNo,
          subjects: coveredSubjects(r),
          status: r.status,
          bookedAt: r.bookedAt,
          attendanceAt: r.attendanceAt,
          hasPhoto: !!r.photoSha256
        }))
      }
    },

    /** The roster with full ID numbers, for print and export (recorded in the audit log). */
    rosterForExport(actor: StaffActor, sessionId: number, format: 'pdf' | 'xlsx') {
      const s = requireSession(sessionId)
      const rows = exams.roster(sessionId)
      ctx.audit.byStaff(actor, 'exam.roster_exported', { type: 'exam_session', id: sessionId }, { format, entries: rows.length })
      return { session: sessionView(s), rows: rows.map((r) => ({ ...r, subjects: coveredSubjects(r) })) }
    },

    /** Present or absent, from the roster. Absent is a no-show at once; present may also correct an earlier no-show. */
    markAttendance(actor: StaffActor, input: { bookingId: number; present: boolean }): RosterEntry['status'] {
      const notices: ExamNotice[] = []
      const status = ctx.db.transaction(() => {
        const b = exams.booking(input.bookingId)
        if (!b) throw notFound('预约')
        const s = requireSession(b.sessionId)
        if (s.status === 'cancelled') throw new AppError('conflict', '场次已取消')
        if (s.examDate > shanghaiDate(ctx.clock())) throw new AppError('rule_violation', '考试当天才能登记到场情况')
        if (input.present) {
          if (b.status === 'present') return b.status
          if (b.status !== 'booked' && b.status !== 'no_show') throw new AppError('conflict', `该预约状态为“${BOOKING_STATUS_LABELS[b.status]}”，不能登记到场`)
          if (b.status === 'no_show') exams.deleteNoShows(b.id)
          try {
            exams.markPresent(b.id, actor.id, ctx.now())
          } catch (e) {
            if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new AppError('conflict', '该考生已重新预约了同一科目，不能更正为到场')
            throw e
          }
          const app = exams.application(b.applicationId)!
          recordEvent(ctx, app, b.status === 'no_show' ? 'exam_no_show_corrected' : 'exam_present', actor, { sessionId: s.id, examDate: s.examDate })
          ctx.audit.byStaff(actor, b.status === 'no_show' ? 'exam.no_show_corrected' : 'exam.present', { type: 'exam_booking', id: b.id }, { applicationId: b.applicationId, sessionId: s.id })
          return 'present' as const
        }
        if (b.status === 'no_show') return b.status
        if (b.status !== 'booked' && b.status !== 'present') throw new AppError('conflict', `该预约状态为“${BOOKING_STATUS_LABELS[b.status]}”，不能登记失约`)
        if (b.status === 'present') {
          // un-mark presence first, then the no-show as usual
          exams.endBooking(b.id, 'no_show', ctx.now(), 'staff', actor.id)
          for (const subject of coveredSubjects(b)) {
            exams.insertAttempt({ applicationId: b.applicationId, subject, bookingId: b.id, sessionId: s.id, examDate: s.examDate, outcome: 'no_show', score: null, passMark: null, source: 'attendance', batchId: null, now: ctx.now(), by: actor.id })
          }
          const app = exams.application(b.applicationId)!
          recordEvent(ctx, app, 'exam_no_show', actor, { sessionId: s.id, examDate: s.examDate, subjects: coveredSubjects(b) })
          ctx.audit.byStaff(actor, 'exam.no_show', { type: 'exam_booking', id: b.id }, { applicationId: b.applicationId, sessionId: s.id, source: 'attendance' })
          return 'no_show' as const
        }
        noShow(b, s, actor, 'attendance', notices)
        return 'no_show' as const
      })()
      sendNotices(ctx, notices)
      return status
    },

    close: (actor: StaffActor, sessionId: number) => close(sessionId, actor)
  }
}
export type ExamSessionsService = ReturnType<typeof examSessionsService>
