// Display helpers of the reports desk (pure; no Node).

/** 13300 → "¥133.00"; integer fen in, text out (never a float in between). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const a = Math.abs(Math.round(fen))
  return `${sign}¥${Math.floor(a / 100).toLocaleString('zh-CN')}.${String(a % 100).padStart(2, '0')}`
}

/** 0.6667 → "66.7%"; null → "—" */
export const percent = (rate: number | null | undefined) => (rate == null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`)

/** 2026-11-25T09:30:00+08:00 → 2026-11-25 09:30 */
export const time = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—')

/** Today in Shanghai, YYYY-MM-DD. */
export function todayShanghai(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10)
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** 1536000 → "1.5 MB" */
export function fileSize(bytes: number | null | undefined): string {
  if (bytes == null) return '—'
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** A drill list's cell as text, by its column kind. */
export function cellText(kind: string, v: string | number | null | undefined): string {
  if (v == null || v === '') return '—'
  if (kind === 'money') return yuan(Number(v))
  if (kind === 'datetime') return time(String(v))
  if (kind === 'percent') return percent(Number(v))
  return String(v)
}
