// The WAL checkpointer (storage/wal-checkpointer.ts): the write-ahead log is copied back into the
// database file by a worker thread while the app keeps writing, a long log is started over
// between two group-commit batches, and closing leaves no log behind.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore } from '../../src-main/core/create-core'
import { groupCommitter } from '../../src-main/core/services/applications-group-commit'
import { openDatabase } from '../../src-main/core/storage/database'
import { FALLBACK_AUTOCHECKPOINT, startWalCheckpointer } from '../../src-main/core/storage/wal-checkpointer'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'qualdesk-wal-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('WAL checkpointer', () => {
  it('copies the log back while the app writes, and starts a long log over between batches', async () => {
    const file = join(tempDir(), 'qualdesk.db')
    const db = openDatabase(file)
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL)')
    const wal = startWalCheckpointer(db, { intervalMs: 10, resetFrames: 200 })
    try {
      // SQLite's own checkpoint is only the safety net now.
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_AUTOCHECKPOINT)
      const commit = groupCommitter(db)
      const insert = db.prepare('INSERT INTO t (b) VALUES (?)')
      // 3,000 rows of 4 KB: some 3,000 pages through the log, 12 MB were it never started over.
      for (let round = 0; round < 60; round++) {
        await Promise.all(Array.from({ length: 50 }, () => commit(() => insert.run(Buffer.alloc(4096, round)))))
        await new Promise((r) => setTimeout(r, 2))
      }
      expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(3000)
      const walBytes = statSync(`${file}-wal`).size
      expect(walBytes).toBeLessThan(4 * 1024 * 1024)
      // And the database file itself holds the rows: a second connection reading only the file
      // (after the log is copied back) sees them.
      await wal.checkpoint()
      expect(statSync(file).size).toBeGreaterThan(3000 * 4096)
    } finally {
      wal.stop()
      db.close()
    }
    expect(existsSync(`${file}-wal`)).toBe(false)
  })

  it('closes its connection before the app closes its own: no log is left, the next start is clean', async () => {
    const dataDir = tempDir()
    const core = await createCore({ dataDir, adminPassword: 'Checkpoint2026', logError: () => {} })
    core.ctx.settings.set('application.maxAge', 59, null)
    core.close()
    expect(existsSync(join(dataDir, 'qualdesk.db-wal'))).toBe(false)

    const again = await createCore({ dataDir, adminPassword: 'Checkpoint2026', logError: () => {} })
    try {
      expect(again.startup.uncleanShutdown).toBe(false)
      expect(again.startup.walBytes).toBe(0)
      expect(again.ctx.settings.get('application.maxAge')).toBe(59)
    } finally {
      again.close()
    }
  })
})
