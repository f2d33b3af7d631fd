// Upgrades: a database made by each released version (tests/fixtures/migrations/level-NNNN.db,
// made by tests/fixtures/make-migration-fixtures.ts) migrates forward without losing a row or a
// value; the old audit entries get their hash chain. A migration that fails rolls back completely
// and the app refuses to start with a clear message, rather than run on a half-migrated database.
import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore } from '../../src-main/core/create-core'
import { MIGRATIONS, MigrationError, migrate, openDatabase } from '../../src-main/core/storage/database'
import { auditChainProblems } from '../../src-main/core/services/backups-verify'
import { runDoctor } from '../../src-main/core/services/doctor'
import { ADMIN_PASSWORD, tempDir } from '../support/core'

const FIXTURES = resolve(__dirname, '../fixtures/migrations')
const CLI = resolve(__dirname, '../../out/main/cli.js')
const LATEST = MIGRATIONS[MIGRATIONS.length - 1].version
const fixtures = readdirSync(FIXTURES)
  .filter((f) => /^level-\d{4}\.db$/.test(f))
  .sort()

const cleanup: (() => void)[] = []
afterEach(() => {
  while (cleanup.length) cleanup.pop()!()
})
function dataDirWith(fixture: string): string {
  const dir = tempDir('qualdesk-upgrade-')
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
  copyFileSync(join(FIXTURES, fixture), join(dir, 'qualdesk.db'))
  return dir
}

type Snapshot = Map<string, { columns: string[]; rows: unknown[][]; order: string }>
function snapshot(file: string): Snapshot {
  const db = new Database(file, { readonly: true })
  const out: Snapshot = new Map()
  const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[]
  for (const { name, sql } of tables) {
    const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').all(name) as { name: string }[]).map((c) => c.name)
    const list = columns.map((c) => `"${c}"`).join(', ')
    // Rows in insertion order (rowid); a WITHOUT ROWID table in primary-key order.
    const order = /WITHOUT\s+ROWID/i.test(sql) ? columns.map((_, i) => i + 1).join(', ') : 'rowid'
    out.set(name, { columns, order, rows: db.prepare(`SELECT ${list} FROM "${name}" ORDER BY ${order}`).raw().all() as unknown[][] })
  }
  db.close()
  return out
}

