// Reading an uploaded .xlsx into rows of plain cells, for every import (exam scores, 结业证 lists):
// the first worksheet only, cells as the rules read them. Services call this; it knows nothing of
// what the rows mean.
//
// Why not exceljs's streaming reader: it decodes each inflated chunk to text on its own
// (lib/utils/parse-sax.js, `bufferToString(chunk)`), so a Chinese character whose UTF-8 bytes
// straddle a chunk boundary comes out as U+FFFD: in a 10,000-row file a few names are garbled
// and then "do not match" (5 in 5,000 in our test). Not exceljs's whole-file load either, which is
// correct but several times slower. This reader inflates each zip entry whole (node:zlib) and
// reads the SpreadsheetML it needs: shared strings (plain and rich text — LibreOffice writes mixed
// Chinese/Latin cells so — phonetic runs left out), inline strings, numbers, booleans, errors and
// cached formula results. Dates arrive as Excel day numbers (styles are not read), which the rules
// understand; an 18-digit ID number typed into a number cell arrives as the damaged number it is.
import { inflateRawSync } from 'node:zlib'
import { AppError } from '../errors'
import type { RawCell } from '../domain/score-import'

export type { RawCell }

export class XlsxError extends Error {}

interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  localOffset: number
}

function zipEntries(buf: Buffer): Map<string, ZipEntry> {
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new XlsxError('not a zip file')
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  const entries = new Map<string, ZipEntry>()
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new XlsxError('broken zip directory')
    const method = buf.readUInt16LE(p + 10)
    const compressedSize = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const localOffset = buf.readUInt32LE(p + 42)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
    entries.set(name.replace(/^\//, ''), { name, method, compressedSize, localOffset })
    p += 46 + nameLen + extraLen + commentLen
  }
  return entries
}

function readEntry(buf: Buffer, e: ZipEntry, maxBytes: number): string {
  const p = e.localOffset
  if (buf.readUInt32LE(p) !== 0x04034b50) throw new XlsxError('broken zip entry')
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28)
  const data = buf.subarray(start, start + e.compressedSize)
  if (e.method === 0) return data.toString('utf8')
  if (e.method !== 8) throw new XlsxError(`unsupported zip method ${e.method}`)
  return inflateRawSync(data, { maxOutputLength: maxBytes }).toString('utf8')
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
function unescapeXml(s: string): string {
  if (s.indexOf('&') < 0) return s
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITY[e]
  )
}

/** The text of an <si> or <is>: every <t> outside phonetic runs (<rPh>). */
function richText(xml: string): string {
  // The usual shared string is one plain run: <t>text</t>.
  if (xml.startsWith('<t>') && xml.endsWith('</t>') && xml.indexOf('<', 3) === xml.length - 4) return unescapeXml(xml.slice(3, -4))
  const body = xml.indexOf('<rPh') >= 0 ? xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : xml
  let out = ''
  const re = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g
  let m: RegExpExecArray | null
  while ((m = re.exec(body))) out += m[1]
  return unescapeXml(out)
}

function firstSheetPath(entries: Map<string, ZipEntry>, buf: Buffer, max: number): string {
  const wb = entries.get('xl/workbook.xml')
  const rels = entries.get('xl/_rels/workbook.xml.rels')
  if (wb && rels) {
    const sheet = /<(?:\w+:)?sheet\b[^>]*\br:id="([^"]+)"/.exec(readEntry(buf, wb, max))
    if (sheet) {
      const relXml = readEntry(buf, rels, max)
      const re = /<Relationship\b[^>]*>/g
      let m: RegExpExecArray | null
      while ((m = re.exec(relXml))) {
        if (new RegExp(`\\bId="${sheet[1]}"`).test(m[0])) {
          const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1]
          if (target) return target.startsWith('/') ? target.slice(1) : `xl/${target}`.replace(/\/\.\//g, '/')
        }
      }
    }
  }
  const fallback = [...entries.keys()].filter((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k)).sort()[0]
  if (!fallback) throw new XlsxError('no worksheet')
  return fallback
}

