import type { AuditRow } from '../../../../src-preload/contract'
import type { Db } from '../database'

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

export function auditRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO audit_log (at, actor_type, actor_id, actor_name, action, target_type, target_id, detail, ip)
     VALUES (@at, @actorType, @actorId, @actorName, @action, @targetType, @targetId, @detail, @ip)`
  )
  // Filters are optional; each is "param IS NULL OR column matches", so one prepared statement serves all.
  const where = `WHERE (@fromAt IS NULL OR at >= @fromAt) AND (@toAt IS NULL OR at < @toAt)
      AND (@actorName IS NULL OR actor_name = @actorName) AND (@action IS NULL OR action = @action)
      AND (@targetType IS NULL OR target_type = @targetType) AND (@targetId IS NULL OR target_id = @targetId)`
  const page = db.prepare<Record<string, unknown>, Row>(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
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
    append: (e: AuditEntry) =>
      insert.run({
        at: e.at,
        actorType: e.actorType,
        actorId: e.actorId ?? null,
        actorName: e.actorName ?? null,
        action: e.action,
        targetType: e.targetType ?? null,
        targetId: e.targetId == null ? null : String(e.targetId),
        detail: e.detail === undefined ? null : JSON.stringify(e.detail),
        ip: e.ip ?? null
      }),
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
