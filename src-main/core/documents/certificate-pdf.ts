// The certificate as a PDF (pdf-lib): one page per card, in one of two layouts.
//  - 'full': a complete certificate on plain A4 paper (frame, labels, values, photo, QR code, serial);
//  - 'overlay' (套打): only the values, photo and QR code, placed on pre-printed card stock whose
//    labels and serial are already there, shifted by the offsets the clerk calibrated.
// A test print of the overlay also draws the card stock's labels in grey, so that the clerk can lay
// the sheet over a blank card and read off the offsets.
//
// Fonts are parsed once per process (chinese-font.ts); within a document each distinct photo is
// embedded once and the QR code is drawn as vector rectangles.
import QRCode from 'qrcode'
import {
  PDFDocument,
  rgb,
  concatTransformationMatrix,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
  type PDFFont,
  type PDFImage,
  type PDFPage,
  type RGB
} from 'pdf-lib'
import { embedChineseFont, fitSize, mm, selectFont, wrapText } from './chinese-font'
import { categoryOnCard, chineseDate, GENDER_LABELS, validUntil, type CertificateCard } from '../domain/certificates'

export type CertificateLayout = 'full' | 'overlay'

export interface OverlayOffsets {
  /** positive: move right */
  xMm: number
  /** positive: move down */
  yMm: number
}

export interface CertificatePageInput {
  card: CertificateCard
  /** JPEG or PNG bytes of the 近期免冠照片; anything else (a PDF scan, nothing) prints a blank photo box */
  photo?: Uint8Array | null
  /** identifies the photo so that a reprint batch embeds a shared photo once (e.g. its SHA-256) */
  photoKey?: string | null
}

export interface RenderOptions {
  layout: CertificateLayout
  offsets?: OverlayOffsets
  /** overlay only: also draw the pre-printed stock (labels, frame) in grey — the calibration sheet */
  showStock?: boolean
  /** marks every page as a sample (test prints) */
  watermark?: string
  /** called after each page (progress bars) */
  onPage?: (done: number, total: number) => void
  /** yield to the event loop every n pages so that progress polls get answered (0: never) */
  yieldEvery?: number
}

export const A4 = { w: 210, h: 297 }
/** The pre-printed card stock (证芯卡纸) fed to the printer for 套打, landscape. */
export const CARD_STOCK = { w: 140, h: 100 }

const INK = rgb(0.08, 0.08, 0.1)
const FRAME = rgb(0.12, 0.27, 0.48)
const SERIAL_RED = rgb(0.72, 0.08, 0.08)
const GREY = rgb(0.55, 0.55, 0.58)
const LIGHT = rgb(0.8, 0.82, 0.86)

interface Fonts {
  regular: PDFFont
  bold: PDFFont
}

function detectImage(bytes: Uint8Array | null | undefined): 'jpg' | 'png' | null {
  if (!bytes || bytes.length < 8) return null
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg'
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png'
  return null
}

/**
 * Draws the QR code for `text` in a square of `sizePt` at (x, y) (bottom-left, points). The modules
 * are a 1-bit image, one pixel per module, drawn without interpolation: as sharp as vector squares
 * at any printer resolution, and a few hundred bytes per code.
 */
export function drawQrCode(page: PDFPage, text: string, x: number, y: number, sizePt: number): void {
  // One byte-mode segment: a URL gains nothing from mixed modes, and the segment search is costly.
  const qr = QRCode.create([{ data: new TextEncoder().encode(text), mode: 'byte' }], { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const quiet = 2
  const side = n + quiet * 2
  const rowBytes = Math.ceil(side / 8)
  const bits = new Uint8Array(rowBytes * side).fill(0xff) // DeviceGray 1 bit: 1 = white
  const data = qr.modules.data
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!data[r * n + c]) continue
      const px = c + quiet
      const i = (r + quiet) * rowBytes + (px >> 3)
      bits[i] &= ~(0x80 >> (px & 7))
    }
  }
  const context = page.doc.context
  const ref = context.register(
    context.stream(bits, { Type: 'XObject', Subtype: 'Image', Width: side, Height: side, ColorSpace: 'DeviceGray', BitsPerComponent: 1, Interpolate: false })
  )
  const key = page.node.newXObject('QR', ref)
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(sizePt, 0, 0, sizePt, x, y), drawObject(key), popGraphicsState())
}

