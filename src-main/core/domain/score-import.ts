// Score import (成绩导入): reading the exam centre's spreadsheet rows and checking each one. Pure: the
// service reads the file and hands in the cells, and answers the look-ups (who has that ID number,
// which booking covers that date); these rules decide, row by row, what is applied and what is
// refused, naming the row, the column and the reason.
import { parseIdNumber } from './id-number'
import type { Subject } from './attempts'
import { SUBJECT_LABELS } from './attempts'

/** A cell as a spreadsheet reader gives it. */
export type RawCell = string | number | boolean | Date | null | undefined

export const COLUMNS = {
  idNumber: '身份证号',
  name: '姓名',
  subject: '考试科目',
  score: '成绩',
  theory: '理论成绩',
  practical: '实操成绩',
  examDate: '考试日期',
  session: '场次'
} as const
export type ColumnKey = keyof typeof COLUMNS

/** Header spellings seen in real files, after normalisation (no spaces, half-width). */
const HEADER_ALIASES: Record<string, ColumnKey> = {
  身份证号: 'idNumber',
  身份证号码: 'idNumber',
  公民身份号码: 'idNumber',
  证件号码: 'idNumber',
  姓名: 'name',
  考生姓名: 'name',
  考试科目: 'subject',
  科目: 'subject',
  成绩: 'score',
  考试成绩: 'score',
  分数: 'score',
  理论成绩: 'theory',
  理论: 'theory',
  理论考试成绩: 'theory',
  实操成绩: 'practical',
  实操: 'practical',
  实操考试成绩: 'practical',
  实际操作成绩: 'practical',
  考试日期: 'examDate',
  日期: 'examDate',
  场次: 'session',
  考试场次: 'session',
  场次名称: 'session'
}

/** The template's header row (offered for download). */
export const TEMPLATE_HEADER = ['身份证号', '姓名', '理论成绩', '实操成绩', '考试日期', '场次']

/** Full-width digits, letters and punctuation to half-width; ideographic space to space. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ')
}

/** What a spreadsheet cell may hold as space: white space, no-break space, zero-width space, BOM. */
const SPACE = '\\s\\u00a0\\u200b\\ufeff'
const SPACES = new RegExp(`[${SPACE}]+`, 'g')
// Most cells need none of this: test once, rewrite only when needed (10,000 rows × 7 cells).
const NEEDS_CLEANING = new RegExp(`[\\uff01-\\uff5e\\u3000${SPACE}]`)
const clean = (s: string) => (NEEDS_CLEANING.test(s) ? toHalfWidth(s).replace(SPACES, ' ').trim() : s)
const HEADER_NOISE = new RegExp(`[${SPACE}*＊:：()（）]`, 'g')
const headerKey = (s: string) => toHalfWidth(s).replace(HEADER_NOISE, '')

function cellText(v: RawCell): string {
  if (v == null) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  return clean(String(v))
}

/** cellText without any space at all: what ID numbers, names, subjects and scores are read as. */
function compactText(v: RawCell): string {
  if (typeof v === 'string') {
    if (!NEEDS_CLEANING.test(v)) return v
    // Spaces around the text are the usual dirt: trimmed, most cells are clean.
    const t = v.trim()
    return NEEDS_CLEANING.test(t) ? toHalfWidth(t).replace(SPACES, '') : t
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v) // never a space in it
  return cellText(v)
}

/** Adds an error to a row's list, making the list on the first one. */
function addError(list: RowError[] | null, row: number, column: string, reason: string): RowError[] {
  const e = { row, column, reason }
  if (!list) return [e]
  list.push(e)
  return list
}

/** Nothing in the cell but spaces (what cellText reads as ''). */
const BLANK_TEXT = new RegExp(`^[${SPACE}\\u3000]*$`)
const isBlankCell = (c: RawCell) => c == null || (typeof c === 'string' && BLANK_TEXT.test(c))
function isBlank(row: readonly RawCell[]): boolean {
  for (let i = 0; i < row.length; i++) if (!isBlankCell(row[i])) return false
  return true
}

