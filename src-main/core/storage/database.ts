import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export type Db = Database.Database

export interface Migration {
  version: number
  name: string
  sql: string
}

// Bundled at build time, so the Electron app, `serve` and the tests read the same files.
const files = import.meta.glob('./migrations/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>

export const MIGRATIONS: Migration[] = Object.entries(files)
  .map(([path, sql]) => {
    const name = path.split('/').pop()!
    const m = /^(\d{4})_.+\.sql$/.exec(name)
    if (!m) throw new Error(`migration file name must be NNNN_name.sql: ${name}`)
    return { version: Number(m[1]), name, sql }
  })
  .sort((a, b) => a.version - b.version)

export class MigrationError extends Error {}

export function openDatabase(file: string): Db {
  mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  // FULL: a commit is on disk before we acknowledge it, so a power cut loses nothing acknowledged.
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // Statement journals (the pages one statement changes inside a transaction, kept so that the
  // statement alone can be undone) in memory instead of a temp file: with the review queues'
  // indexes an UPDATE of an application changes some twenty pages, and writing each to a temp
  // file cost more than the update itself (76 -> 29 µs per submission's UPDATE, measured).
  // Nothing durable is kept there; the WAL still holds every commit.
  db.pragma('temp_store = MEMORY')
  return db
}

/**
 * Applies the pending migrations in order, each in its own transaction together with its
 * user_version. A failure rolls that migration back and stops: the app must not run on a
 * half-migrated database.
 */
export function migrate(db: Db, migrations: Migration[] = MIGRATIONS): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0
  if (from > latest) {
    throw new MigrationError(
      `数据库版本 (${from}) 高于本程序支持的版本 (${latest})：请使用更新版本的 QualDesk 打开此数据文件夹。`
    )
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`迁移文件编号不连续：${m.name}`)
  })
  for (const m of migrations) {
    if (m.version <= from) continue
    try {
      db.transaction(() => {
        db.exec(m.sql)
        db.pragma(`user_version = ${m.version}`)
      })()
    } catch (e) {
      throw new MigrationError(`数据库升级失败（${m.name}）：${(e as Error).message}。数据库保持在版本 ${db.pragma('user_version', { simple: true })}，程序不会在未完成升级的数据库上运行。`)
    }
  }
  return { from, to: db.pragma('user_version', { simple: true }) as number }
}
