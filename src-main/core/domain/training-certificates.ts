// Training completion certificates (结业证): the rules of one record, the reading of a school's
// spreadsheet row by row, and how an imported row compares with what the registry already holds.
// Pure: the service reads the file (documents/xlsx-read.ts) and answers the look-ups. The cell
// helpers (full-width digits, dates as Excel day numbers or text, ID numbers that lost precision)
// are the score import's (domain/score-import.ts), not a second copy.
import { parseIdNumber } from './id-number'
import { nameProblem } from './application-rules'
import { parseDate, parseIdCell, toHalfWidth, type RawCell, type RowError } from './score-import'

export type { RawCell, RowError }

export const TRAINING_COLUMNS = {
  idNumber: '身份证号',
  name: '姓名',
  vehicleClass: '准驾车型',
  trainingStart: '培训起始日期',
  trainingEnd: '培训结束日期',
  issuedOn: '结业证发放日期',
  certificateNo: '结业证编号'
} as const
export type TrainingColumn = keyof typeof TRAINING_COLUMNS

/** The template's header row, in the order the schools' files usually have it. */
export const TRAINING_TEMPLATE_HEADER = Object.values(TRAINING_COLUMNS)

/** Header spellings seen in the schools' files, after normalisation (no spaces, half-width). */
const HEADER_ALIASES: Record<string, TrainingColumn> = {
  身份证号: 'idNumber',
  身份证号码: 'idNumber',
  公民身份号码: 'idNumber',
  证件号码: 'idNumber',
  姓名: 'name',
  学员姓名: 'name',
  准驾车型: 'vehicleClass',
  培训车型: 'vehicleClass',
  货运准驾车型: 'vehicleClass',
  车型: 'vehicleClass',
  培训起始日期: 'trainingStart',
  培训开始日期: 'trainingStart',
  培训起始时间: 'trainingStart',
  开始日期: 'trainingStart',
  起始日期: 'trainingStart',
  培训结束日期: 'trainingEnd',
  培训结束时间: 'trainingEnd',
  结束日期: 'trainingEnd',
  结业证发放日期: 'issuedOn',
  结业证发证日期: 'issuedOn',
  发放日期: 'issuedOn',
  发证日期: 'issuedOn',
  结业日期: 'issuedOn',
  结业证编号: 'certificateNo',
  结业证号: 'certificateNo',
  结业证号码: 'certificateNo',
  证书编号: 'certificateNo'
}

const headerKey = (s: string) => toHalfWidth(s).replace(/[\s\u00a0\u200b\ufeff*＊:：()（）]/g, '')

/** A cell as text: half-width, spaces collapsed, trimmed; a Date as its calendar date. */
export function cellText(v: RawCell): string {
  if (v == null) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  return toHalfWidth(String(v)).replace(/[\s\u00a0\u200b\ufeff]+/g, ' ').trim()
}
const isBlankRow = (row: readonly RawCell[] | undefined) => !row || row.every((c) => cellText(c) === '')

// ---- one record ------------------------------------------------------------------------------

export interface CompletionInput {
  idNumber: string
  name: string
  vehicleClass: string
  trainingStart: string
  trainingEnd: string
  issuedOn: string
  certificateNo: string
}

export interface RecordRules {
  /** the freight vehicle classes (setting freight.licenceClasses) */
  freightClasses: readonly string[]
  /** today in Shanghai, YYYY-MM-DD */
  today: string
}

/** 准驾车型 as written in the files: b2, Ｂ２, "B2 " → B2. */
export function normalizeVehicleClass(raw: string): string {
  return toHalfWidth(raw).replace(/\s/g, '').toUpperCase()
}

/** 结业证编号: half-width, no spaces; letters, digits and - / only. */
export function normalizeCertificateNo(raw: string): string {
  return toHalfWidth(raw).replace(/[\s\u00a0\u200b\ufeff]/g, '').toUpperCase()
}

export function certificateNoProblem(no: string): string | null {
  if (!no) return '结业证编号为空'
  if (no.length > 40) return '结业证编号不能超过40个字符'
  if (!/^[A-Z0-9][A-Z0-9\-/]*$/.test(no)) return `结业证编号“${no}”只能包含字母、数字和 - /`
  return null
}

/**
 * Every problem of one record, keyed by the input field (the hand-entry form's fields; the
 * import maps them to its column names). Empty when the record may be saved.
 */
