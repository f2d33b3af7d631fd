// Reading the first worksheet of an .xlsx into rows of plain cells, for score import.
//
// Why not exceljs's streaming reader: it decodes each inflated chunk to text on its own
// (lib/utils/parse-sax.js, `bufferToString(chunk)`), so a Chinese character whose UTF-8 bytes
// straddle a chunk boundary comes out as U+FFFD: in a 10,000-row file a few names are garbled
// and then "do not match". This reader inflates each zip entry whole (node:zlib) and reads the
// SpreadsheetML it needs: shared strings (plain and rich text, phonetic runs left out), inline
// strings, numbers, booleans, errors and cached formula results. Dates arrive as Excel day
// numbers (styles are not read), which the score rules understand.
import { inflateRawSync } from 'node:zlib'
import type { RawCell } from '../domain/score-import'

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
  const body = xml.indexOf('<rPh') >= 0 ? xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : xml
  let out = ''
  const re = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g
  let m: RegExpExecArray | null
  while ((m = re.exec(body))) out += m[1]
  return unescapeXml(out)
}

function columnIndex(ref: string): number {
  let n = 0
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i)
    if (c < 65 || c > 90) break
    n = n * 26 + (c - 64)
  }
  return n - 1
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

/** Rows of the first worksheet (index = row number − 1; blank rows are empty arrays). */
export function readFirstSheet(buf: Buffer, maxBytes = 200 * 1024 * 1024): RawCell[][] {
  const entries = zipEntries(buf)
  const shared: string[] = []
  const sst = entries.get('xl/sharedStrings.xml')
  if (sst) {
    const xml = readEntry(buf, sst, maxBytes)
    const re = /<si>([\s\S]*?)<\/si>|<si\/>/g
    let m: RegExpExecArray | null
    while ((m = re.exec(xml))) shared.push(m[1] === undefined ? '' : richText(m[1]))
  }
  const sheetPath = firstSheetPath(entries, buf, maxBytes)
  const sheet = entries.get(sheetPath)
  if (!sheet) throw new XlsxError(`missing ${sheetPath}`)
  const xml = readEntry(buf, sheet, maxBytes)
  const rows: RawCell[][] = []
  const rowRe = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g
  const cellRe = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g
  let rm: RegExpExecArray | null
  let nextRow = 0
  while ((rm = rowRe.exec(xml))) {
    const rAttr = /\br="(\d+)"/.exec(rm[1])
    const rowIndex = rAttr ? Number(rAttr[1]) - 1 : nextRow
    nextRow = rowIndex + 1
    const cells: RawCell[] = []
    const body = rm[2]
    if (body) {
      cellRe.lastIndex = 0
      let cm: RegExpExecArray | null
      let nextCol = 0
      while ((cm = cellRe.exec(body))) {
        const attrs = cm[1]
        const ref = /\br="([A-Z]+)\d*"/.exec(attrs)
        const col = ref ? columnIndex(ref[1]) : nextCol
        nextCol = col + 1
        const inner = cm[2] ?? ''
        const t = /\bt="(\w+)"/.exec(attrs)?.[1] ?? 'n'
        let value: RawCell = null
        if (t === 'inlineStr') value = richText(inner)
        else {
          const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1]
          if (v !== undefined) {
            if (t === 's') value = shared[Number(v)] ?? ''
            else if (t === 'str') value = unescapeXml(v)
            else if (t === 'b') value = v === '1'
            else if (t === 'e') value = ''
            else {
              const n = Number(v)
              value = Number.isFinite(n) ? n : unescapeXml(v)
            }
          }
        }
        cells[col] = value
      }
      for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null
    }
    rows[rowIndex] = cells
  }
  for (let i = 0; i < rows.length; i++) rows[i] ??= []
  return rows
}
