import type { Db } from '../database'

export function staffSessionRepository(db: Db) {
  const insert = db.prepare(
    'INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen_ms) VALUES (?, ?, ?, ?)'
  )
  const get = db.prepare<[string], { staff_id: number; last_seen_ms: number; revoked: number }>(
    'SELECT staff_id, last_seen_ms, revoked FROM staff_sessions WHERE token_hash = ?'
  )
  const touch = db.prepare('UPDATE staff_sessions SET last_seen_ms = ? WHERE token_hash = ?')
  const revoke = db.prepare('UPDATE staff_sessions SET revoked = 1 WHERE token_hash = ?')
  const revokeAll = db.prepare('UPDATE staff_sessions SET revoked = 1 WHERE staff_id = ? AND revoked = 0')
  return {
    insert: (tokenHash: string, staffId: number, createdAt: string, nowMs: number) =>
      insert.run(tokenHash, staffId, createdAt, nowMs),
    get: (tokenHash: string) => get.get(tokenHash),
    touch: (tokenHash: string, nowMs: number) => touch.run(nowMs, tokenHash),
    revoke: (tokenHash: string) => revoke.run(tokenHash),
    revokeAllOf: (staffId: number) => revokeAll.run(staffId)
  }
}
export type StaffSessionRepository = ReturnType<typeof staffSessionRepository>
