// Backup runs (migration 0007): one row per backup, manual or daily, with what its verification found.
import type { Db } from '../database'

export interface BackupRunRecord {
  id: number
  trigger: 'manual' | 'daily'
  startedAt: string
  finishedAt: string | null
  status: 'running' | 'ok' | 'failed'
  folder: string
  path: string | null
  schemaVersion: number | null
  dbBytes: number | null
  attachmentCount: number | null
  attachmentBytes: number | null
  verified: 'ok' | 'failed' | null
  message: string | null
  removed: boolean
  staffId: number | null
  staffName: string | null
}

const COLUMNS = `b.id, b.trigger, b.started_at AS startedAt, b.finished_at AS finishedAt, b.status, b.folder, b.path,
  b.schema_version AS schemaVersion, b.db_bytes AS dbBytes, b.attachment_count AS attachmentCount,
  b.attachment_bytes AS attachmentBytes, b.verified, b.message, b.removed, b.staff_id AS staffId, s.display_name AS staffName`

type Raw = Omit<BackupRunRecord, 'removed'> & { removed: number }
const toRecord = (r: Raw): BackupRunRecord => ({ ...r, removed: r.removed === 1 })

export function backupRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO backup_runs (trigger, started_at, folder, staff_id) VALUES (@trigger, @startedAt, @folder, @staffId)`
  )
  const finish = db.prepare(
    `UPDATE backup_runs SET finished_at = @finishedAt, status = @status, path = @path, schema_version = @schemaVersion,
       db_bytes = @dbBytes, attachment_count = @attachmentCount, attachment_bytes = @attachmentBytes,
       verified = @verified, message = @message
     WHERE id = @id`
  )
  const recent = db.prepare<[number], Raw>(
    `SELECT ${COLUMNS} FROM backup_runs b LEFT JOIN staff s ON s.id = b.staff_id ORDER BY b.id DESC LIMIT ?`
  )
  const byId = db.prepare<[number], Raw>(`SELECT ${COLUMNS} FROM backup_runs b LEFT JOIN staff s ON s.id = b.staff_id WHERE b.id = ?`)
  const kept = db.prepare<[], Raw>(
    `SELECT ${COLUMNS} FROM backup_runs b LEFT JOIN staff s ON s.id = b.staff_id
     WHERE b.status = 'ok' AND b.removed = 0 ORDER BY b.id DESC`
  )
  const markRemoved = db.prepare('UPDATE backup_runs SET removed = 1 WHERE id = ?')
  const lastOk = db.prepare<[{ trigger: string | null }], Raw>(
    `SELECT ${COLUMNS} FROM backup_runs b LEFT JOIN staff s ON s.id = b.staff_id
     WHERE b.status = 'ok' AND (@trigger IS NULL OR b.trigger = @trigger) ORDER BY b.id DESC LIMIT 1`
  )
  const interrupted = db.prepare<[], Raw>(`SELECT ${COLUMNS} FROM backup_runs b LEFT JOIN staff s ON s.id = b.staff_id WHERE b.status = 'running'`)
  const failInterrupted = db.prepare(
    `UPDATE backup_runs SET status = 'failed', finished_at = @at, message = @message WHERE status = 'running'`
  )

  return {
    start: (r: { trigger: 'manual' | 'daily'; startedAt: string; folder: string; staffId: number | null }) => Number(insert.run(r).lastInsertRowid),
    finish: (r: {
      id: number
      finishedAt: string
      status: 'ok' | 'failed'
      path: string | null
      schemaVersion: number | null
      dbBytes: number | null
      attachmentCount: number | null
      attachmentBytes: number | null
      verified: 'ok' | 'failed' | null
      message: string | null
    }) => finish.run(r),
    recent: (limit: number) => recent.all(limit).map(toRecord),
    byId: (id: number) => {
      const r = byId.get(id)
      return r ? toRecord(r) : undefined
    },
    /** Successful backups whose folders are still kept, newest first. */
    kept: () => kept.all().map(toRecord),
    markRemoved: (id: number) => markRemoved.run(id),
    lastOk: (trigger?: 'manual' | 'daily') => {
      const r = lastOk.get({ trigger: trigger ?? null })
      return r ? toRecord(r) : undefined
    },
    /** Runs a crash left 'running'. */
    interrupted: () => interrupted.all().map(toRecord),
    failInterrupted: (at: string, message: string) => failInterrupted.run({ at, message })
  }
}
export type BackupRepository = ReturnType<typeof backupRepository>
