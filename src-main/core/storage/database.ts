import type { Db } from './connection'

export { openDatabase, type Db } from './connection'

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
