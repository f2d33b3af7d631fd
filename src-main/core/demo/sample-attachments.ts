// Small but real attachment files for demos, tests and benchmarks: a PNG scan drawn pixel by pixel,
// a JPEG head-and-shoulders photo (white background, 90×120), and a one-page PDF.
import { deflateSync, crc32 } from 'node:zlib'
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib'

/** A 90×120 JPEG "recent photo on white background" (rendered once with pdftoppm; 1.4 KB). */
export const SAMPLE_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAB4AFoDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD06iiigAooqtf39np1ubi+uY4Ih/E7YyfQep9hQBZori734laNA5W1hubnHRgoRT+fP6Vm/wDC0/8AqC/+TX/2FAHo1FcHafE/T3wLzT7mEnqY2EgH54rqtJ1/StZU/wBn3iSuBkxn5XH/AAE8/jQBpUUUUAFFFFABRRRQAV4Hr2r3etapLdXbN94hIz0jXPCgV75Xm/jPwXHJfNd6S6pJLl5IG4GfVT2z6Um0txpX2POqKu3OkalaMRPZTrjuEyPzHFUqdxBT4JpbedJoJGjljO5XU4INSW9jd3OPs9rNLnuiEiul0HwVc3d3F/ar/ZoCwyqkF29vQf54pNpDSbPTPC+ozar4dsr64XEsiEPxjJBIz+OM/jWrUVtbw2ltHb28YjiiUKijsBUtMQUUUUAFFFFABWBqD772Q+hx+Vb9c7dgi7mB/vk/rWVXY0pbkNFFFYG4UoJByOopKKAOmjbfGr/3gDTqjtgVtogeoQfyqSuxHIwooooAKKKKACsXVoil15naQfqK2qhu7dbmAoeD1U+hqZx5kVCVmc7RT5YnhkKSLgimVynSFSW8RmnSMfxHn6UwAkgAZJ7Vs6dZmBTJIP3jDp6CqhHmZMpWReooorqOYKKKKACiiigAooooAZLDHMu2VAw9+1VDpVuTkGQewNXqKTinuNSa2IYLSCDmNBu/vHk1NRRTSsJu4UUUUAFFFFABXD/En/mG/wDbX/2Su4rh/iT/AMw3/tr/AOyVpR+NEz+E4iiiiu05wooooAKKKKACtzwX/wAjVZf8D/8AQGrDrc8F/wDI1WX/AAP/ANAapn8LHHdHqdFFFcB0hXD/ABJ/5hv/AG1/9kruK4f4k/8AMN/7a/8AslaUfjRM/hOIooortOcKKKKACiiigArc8F/8jVZf8D/9AasOtzwX/wAjVZf8D/8AQGqZ/Cxx3R6nRRRXAdIVw/xJ/wCYb/21/wDZKKK0o/GiZ/CcRRRRXac4UUUUAFFFFABW54L/AORqsv8Agf8A6A1FFTP4WOO6PU6KKK4DpP/Z',
  'base64'
)

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body) >>> 0)
  return Buffer.concat([len, body, crc])
}

/** An RGB PNG whose pixels come from `paint(x, y) → [r, g, b]`. */
export function makePng(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1)
    raw[row] = 0
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y)
      raw[row + 1 + x * 3] = r
      raw[row + 2 + x * 3] = g
      raw[row + 3 + x * 3] = b
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0))
  ])
}

/** A card-like scan (ID card, licence, certificate): a tinted card with a photo box and text lines. `seed` varies it. */
export function sampleCardPng(seed = 0, tint: [number, number, number] = [214, 232, 245]): Buffer {
  const w = 320
  const h = 200
  const lines = [40, 64, 88, 112, 136].map((y, i) => ({ y, len: 90 + ((seed * 37 + i * 53) % 110) }))
  return makePng(w, h, (x, y) => {
    if (x < 6 || y < 6 || x >= w - 6 || y >= h - 6) return [250, 250, 250]
    if (x >= 226 && x < 296 && y >= 36 && y < 128) return x >= 236 && x < 286 && y >= 50 ? [120, 130, 150] : [235, 235, 235]
    for (const l of lines) if (y >= l.y && y < l.y + 8 && x >= 24 && x < 24 + l.len) return [60, 60, 70]
    if (y >= 160 && y < 170 && x >= 24 && x < 200) return [40, 40, 40]
    return tint
  })
}

/** A one-page PDF, like the 12123 platform's no-accident proof. */
export async function samplePdf(title = 'Traffic record certificate (12123)', seed = 0): Promise<Buffer> {
  const doc = await PDFDocument.create()
  doc.setCreator('QualDesk demo')
  const page = doc.addPage([420, 595])
  const font = await doc.embedFont(StandardFonts.Helvetica)
  page.drawText(title, { x: 40, y: 540, size: 14, font })
  page.drawText(`No. 4101${String(100000 + seed).padStart(8, '0')}`, { x: 40, y: 515, size: 10, font })
  for (let i = 0; i < 9; i++) page.drawRectangle({ x: 40, y: 470 - i * 28, width: 200 + ((seed + i * 41) % 130), height: 8, color: rgb(0.3, 0.3, 0.35) })
  page.drawEllipse({ x: 330, y: 120, xScale: 45, yScale: 45, borderColor: rgb(0.8, 0.1, 0.1), borderWidth: 3 })
  return Buffer.from(await doc.save({ useObjectStreams: false }))
}