export interface RowError {
  row: number
  column: string
  reason: string
}

export interface ParsedScore {
  subject: Subject
  /** null: 缺考 (absent) */
  score: number | null
  column: string
}

export interface ParsedRow {
  /** the spreadsheet's own row number (1-based, header included) */
  row: number
  idNumber: string
  name: string
  examDate: string
  session: string | null
  scores: ParsedScore[]
}

export interface ParseResult {
  /** problems with the file as a whole (no header, missing columns); nothing is imported then */
  fileErrors: string[]
  rows: ParsedRow[]
  errors: RowError[]
  /** data rows seen (blank rows not counted) */
  total: number
}

const ABSENT = new Set(['缺考', '缺席', '未到', '缺', '失约'])
const SUBJECT_WORDS: Record<string, Subject> = {
  理论: 'theory',
  理论考试: 'theory',
  科目一: 'theory',
  实操: 'practical',
  实操考试: 'practical',
  实际操作: 'practical',
  实际操作考试: 'practical'
}

/** The answers for a valid score, one object each (0–100 and 缺考), shared: never changed. */
const SCORE_OK: readonly { ok: true; score: number | null }[] = Array.from({ length: 102 }, (_, n) => Object.freeze({ ok: true as const, score: n === 101 ? null : n }))
const scoreOk = (n: number | null) => SCORE_OK[n ?? 101]

export function parseScore(v: RawCell): { ok: true; score: number | null } | { ok: false; reason: string } {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return { ok: false, reason: `成绩应为0–100的整数，实为“${v}”` }
    if (v < 0 || v > 100) return { ok: false, reason: `成绩超出0–100：${v}` }
    return scoreOk(v)
  }
  const c = compactText(v)
  const t = c.endsWith('分') ? c.slice(0, -1) : c
  if (t === '') return { ok: false, reason: '成绩为空（缺考请填写“缺考”）' }
  if (ABSENT.has(t)) return scoreOk(null)
  if (!/^-?\d+(\.0+)?$/.test(t)) {
    if (/^-?\d+\.\d+$/.test(t)) return { ok: false, reason: `成绩应为0–100的整数，实为“${t}”` }
    return { ok: false, reason: `成绩“${t}”不是数字（缺考请填写“缺考”）` }
  }
  const n = Number(t)
  if (n < 0 || n > 100) return { ok: false, reason: `成绩超出0–100：${n}` }
  return scoreOk(n)
}

const pad2 = (n: number) => String(n).padStart(2, '0')

function realDate(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d))
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d || y < 2000 || y > 2100) return null
  return `${y}-${pad2(m)}-${pad2(d)}`
}

/** 2026-11-20, 2026/11/20, 2026.11.20, 2026年11月20日, 20261120, a Date cell or an Excel day number. */
export function parseDate(v: RawCell): string | null {
  if (v instanceof Date) {
    // Spreadsheet readers give a date cell as UTC midnight of the calendar date.
    return realDate(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate())
  }
  if (typeof v === 'number') {
    if (v > 30000 && v < 80000 && Number.isInteger(v)) {
      const d = new Date(Date.UTC(1899, 11, 30) + v * 86400_000)
      return realDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
    }
    if (v >= 20000101 && v <= 21001231) return parseDate(String(v))
    return null
  }
  const t = cellText(v).replace(/\s/g, '')
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:T?\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(t)
  if (m) return realDate(Number(m[1]), Number(m[2]), Number(m[3]))
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t)
  if (m) return realDate(Number(m[1]), Number(m[2]), Number(m[3]))
  return null
}

export type IdCell = { ok: true; idNumber: string } | { ok: false; reason: string }

/**
 * An ID number cell. A spreadsheet that stored the number as a number keeps only about 15
 * significant digits: 410105199001011234 becomes 410105199001011000 or 4.10105199001011E+17.
 * Such a row must be refused, not matched to whoever the damaged number happens to fit.
 */
