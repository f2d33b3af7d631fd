// Which applications a write touched, told by the database itself. Temporary triggers (they live
// on this connection only and are never written to the file) call back into JS for every row
// written to the tables that what an applicant sees of an application is derived from. So a cache
// of derived views is dropped by every writer of this connection, whatever service it is in, with
// no list of call sites to keep in step. A write that is rolled back still tells: the entry is
// dropped early, which is harmless.
import type { Db } from './database'

/** `null`: a change that may touch every application (a setting, an exam session). */
export type ChangeListener = (applicationId: number | null) => void

/** The tables the applicant's views read, and the column naming the application (null: all). */
const SOURCES: readonly { table: string; column: string | null }[] = [
  { table: 'applications', column: 'id' },
  { table: 'application_events', column: 'application_id' },
  { table: 'exam_bookings', column: 'application_id' },
  { table: 'exam_attempts', column: 'application_id' },
  { table: 'payment_credits', column: 'application_id' },
  { table: 'exam_sessions', column: null },
  { table: 'settings', column: null }
]

const watchers = new WeakMap<Db, Set<ChangeListener>>()

/** Calls `listener` for each application a write on `db` touches; returns the unsubscribe. */
export function watchApplicationChanges(db: Db, listener: ChangeListener): () => void {
  let listeners = watchers.get(db)
  if (!listeners) {
    const set = new Set<ChangeListener>()
    listeners = set
    watchers.set(db, set)
    db.function('qualdesk_changed', { deterministic: false }, (id: unknown) => {
      const appId = typeof id === 'number' || typeof id === 'bigint' ? Number(id) : null
      for (const l of set) l(appId)
      return null
    })
    for (const { table, column } of SOURCES) {
      const arg = (row: 'NEW' | 'OLD') => (column ? `${row}.${column}` : 'NULL')
      db.exec(`
        CREATE TEMP TRIGGER IF NOT EXISTS qualdesk_watch_${table}_insert AFTER INSERT ON main.${table} BEGIN SELECT qualdesk_changed(${arg('NEW')}); END;
        CREATE TEMP TRIGGER IF NOT EXISTS qualdesk_watch_${table}_update AFTER UPDATE ON main.${table} BEGIN
          SELECT qualdesk_changed(${arg('OLD')}); SELECT qualdesk_changed(${arg('NEW')}) WHERE ${column ? `NEW.${column} IS NOT OLD.${column}` : '0'};
        END;
        CREATE TEMP TRIGGER IF NOT EXISTS qualdesk_watch_${table}_delete AFTER DELETE ON main.${table} BEGIN SELECT qualdesk_changed(${arg('OLD')}); END;
      `)
    }
  }
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/**
 * A bounded map of serialized views per application, dropped on every change the database reports.
 * One per database, shared by every service instance on it. Nothing is stored while a transaction
 * is open: what it has written is not yet committed and could still be rolled back.
 */
export interface ViewCache {
  get(applicationId: number): { ownerId: number | null; json: string } | undefined
  set(applicationId: number, ownerId: number | null, json: string): void
  /** Drops one application's entry: for a change written by another connection, which this one's triggers do not see. */
  drop(applicationId: number): void
  readonly size: number
}

const caches = new WeakMap<Db, Map<string, ViewCache>>()

/**
 * Drops one application's entry from the named cache, if that cache was ever made: a cache that
 * does not exist holds nothing stale, and making it only to drop would install its triggers.
 */
export function dropFromViewCache(db: Db, name: string, applicationId: number) {
  caches.get(db)?.get(name)?.drop(applicationId)
}

export function applicationViewCache(db: Db, name: string, maxEntries = 20_000): ViewCache {
  let byName = caches.get(db)
  if (!byName) caches.set(db, (byName = new Map()))
  const existing = byName.get(name)
  if (existing) return existing
  const entries = new Map<number, { ownerId: number | null; json: string }>()
  watchApplicationChanges(db, (id) => (id === null ? entries.clear() : entries.delete(id)))
  const cache: ViewCache = {
    get: (id) => entries.get(id),
    set(id, ownerId, json) {
      if (db.inTransaction) return
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!)
      entries.set(id, { ownerId, json })
    },
    drop: (id) => void entries.delete(id),
    get size() {
      return entries.size
    }
  }
  byName.set(name, cache)
  return cache
}
