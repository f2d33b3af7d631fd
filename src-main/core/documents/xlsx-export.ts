// Streamed .xlsx for the supervisors' exports: exceljs's WorkbookWriter, each row committed as it
// is read (from a SQLite iterator), so 100,000 rows never sit in memory. Chinese headers, a
// frozen header row, column widths, dates as real dates, money as money (fen → yuan with a
// currency format; the database keeps integer fen).
import ExcelJS from 'exceljs'

/** How a column's raw values are written. */
export type XlsxKind =
  | 'text'
  /** an integer count or number */
  | 'int'
  /** 'YYYY-MM-DD' → an Excel date */
  | 'date'
  /** ISO 8601 with +08:00 → an Excel date-time showing Shanghai time */
  | 'datetime'
  /** integer fen → yuan, formatted ¥#,##0.00 */
  | 'money'
  /** 0–1 → 85.0% */
  | 'percent'

export interface XlsxColumn {
  header: string
  kind: XlsxKind
  /** characters; Chinese characters count about 2 */
  width: number
}

export interface XlsxSheet {
  name: string
  columns: XlsxColumn[]
  /** One array of raw values per row, in column order; read lazily, one at a time. */
  rows: Iterable<readonly unknown[]>
}

export interface XlsxProgress {
  sheet: string
  rows: number
}

export interface XlsxOptions {
  /** Called every `progressEvery` rows and at the end of each sheet. */
  onProgress?: (p: XlsxProgress) => void
  progressEvery?: number
  /** Give the event loop (and the file stream) a turn every this many rows. */
  yieldEvery?: number
  creator?: string
  /** Stops the export between rows: checked at each yield. */
  cancelled?: () => boolean
}

export const NUM_FMT: Record<XlsxKind, string | undefined> = {
  text: '@',
  int: '0',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm:ss',
  money: '"¥"#,##0.00',
  percent: '0.0%'
}

const DAY_MS = 86_400_000

/**
 * A Shanghai wall-clock time as a Date whose UTC fields carry it: exceljs writes a Date as its
 * UTC serial, so the spreadsheet shows the same time the office saw, whatever the machine's zone.
 */
export function wallClock(value: string): Date | null {
  // 2026-11-25T20:59:31+08:00 or 2026-11-25
  if (value.length < 10) return null
  const y = +value.slice(0, 4)
  const m = +value.slice(5, 7)
  const d = +value.slice(8, 10)
  if (!y || !m || !d) return null
  if (value.length < 19) return new Date(Date.UTC(y, m - 1, d))
  return new Date(Date.UTC(y, m - 1, d, +value.slice(11, 13), +value.slice(14, 16), +value.slice(17, 19)))
}

/** The cell value of one raw value for a column of `kind`. */
export function cellValue(kind: XlsxKind, v: unknown): ExcelJS.CellValue {
  if (v === null || v === undefined || v === '') return null
  switch (kind) {
    case 'text':
      return typeof v === 'string' ? v : String(v)
    case 'int':
    case 'percent':
      return typeof v === 'number' ? v : Number(v)
    case 'money':
      // fen are integers; the division is for display only and is exact to the cent shown
      return (typeof v === 'number' ? v : Number(v)) / 100
    case 'date':
    case 'datetime':
      return typeof v === 'string' ? wallClock(v) : (v as Date)
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Bytes of sheet XML allowed to wait for the compressor before the rows pause. */
const ZIP_BACKLOG_BYTES = 4 * 1024 * 1024

/**
 * Backpressure: exceljs pushes a sheet's XML into the zip without waiting for the compressor, so
 * rows read faster than they are deflated would pile up in memory. The sheet's stream pipes into
 * the archiver's PassThrough for that entry; when more than ZIP_BACKLOG_BYTES wait there, wait for
 * it to drain (at most a second at a time, so a stalled zip can never hang the export).
 */
async function zipCaughtUp(ws: ExcelJS.Worksheet) {
  const pass = (ws as unknown as { _stream?: { pipes?: { writableLength?: number; once(e: string, f: () => void): void }[] } })._stream?.pipes?.[0]
  if (!pass || (pass.writableLength ?? 0) <= ZIP_BACKLOG_BYTES) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1000)
    pass.once('drain', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

export class ExportCancelled extends Error {
  constructor() {
    super('导出已取消')
  }
}

/** Writes `sheets` into `file` one after the other; resolves with the rows written per sheet. */
export async function writeXlsx(file: string, sheets: XlsxSheet[], options: XlsxOptions = {}): Promise<number[]> {
  const progressEvery = options.progressEvery ?? 2000
  const yieldEvery = options.yieldEvery ?? 500
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false })
  wb.creator = options.creator ?? 'QualDesk'
  const written: number[] = []
  try {
    for (const sheet of sheets) {
      const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0, activeCell: 'A2' }] })
      // One style object per column, shared by every cell of it: exceljs caches a style's id by
      // object identity, so this halves the time of a large export (a fresh object per cell is
      // re-rendered to XML to find its id).
      const styles: Partial<ExcelJS.Style>[] = sheet.columns.map((c) => (c.kind === 'text' ? {} : { numFmt: NUM_FMT[c.kind] }))
      ws.columns = sheet.columns.map((c, i) => ({ header: c.header, width: c.width, style: styles[i] }))
      const header = ws.getRow(1)
      header.font = { bold: true }
      header.alignment = { vertical: 'middle', horizontal: 'center' }
      header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } }
      header.height = 20
      header.commit()
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } }

      const kinds = sheet.columns.map((c) => c.kind)
      const n = kinds.length
      let count = 0
      const values: ExcelJS.CellValue[] = new Array(n)
      for (const raw of sheet.rows) {
        for (let i = 0; i < n; i++) values[i] = cellValue(kinds[i], raw[i])
        const row = ws.addRow(values)
        for (let i = 0; i < n; i++) row.getCell(i + 1).style = styles[i]
        row.commit()
        count++
        if (count % yieldEvery === 0) {
          if (count % progressEvery === 0) options.onProgress?.({ sheet: sheet.name, rows: count })
          await tick()
          await zipCaughtUp(ws)
          if (options.cancelled?.()) throw new ExportCancelled()
        }
      }
      await ws.commit()
      written.push(count)
      options.onProgress?.({ sheet: sheet.name, rows: count })
    }
  } finally {
    // Always close the file, also when a row failed: the caller deletes what is left.
    await wb.commit()
  }
  return written
}

export { DAY_MS }
