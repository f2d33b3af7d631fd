// Chinese text in PDFs made with pdf-lib (certificates, exam rosters, reports).
//
//   const doc = await PDFDocument.create()
//   const font = await embedChineseFont(doc)            // Noto Sans SC Regular, subset
//   const bold = await embedChineseFont(doc, 'bold')
//   page.drawText('道路运输从业资格证', { font, size: 12, x, y })
//   // many strings on one page: selectFont(page, font) once, then drawText without `font`
//
// Why not `@pdf-lib/fontkit`: its subsetter (1.1.1) drops most CJK glyphs and digits. Upstream
// fontkit 2.x subsets correctly but offers `encode()` where pdf-lib calls `encodeStream()`; the
// adapter below bridges that. Each font file (about 10 MB) is read and parsed ONCE per process
// and shared by every document; only the glyphs a document uses are embedded.
//
// Font: Noto Sans SC (SIL Open Font License 1.1, resources/fonts/OFL.txt), shipped in
// resources/fonts/ from the @expo-google-fonts/noto-sans-sc package.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import * as fontkit from 'fontkit'
import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib'

export type ChineseFontWeight = 'regular' | 'bold'

const FILES: Record<ChineseFontWeight, string> = {
  regular: 'NotoSansSC_400Regular.ttf',
  bold: 'NotoSansSC_700Bold.ttf'
}

/** The folder holding the fonts: QUALDESK_RESOURCES_DIR, Electron's resources, or the nearest `resources/` up from here or the working directory. */
export function resourcesDir(): string {
  const probe = join('fonts', FILES.regular)
  const candidates: string[] = []
  if (process.env.QUALDESK_RESOURCES_DIR) candidates.push(resolve(process.env.QUALDESK_RESOURCES_DIR))
  const electronResources = (process as { resourcesPath?: string }).resourcesPath
  if (electronResources) candidates.push(join(electronResources, 'resources'))
  for (const start of [typeof __dirname === 'string' ? __dirname : process.cwd(), process.cwd()]) {
    let d = resolve(start)
    for (let i = 0; i < 6; i++) {
      candidates.push(join(d, 'resources'))
      const up = dirname(d)
      if (up === d) break
      d = up
    }
  }
  const found = candidates.find((c) => existsSync(join(c, probe)))
  if (!found) throw new Error(`找不到中文字体文件 resources/fonts/${FILES.regular}（已查找：${candidates.join('，')}）`)
  return found
}

// ---- fontkit 2 → pdf-lib adapter ---------------------------------------------------------------

interface Fontkit2Subset {
  includeGlyph(glyph: number | { id: number }): number
  encode(): Uint8Array
}
interface Fontkit2Font {
  createSubset(): Fontkit2Subset
  [key: string]: unknown
}

/** What pdf-lib's subset embedder expects from `subset.encodeStream()`: 'data' then 'end'. */
function onceStream(produce: () => Uint8Array) {
  const handlers: Record<string, ((arg?: unknown) => void)[]> = {}
  const stream = {
    on(event: string, fn: (arg?: unknown) => void) {
      ;(handlers[event] ??= []).push(fn)
      return stream
    }
  }
  // pdf-lib attaches its handlers synchronously right after the call; emit after that.
  queueMicrotask(() => {
    try {
      const bytes = produce()
      for (const fn of handlers.data ?? []) fn(bytes)
      for (const fn of handlers.end ?? []) fn()
    } catch (e) {
      for (const fn of handlers.error ?? []) fn(e)
    }
  })
  return stream
}

const parsed = new Map<ChineseFontWeight, { bytes: Uint8Array; font: Fontkit2Font }>()

