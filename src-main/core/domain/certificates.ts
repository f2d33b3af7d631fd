// The certificate (道路运输从业资格证): its number, printed serials from card stock, validity and
// renewal window, vehicle classes, and what verification answers. Pure: no I/O, no clock.
import { CATEGORY_LABELS, type Category } from '../../../src-preload/contract/vocab'

/** A certificate is valid for 6 years (domain.md). */
export const VALIDITY_YEARS = 6
/** Renewal (换证) opens 30 days before expiry. */
export const RENEWAL_WINDOW_DAYS = 30
/** The printed serial (NO.) on each card: exactly 10 digits. */
export const SERIAL_PATTERN = /^\d{10}$/
export const SERIAL_LENGTH = 10

export const NATIONALITY = '中国'

// ---- number ---------------------------------------------------------------------------------

/** The certificate number is the holder's 18-character ID number (upper-case X). */
export function certificateNumber(idNumber: string): string {
  return idNumber.trim().toUpperCase()
}

// ---- dates ----------------------------------------------------------------------------------

const DAY_MS = 86_400_000
const toUtc = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)))
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10)
export const addDays = (d: string, n: number) => fromUtc(toUtc(d) + n * DAY_MS)

/** `date` plus whole years; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years
  const m = Number(date.slice(5, 7))
  let d = Number(date.slice(8, 10))
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  if (d > last) d = last
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** The last day of validity: six full years from the issue date (2026-11-25 → 2032-11-24). */
export function validUntil(issuedOn: string, years = VALIDITY_YEARS): string {
  return addDays(addYears(issuedOn, years), -1)
}

export type RenewalState = 'valid' | 'renewable' | 'expired'

/** Where a certificate stands on `today`: renewal opens RENEWAL_WINDOW_DAYS before it expires. */
export function renewalStatus(validUntilDate: string, today: string, windowDays = RENEWAL_WINDOW_DAYS) {
  const opensOn = addDays(validUntilDate, -windowDays)
  const state: RenewalState = today > validUntilDate ? 'expired' : today >= opensOn ? 'renewable' : 'valid'
  const daysLeft = Math.round((toUtc(validUntilDate) - toUtc(today)) / DAY_MS)
  return { state, opensOn, daysLeft }
}

// ---- vehicle classes ------------------------------------------------------------------------

const CLASS_ORDER = ['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2']
const byClassOrder = (a: string, b: string) => (CLASS_ORDER.indexOf(a) + 1 || 99) - (CLASS_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b)

/**
 * The classes printed on the certificate: those of the licence that qualify for the category
 * (passenger: a setting, A1/A3/B1; freight: the class trained for), plus, for an add-class (增驾)
 * application, those of the earlier certificate.
 */
export function certificateClasses(input: {
  category: Category
  licenceClasses: readonly string[]
  vehicleClass?: string | null
  qualifying: readonly string[]
  earlier?: readonly string[]
}): string[] {
  const own = input.category === 'freight' && input.vehicleClass ? [input.vehicleClass] : input.licenceClasses.filter((c) => input.qualifying.includes(c))
  return [...new Set([...(input.earlier ?? []), ...own])].sort(byClassOrder)
}

// ---- serial stock ---------------------------------------------------------------------------

/** The serial after `serial`, or null past 9999999999. */
export function nextSerial(serial: string): string | null {
  const n = BigInt(serial) + 1n
  const s = n.toString().padStart(SERIAL_LENGTH, '0')
  return s.length > SERIAL_LENGTH ? null : s
}

export function rangeSize(first: string, last: string): number {
  return Number(BigInt(last) - BigInt(first)) + 1
}

export function rangesOverlap(a: { first: string; last: string }, b: { first: string; last: string }): boolean {
  return a.first <= b.last && b.first <= a.last
}

/** Why a stock range cannot be entered, per field; empty when it can. */
export function stockRangeProblems(first: string, last: string, existing: readonly { first: string; last: string }[]): Record<string, string> {
  const problems: Record<string, string> = {}
  if (!SERIAL_PATTERN.test(first)) problems.firstSerial = '起始编号应为10位数字'
  if (!SERIAL_PATTERN.test(last)) problems.lastSerial = '结束编号应为10位数字'
  if (Object.keys(problems).length) return problems
  if (last < first) problems.lastSerial = '结束编号不能小于起始编号'
  else if (rangeSize(first, last) > 100_000) problems.lastSerial = '一次录入不超过100000张'
  else {
    const clash = existing.find((r) => rangesOverlap({ first, last }, r))
    if (clash) problems.firstSerial = `与已录入的编号段 ${clash.first}–${clash.last} 重叠，编号不能重复使用`
  }
  return problems
}