export function parseIdCell(v: RawCell): IdCell {
  const lost = '身份证号在表格中被存为数字，已丢失末尾几位（精度丢失），请将该列设置为文本格式后重新录入'
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v >= 1e15) return { ok: false, reason: lost }
    return { ok: false, reason: `身份证号应为18位，当前为${String(v).length}位` }
  }
  const c = compactText(v)
  const t = /[a-z]/.test(c) ? c.toUpperCase() : c
  if (t === '') return { ok: false, reason: '身份证号为空' }
  if (/^\d(\.\d+)?E\+?\d+$/.test(t)) return { ok: false, reason: lost }
  const r = parseIdNumber(t)
  if (!r.ok) {
    // 18 digits ending in 000 with a wrong check digit: the classic trace of a number-formatted cell.
    if (/^\d{15}0{3}$/.test(t) || /^\d{16}00$/.test(t)) return { ok: false, reason: `${r.reason}；${lost}` }
    return { ok: false, reason: r.reason }
  }
  return { ok: true, idNumber: t }
}

/** Finds the header row and maps columns (any order, extra columns ignored). */
export function mapHeader(row: readonly RawCell[]): { map: Partial<Record<ColumnKey, number>>; labels: Record<number, string> } {
  const map: Partial<Record<ColumnKey, number>> = {}
  const labels: Record<number, string> = {}
  row.forEach((c, i) => {
    const label = cellText(c)
    labels[i] = label
    const key = HEADER_ALIASES[headerKey(label)]
    if (key && map[key] === undefined) map[key] = i
  })
  return { map, labels }
}

/**
 * Parses the sheet: the first non-blank row is the header; blank rows are skipped; every data
 * row becomes either a parsed row or one or more errors naming its column.
 */
export function parseScoreSheet(sheet: readonly (readonly RawCell[])[], firstRowNumber = 1): ParseResult {
  const result: ParseResult = { fileErrors: [], rows: [], errors: [], total: 0 }
  let h = 0
  while (h < sheet.length && isBlank(sheet[h])) h++
  if (h >= sheet.length) {
    result.fileErrors.push('文件中没有数据：第一行应为表头（身份证号、姓名、理论成绩/实操成绩或考试科目+成绩、考试日期）')
    return result
  }
  const { map } = mapHeader(sheet[h])
  const missing: string[] = []
  if (map.idNumber === undefined) missing.push(COLUMNS.idNumber)
  if (map.name === undefined) missing.push(COLUMNS.name)
  if (map.examDate === undefined) missing.push(COLUMNS.examDate)
  const perSubjectColumns = map.theory !== undefined || map.practical !== undefined
  if (!perSubjectColumns) {
    if (map.subject === undefined) missing.push(`${COLUMNS.subject}（或${COLUMNS.theory}/${COLUMNS.practical}）`)
    else if (map.score === undefined) missing.push(COLUMNS.score)
  }
  if (missing.length) {
    result.fileErrors.push(`表头缺少列：${missing.join('、')}（表头在第${h + firstRowNumber}行）`)
    return result
  }
  const at = (row: readonly RawCell[], k: ColumnKey): RawCell => (map[k] === undefined ? undefined : row[map[k]!])
  // A file holds a handful of distinct dates: read each once.
  const dates = new Map<RawCell, string | null>()
  const dateOf = (v: RawCell) => {
    if (v instanceof Date) return parseDate(v)
    let d = dates.get(v)
    if (d === undefined) dates.set(v, (d = parseDate(v)))
    return d
  }

  const subjects = (['theory', 'practical'] as const).filter((subject) => map[subject] !== undefined)
  for (let i = h + 1; i < sheet.length; i++) {
    const cells = sheet[i]
    if (!cells || isBlank(cells)) continue
    result.total++
    const rowNo = i + firstRowNumber
    // Most rows are right: their error list is made only when one is found.
    let errs: RowError[] | null = null

    const id = parseIdCell(at(cells, 'idNumber'))
    if (!id.ok) errs = addError(errs, rowNo, COLUMNS.idNumber, id.reason)
    const name = compactText(at(cells, 'name'))
    if (!name) errs = addError(errs, rowNo, COLUMNS.name, '姓名为空')
    const dateRaw = at(cells, 'examDate')
    const examDate = dateOf(dateRaw)
    if (!examDate) errs = addError(errs, rowNo, COLUMNS.examDate, cellText(dateRaw) ? `考试日期“${cellText(dateRaw)}”无法识别（应为 YYYY-MM-DD）` : '考试日期为空')
    const session = at(cells, 'session')
    const sessionText = isBlankCell(session) ? '' : cellText(session)

    const scores: ParsedScore[] = []
    if (perSubjectColumns) {
      let scoreRefused = false
      for (let k = 0; k < subjects.length; k++) {
        const subject = subjects[k]
        const raw = at(cells, subject)
        if (isBlankCell(raw)) continue // this row has no score of that subject
        const p = parseScore(raw)
        if (!p.ok) {
          errs = addError(errs, rowNo, COLUMNS[subject], p.reason)
          scoreRefused = true
        } else scores.push(parsedScore(subject, p.score, COLUMNS[subject]))
      }
      if (!scores.length && !scoreRefused) errs = addError(errs, rowNo, `${COLUMNS.theory}/${COLUMNS.practical}`, '理论成绩和实操成绩都为空')
    } else {
      const subjText = compactText(at(cells, 'subject'))
      const subject = SUBJECT_WORDS[subjText]
      if (!subject) errs = addError(errs, rowNo, COLUMNS.subject, subjText ? `考试科目“${subjText}”无法识别（应为理论或实操）` : '考试科目为空')
      const p = parseScore(at(cells, 'score'))
      if (!p.ok) errs = addError(errs, rowNo, COLUMNS.score, p.reason)
      else if (subject) scores.push(parsedScore(subject, p.score, COLUMNS.score))
    }

    if (errs) for (let k = 0; k < errs.length; k++) result.errors.push(errs[k])
    else result.rows.push({ row: rowNo, idNumber: (id as { idNumber: string }).idNumber, name, examDate: examDate!, session: sessionText || null, scores })
  }
  return result
}

