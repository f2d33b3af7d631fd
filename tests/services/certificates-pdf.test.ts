// The printed certificate as a person checks it: rendered by poppler (pdftoppm) to pictures whose
// text areas, photo and QR code are not blank; the text layer names the holder and the number;
// the Chinese font is embedded as a subset; the file stays small with a real-sized photo.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { testCore, tempDir, type TestCore } from '../support/core'
import { SCREENSHOT_DIR } from '../support/browser'
import { addStock, issuer, printNow, seedApplication } from './permits-support'
import { A4, CARD_STOCK, OVERLAY_PHOTO, OVERLAY_QR } from '../../src-main/core/documents/certificate-pdf'

// Printing and rendering take seconds on a busy machine (CI runs many suites at once).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 })

const LARGE_PHOTO = readFileSync(resolve(__dirname, '../fixtures/certificates-photo-large.jpg'))

interface Gray {
  width: number
  height: number
  px: Uint8Array
}

/** pdftoppm renders page 1 to a greyscale PGM (checked here) and a PNG (kept for people to look at). */
function render(pdf: string, dpi: number, pngName: string): Gray {
  const dir = tempDir('qualdesk-pdf-')
  execFileSync('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-gray', '-singlefile', pdf, join(dir, 'page')])
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  execFileSync('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-png', '-singlefile', pdf, join(SCREENSHOT_DIR, pngName)])
  const buf = readFileSync(join(dir, 'page.pgm'))
  // P5\n<w> <h>\n255\n<bytes>
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 64).toString('latin1'))!
  const width = Number(header[1])
  const height = Number(header[2])
  return { width, height, px: new Uint8Array(buf.subarray(header[0].length)) }
}

/** Share of dark pixels in a box given in millimetres from the top-left. */
function darkShare(g: Gray, pageMm: { w: number; h: number }, box: { x: number; y: number; w: number; h: number }, threshold = 128): number {
  const sx = g.width / pageMm.w
  const sy = g.height / pageMm.h
  let dark = 0
  let all = 0
  for (let y = Math.floor(box.y * sy); y < Math.ceil((box.y + box.h) * sy); y++) {
    for (let x = Math.floor(box.x * sx); x < Math.ceil((box.x + box.w) * sx); x++) {
      all++
      if (g.px[y * g.width + x] < threshold) dark++
    }
  }
  return dark / all
}

let core: TestCore
let fullPdf: string
let overlayPdf: string
let app: ReturnType<typeof seedApplication>
let serialFull: string

beforeAll(async () => {
  core = await testCore()
  const clerk = await issuer(core)
  addStock(core, clerk)
  core.services.certificates.saveCalibration(clerk, { xMm: 2, yMm: 1 })
  app = seedApplication(core, { stage: 'certificate', name: '欧阳建国', photo: LARGE_PHOTO })
  const other = seedApplication(core, { stage: 'certificate', name: '司马秀英', photo: LARGE_PHOTO })
  const full = await printNow(core, clerk, [app.applicationId])
  fullPdf = core.services.certificates.jobFile(full.jobId)!
  serialFull = full.items[0].serial
  const overlay = await printNow(core, clerk, [other.applicationId], 'overlay')
  overlayPdf = core.services.certificates.jobFile(overlay.jobId)!
})
afterAll(() => {
  core.services.notifications.stop()
  core.dispose()
})