export interface StockCursor {
  id: number
  /** null: used up */
  nextSerial: string | null
  lastSerial: string
}

/**
 * Takes `count` serials in order from the ranges (oldest range first), never going back. Returns
 * the serials and each range's new cursor, or how many are missing.
 */
export function takeSerials(
  ranges: readonly StockCursor[],
  count: number
): { ok: true; serials: { rangeId: number; serial: string }[]; cursors: Map<number, string | null> } | { ok: false; available: number } {
  const serials: { rangeId: number; serial: string }[] = []
  const cursors = new Map<number, string | null>()
  for (const r of ranges) {
    let next = r.nextSerial
    while (next !== null && serials.length < count) {
      serials.push({ rangeId: r.id, serial: next })
      next = next < r.lastSerial ? nextSerial(next) : null
    }
    if (next !== r.nextSerial) cursors.set(r.id, next)
    if (serials.length === count) return { ok: true, serials, cursors }
  }
  return { ok: false, available: serials.length }
}

/** Serials left in a range. */
export function remainingInRange(r: StockCursor): number {
  return r.nextSerial === null ? 0 : rangeSize(r.nextSerial, r.lastSerial)
}

// ---- the printed card ------------------------------------------------------------------------

export interface CertificateCard {
  certificateNo: string
  serial: string
  name: string
  gender: 'M' | 'F'
  birthDate: string
  nationality: string
  address: string
  category: Category
  vehicleClasses: string[]
  firstIssuedOn: string
  issuedOn: string
  validUntil: string
  issuingAuthority: string
  verifyUrl: string
}

export const GENDER_LABELS = { M: '男', F: '女' } as const

/** The 从业资格类别 printed on the card. */
export function categoryOnCard(category: Category): string {
  return CATEGORY_LABELS[category]
}

/** 2026-11-25 → 2026年11月25日 */
export function chineseDate(date: string): string {
  return `${date.slice(0, 4)}年${date.slice(5, 7)}月${date.slice(8, 10)}日`
}

/** The URL the QR code carries: the verification endpoint with the number and serial. */
export function verificationUrl(base: string, certificateNo: string, serial: string): string {
  const sep = base.includes('?') ? '&' : '?'
  return `${base}${sep}no=${encodeURIComponent(certificateNo)}&serial=${encodeURIComponent(serial)}`
}

// ---- verification ----------------------------------------------------------------------------

export type VerifyVerdict = 'valid' | 'expired' | 'voided' | 'superseded' | 'revoked' | 'not_found'

export const VERDICT_TEXT: Record<VerifyVerdict, string> = {
  valid: '证件有效',
  expired: '证件已过有效期',
  voided: '此编号的证件已作废（重新打印、补发或印制损坏），请以持证人现持证件为准',
  superseded: '此证件已被增驾后的新证件取代',
  revoked: '证件已注销',
  not_found: '未查到该证件，证号与编号不符'
}

/** What the QR code's lookup answers for one printed serial. */
export function verdictOf(
  print: { status: 'printed' | 'spoiled' | 'superseded' | 'voided' } | undefined,
  cert: { status: 'active' | 'superseded' | 'revoked'; validUntil: string; certificateNo: string } | undefined,
  number: string,
  today: string
): VerifyVerdict {
  if (!print || !cert || cert.certificateNo !== certificateNumber(number)) return 'not_found'
  if (print.status !== 'printed') return 'voided'
  if (cert.status === 'revoked') return 'revoked'
  if (cert.status === 'superseded') return 'superseded'
  if (today > cert.validUntil) return 'expired'
  return 'valid'
}

/** 张三丰 → 张** (verification shows no more than the card, and less where it can). */
export function maskName(name: string): string {
  const chars = [...name]
  return chars.length <= 1 ? name : chars[0] + '*'.repeat(chars.length - 1)
}