/** `<name` at i, as a whole tag name (not `<name2` or `<names`). */
function isTagAt(xml: string, i: number, nameLen: number): boolean {
  const c = xml.charCodeAt(i + nameLen)
  return c === 32 || c === 62 || c === 47 || c === 9 || c === 10 || c === 13 // space > / tab LF CR
}

/**
 * Where the value of attribute `name` starts in the tag text xml[from, to), or −1 (its end is the
 * next `"`). Read in place: no string per tag.
 */
function attrAt(xml: string, from: number, to: number, name: string): number {
  let i = xml.indexOf(name, from)
  while (i >= 0 && i < to) {
    const before = xml.charCodeAt(i - 1)
    const eq = i + name.length
    if ((before === 32 || before === 9 || before === 10 || before === 13) && xml.charCodeAt(eq) === 61 && xml.charCodeAt(eq + 1) === 34) return eq + 2 // ="
    i = xml.indexOf(name, i + 1)
  }
  return -1
}

/** The column of a cell reference ("BC12" → 54, 0-based) read in place; −1 when it has no letters. */
function columnAt(xml: string, i: number): number {
  let n = 0
  for (;; i++) {
    const c = xml.charCodeAt(i)
    if (c < 65 || c > 90) break
    n = n * 26 + (c - 64)
  }
  return n - 1
}

