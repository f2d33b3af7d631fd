// Working-day arithmetic for legal time limits (行政许可法: "days" in the law are working days).
// Weekends are rest days unless the calendar marks them as 调休 working days; statutory holidays
// come from the calendar the administrator keeps. Dates are Shanghai calendar dates, YYYY-MM-DD.
// Pure: no clock, no I/O.

export interface HolidayCalendar {
  /** statutory rest days (法定节假日), including the weekend days inside a holiday block */
  holidays: ReadonlySet<string>
  /** weekend days worked in exchange (调休上班) */
  workdays: ReadonlySet<string>
}

export const EMPTY_CALENDAR: HolidayCalendar = { holidays: new Set(), workdays: new Set() }

export function calendarOf(rows: readonly { date: string; kind: 'holiday' | 'workday' }[]): HolidayCalendar {
  const holidays = new Set<string>()
  const workdays = new Set<string>()
  for (const r of rows) (r.kind === 'holiday' ? holidays : workdays).add(r.date)
  return { holidays, workdays }
}

/** The deficiency notice (补正告知) is due within 5 working days of submission (art. 32). */
export const DEFICIENCY_NOTICE_WORKING_DAYS = 5

const DAY_MS = 86_400_000

function toUtc(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)))
}
function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

export function addDays(date: string, n: number): string {
  return fromUtc(toUtc(date) + n * DAY_MS)
}

/** 0 = Sunday … 6 = Saturday */
export function weekday(date: string): number {
  return new Date(toUtc(date)).getUTCDay()
}

export function isWorkingDay(date: string, cal: HolidayCalendar): boolean {
  if (cal.holidays.has(date)) return false
  if (cal.workdays.has(date)) return true
  const d = weekday(date)
  return d !== 0 && d !== 6
}

/**
 * The date `n` working days after `date`, not counting `date` itself (期间开始之日不计算在内).
 * A submission on a Saturday is therefore counted from Monday. n = 0 gives `date`.
 */
export function addWorkingDays(date: string, n: number, cal: HolidayCalendar): string {
  if (n < 0) throw new RangeError('n must be ≥ 0')
  let d = date
  let left = n
  // A guard far beyond any real calendar: a year of holidays would still end the loop.
  for (let i = 0; left > 0 && i < 3660; i++) {
    d = addDays(d, 1)
    if (isWorkingDay(d, cal)) left--
  }
  return d
}

/** Working days in (from, to]: 0 when to ≤ from. Whole weeks at once, then the calendar's exceptions. */
export function workingDaysBetween(from: string, to: string, cal: HolidayCalendar): number {
  if (to <= from) return 0
  const days = Math.round((toUtc(to) - toUtc(from)) / DAY_MS)
  const weeks = Math.floor(days / 7)
  let n = weeks * 5
  // The remaining days (fewer than 7) after the whole weeks.
  for (let i = weeks * 7 + 1; i <= days; i++) {
    const wd = (weekday(from) + i) % 7
    if (wd !== 0 && wd !== 6) n++
  }
  // Holidays on weekdays take a day off; 调休 weekends worked add one.
  for (const h of cal.holidays) if (h > from && h <= to && !cal.workdays.has(h) && weekday(h) !== 0 && weekday(h) !== 6) n--
  for (const w of cal.workdays) if (w > from && w <= to && !cal.holidays.has(w) && (weekday(w) === 0 || weekday(w) === 6)) n++
  return n
}

/** The last day (inclusive) on which the deficiency notice for a submission on `submittedOn` may go out. */
export function deficiencyDeadline(submittedOn: string, cal: HolidayCalendar, days = DEFICIENCY_NOTICE_WORKING_DAYS): string {
  return addWorkingDays(submittedOn, days, cal)
}

export type CountdownState = 'ok' | 'due_soon' | 'due_today' | 'overdue'

export interface Countdown {
  deadline: string
  state: CountdownState
  /** working days left after today up to the deadline; negative: working days overdue */
  workingDaysLeft: number
  /** what the queue shows: 剩余3个工作日 / 今日到期 / 已超期2个工作日 */
  label: string
}

/** Where `today` stands against `deadline`. */
export function countdown(deadline: string, today: string, cal: HolidayCalendar): Countdown {
  if (today === deadline) return { deadline, state: 'due_today', workingDaysLeft: 0, label: '今日到期' }
  if (today < deadline) {
    const left = workingDaysBetween(today, deadline, cal)
    return { deadline, state: left <= 1 ? 'due_soon' : 'ok', workingDaysLeft: left, label: `剩余${left}个工作日` }
  }
  // Overdue by the working days since the deadline; a weekend after the deadline still counts as overdue.
  const late = Math.max(1, workingDaysBetween(deadline, today, cal))
  return { deadline, state: 'overdue', workingDaysLeft: -late, label: `已超期${late}个工作日` }
}

/**
 * The earliest submission date whose deadline is still today or later: every application
 * submitted before it is overdue. Lets the overdue count be one index range instead of a scan.
 */
export function overdueBefore(today: string, cal: HolidayCalendar, days = DEFICIENCY_NOTICE_WORKING_DAYS): string {
  // deficiencyDeadline is non-decreasing in the submission date: walk back while still on time.
  let d = today
  for (let i = 0; i < 3660; i++) {
    const prev = addDays(d, -1)
    if (deficiencyDeadline(prev, cal, days) < today) return d
    d = prev
  }
  return d
}
