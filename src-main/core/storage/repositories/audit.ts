import type { AuditRow } from '../../../../src-preload/contract'
import type { Db } from '../database'
import { GENESIS_HASH, hashEntry, type ChainedEntry } from '../../domain/audit-chain'

export interface AuditEntry {
  at: string
  actorType: 'staff' | 'applicant' | 'system'
  actorId?: number | null
  actorName?: string | null
  action: string
  targetType?: string | null
  targetId?: string | number | null
  detail?: unknown
  ip?: string | null
}

export interface AuditFilter {
  fromAt?: string
  toAt?: string
  actorName?: string
  action?: string
  targetType?: string
  targetId?: string
}

interface Row {
  id: number
  at: string
  actor_type: AuditRow['actorType']
  actor_id: number | null
  actor_name: string | null
  action: string
  target_type: string | null
  target_id: string | null
  detail: string | null
  ip: string | null
}

const CHAIN_COLUMNS = `id, at, actor_type AS actorType, actor_id AS actorId, actor_name AS actorName, action,
  target_type AS targetType, target_id AS targetId, detail, ip, prev_hash AS prevHash, hash`

export function auditRepository(db: Db) {
  // The id is written explicitly (last + 1) because the entry's hash covers it; a hole in the ids
  // then means a deleted entry.
  const insert = db.prepare(
    `INSERT INTO audit_log (id, at, actor_type, actor_id, actor_name, action, target_type, target_id, detail, ip, prev_hash, hash)
     VALUES (@id, @at, @actorType, @actorId, @actorName, @action, @targetType, @targetId, @detail, @ip, @prevHash, @hash)`
  )
  const last = db.prepare<[], { id: number; hash: string | null }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')
  const firstUnsealed = db.prepare<[], { id: number }>('SELECT id FROM audit_log WHERE hash IS NULL ORDER BY id LIMIT 1')
  const before = db.prepare<[number], { id: number; hash: string | null }>('SELECT id, hash FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT 1')
  const chainFrom = db.prepare<[number, number], ChainedEntry>(`SELECT ${CHAIN_COLUMNS} FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`)
  const seal = db.prepare('UPDATE audit_log SET prev_hash = @prevHash, hash = @hash WHERE id = @id AND hash IS NULL')
  const unsealedCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_log WHERE hash IS NULL')

  /** Seals entries written without a hash (before migration 0007), oldest first. Returns how many. */
  const sealUnchained = db.transaction((): number => {
    const start = firstUnsealed.get()
    if (!start) return 0
    const prev = before.get(start.id)
    let prevHash = prev?.hash ?? GENESIS_HASH
    let n = 0
    let cursor = start.id - 1
    for (;;) {
      const rows = chainFrom.all(cursor, 500)
      if (!rows.length) break
      for (const r of rows) {
        if (r.hash == null) {
          const hash = hashEntry(prevHash, r)
          seal.run({ id: r.id, prevHash, hash })
          r.hash = hash
          n++
        }
        prevHash = r.hash
        cursor = r.id
      }
    }
    return n
  })

  const appendRaw = (e: AuditEntry) => {
    let tail = last.get()
    if (tail && tail.hash == null) {
      sealUnchained()
      tail = last.get()
    }
    const row = {
      id: (tail?.id ?? 0) + 1,
      at: e.at,
      actorType: e.actorType,
      actorId: e.actorId ?? null,
      actorName: e.actorName ?? null,
      action: e.action,
      targetType: e.targetType ?? null,
      targetId: e.targetId == null ? null : String(e.targetId),
      detail: e.detail === undefined ? null : JSON.stringify(e.detail),
      ip: e.ip ?? null
    }
    const prevHash = tail?.hash ?? GENESIS_HASH
    return insert.run({ ...row, prevHash, hash: hashEntry(prevHash, row) })
  }
  const appendTx = db.transaction(appendRaw)
  // Filters are optional; each is "param IS NULL OR column matches", so one prepared statement serves all.
  const where = `WHERE (@fromAt IS NULL OR at >= @fromAt) AND (@toAt IS NULL OR at < @toAt)
      AND (@actorName IS NULL OR actor_name = @actorName) AND (@action IS NULL OR action = @action)
      AND (@targetType IS NULL OR target_type = @targetType) AND (@targetId IS NULL OR target_id = @targetId)`
  const page = db.prepare<Record<string, unknown>, Row>(`SELECT id, at, actor_type, actor_id, actor_name, action, target_type, target_id, detail, ip FROM audit_log ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
  const count = db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM audit_log ${where}`)
  const params = (f: AuditFilter) => ({
    fromAt: f.fromAt ?? null,
    toAt: f.toAt ?? null,
    actorName: f.actorName || null,
    action: f.action || null,
    targetType: f.targetType || null,
    targetId: f.targetId || null
  })
  return {
    /** Appends one entry, chained to the last one, in the caller's transaction (or its own). */
    // Inside the caller's transaction as is (no savepoint per entry); alone, in its own IMMEDIATE one.
    append: (e: AuditEntry) => (db.inTransaction ? appendRaw(e) : appendTx.immediate(e)),
    sealUnchained: () => sealUnchained.immediate(),
    unsealedCount: () => unsealedCount.get()!.n,
    /** Entries after `afterId` in id order, with their hashes (for verifying the chain in pages). */
    chainPage: (afterId: number, limit: number) => chainFrom.all(afterId, limit),
    /** The last entry's id and hash (the chain's head). */
    head: () => last.get() ?? null,
    page: (f: AuditFilter, limit: number, offset: number): { rows: AuditRow[]; total: number } => {
      const p = params(f)
      const rows = page.all({ ...p, limit, offset }).map((r) => ({
        id: r.id,
        at: r.at,
        actorType: r.actor_type,
        actorId: r.actor_id,
        actorName: r.actor_name,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        detail: r.detail ? JSON.parse(r.detail) : null,
        ip: r.ip
      }))
      return { rows, total: count.get(p)!.n }
    }
  }
}
export type AuditRepository = ReturnType<typeof auditRepository>