/** A non-negative integer written at xml[from, to), or −1. */
function intAt(xml: string, from: number, to: number): number {
  if (from >= to) return -1
  let n = 0
  for (let i = from; i < to; i++) {
    const c = xml.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

/** One cell's value: its type (t="…", read in place at tAt) and its content xml[from, to). */
function cellValue(xml: string, tAt: number, from: number, to: number, shared: readonly string[]): RawCell {
  const t = tAt < 0 ? 'n' : xml.slice(tAt, xml.indexOf('"', tAt))
  if (t === 'inlineStr') return richText(xml.slice(from, to))
  const vs = xml.indexOf('<v>', from)
  if (vs < 0 || vs >= to) return null
  const ve = xml.indexOf('</v>', vs + 3)
  if (ve < 0 || ve > to) return null
  if (t === 's') {
    const k = intAt(xml, vs + 3, ve)
    return (k >= 0 ? shared[k] : shared[Number(xml.slice(vs + 3, ve))]) ?? ''
  }
  const v = xml.slice(vs + 3, ve)
  if (t === 'str') return unescapeXml(v)
  if (t === 'b') return v === '1'
  if (t === 'e') return ''
  const n = Number(v)
  return Number.isFinite(n) ? n : unescapeXml(v)
}

/**
 * The rows of a worksheet's XML (index = row number − 1; blank rows are empty arrays). A scanner
 * over indexOf, not a regular expression (nor a string) per cell: 70,000 cells in a 10,000-row file.
 */
function sheetRows(xml: string, shared: readonly string[]): RawCell[][] {
  const rows: RawCell[][] = []
  let nextRow = 0
  let p = 0
  for (;;) {
    let rs = xml.indexOf('<row', p)
    while (rs >= 0 && !isTagAt(xml, rs, 4)) rs = xml.indexOf('<row', rs + 4)
    if (rs < 0) break
    const gt = xml.indexOf('>', rs)
    if (gt < 0) throw new XlsxError('broken worksheet')
    const selfClosing = xml.charCodeAt(gt - 1) === 47
    const rAt = attrAt(xml, rs + 4, gt, 'r')
    const r = rAt < 0 ? -1 : intAt(xml, rAt, xml.indexOf('"', rAt))
    const rowIndex = r >= 0 ? r - 1 : nextRow
    nextRow = rowIndex + 1
    const cells: RawCell[] = []
    if (selfClosing) p = gt + 1
    else {
      const end = xml.indexOf('</row>', gt)
      if (end < 0) throw new XlsxError('broken worksheet')
      let c = xml.indexOf('<c', gt)
      let nextCol = 0
      while (c >= 0 && c < end) {
        if (!isTagAt(xml, c, 2)) {
          c = xml.indexOf('<c', c + 2)
          continue
        }
        const cgt = xml.indexOf('>', c)
        const cellSelfClosing = xml.charCodeAt(cgt - 1) === 47
        const tagEnd = cellSelfClosing ? cgt - 1 : cgt
        const refAt = attrAt(xml, c + 2, tagEnd, 'r')
        let col = refAt < 0 ? -1 : columnAt(xml, refAt)
        if (col < 0) col = nextCol
        nextCol = col + 1
        if (cellSelfClosing) {
          cells[col] = null
          c = xml.indexOf('<c', cgt + 1)
        } else {
          const ce = xml.indexOf('</c>', cgt)
          if (ce < 0) throw new XlsxError('broken worksheet')
          cells[col] = cellValue(xml, attrAt(xml, c + 2, tagEnd, 't'), cgt + 1, ce, shared)
          c = xml.indexOf('<c', ce + 4)
        }
      }
      for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null
      p = end + 6
    }
    rows[rowIndex] = cells
  }
  for (let i = 0; i < rows.length; i++) rows[i] ??= []
  return rows
}

/** Rows of the first worksheet (index = row number − 1; blank rows are empty arrays). */
export function readFirstSheet(buf: Buffer, maxBytes = 200 * 1024 * 1024): RawCell[][] {
  const entries = zipEntries(buf)
  const shared: string[] = []
  const sst = entries.get('xl/sharedStrings.xml')
  if (sst) {
    // <si>…</si> or <si/>, in order (what /<si>([\s\S]*?)<\/si>|<si\/>/g matches), by indexOf
    const xml = readEntry(buf, sst, maxBytes)
    for (let i = xml.indexOf('<si'); i >= 0; ) {
      if (xml.startsWith('<si>', i)) {
        const end = xml.indexOf('</si>', i + 4)
        if (end < 0) break
        shared.push(richText(xml.slice(i + 4, end)))
        i = xml.indexOf('<si', end + 5)
      } else {
        if (xml.startsWith('<si/>', i)) shared.push('')
        i = xml.indexOf('<si', i + 3)
      }
    }
  }
  const sheetPath = firstSheetPath(entries, buf, maxBytes)
  const sheet = entries.get(sheetPath)
  if (!sheet) throw new XlsxError(`missing ${sheetPath}`)
  return sheetRows(readEntry(buf, sheet, maxBytes), shared)
}

/** The first worksheet of an .xlsx as rows of plain cells (see readFirstSheet). */
export async function readSheet(buffer: Buffer): Promise<RawCell[][]> {
  return readFirstSheet(buffer)
}

/** An .xlsx is a zip: it starts with PK\x03\x04. */
export function isXlsx(buffer: Buffer): boolean {
  return buffer.length > 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04
}

/** The checks every import makes before reading a sheet: size and type. Throws the staff's error (413, 415). */
export function checkUpload(buffer: Buffer, maxBytes: number): void {
  if (buffer.length > maxBytes) throw new AppError('too_large', `文件过大（上限 ${Math.round(maxBytes / 1024 / 1024)} MB）`, { file: '文件过大' })
  if (!isXlsx(buffer)) {
    throw new AppError('unsupported_type', '请上传 Excel 工作簿（.xlsx）。旧版 .xls 或 CSV 请先用 Excel/WPS/LibreOffice 另存为 .xlsx', { file: '不是 .xlsx 文件' })
  }
}

/** The first worksheet, read without waiting; a broken file throws the staff's error (400). */
export function readCheckedSheet(buffer: Buffer): RawCell[][] {
  try {
    return readFirstSheet(buffer)
  } catch {
    throw new AppError('invalid_input', '无法读取该文件：文件已损坏或不是有效的 .xlsx 工作簿', { file: '无法读取' })
  }
}

/**
 * The checks every import makes before reading: size, type, readable. Throws the error the staff
 * member sees (413, 415, 400), naming the file.
 */
export async function readUploadedSheet(buffer: Buffer, maxBytes: number): Promise<RawCell[][]> {
  checkUpload(buffer, maxBytes)
  return readCheckedSheet(buffer)
}
