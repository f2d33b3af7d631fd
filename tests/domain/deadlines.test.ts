import { describe, expect, it } from 'vitest'
import {
  addDays,
  addWorkingDays,
  calendarOf,
  countdown,
  deficiencyDeadline,
  EMPTY_CALENDAR,
  isWorkingDay,
  overdueBefore,
  workingDaysBetween
} from '../../src-main/core/domain/deadlines'

// The State Council's 2026 arrangement around the holidays these tests cross (the same rows 0003 seeds).
const CAL_2026 = calendarOf([
  ...['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23'].map((date) => ({ date, kind: 'holiday' as const })),
  { date: '2026-02-14', kind: 'workday' },
  { date: '2026-02-28', kind: 'workday' },
  ...['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'].map((date) => ({ date, kind: 'holiday' as const })),
  { date: '2026-09-20', kind: 'workday' },
  { date: '2026-10-10', kind: 'workday' }
])

describe('working days', () => {
  it('treats Monday–Friday as working days and weekends as rest days without a calendar', () => {
    expect(isWorkingDay('2026-11-27', EMPTY_CALENDAR)).toBe(true) // Friday
    expect(isWorkingDay('2026-11-28', EMPTY_CALENDAR)).toBe(false) // Saturday
    expect(isWorkingDay('2026-11-29', EMPTY_CALENDAR)).toBe(false) // Sunday
  })

  it('follows the calendar: holidays rest, 调休 weekends work', () => {
    expect(isWorkingDay('2026-10-01', CAL_2026)).toBe(false) // Thursday, 国庆节
    expect(isWorkingDay('2026-10-10', CAL_2026)).toBe(true) // Saturday worked
    expect(isWorkingDay('2026-09-20', CAL_2026)).toBe(true) // Sunday worked
  })

  it('does not count the day of submission (期间开始之日不计算在内)', () => {
    expect(addWorkingDays('2026-11-25', 1, EMPTY_CALENDAR)).toBe('2026-11-26')
    expect(addWorkingDays('2026-11-25', 0, EMPTY_CALENDAR)).toBe('2026-11-25')
  })

  it('gives the 5-working-day deficiency deadline across a weekend', () => {
    expect(deficiencyDeadline('2026-11-25', EMPTY_CALENDAR)).toBe('2026-12-02') // Wed → next Wed
    expect(deficiencyDeadline('2026-11-27', EMPTY_CALENDAR)).toBe('2026-12-04') // Fri → next Fri
    // Submitted in the app on a Saturday or Sunday: counted from Monday.
    expect(deficiencyDeadline('2026-11-28', EMPTY_CALENDAR)).toBe('2026-12-04')
    expect(deficiencyDeadline('2026-11-29', EMPTY_CALENDAR)).toBe('2026-12-04')
  })

  it('skips the National Day week and counts the Saturday worked after it', () => {
    // Mon 28 Sep: 29, 30 Sep, (1–7 Oct holiday), 8, 9 Oct, Sat 10 Oct worked.
    expect(deficiencyDeadline('2026-09-28', CAL_2026)).toBe('2026-10-10')
    // Without the calendar the same submission would be due on Monday 5 Oct, a holiday.
    expect(deficiencyDeadline('2026-09-28', EMPTY_CALENDAR)).toBe('2026-10-05')
    // Fri 18 Sep: the Sunday worked (20 Sep) counts as the first day.
    expect(deficiencyDeadline('2026-09-18', CAL_2026)).toBe('2026-09-24')
  })

  it('skips the Spring Festival and counts both Saturdays worked', () => {
    // Fri 13 Feb: Sat 14 (worked), 15–23 holiday, 24, 25, 26, 27 Feb.
    expect(deficiencyDeadline('2026-02-13', CAL_2026)).toBe('2026-02-27')
    // Submitted on the last holiday: 24, 25, 26, 27 Feb and the Saturday 28 Feb worked.
    expect(deficiencyDeadline('2026-02-23', CAL_2026)).toBe('2026-02-28')
  })

  it('counts working days between two dates, end inclusive', () => {
    expect(workingDaysBetween('2026-11-25', '2026-12-02', EMPTY_CALENDAR)).toBe(5)
    expect(workingDaysBetween('2026-12-02', '2026-11-25', EMPTY_CALENDAR)).toBe(0)
    expect(workingDaysBetween('2026-09-30', '2026-10-08', CAL_2026)).toBe(1)
  })
})

describe('the countdown a queue shows', () => {
  const deadline = '2026-12-02'
  it('counts down the working days left', () => {
    expect(countdown(deadline, '2026-11-25', EMPTY_CALENDAR)).toEqual({ deadline, state: 'ok', workingDaysLeft: 5, label: '剩余5个工作日' })
    // Friday → Wednesday: Mon, Tue, Wed left.
    expect(countdown(deadline, '2026-11-27', EMPTY_CALENDAR)).toMatchObject({ workingDaysLeft: 3, label: '剩余3个工作日' })
    expect(countdown(deadline, '2026-12-01', EMPTY_CALENDAR)).toMatchObject({ state: 'due_soon', workingDaysLeft: 1 })
  })
  it('says 今日到期 on the deadline and 已超期 after it', () => {
    expect(countdown(deadline, '2026-12-02', EMPTY_CALENDAR)).toMatchObject({ state: 'due_today', label: '今日到期' })
    expect(countdown(deadline, '2026-12-03', EMPTY_CALENDAR)).toMatchObject({ state: 'overdue', workingDaysLeft: -1, label: '已超期1个工作日' })
    expect(countdown(deadline, '2026-12-05', EMPTY_CALENDAR)).toMatchObject({ state: 'overdue', label: '已超期2个工作日' })
  })
  it('stays overdue on a weekend right after a Friday deadline', () => {
    expect(countdown('2026-12-04', '2026-12-05', EMPTY_CALENDAR)).toMatchObject({ state: 'overdue', label: '已超期1个工作日' })
  })
})

describe('overdueBefore (the overdue count as one index range)', () => {
  it('is the first submission date still on time', () => {
    expect(overdueBefore('2026-12-02', EMPTY_CALENDAR)).toBe('2026-11-25')
  })
  it('agrees with the deadline for every submission date of a year and every "today"', () => {
    for (let today = '2026-01-05'; today < '2026-12-31'; today = addDays(today, 7)) {
      const cutoff = overdueBefore(today, CAL_2026)
      for (let sub = addDays(today, -40); sub <= today; sub = addDays(sub, 1)) {
        expect(sub < cutoff, `${sub} on ${today}`).toBe(deficiencyDeadline(sub, CAL_2026) < today)
      }
    }
  })
})

describe('workingDaysBetween agrees with counting day by day', () => {
  it('over every pair of dates of a stretch crossing the 2026 holidays', () => {
    const slow = (from: string, to: string) => {
      let n = 0
      for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, CAL_2026)) n++
      return n
    }
    for (let from = '2026-01-20'; from < '2026-03-10'; from = addDays(from, 3)) {
      for (let to = from; to < '2026-10-20'; to = addDays(to, 11)) expect(workingDaysBetween(from, to, CAL_2026), `${from}..${to}`).toBe(slow(from, to))
    }
  })
})