/**
 * One ParsedScore object per subject, score and column, shared by every row that has it (a file
 * of 10,000 rows holds about 200 different ones): they are read, never changed.
 */
const parsedScores = new Map<string, ParsedScore[]>()
function parsedScore(subject: Subject, score: number | null, column: string): ParsedScore {
  // score: 0–100 or null (缺考), as parseScore answers
  let byColumn = parsedScores.get(column)
  if (!byColumn) parsedScores.set(column, (byColumn = []))
  const k = (subject === 'theory' ? 0 : 102) + (score ?? 101)
  return (byColumn[k] ??= Object.freeze({ subject, score, column }) as ParsedScore)
}

// ---- checking the rows against the office's records --------------------------------------

export interface Candidate {
  applicationId: number
  name: string
  /** subjects already passed */
  passed: ReadonlySet<Subject>
}

export interface BookingMatch {
  bookingId: number
  sessionId: number
  sessionName: string
  examDate: string
  covers: ReadonlySet<Subject>
  status: 'booked' | 'present' | 'scored' | 'no_show' | 'cancelled' | 'released'
  /** what was recorded earlier for this booking, per subject */
  recorded: Partial<Record<Subject, { score: number | null }>>
}

export interface Lookups {
  /** the open passenger application of this ID number, if any */
  candidate(idNumber: string): Candidate | null
  /** the bookings of this application on this date (optionally of a named session) */
  bookings(applicationId: number, examDate: string): BookingMatch[]
}

export interface CheckedScore {
  applicationId: number
  bookingId: number
  sessionId: number
  subject: Subject
  score: number | null
  examDate: string
}

export interface CheckedRow {
  row: number
  idNumber: string
  name: string
  status: 'ok' | 'unchanged' | 'error'
  errors: RowError[]
  scores: CheckedScore[]
}

