// Small display helpers of the exam desks (no Node, no DOM beyond the download).
import type { FileDownload } from '../../../../src-preload/contract/exams'

/** 13300 → "¥133.00" */
export function money(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const a = Math.abs(fen)
  return `${sign}¥${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`
}

/** 2026-11-25T09:30:00+08:00 → 2026-11-25 09:30 */
export const time = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—')

/** Today in Shanghai, YYYY-MM-DD. */
export function todayShanghai(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
}

/** "2026-11-25" + "09:00" → "2026-11-25T09:00:00+08:00" */
export const at = (date: string, hhmm: string) => `${date}T${hhmm}:00+08:00`

function bytesOf(file: FileDownload): Uint8Array {
  const bin = atob(file.data)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return bytes
}

/** Saves a file the core produced (roster, template, reconciliation) through the browser's download. */
export function saveFile(file: FileDownload) {
  const url = URL.createObjectURL(new Blob([bytesOf(file) as BlobPart], { type: file.mimeType }))
  const a = document.createElement('a')
  a.href = url
  a.download = file.fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

/** Opens a PDF for printing in a new window (browser mode); falls back to a download. */
export function openPdf(file: FileDownload) {
  const url = URL.createObjectURL(new Blob([bytesOf(file) as BlobPart], { type: 'application/pdf' }))
  const w = window.open(url, '_blank')
  if (!w) saveFile(file)
  setTimeout(() => URL.revokeObjectURL(url), 120_000)
}

/** A File's bytes as base64 chunks (for the chunked upload). */
export async function base64Chunks(file: Blob, chunkBytes = 384 * 1024): Promise<string[]> {
  const buf = new Uint8Array(await file.arrayBuffer())
  const out: string[] = []
  for (let i = 0; i < buf.length || (i === 0 && out.length === 0); i += chunkBytes) {
    const part = buf.subarray(i, i + chunkBytes)
    let bin = ''
    for (let j = 0; j < part.length; j += 0x8000) bin += String.fromCharCode(...part.subarray(j, j + 0x8000))
    out.push(btoa(bin))
    if (buf.length === 0) break
  }
  return out
}