/** A page measured in millimetres from the top-left corner, as a layout is written. */
function canvas(page: PDFPage, fonts: Fonts, heightMm: number, dx = 0, dy = 0) {
  const X = (xMm: number) => mm(xMm + dx)
  const Y = (yMm: number) => mm(heightMm - (yMm + dy))
  const useFont = (font: PDFFont) => selectFont(page, font)
  return {
    /** text whose cap-height top sits at yMm */
    text(s: string, xMm: number, yMm: number, size: number, opts: { bold?: boolean; color?: RGB; maxWidthMm?: number; align?: 'left' | 'center' | 'right' } = {}) {
      const font = opts.bold ? fonts.bold : fonts.regular
      const sz = opts.maxWidthMm ? fitSize(font, s, size, mm(opts.maxWidthMm)) : size
      const w = font.widthOfTextAtSize(s, sz)
      let x = X(xMm)
      if (opts.align === 'center') x -= w / 2
      else if (opts.align === 'right') x -= w
      useFont(font)
      page.drawText(s, { x, y: Y(yMm) - sz * 0.86, size: sz, color: opts.color ?? INK })
    },
    lines(s: string, xMm: number, yMm: number, size: number, widthMm: number, maxLines: number, lineMm: number) {
      let sz = size
      let lines = wrapText(fonts.regular, s, sz, mm(widthMm))
      while (lines.length > maxLines && sz > 6) {
        sz -= 0.5
        lines = wrapText(fonts.regular, s, sz, mm(widthMm))
      }
      useFont(fonts.regular)
      lines.slice(0, maxLines).forEach((l, i) => page.drawText(l, { x: X(xMm), y: Y(yMm + i * lineMm) - sz * 0.86, size: sz, color: INK }))
    },
    rect(xMm: number, yMm: number, wMm: number, hMm: number, opts: { border?: RGB; width?: number; fillColor?: RGB } = {}) {
      page.drawRectangle({
        x: X(xMm),
        y: Y(yMm + hMm),
        width: mm(wMm),
        height: mm(hMm),
        borderColor: opts.border,
        borderWidth: opts.border ? (opts.width ?? 0.8) : 0,
        color: opts.fillColor
      })
    },
    line(x1: number, y1: number, x2: number, y2: number, color: RGB = LIGHT, thickness = 0.5) {
      page.drawLine({ start: { x: X(x1), y: Y(y1) }, end: { x: X(x2), y: Y(y2) }, thickness, color })
    },
    image(img: PDFImage, xMm: number, yMm: number, wMm: number, hMm: number) {
      // Fit inside the box keeping the aspect ratio, centred.
      const scale = Math.min(mm(wMm) / img.width, mm(hMm) / img.height)
      const w = img.width * scale
      const h = img.height * scale
      page.drawImage(img, { x: X(xMm) + (mm(wMm) - w) / 2, y: Y(yMm + hMm) + (mm(hMm) - h) / 2, width: w, height: h })
    },
    qr(text: string, xMm: number, yMm: number, sizeMm: number) {
      drawQrCode(page, text, X(xMm), Y(yMm + sizeMm), mm(sizeMm))
    }
  }
}
type Canvas = ReturnType<typeof canvas>

function photoBox(c: Canvas, img: PDFImage | null, x: number, y: number, w: number, h: number, showFrame: boolean) {
  if (img) c.image(img, x, y, w, h)
  else {
    c.rect(x, y, w, h, { border: GREY, width: 0.6 })
    c.text('照片', x + w / 2, y + h / 2 - 2, 9, { color: GREY, align: 'center' })
  }
  if (showFrame && img) c.rect(x, y, w, h, { border: LIGHT, width: 0.4 })
}

// ---- full page (plain paper) -------------------------------------------------------------------