/** The parsed font of a weight, read from disk on first use and kept for the process. */
function loadFont(weight: ChineseFontWeight) {
  let entry = parsed.get(weight)
  if (!entry) {
    const bytes = readFileSync(join(resourcesDir(), 'fonts', FILES[weight]))
    const font = (fontkit as unknown as { create(b: Uint8Array): Fontkit2Font }).create(bytes)
    const createSubset = font.createSubset.bind(font)
    // Give every subset the stream pdf-lib 1.17 reads; the parsed font itself is shared.
    font.createSubset = () => {
      const subset = createSubset() as Fontkit2Subset & { encodeStream?: unknown }
      subset.encodeStream = () => onceStream(() => subset.encode())
      return subset
    }
    // pdf-lib lays out every string twice (width, then glyphs) and certificates repeat their labels
    // on every page: remember recent layouts. Glyph runs are read-only to pdf-lib.
    const layout = (font.layout as (text: string, features?: unknown) => unknown).bind(font)
    const layouts = new Map<string, unknown>()
    font.layout = (text: string, features?: unknown) => {
      if (features !== undefined) return layout(text, features)
      let run = layouts.get(text)
      if (run === undefined) {
        if (layouts.size >= 20_000) layouts.clear()
        run = layout(text)
        layouts.set(text, run)
      }
      return run
    }
    entry = { bytes, font }
    parsed.set(weight, entry)
  }
  return entry
}

/** A "fontkit" for `doc.registerFontkit`: hands pdf-lib the already parsed font for its bytes. */
const sharedFontkit = {
  create(bytes: Uint8Array) {
    for (const e of parsed.values()) if (e.bytes === bytes) return e.font
    throw new Error('embedChineseFont: unknown font bytes')
  }
}

/** Parses the font(s) now rather than on the first document (a start-up cost of about 0.1 s each). */
export function preloadChineseFonts(weights: ChineseFontWeight[] = ['regular']): void {
  for (const w of weights) loadFont(w)
}

/**
 * Embeds Noto Sans SC of `weight` into `doc` as a subset (only the glyphs drawn end up in the
 * file). Call once per document and weight; reuse the returned font for every page.
 */
export async function embedChineseFont(doc: PDFDocument, weight: ChineseFontWeight = 'regular'): Promise<PDFFont> {
  const { bytes } = loadFont(weight)
  doc.registerFontkit(sharedFontkit as never)
  // A subset's PDF name starts with a six-letter tag (ISO 32000 §9.6.4), which is how readers and
  // pdffonts know it is a subset.
  return doc.embedFont(bytes, { subset: true, customName: `${subsetTag()}+${POSTSCRIPT_NAMES[weight]}` })
}

const POSTSCRIPT_NAMES: Record<ChineseFontWeight, string> = { regular: 'NotoSansSC-Regular', bold: 'NotoSansSC-Bold' }

function subsetTag(): string {
  let tag = ''
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + Math.floor(Math.random() * 26))
  return tag
}

/** Width of `text` in points, for centring and fitting (same as `font.widthOfTextAtSize`). */
export function textWidth(font: PDFFont, text: string, size: number): number {
  return font.widthOfTextAtSize(text, size)
}

/** The largest size ≤ `size` at which `text` fits in `maxWidth` points (long names and addresses). */
export function fitSize(font: PDFFont, text: string, size: number, maxWidth: number, minSize = 5): number {
  const w = font.widthOfTextAtSize(text, size)
  if (w <= maxWidth) return size
  return Math.max(minSize, Math.floor(((size * maxWidth) / w) * 10) / 10)
}

/** Splits `text` into lines no wider than `maxWidth` (CJK breaks anywhere; Latin words kept together where possible). */
export function wrapText(font: PDFFont, text: string, size: number, maxWidth: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const ch of [...text]) {
    if (ch === '\n') {
      lines.push(line)
      line = ''
      continue
    }
    const next = line + ch
    if (line && font.widthOfTextAtSize(next, size) > maxWidth) {
      lines.push(line)
      line = ch.trimStart()
    } else line = next
  }
  if (line) lines.push(line)
  return lines
}

// pdf-lib adds a new entry to the page's font resources on every drawText({ font }) and scans the
// existing keys each time (slow on busy pages). Select each font once per page instead and draw
// without the `font` option: `selectFont(page, bold); page.drawText('标题', { x, y, size })`.
const pageFontKeys = new WeakMap<PDFPage, Map<PDFFont, unknown>>()
export function selectFont(page: PDFPage, font: PDFFont): void {
  const p = page as unknown as { font?: PDFFont; fontKey?: unknown }
  if (p.font === font) return
  let keys = pageFontKeys.get(page)
  if (!keys) pageFontKeys.set(page, (keys = new Map()))
  const key = keys.get(font)
  if (key === undefined) {
    page.setFont(font)
    keys.set(font, p.fontKey)
  } else {
    p.font = font
    p.fontKey = key
  }
}

/** Millimetres to PDF points. */
export const mm = (v: number) => (v * 72) / 25.4