export function completionProblems(input: CompletionInput, rules: RecordRules): Partial<Record<TrainingColumn, string>> {
  const p: Partial<Record<TrainingColumn, string>> = {}
  const id = parseIdNumber(input.idNumber)
  if (!input.idNumber) p.idNumber = '身份证号为空'
  else if (!id.ok) p.idNumber = id.reason
  if (!input.name) p.name = '姓名为空'
  else {
    const n = nameProblem(input.name)
    if (n) p.name = n
  }
  if (!input.vehicleClass) p.vehicleClass = '准驾车型为空'
  else if (!rules.freightClasses.includes(input.vehicleClass)) {
    p.vehicleClass = `准驾车型“${input.vehicleClass}”不是货运准驾车型（只能是 ${rules.freightClasses.join('、')}）`
  }
  const dateOk = (k: 'trainingStart' | 'trainingEnd' | 'issuedOn') => {
    const v = input[k]
    if (!v) {
      p[k] = `${TRAINING_COLUMNS[k]}为空`
      return false
    }
    if (parseDate(v) !== v) {
      p[k] = `${TRAINING_COLUMNS[k]}“${v}”不是有效日期（格式 YYYY-MM-DD）`
      return false
    }
    if (v > rules.today) {
      p[k] = `${TRAINING_COLUMNS[k]}不能晚于今天`
      return false
    }
    return true
  }
  const s = dateOk('trainingStart')
  const e = dateOk('trainingEnd')
  const i = dateOk('issuedOn')
  if (s && e && input.trainingStart > input.trainingEnd) p.trainingEnd = '培训结束日期不能早于培训起始日期'
  if (e && i && input.trainingEnd > input.issuedOn && !p.trainingEnd) p.issuedOn = '结业证发放日期不能早于培训结束日期'
  if (s && id.ok && input.trainingStart <= id.birthDate) p.trainingStart = '培训起始日期早于出生日期'
  const no = certificateNoProblem(input.certificateNo)
  if (no) p.certificateNo = no
  return p
}

// ---- the school's spreadsheet ----------------------------------------------------------------

export interface ParsedCompletion extends CompletionInput {
  /** the spreadsheet's own row number (1-based, header included) */
  row: number
}

export interface TrainingSheetResult {
  /** problems with the file as a whole (no header, missing columns): nothing is imported then */
  fileErrors: string[]
  rows: ParsedCompletion[]
  errors: RowError[]
  /** what a refused row said (as written), so the preview can name whose row it was */
  refused: Record<number, { name: string; idText: string; vehicleClass: string; certificateNo: string }>
  /** data rows seen (blank rows not counted) */
  total: number
}

function dateCell(v: RawCell, column: string): { ok: true; date: string } | { ok: false; reason: string } {
  const d = parseDate(v)
  if (d) return { ok: true, date: d }
  const t = cellText(v)
  return { ok: false, reason: t ? `${column}“${t}”无法识别（应为 YYYY-MM-DD 或 Excel 日期）` : `${column}为空` }
}

/** A 结业证编号 cell: text as written, or a number typed into a number cell (if it kept every digit). */
function certificateNoCell(v: RawCell): { ok: true; no: string } | { ok: false; reason: string } {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) return { ok: false, reason: '结业证编号在表格中被存为数字，已丢失精度，请将该列设置为文本格式后重新录入' }
    return { ok: true, no: String(v) }
  }
  const no = normalizeCertificateNo(cellText(v))
  if (/^\d(\.\d+)?E\+?\d+$/.test(no)) return { ok: false, reason: '结业证编号在表格中被存为数字（科学计数法），已丢失精度，请将该列设置为文本格式后重新录入' }
  const problem = certificateNoProblem(no)
  return problem ? { ok: false, reason: problem } : { ok: true, no }
}

/**
 * Reads a school's sheet: the first non-blank row is the header (columns in any order, extra
 * columns ignored); blank rows are skipped; every other row becomes a record or errors naming
 * its row and column. Two rows with the same certificate number are both refused.
 */