describe('upgrading a database made by an older version', () => {
  it('has a fixture for every released level', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(4)
    expect(fixtures[0]).toBe('level-0001.db')
  })

  it('no released migration was edited after its release (never edit a landed migration: add the next one)', () => {
    const changed: string[] = []
    for (const fixture of fixtures) {
      const level = Number(fixture.slice(6, 10))
      const released = new Database(join(FIXTURES, fixture), { readonly: true })
      const fresh = new Database(':memory:')
      for (const m of MIGRATIONS.filter((x) => x.version <= level)) fresh.exec(m.sql)
      const objects = (db: Database.Database) =>
        new Set((db.prepare("SELECT type || ' ' || name AS o FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").all() as { o: string }[]).map((r) => r.o))
      const was = objects(released)
      const now = objects(fresh)
      const added = [...now].filter((o) => !was.has(o))
      const removed = [...was].filter((o) => !now.has(o))
      if (added.length || removed.length) {
        changed.push(`${MIGRATIONS[level - 1].name}: ${added.map((o) => '+' + o).concat(removed.map((o) => '-' + o)).join(', ')}`)
      }
      released.close()
      fresh.close()
    }
    // A database made by the released version lacks what was added later to an old file, and the
    // upgrade never adds it (its user_version is already past that file).
    expect(changed).toEqual([])
  })

  for (const fixture of fixtures) {
    it(`${fixture} migrates to the latest version without losing a row or a value`, { timeout: 30_000 }, async () => {
      const dataDir = dataDirWith(fixture)
      const before = snapshot(join(dataDir, 'qualdesk.db'))
      const level = Number(fixture.slice(6, 10))
      const core = await createCore({ dataDir, adminPassword: ADMIN_PASSWORD, logError: () => {} })
      try {
        expect(core.migrated).toEqual({ from: level, to: LATEST })
        const db = core.ctx.db
        for (const [table, old] of before) {
          // (an audit entry written raw at level 7 has no hash yet: sealing it is the one change allowed)
          const keep = old.columns.map((c, i) => [c, i] as const).filter(([c]) => !(table === 'audit_log' && (c === 'hash' || c === 'prev_hash')))
          const list = keep.map(([c]) => `"${c}"`).join(', ')
          const was = old.rows.map((r) => keep.map(([, i]) => r[i]))
          if (old.order === 'rowid') {
            const now = db.prepare(`SELECT ${list} FROM "${table}" ORDER BY rowid`).raw().all() as unknown[][]
            // Every old row is still there with every old value (later migrations may add rows, e.g. seeded settings).
            expect(now.slice(0, was.length), `${table} after upgrade`).toEqual(was)
          } else {
            const now = new Set((db.prepare(`SELECT ${list} FROM "${table}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r)))
            expect(was.filter((r) => !now.has(JSON.stringify(r))), `${table} after upgrade`).toEqual([])
          }
        }
        expect((db.prepare('SELECT count(*) AS n FROM applications').get() as { n: number }).n).toBe(5)
        // The old audit entries are sealed into the hash chain at the first start.
        expect(core.ctx.repos.audit.unsealedCount()).toBe(0)
        expect((await auditChainProblems(db)).problems).toEqual([])
        const doctor = await runDoctor(db, dataDir)
        for (const key of ['schema', 'integrity', 'foreign_keys', 'audit_chain']) {
          expect(doctor.checks.find((c) => c.key === key)!.status, key).toBe('ok')
        }
        // And the office works on it: the audit screen lists the old entries.
        const page = core.services.auditLog.list({ page: 1, pageSize: 50 })
        expect(page.rows.some((r) => r.action === 'staff.created' && r.actorName === '系统管理员')).toBe(true)
      } finally {
        core.close()
      }
    })
  }
})

describe('a failed migration', () => {
  it('rolls back completely and leaves the database at its old version', () => {
    const dataDir = dataDirWith(fixtures[fixtures.length - 1])
    const db = openDatabase(join(dataDir, 'qualdesk.db'))
    try {
      const from = db.pragma('user_version', { simple: true }) as number
      const broken = {
        version: from + 1,
        name: `${String(from + 1).padStart(4, '0')}_broken.sql`,
        sql: `CREATE TABLE half_done (id INTEGER PRIMARY KEY) STRICT;
              ALTER TABLE applications ADD COLUMN half_done TEXT;
              UPDATE applications SET stage = 'withdrawn';
              INSERT INTO no_such_table VALUES (1);`
      }
      const migrations = [...MIGRATIONS.filter((m) => m.version <= from), broken]
      expect(() => migrate(db, migrations)).toThrow(MigrationError)
      expect(() => migrate(db, migrations)).toThrow(
        new RegExp(`数据库升级失败（${broken.name}）：.*no such table: no_such_table.*数据库保持在版本 ${from}，程序不会在未完成升级的数据库上运行`)
      )
      expect(db.pragma('user_version', { simple: true })).toBe(from)
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined()
      expect((db.prepare('SELECT name FROM pragma_table_info(?)').all('applications') as { name: string }[]).map((c) => c.name)).not.toContain('half_done')
      expect((db.prepare("SELECT count(*) AS n FROM applications WHERE stage = 'withdrawn'").get() as { n: number }).n).toBe(0)
    } finally {
      db.close()
    }
  })

  it('the real app refuses to start on it and says why (exit code 2)', { timeout: 60_000 }, () => {
    if (!existsSync(CLI)) throw new Error('The app is not built: run `npm run build` first (`npm test` does).')
    // A level-6 office where 0007 cannot apply: a table it creates is already there.
    const six = fixtures.find((f) => f === 'level-0006.db')
    if (!six) return
    const dataDir = dataDirWith(six)
    const file = join(dataDir, 'qualdesk.db')
    const db = new Database(file)
    db.exec('CREATE TABLE backup_runs (id INTEGER PRIMARY KEY)')
    db.close()
    const r = spawnSync(process.execPath, [CLI, 'serve', '--port', '0'], {
      env: { ...process.env, QUALDESK_DATA_DIR: dataDir, QUALDESK_ADMIN_PASSWORD: ADMIN_PASSWORD },
      encoding: 'utf8',
      timeout: 20_000
    })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('无法启动 QualDesk：数据库升级失败（0007_data_safety.sql）')
    expect(r.stderr).toContain('数据库保持在版本 6，程序不会在未完成升级的数据库上运行')
    const after = new Database(file, { readonly: true })
    expect(after.pragma('user_version', { simple: true })).toBe(6)
    expect((after.prepare('SELECT name FROM pragma_table_info(?)').all('audit_log') as { name: string }[]).map((c) => c.name)).not.toContain('hash')
    after.close()
  })

  it('the real app refuses a database from a newer version', { timeout: 60_000 }, () => {
    if (!existsSync(CLI)) throw new Error('The app is not built: run `npm run build` first (`npm test` does).')
    const dataDir = dataDirWith(fixtures[0])
    const db = new Database(join(dataDir, 'qualdesk.db'))
    db.pragma(`user_version = ${LATEST + 5}`)
    db.close()
    const r = spawnSync(process.execPath, [CLI, 'serve', '--port', '0'], {
      env: { ...process.env, QUALDESK_DATA_DIR: dataDir, QUALDESK_ADMIN_PASSWORD: ADMIN_PASSWORD },
      encoding: 'utf8',
      timeout: 20_000
    })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`数据库版本 (${LATEST + 5}) 高于本程序支持的版本 (${LATEST})`)
  })
})