/** The rows of the full page: label, English label, the top of the row (mm) and how wide the value may be. */
const FULL_ROWS: { label: string; en: string; y: number; width: number; value: (c: CertificateCard) => string }[] = [
  { label: '姓名', en: 'Name', y: 72, width: 80, value: (c) => c.name },
  { label: '性别', en: 'Sex', y: 84, width: 80, value: (c) => GENDER_LABELS[c.gender] },
  { label: '出生日期', en: 'Date of Birth', y: 96, width: 80, value: (c) => chineseDate(c.birthDate) },
  { label: '国籍', en: 'Nationality', y: 108, width: 80, value: (c) => c.nationality },
  { label: '住址', en: 'Address', y: 120, width: 118, value: (c) => c.address },
  { label: '证号', en: 'Certificate No.', y: 137, width: 118, value: (c) => c.certificateNo },
  { label: '从业资格类别', en: 'Category', y: 149, width: 118, value: (c) => categoryOnCard(c.category) },
  { label: '准驾车型', en: 'Vehicle Class', y: 161, width: 118, value: (c) => c.vehicleClasses.join('、') },
  { label: '初次领证日期', en: 'First Issued', y: 173, width: 118, value: (c) => chineseDate(c.firstIssuedOn) },
  { label: '有效期限', en: 'Valid', y: 185, width: 118, value: (c) => `${chineseDate(c.issuedOn)} 至 ${chineseDate(c.validUntil)}` }
]
const ROW_END: Record<string, number> = { 住址: 133 }

/** What every full page shares: frame, titles, labels, rules, footer (drawn once per document). */
function drawFullStatic(c: Canvas) {
  c.rect(10, 10, A4.w - 20, A4.h - 20, { border: FRAME, width: 2.2 })
  c.rect(13, 13, A4.w - 26, A4.h - 26, { border: FRAME, width: 0.6 })
  c.text('中华人民共和国', A4.w / 2, 30, 16, { bold: true, color: FRAME, align: 'center' })
  c.text('道路运输从业人员从业资格证', A4.w / 2, 41, 24, { bold: true, color: FRAME, align: 'center' })
  c.text('Qualification Certificate of Road Transport Personnel', A4.w / 2, 53, 9.5, { color: FRAME, align: 'center' })
  c.line(25, 62, A4.w - 25, 62, FRAME, 0.8)
  for (const row of FULL_ROWS) {
    c.text(row.label, 28, row.y, 11, { bold: true })
    c.text(row.en, 28, row.y + 5.2, 6.5, { color: GREY })
    const bottom = ROW_END[row.label] ?? row.y + 9
    c.line(28, bottom, row.y < 118 ? 140 : A4.w - 28, bottom)
  }
  c.text('发证机关', 28, 210, 11, { bold: true })
  c.text('Issuing Authority', 28, 215.2, 6.5, { color: GREY })
  c.text('（印章）', 62, 219, 9, { color: GREY })
  c.text('扫码核验真伪', 164, 243, 8, { color: GREY, align: 'center' })
  c.line(25, 258, A4.w - 25, 258, LIGHT, 0.5)
  c.text('本证是持证人从事道路运输经营活动的资格证明，须与本人身份证同时使用，不得涂改、转借。', A4.w / 2, 263, 8, { color: GREY, align: 'center' })
}

/** One holder's values on a full page. */
function drawFullValues(c: Canvas, card: CertificateCard, photo: PDFImage | null) {
  c.text(`NO. ${card.serial}`, A4.w - 20, 19, 12, { color: SERIAL_RED, align: 'right' })
  photoBox(c, photo, 148, 72, 32, 42, true)
  for (const row of FULL_ROWS) {
    const value = row.value(card)
    if (row.label === '住址') c.lines(value, 62, row.y, 11, row.width, 2, 5.4)
    else c.text(value, 62, row.y, 11.5, { maxWidthMm: row.width })
  }
  c.text(card.issuingAuthority, 62, 210, 12, { maxWidthMm: 72 })
  c.text(`发证日期：${chineseDate(card.issuedOn)}`, 62, 227, 10)
  c.qr(card.verifyUrl, 146, 204, 36)
  c.text(`证号 ${card.certificateNo} · 编号 ${card.serial}`, A4.w / 2, 269, 8, { color: GREY, align: 'center' })
}

// ---- overlay (套打 on card stock) --------------------------------------------------------------

