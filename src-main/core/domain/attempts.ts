// Attempt accounting per exam subject (考试次数). Pure: the service hands in what was paid and what
// happened; these rules say what is left, what may be booked and what is due.
//
// The exam fee buys each subject one formal attempt and one free retake; from the third attempt of
// a subject each attempt is bought separately. A no-show (失约) uses an attempt like a sitting does.

export const SUBJECTS = ['theory', 'practical'] as const
export type Subject = (typeof SUBJECTS)[number]
export const SUBJECT_LABELS: Record<Subject, string> = { theory: '理论', practical: '实操' }

export type SessionSubjects = 'theory' | 'practical' | 'both'
export const SESSION_SUBJECT_LABELS: Record<SessionSubjects, string> = { theory: '理论', practical: '实操', both: '理论、实操' }

export function subjectsOf(s: SessionSubjects): Subject[] {
  return s === 'both' ? ['theory', 'practical'] : [s]
}

export type AttemptOutcome = 'passed' | 'failed' | 'no_show'

/** What happened to one subject of one application so far. */
export interface SubjectHistory {
  /** attempts bought: the initial fee's included attempts plus every retake bought */
  entitlements: number
  /** of those, how many came with the initial fee */
  included: number
  /** every sitting or no-show, oldest first */
  outcomes: readonly AttemptOutcome[]
  /** an active booking (booked or present, not yet scored) covers this subject */
  booked: boolean
}

export interface ExamLedger {
  /** the initial exam fee (133 yuan) has been paid */
  initialPaid: boolean
  subjects: Record<Subject, SubjectHistory>
}

export interface SubjectStanding {
  subject: Subject
  label: string
  used: number
  left: number
  /** included (free) attempts not yet used */
  free: number
  passed: boolean
  noShows: number
  booked: boolean
  /** may book this subject now */
  mayBook: boolean
  /** the fee for the next attempt of this subject: 0 when an attempt is left or the subject is passed */
  nextFeeFen: number
  /** why this subject cannot be booked now, in the applicant's words */
  blockedBecause: string | null
}

export interface FeeSchedule {
  theoryFen: number
  practicalFen: number
  theoryRetakeFen: number
  practicalRetakeFen: number
  /** attempts per subject that the initial fee includes (1 formal + 1 free retake) */
  includedAttempts: number
}

export const initialFeeOf = (s: Subject, f: FeeSchedule) => (s === 'theory' ? f.theoryFen : f.practicalFen)
export const retakeFeeOf = (s: Subject, f: FeeSchedule) => (s === 'theory' ? f.theoryRetakeFen : f.practicalRetakeFen)

export function emptyLedger(): ExamLedger {
  const empty = (): SubjectHistory => ({ entitlements: 0, included: 0, outcomes: [], booked: false })
  return { initialPaid: false, subjects: { theory: empty(), practical: empty() } }
}

export function standingOf(ledger: ExamLedger, subject: Subject, fees: FeeSchedule): SubjectStanding {
  const h = ledger.subjects[subject]
  const used = h.outcomes.length
  const passed = h.outcomes.includes('passed')
  const left = passed ? 0 : Math.max(0, h.entitlements - used)
  const free = passed ? 0 : Math.max(0, h.included - used)
  let blockedBecause: string | null = null
  if (!ledger.initialPaid) blockedBecause = '尚未缴纳考试费'
  else if (passed) blockedBecause = `${SUBJECT_LABELS[subject]}已考试合格`
  else if (h.booked) blockedBecause = `${SUBJECT_LABELS[subject]}已有预约`
  else if (left === 0) blockedBecause = `${SUBJECT_LABELS[subject]}考试次数已用完，请缴纳补考费后再预约`
  let nextFeeFen = 0
  if (!ledger.initialPaid) nextFeeFen = initialFeeOf(subject, fees)
  else if (!passed && left === 0 && !h.booked) nextFeeFen = retakeFeeOf(subject, fees)
  return {
    subject,
    label: SUBJECT_LABELS[subject],
    used,
    left,
    free,
    passed,
    noShows: h.outcomes.filter((o) => o === 'no_show').length,
    booked: h.booked,
    mayBook: blockedBecause === null,
    nextFeeFen,
    blockedBecause
  }
}

export function standings(ledger: ExamLedger, fees: FeeSchedule): Record<Subject, SubjectStanding> {
  return { theory: standingOf(ledger, 'theory', fees), practical: standingOf(ledger, 'practical', fees) }
}

export const bothPassed = (ledger: ExamLedger) =>
  SUBJECTS.every((s) => ledger.subjects[s].outcomes.includes('passed'))

export type BookingCheck =
  | { ok: true; covers: Subject[] }
  | { ok: false; status: 'unpaid' | 'no_attempts' | 'already_booked' | 'passed'; reason: string }

/**
 * Which subjects of a session the applicant would sit. A session of both subjects is bookable when
 * at least one of them is needed; the booking covers the needed ones only.
 */
export function checkBooking(ledger: ExamLedger, sessionSubjects: SessionSubjects, fees: FeeSchedule): BookingCheck {
  if (!ledger.initialPaid) return { ok: false, status: 'unpaid', reason: '尚未缴纳考试费，请先缴费再预约考试' }
  const offered = subjectsOf(sessionSubjects)
  const st = offered.map((s) => standingOf(ledger, s, fees))
  const covers = st.filter((s) => s.mayBook).map((s) => s.subject)
  if (covers.length) return { ok: true, covers }
  if (st.every((s) => s.passed)) return { ok: false, status: 'passed', reason: `${SESSION_SUBJECT_LABELS[sessionSubjects]}已考试合格，无需预约` }
  const booked = st.filter((s) => s.booked && !s.passed)
  if (booked.length) return { ok: false, status: 'already_booked', reason: `${booked.map((s) => s.label).join('、')}已有有效预约，每个科目只能有一个预约` }
  return { ok: false, status: 'no_attempts', reason: st.find((s) => s.blockedBecause)!.blockedBecause! }
}
