// Reading an uploaded .xlsx into rows of plain cells, for every import (exam scores, training
// completion records). Extracted from the score import's reader (services/exam-scores.ts) so that
// there is one reader: exceljs's streaming reader, first worksheet only, cells as the rules read
// them. LibreOffice writes mixed Chinese/Latin cells as rich text: its runs are joined, which is
// what exceljs's `cell.text` gives. Dates arrive as Excel day numbers (styles are not read), which
// the date rules understand; 18-digit numbers arrive as the damaged numbers they are.
import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { AppError } from '../errors'
import type { RawCell } from '../domain/score-import'

export type { RawCell }

/** A spreadsheet cell as exceljs gives it → the plain value the rules read. */
export function plainCell(v: unknown): RawCell {
  if (v == null) return null
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown }
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('')
    if ('result' in o) return plainCell(o.result)
    if (typeof o.text === 'string') return o.text
    if (o.error) return ''
  }
  return String(v)
}

/** Reads the first worksheet of an .xlsx with exceljs's streaming reader: rows of plain cells. */
export async function readSheet(buffer: Buffer): Promise<RawCell[][]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buffer]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore'
  })
  const rows: RawCell[][] = []
  for await (const ws of reader) {
    for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as unknown[]
      const out: RawCell[] = []
      for (let i = 1; i < values.length; i++) out.push(plainCell(values[i]))
      rows[row.number - 1] = out
    }
    break // the first sheet only
  }
  for (let i = 0; i < rows.length; i++) rows[i] ??= []
  return rows
}

/** An .xlsx is a zip: it starts with PK\x03\x04. */
export function isXlsx(buffer: Buffer): boolean {
  return buffer.length > 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04
}

/**
 * The checks every import makes before reading: size, type, readable. Throws the error the staff
 * member sees (413, 415, 400), naming the file.
 */
export async function readUploadedSheet(buffer: Buffer, maxBytes: number): Promise<RawCell[][]> {
  if (buffer.length > maxBytes) throw new AppError('too_large', `文件过大（上限 ${Math.round(maxBytes / 1024 / 1024)} MB）`, { file: '文件过大' })
  if (!isXlsx(buffer)) {
    throw new AppError('unsupported_type', '请上传 Excel 工作簿（.xlsx）。旧版 .xls 或 CSV 请先用 Excel/WPS/LibreOffice 另存为 .xlsx', { file: '不是 .xlsx 文件' })
  }
  try {
    return await readSheet(buffer)
  } catch {
    throw new AppError('invalid_input', '无法读取该文件：文件已损坏或不是有效的 .xlsx 工作簿', { file: '无法读取' })
  }
}