/** The error list of every row that has none, and the score list of every row that applies none (shared; never changed). */
const NO_ERRORS: RowError[] = Object.freeze([]) as unknown as RowError[]
const NO_SCORES: CheckedScore[] = Object.freeze([]) as unknown as CheckedScore[]
const usable = (b: BookingMatch, subject: Subject) => b.covers.has(subject) && b.status !== 'cancelled' && b.status !== 'released'

export function checkRows(rows: readonly ParsedRow[], lookups: Lookups): CheckedRow[] {
  /** exam date → subject → ID number → the row that gave that score first */
  const seenOn = new Map<string, Record<Subject, Map<string, number>>>()
  const out: CheckedRow[] = []
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]
    // Most rows are right: their error list is made only when one is found.
    let errors: RowError[] | null = null
    let checked: CheckedScore[] | null = null
    let unchanged = 0
    const c = lookups.candidate(r.idNumber)
    if (!c) errors = addError(errors, r.row, COLUMNS.idNumber, '身份证号未找到：没有该身份证号的在办客运考试申请')
    else if (c.name !== r.name) errors = addError(errors, r.row, COLUMNS.name, `姓名与身份证号不符：系统中为“${c.name}”`)
    if (c && !errors) {
      let bookings = lookups.bookings(c.applicationId, r.examDate)
      let sessionRefused = false
      if (r.session) {
        const named = bookings.filter((b) => b.sessionName === r.session || String(b.sessionId) === r.session)
        if (!named.length && bookings.length) {
          errors = addError(errors, r.row, COLUMNS.session, `场次“${r.session}”与该考生${r.examDate}的预约不符`)
          sessionRefused = true
        }
        bookings = named
      }
      let seen = seenOn.get(r.examDate)
      if (!seen) seenOn.set(r.examDate, (seen = { theory: new Map(), practical: new Map() }))
      for (let k = 0; k < r.scores.length; k++) {
        const s = r.scores[k]
        const dupOf = seen[s.subject].get(r.idNumber)
        if (dupOf !== undefined) {
          errors = addError(errors, r.row, s.column, `重复行：与第${dupOf}行的${SUBJECT_LABELS[s.subject]}成绩重复`)
          continue
        }
        seen[s.subject].set(r.idNumber, r.row)
        if (sessionRefused) continue
        let b: BookingMatch | undefined
        for (let j = 0; j < bookings.length && !b; j++) if (usable(bookings[j], s.subject)) b = bookings[j]
        const earlier = b?.recorded[s.subject]
        if (b && earlier) {
          if (earlier.score === s.score) {
            unchanged++
            continue
          }
          if (b.status === 'no_show' && earlier.score === null) {
            errors = addError(errors, r.row, s.column, '该考生在此场次已按失约处理（未登记到场）；如实际参加了考试，请先在考务管理的名册中更正为到场')
            continue
          }
          errors = addError(errors, r.row, s.column, `该场次${SUBJECT_LABELS[s.subject]}成绩已导入（${earlier.score ?? '缺考'}），与本次（${s.score ?? '缺考'}）不同`)
          continue
        }
        if (c.passed.has(s.subject)) {
          errors = addError(errors, r.row, s.column, `${SUBJECT_LABELS[s.subject]}已考试合格，不能再导入成绩`)
          continue
        }
        if (!b) {
          errors = addError(errors, r.row, s.column, `该考生${r.examDate}没有${SUBJECT_LABELS[s.subject]}考试预约`)
          continue
        }
        if (b.status === 'no_show') {
          errors = addError(errors, r.row, s.column, '该预约已按失约处理')
          continue
        }
        ;(checked ??= []).push({ applicationId: c.applicationId, bookingId: b.bookingId, sessionId: b.sessionId, subject: s.subject, score: s.score, examDate: r.examDate })
      }
    }
    out.push({
      row: r.row,
      idNumber: r.idNumber,
      name: r.name,
      status: errors ? 'error' : checked ? 'ok' : unchanged ? 'unchanged' : 'error',
      errors: errors ?? NO_ERRORS,
      scores: errors || !checked ? NO_SCORES : checked
    })
  }
  return out
}