describe('the full-page certificate', () => {
  it('renders with ink where the holder’s values, the photo and the QR code are, and blank margins', () => {
    const g = render(fullPdf, 60, 'certificate-full')
    expect(g.width).toBeGreaterThan(400)
    const share = (box: { x: number; y: number; w: number; h: number }) => darkShare(g, A4, box)
    expect(share({ x: 62, y: 72, w: 60, h: 6 })).toBeGreaterThan(0.03) // name
    expect(share({ x: 62, y: 137, w: 60, h: 6 })).toBeGreaterThan(0.03) // certificate number
    expect(share({ x: 40, y: 38, w: 130, h: 10 })).toBeGreaterThan(0.05) // title
    expect(share({ x: 149, y: 73, w: 30, h: 40 })).toBeGreaterThan(0.05) // photo (dark shoulders, hair)
    const qr = share({ x: 149, y: 207, w: 30, h: 30 })
    expect(qr).toBeGreaterThan(0.3)
    expect(qr).toBeLessThan(0.75)
    expect(share({ x: 15, y: 275, w: 40, h: 5 })).toBe(0) // inside the frame, below the footer
  })

  it('has a text layer with the name, the certificate number and the serial', () => {
    const text = execFileSync('pdftotext', ['-layout', fullPdf, '-']).toString()
    expect(text).toContain('欧阳建国')
    expect(text).toContain(app.idNumber)
    expect(text).toContain(`NO. ${serialFull}`)
    expect(text).toContain('道路运输从业人员从业资格证')
    expect(text).toContain('经营性道路旅客运输驾驶员')
  })

  it('embeds Noto Sans SC as subsets, and stays under 300 KB with a 140 KB photo', () => {
    const fonts = execFileSync('pdffonts', [fullPdf]).toString().trim().split('\n').slice(2)
    expect(fonts.length).toBeGreaterThanOrEqual(2)
    for (const line of fonts) {
      expect(line).toMatch(/^[A-Z]{6}\+NotoSansSC-(Regular|Bold)\s+CID TrueType\s+Identity-H\s+yes yes yes/)
    }
    const size = statSync(fullPdf).size
    expect(size).toBeGreaterThan(LARGE_PHOTO.length) // the photo is in it
    expect(size).toBeLessThan(300 * 1024)
  })
})

// zbarimg (Debian zbar-tools) reads the QR code off the rendered page like a phone camera would.
const zbar = ['/usr/bin/zbarimg', '/usr/local/bin/zbarimg'].find((p) => existsSync(p))

describe('the QR code', () => {
  it.skipIf(!zbar)('decodes from the printed page to the verification URL of this number and serial (needs zbar-tools)', () => {
    const png = join(SCREENSHOT_DIR, 'certificate-qr-150dpi')
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', fullPdf, png])
    const out = execFileSync(zbar!, ['-q', '--raw', `${png}.png`], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()
    expect(out).toBe(`http://127.0.0.1:8310/api/v1/certificates/verify?no=${app.idNumber}&serial=${serialFull}`)
  })
})

describe('the 套打 overlay', () => {
  it('prints only the values on card-stock size, shifted by the saved offsets', () => {
    const g = render(overlayPdf, 100, 'certificate-overlay')
    expect(g.width / g.height).toBeCloseTo(CARD_STOCK.w / CARD_STOCK.h, 1)
    const share = (box: { x: number; y: number; w: number; h: number }) => darkShare(g, CARD_STOCK, box)
    // The photo box moved 2 mm right and 1 mm down: ink starts there, not before.
    expect(share({ x: OVERLAY_PHOTO.x + 2, y: OVERLAY_PHOTO.y + 1 + 20, w: OVERLAY_PHOTO.w, h: 10 })).toBeGreaterThan(0.2)
    expect(share({ x: OVERLAY_QR.x + 2 + 2, y: OVERLAY_QR.y + 1 + 2, w: OVERLAY_QR.size - 4, h: OVERLAY_QR.size - 4 })).toBeGreaterThan(0.3)
    // No pre-printed labels: the label column is blank.
    expect(share({ x: 6, y: 15, w: 16, h: 75 })).toBe(0)
    const text = execFileSync('pdftotext', [overlayPdf, '-']).toString()
    expect(text).toContain('司马秀英')
    expect(text).not.toContain('姓名')
  })

  it('the calibration test print shows the card stock’s labels in grey and says it is a sample', async () => {
    const pdf = await core.services.certificates.testPrint({ xMm: 0, yMm: 0, layout: 'overlay' })
    const file = join(tempDir('qualdesk-pdf-'), 'test-print.pdf')
    writeFileSync(file, Buffer.from(pdf.base64, 'base64'))
    const text = execFileSync('pdftotext', [file, '-']).toString()
    expect(text).toContain('姓名')
    expect(text).toContain('测试样张')
    render(file, 100, 'certificate-calibration')
  })
})