/** Where each value goes on the card stock (mm from the card's top-left) and its pre-printed label. */
export const OVERLAY_FIELDS: { key: string; label: string; x: number; y: number; width: number; labelX: number; value: (c: CertificateCard) => string }[] = [
  { key: 'name', label: '姓名', x: 26, y: 17, width: 34, labelX: 8, value: (c) => c.name },
  { key: 'gender', label: '性别', x: 74, y: 17, width: 12, labelX: 63, value: (c) => GENDER_LABELS[c.gender] },
  { key: 'birthDate', label: '出生日期', x: 26, y: 26, width: 60, labelX: 8, value: (c) => chineseDate(c.birthDate) },
  { key: 'nationality', label: '国籍', x: 74, y: 35, width: 20, labelX: 63, value: (c) => c.nationality },
  { key: 'certificateNo', label: '证号', x: 26, y: 35, width: 36, labelX: 8, value: (c) => c.certificateNo },
  { key: 'category', label: '从业资格类别', x: 30, y: 53, width: 66, labelX: 8, value: (c) => categoryOnCard(c.category) },
  { key: 'vehicleClasses', label: '准驾车型', x: 30, y: 62, width: 30, labelX: 8, value: (c) => c.vehicleClasses.join('、') },
  { key: 'firstIssuedOn', label: '初次领证日期', x: 30, y: 71, width: 40, labelX: 8, value: (c) => chineseDate(c.firstIssuedOn) },
  { key: 'valid', label: '有效期限', x: 30, y: 80, width: 70, labelX: 8, value: (c) => `${c.issuedOn} 至 ${c.validUntil}` },
  { key: 'authority', label: '发证机关', x: 30, y: 89, width: 60, labelX: 8, value: (c) => c.issuingAuthority }
]
export const OVERLAY_ADDRESS = { label: '住址', x: 26, y: 44, width: 70, labelX: 8 }
export const OVERLAY_PHOTO = { x: 104, y: 12, w: 26, h: 34 }
export const OVERLAY_QR = { x: 105, y: 62, size: 24 }

function drawStock(c: Canvas) {
  c.rect(2, 2, CARD_STOCK.w - 4, CARD_STOCK.h - 4, { border: LIGHT, width: 1 })
  c.text('道路运输从业人员从业资格证', CARD_STOCK.w / 2 - 10, 5, 10, { bold: true, color: GREY, align: 'center' })
  c.text('NO. 0000000000', CARD_STOCK.w - 6, 5, 8, { color: GREY, align: 'right' })
  for (const f of OVERLAY_FIELDS) c.text(f.label, f.labelX, f.y, 8, { color: GREY })
  c.text(OVERLAY_ADDRESS.label, OVERLAY_ADDRESS.labelX, OVERLAY_ADDRESS.y, 8, { color: GREY })
  c.rect(OVERLAY_PHOTO.x, OVERLAY_PHOTO.y, OVERLAY_PHOTO.w, OVERLAY_PHOTO.h, { border: LIGHT, width: 0.6 })
  c.rect(OVERLAY_QR.x, OVERLAY_QR.y, OVERLAY_QR.size, OVERLAY_QR.size, { border: LIGHT, width: 0.6 })
  // Registration marks: the clerk measures how far the printed cross lands from the card's own.
  for (const [x, y] of [[6, 6], [CARD_STOCK.w - 6, CARD_STOCK.h - 6]] as const) {
    c.line(x - 3, y, x + 3, y, GREY, 0.4)
    c.line(x, y - 3, x, y + 3, GREY, 0.4)
  }
}

function drawOverlay(c: Canvas, card: CertificateCard, photo: PDFImage | null) {
  for (const f of OVERLAY_FIELDS) c.text(f.value(card), f.x, f.y, 9, { maxWidthMm: f.width })
  c.lines(card.address, OVERLAY_ADDRESS.x, OVERLAY_ADDRESS.y, 8.5, OVERLAY_ADDRESS.width, 2, 4)
  photoBox(c, photo, OVERLAY_PHOTO.x, OVERLAY_PHOTO.y, OVERLAY_PHOTO.w, OVERLAY_PHOTO.h, false)
  c.qr(card.verifyUrl, OVERLAY_QR.x, OVERLAY_QR.y, OVERLAY_QR.size)
}

function drawPrintedMarks(c: Canvas) {
  // The same registration crosses, printed with the offsets applied.
  for (const [x, y] of [[6, 6], [CARD_STOCK.w - 6, CARD_STOCK.h - 6]] as const) {
    c.line(x - 4, y, x + 4, y, INK, 0.5)
    c.line(x, y - 4, x, y + 4, INK, 0.5)
  }
}

// ---- the document ----------------------------------------------------------------------------

/**
 * The shared part of each layout as a one-page PDF, made once per process and embedded into each
 * document as a form XObject: the per-page work is then only the holder's own values.
 */