export function parseTrainingSheet(sheet: readonly (readonly RawCell[] | undefined)[], rules: RecordRules): TrainingSheetResult {
  const result: TrainingSheetResult = { fileErrors: [], rows: [], errors: [], refused: {}, total: 0 }
  let h = 0
  while (h < sheet.length && isBlankRow(sheet[h])) h++
  if (h >= sheet.length) {
    result.fileErrors.push(`文件中没有数据：第一行应为表头（${TRAINING_TEMPLATE_HEADER.join('、')}）`)
    return result
  }
  const map: Partial<Record<TrainingColumn, number>> = {}
  sheet[h]!.forEach((c, i) => {
    const key = HEADER_ALIASES[headerKey(cellText(c))]
    if (key && map[key] === undefined) map[key] = i
  })
  const missing = (Object.keys(TRAINING_COLUMNS) as TrainingColumn[]).filter((k) => map[k] === undefined).map((k) => TRAINING_COLUMNS[k])
  if (missing.length) {
    result.fileErrors.push(`表头缺少列：${missing.join('、')}（表头在第${h + 1}行；需要 ${TRAINING_TEMPLATE_HEADER.join('、')}，顺序不限）`)
    return result
  }
  const at = (row: readonly RawCell[], k: TrainingColumn): RawCell => row[map[k]!]

  const parsed: ParsedCompletion[] = []
  for (let i = h + 1; i < sheet.length; i++) {
    const cells = sheet[i]
    if (!cells || isBlankRow(cells)) continue
    result.total++
    const row = i + 1
    const errs: RowError[] = []
    const err = (k: TrainingColumn, reason: string) => errs.push({ row, column: TRAINING_COLUMNS[k], reason })

    const id = parseIdCell(at(cells, 'idNumber'))
    if (!id.ok) err('idNumber', id.reason)
    const name = cellText(at(cells, 'name')).replace(/\s/g, '')
    const vehicleClass = normalizeVehicleClass(cellText(at(cells, 'vehicleClass')))
    const dates = {} as Record<'trainingStart' | 'trainingEnd' | 'issuedOn', string>
    for (const k of ['trainingStart', 'trainingEnd', 'issuedOn'] as const) {
      const d = dateCell(at(cells, k), TRAINING_COLUMNS[k])
      if (d.ok) dates[k] = d.date
      else err(k, d.reason)
    }
    const no = certificateNoCell(at(cells, 'certificateNo'))
    if (!no.ok) err('certificateNo', no.reason)

    const record: ParsedCompletion = {
      row,
      idNumber: id.ok ? id.idNumber : '',
      name,
      vehicleClass,
      trainingStart: dates.trainingStart ?? '',
      trainingEnd: dates.trainingEnd ?? '',
      issuedOn: dates.issuedOn ?? '',
      certificateNo: no.ok ? no.no : ''
    }
    // The record's own rules, for what the cells did not already refuse.
    const problems = completionProblems(record, rules)
    for (const [k, reason] of Object.entries(problems) as [TrainingColumn, string][]) {
      if (!errs.some((e) => e.column === TRAINING_COLUMNS[k])) err(k, reason)
    }
    if (errs.length) {
      result.errors.push(...errs.sort((a, b) => columnOrder(a.column) - columnOrder(b.column)))
      result.refused[row] = { name, idText: cellText(at(cells, 'idNumber')).replace(/\s/g, ''), vehicleClass, certificateNo: normalizeCertificateNo(cellText(at(cells, 'certificateNo'))) }
    } else parsed.push(record)
  }

  // The same certificate number twice in one file: neither row is trusted.
  const byNo = new Map<string, ParsedCompletion[]>()
  for (const r of parsed) (byNo.get(r.certificateNo) ?? byNo.set(r.certificateNo, []).get(r.certificateNo)!).push(r)
  for (const r of parsed) {
    const same = byNo.get(r.certificateNo)!
    if (same.length > 1) {
      const others = same.filter((o) => o !== r).map((o) => `第${o.row}行`)
      result.errors.push({ row: r.row, column: TRAINING_COLUMNS.certificateNo, reason: `结业证编号重复：与${others.join('、')}相同` })
      result.refused[r.row] = { name: r.name, idText: r.idNumber, vehicleClass: r.vehicleClass, certificateNo: r.certificateNo }
    } else result.rows.push(r)
  }
  result.errors.sort((a, b) => a.row - b.row)
  return result
}

const COLUMN_ORDER = Object.values(TRAINING_COLUMNS) as string[]
const columnOrder = (c: string) => COLUMN_ORDER.indexOf(c)

// ---- against the registry ----------------------------------------------------------------------

/** What the registry holds under a school's certificate number. */
export interface ExistingRecord {
  id: number
  idNumber: string
  name: string
  vehicleClass: string
  trainingStart: string
  trainingEnd: string
  issuedOn: string
  revoked: boolean
}

export type RowVerdict =
  | { status: 'new' }
  /** already in the registry exactly so (a second import of the same file) */
  | { status: 'unchanged'; recordId: number; revoked: boolean }
  | { status: 'error'; errors: RowError[] }

const FIELD_COMPARE: [keyof CompletionInput & keyof ExistingRecord, string][] = [
  ['idNumber', TRAINING_COLUMNS.idNumber],
  ['name', TRAINING_COLUMNS.name],
  ['vehicleClass', TRAINING_COLUMNS.vehicleClass],
  ['trainingStart', TRAINING_COLUMNS.trainingStart],
  ['trainingEnd', TRAINING_COLUMNS.trainingEnd],
  ['issuedOn', TRAINING_COLUMNS.issuedOn]
]

/**
 * A parsed row against the records with the same certificate number at that school. The same data
 * as a record (valid or revoked) is unchanged: importing a file twice creates nothing, and a
 * revoked record does not come back. Different data under the number of a valid record is refused;
 * under the number of revoked records only, it is a corrected re-issue and is created.
 */
export function compareWithRegistry(row: ParsedCompletion, existing: readonly ExistingRecord[]): RowVerdict {
  for (const e of existing) {
    if (FIELD_COMPARE.every(([k]) => e[k] === row[k])) return { status: 'unchanged', recordId: e.id, revoked: e.revoked }
  }
  const valid = existing.find((e) => !e.revoked)
  if (!valid) return { status: 'new' }
  const diffs = FIELD_COMPARE.filter(([k]) => valid[k] !== row[k])
  return {
    status: 'error',
    errors: [
      {
        row: row.row,
        column: TRAINING_COLUMNS.certificateNo,
        reason: `结业证编号${row.certificateNo}已登记，且${diffs.map(([, label]) => label).join('、')}与已登记的不同；如登记有误，请先撤销原记录再导入`
      }
    ]
  }
}
