// Exam fees (考试费) in integer fen: what is due now, as the items of one payment order, and how a
// paid order is credited. Pure.
import {
  SUBJECTS,
  SUBJECT_LABELS,
  initialFeeOf,
  retakeFeeOf,
  standingOf,
  type ExamLedger,
  type FeeSchedule,
  type Subject
} from './attempts'

export interface FeeItem {
  /** identifies what is bought; the same key is never credited twice (theory:initial, practical:retake:3) */
  key: string
  kind: 'initial' | 'retake'
  subject: Subject
  /** attempts this item buys */
  attempts: number
  amountFen: number
  label: string
}

export function feeScheduleFrom(get: (key: string) => unknown): FeeSchedule {
  return {
    theoryFen: Number(get('exam.fee.theoryFen')),
    practicalFen: Number(get('exam.fee.practicalFen')),
    theoryRetakeFen: Number(get('exam.fee.theoryRetakeFen')),
    practicalRetakeFen: Number(get('exam.fee.practicalRetakeFen')),
    includedAttempts: Number(get('exam.includedAttempts'))
  }
}

/** The items due now: the initial fee for both subjects, or a retake for each failed subject with no attempt left. */
export function dueItems(ledger: ExamLedger, fees: FeeSchedule): FeeItem[] {
  if (!ledger.initialPaid) {
    return SUBJECTS.map((subject) => ({
      key: `${subject}:initial`,
      kind: 'initial' as const,
      subject,
      attempts: fees.includedAttempts,
      amountFen: initialFeeOf(subject, fees),
      label: `${SUBJECT_LABELS[subject]}考试费（含正式考试一次、免费补考一次）`
    }))
  }
  const items: FeeItem[] = []
  for (const subject of SUBJECTS) {
    const st = standingOf(ledger, subject, fees)
    if (st.passed || st.left > 0 || st.booked) continue
    const attemptNo = ledger.subjects[subject].entitlements + 1
    items.push({
      key: `${subject}:retake:${attemptNo}`,
      kind: 'retake',
      subject,
      attempts: 1,
      amountFen: retakeFeeOf(subject, fees),
      label: `${SUBJECT_LABELS[subject]}补考费（第${attemptNo}次考试）`
    })
  }
  return items
}

export const totalFen = (items: readonly { amountFen: number }[]) => items.reduce((sum, i) => sum + i.amountFen, 0)

/** Same items (ignoring price): an order made earlier for exactly what is due now. */
export function sameItems(a: readonly FeeItem[], b: readonly FeeItem[]): boolean {
  const ka = a.map((i) => i.key).sort()
  const kb = b.map((i) => i.key).sort()
  return ka.length === kb.length && ka.every((k, i) => k === kb[i])
}

/**
 * What a paid order does: credit every item, or, when any of its items was already paid by another
 * order, nothing at all: the whole order is a duplicate payment to be refunded.
 */
export function creditDecision(items: readonly FeeItem[], alreadyCredited: ReadonlySet<string>):
  | { credit: true }
  | { credit: false; duplicateOf: string[] } {
  const dup = items.filter((i) => alreadyCredited.has(i.key)).map((i) => i.key)
  return dup.length ? { credit: false, duplicateOf: dup } : { credit: true }
}

/** 13300 → "133.00" */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const a = Math.abs(fen)
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`
}

/** Adds a credit to the ledger (used by the service when building the ledger from stored credits). */
export function applyCredit(ledger: ExamLedger, item: { kind: 'initial' | 'retake'; subject: Subject; attempts: number }) {
  const h = ledger.subjects[item.subject]
  h.entitlements += item.attempts
  if (item.kind === 'initial') {
    h.included += item.attempts
    ledger.initialPaid = SUBJECTS.every((s) => ledger.subjects[s].included > 0)
  }
}
