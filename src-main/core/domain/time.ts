// Times are Asia/Shanghai (UTC+8, no daylight saving since 1991), written as ISO 8601 with offset.
const OFFSET_MS = 8 * 3600 * 1000

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** 2026-11-25T20:59:31+08:00 */
export function toShanghaiIso(date: Date): string {
  const t = new Date(date.getTime() + OFFSET_MS)
  return (
    `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}` +
    `T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}+08:00`
  )
}

/** The calendar date in Shanghai: 2026-11-25 */
export function shanghaiDate(date: Date): string {
  return toShanghaiIso(date).slice(0, 10)
}

/** Whole years between two YYYY-MM-DD dates (age on `on` of someone born on `birth`). */
export function yearsBetween(birth: string, on: string): number {
  // YYYY-MM-DD: the year apart, less one before the birthday (MM-DD compares as text).
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4))
  return on.slice(5, 10) < birth.slice(5, 10) ? years - 1 : years
}
