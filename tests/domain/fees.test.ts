// Attempt and fee accounting, path by path, as the guide's 3.1.5 and 3.1.7 describe them.
import { describe, expect, it } from 'vitest'
import { checkBooking, emptyLedger, standings, type AttemptOutcome, type ExamLedger, type FeeSchedule, type Subject } from '../../src-main/core/domain/attempts'
import { applyCredit, creditDecision, dueItems, sameItems, totalFen, yuan, feeScheduleFrom } from '../../src-main/core/domain/fees'
import { SETTING_DEFAULTS } from '../../src-main/core/domain/settings'

const FEES: FeeSchedule = feeScheduleFrom((k) => SETTING_DEFAULTS[k as keyof typeof SETTING_DEFAULTS])

/** Pays what is due now, as a paid order would. */
function pay(ledger: ExamLedger, fees = FEES) {
  const items = dueItems(ledger, fees)
  for (const i of items) applyCredit(ledger, i)
  return items
}
function sit(ledger: ExamLedger, subject: Subject, outcome: AttemptOutcome) {
  ;(ledger.subjects[subject].outcomes as AttemptOutcome[]).push(outcome)
}

describe('the exam fee', () => {
  it('is 133.00 yuan the first time: theory 51.00 + practical 82.00, settings in fen', () => {
    expect(FEES).toEqual({ theoryFen: 5100, practicalFen: 8200, theoryRetakeFen: 2550, practicalRetakeFen: 4100, includedAttempts: 2 })
    const items = dueItems(emptyLedger(), FEES)
    expect(items.map((i) => [i.key, i.amountFen, i.attempts])).toEqual([
      ['theory:initial', 5100, 2],
      ['practical:initial', 8200, 2]
    ])
    expect(totalFen(items)).toBe(13300)
    expect(yuan(totalFen(items))).toBe('133.00')
    expect(yuan(2550)).toBe('25.50')
  })

  it('blocks booking until paid, then allows both subjects', () => {
    const l = emptyLedger()
    expect(checkBooking(l, 'both', FEES)).toMatchObject({ ok: false, status: 'unpaid' })
    expect(standings(l, FEES).theory).toMatchObject({ left: 0, nextFeeFen: 5100, mayBook: false })
    pay(l)
    expect(l.initialPaid).toBe(true)
    expect(checkBooking(l, 'both', FEES)).toEqual({ ok: true, covers: ['theory', 'practical'] })
    expect(standings(l, FEES).theory).toMatchObject({ used: 0, left: 2, free: 2, nextFeeFen: 0 })
    expect(dueItems(l, FEES)).toEqual([])
  })
})

describe('attempt paths', () => {
  it('pass first time: nothing more is due, both passed', () => {
    const l = emptyLedger()
    pay(l)
    sit(l, 'theory', 'passed')
    sit(l, 'practical', 'passed')
    const st = standings(l, FEES)
    expect(st.theory).toMatchObject({ used: 1, left: 0, passed: true, nextFeeFen: 0, mayBook: false })
    expect(dueItems(l, FEES)).toEqual([])
    expect(checkBooking(l, 'both', FEES)).toMatchObject({ ok: false, status: 'passed' })
  })

  it('fail, free retake, pass: no retake fee', () => {
    const l = emptyLedger()
    pay(l)
    sit(l, 'theory', 'failed')
    expect(standings(l, FEES).theory).toMatchObject({ used: 1, left: 1, free: 1, nextFeeFen: 0, mayBook: true })
    expect(dueItems(l, FEES)).toEqual([])
    sit(l, 'theory', 'passed')
    expect(standings(l, FEES).theory).toMatchObject({ used: 2, passed: true })
  })

  it('fail twice, then each attempt from the 3rd costs half: theory 25.50, practical 41.00', () => {
    const l = emptyLedger()
    pay(l)
    sit(l, 'theory', 'failed')
    sit(l, 'theory', 'failed')
    sit(l, 'practical', 'failed')
    sit(l, 'practical', 'failed')
    expect(checkBooking(l, 'theory', FEES)).toMatchObject({ ok: false, status: 'no_attempts' })
    const due = dueItems(l, FEES)
    expect(due.map((i) => [i.key, i.amountFen])).toEqual([
      ['theory:retake:3', 2550],
      ['practical:retake:3', 4100]
    ])
    expect(standings(l, FEES).practical).toMatchObject({ used: 2, left: 0, free: 0, nextFeeFen: 4100 })
    pay(l)
    expect(checkBooking(l, 'both', FEES)).toEqual({ ok: true, covers: ['theory', 'practical'] })
    sit(l, 'theory', 'failed') // 3rd attempt, paid
    expect(dueItems(l, FEES).map((i) => i.key)).toEqual(['theory:retake:4'])
    sit(l, 'practical', 'passed')
    pay(l)
    sit(l, 'theory', 'passed') // 4th attempt, paid again
    expect(standings(l, FEES).theory).toMatchObject({ used: 4, passed: true })
    expect(dueItems(l, FEES)).toEqual([])
  })

  it('a no-show (失约) uses an attempt like a sitting', () => {
    const l = emptyLedger()
    pay(l)
    sit(l, 'theory', 'no_show')
    expect(standings(l, FEES).theory).toMatchObject({ used: 1, left: 1, noShows: 1 })
    sit(l, 'theory', 'no_show')
    expect(standings(l, FEES).theory).toMatchObject({ used: 2, left: 0, noShows: 2, nextFeeFen: 2550 })
    expect(dueItems(l, FEES).map((i) => i.key)).toEqual(['theory:retake:3'])
  })

  it('one active booking per subject; a both-subjects session covers only what is needed', () => {
    const l = emptyLedger()
    pay(l)
    l.subjects.theory.booked = true
    expect(checkBooking(l, 'theory', FEES)).toMatchObject({ ok: false, status: 'already_booked' })
    expect(checkBooking(l, 'both', FEES)).toEqual({ ok: true, covers: ['practical'] })
    l.subjects.theory.booked = false
    sit(l, 'theory', 'passed')
    expect(checkBooking(l, 'both', FEES)).toEqual({ ok: true, covers: ['practical'] })
  })
})

describe('changing the fees', () => {
  it('applies to new orders only: an order keeps the prices it was made with', () => {
    const l = emptyLedger()
    const oldOrder = dueItems(l, FEES)
    const raised = { ...FEES, theoryFen: 6000 }
    const newOrder = dueItems(l, raised)
    expect(totalFen(oldOrder)).toBe(13300)
    expect(totalFen(newOrder)).toBe(14200)
    expect(sameItems(oldOrder, newOrder)).toBe(true) // the same things bought, so an open old order is reused as it is
  })
})

describe('crediting a paid order', () => {
  it('credits once; a second order for the same items is a duplicate to refund, whole', () => {
    const l = emptyLedger()
    const a = dueItems(l, FEES)
    const b = dueItems(l, FEES)
    const credited = new Set<string>()
    expect(creditDecision(a, credited)).toEqual({ credit: true })
    a.forEach((i) => credited.add(i.key))
    expect(creditDecision(b, credited)).toEqual({ credit: false, duplicateOf: ['theory:initial', 'practical:initial'] })
  })
})
