// Reading an uploaded .xlsx into rows of plain cells, for every import (exam scores, 结业证 lists):
// the first worksheet only, cells as the rules read them. The reader itself is the score import's
// (services/exam-xlsx.ts, issue 5): rich text (LibreOffice writes mixed Chinese/Latin cells so)
// comes back as its joined runs — what exceljs's `cell.text` gives; dates as Excel day numbers;
// an 18-digit ID number typed into a number cell as the damaged number it is. This module adds
// the checks every import makes before reading (size, type, readable) with the staff's error.
import { readFirstSheet } from '../services/exam-xlsx'
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

/**
 * Reads the first worksheet of an .xlsx into rows of plain cells: issue 5's reader
 * (services/exam-xlsx.ts), which inflates each zip entry whole. Not exceljs's streaming reader: it
 * decodes each inflated chunk on its own, so a Chinese character split across a chunk boundary
 * comes out as U+FFFD (5 names in 5,000 garbled in our test); not exceljs's whole-file load either,
 * which is correct but about twice as slow on 10,000 rows. One reader for every import.
 */
export async function readSheet(buffer: Buffer): Promise<RawCell[][]> {
  return readFirstSheet(buffer)
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