const templates = new Map<string, Promise<PDFDocument>>()
function templateOf(kind: 'full' | 'stock'): Promise<PDFDocument> {
  let t = templates.get(kind)
  if (!t) {
    t = (async () => {
      const doc = await PDFDocument.create()
      const fonts: Fonts = { regular: await embedChineseFont(doc, 'regular'), bold: await embedChineseFont(doc, 'bold') }
      const size = kind === 'full' ? A4 : CARD_STOCK
      const page = doc.addPage([mm(size.w), mm(size.h)])
      if (kind === 'full') drawFullStatic(canvas(page, fonts, A4.h))
      else drawStock(canvas(page, fonts, CARD_STOCK.h))
      // Saved and loaded again, so that the subset fonts are written and can be copied.
      return PDFDocument.load(await doc.save())
    })()
    t.catch(() => templates.delete(kind))
    templates.set(kind, t)
  }
  return t
}

/** Parses the fonts and builds the layouts' shared backgrounds ahead of the first print (about 0.2 s). */
export async function warmUpCertificates(): Promise<void> {
  await Promise.all([templateOf('full'), templateOf('stock')])
}

/** Renders one page per card into one PDF (one print job). */
export async function renderCertificates(pages: readonly CertificatePageInput[], options: RenderOptions): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  doc.setTitle(pages.length === 1 ? `道路运输从业资格证 ${pages[0].card.certificateNo}` : `道路运输从业资格证 ${pages.length}份`)
  doc.setCreator('QualDesk')
  doc.setProducer('QualDesk (pdf-lib)')
  const regular = await embedChineseFont(doc, 'regular')
  // Bold is in the shared background; a page itself needs it only for a watermark.
  const fonts: Fonts = { regular, bold: options.watermark ? await embedChineseFont(doc, 'bold') : regular }
  const images = new Map<string | Uint8Array, PDFImage | null>()
  const full = options.layout === 'full'
  const background = full || options.showStock ? await doc.embedPage((await templateOf(full ? 'full' : 'stock')).getPage(0)) : null

  async function imageOf(p: CertificatePageInput): Promise<PDFImage | null> {
    const kind = detectImage(p.photo)
    if (!kind || !p.photo) return null
    const key = p.photoKey ?? p.photo
    let img = images.get(key)
    if (img === undefined) {
      try {
        img = kind === 'jpg' ? await doc.embedJpg(p.photo) : await doc.embedPng(p.photo)
      } catch {
        img = null // a damaged image prints the empty photo box rather than failing the batch
      }
      images.set(key, img)
    }
    return img
  }

  const offsets = options.offsets ?? { xMm: 0, yMm: 0 }
  const size = full ? A4 : CARD_STOCK
  for (let i = 0; i < pages.length; i++) {
    const p = pages[i]
    const photo = await imageOf(p)
    const page = doc.addPage([mm(size.w), mm(size.h)])
    if (background) page.drawPage(background)
    if (full) drawFullValues(canvas(page, fonts, A4.h), p.card, photo)
    else {
      const shifted = canvas(page, fonts, CARD_STOCK.h, offsets.xMm, offsets.yMm)
      drawOverlay(shifted, p.card, photo)
      if (options.showStock) drawPrintedMarks(shifted)
    }
    if (options.watermark) {
      if (full) canvas(page, fonts, A4.h).text(options.watermark, A4.w / 2, 238, 30, { bold: true, color: rgb(0.85, 0.3, 0.3), align: 'center' })
      else canvas(page, fonts, CARD_STOCK.h).text(options.watermark, CARD_STOCK.w / 2, 93, 8, { color: rgb(0.85, 0.3, 0.3), align: 'center' })
    }
    options.onPage?.(i + 1, pages.length)
    if (options.yieldEvery && (i + 1) % options.yieldEvery === 0) await new Promise((r) => setImmediate(r))
  }
  return doc.save({ useObjectStreams: false })
}

/** A sample card for test prints and calibration (no real person). */
export function sampleCard(verifyBase: string, authority: string, today: string): CertificateCard {
  return {
    certificateNo: '11010519491231002X',
    serial: '0000000000',
    name: '样张示例',
    gender: 'M',
    birthDate: '1949-12-31',
    nationality: '中国',
    address: '河南省郑州市金水区文化路与东风路交叉口交通大厦',
    category: 'passenger',
    vehicleClasses: ['A1', 'B1'],
    firstIssuedOn: today,
    issuedOn: today,
    validUntil: validUntil(today),
    issuingAuthority: authority,
    verifyUrl: `${verifyBase}?no=SAMPLE&serial=0000000000`
  }
}
