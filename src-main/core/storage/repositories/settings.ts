import type { Db } from '../database'

export function settingsRepository(db: Db) {
  const all = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings')
  const upsert = db.prepare(
    `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (@key, @value, @now, @by)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`
  )
  return {
    all: () => new Map(all.all().map((r) => [r.key, JSON.parse(r.value) as unknown])),
    set: (key: string, value: unknown, now: string, by: number | null) =>
      upsert.run({ key, value: JSON.stringify(value), now, by })
  }
}
