import type { Role } from '../../../../src-preload/contract/vocab'
import type { Db } from '../database'

export interface StaffRecord {
  id: number
  username: string
  displayName: string
  passwordHash: string
  roles: Role[]
  active: boolean
  mustChangePassword: boolean
  failedLogins: number
  lockedUntilMs: number | null
  lastLoginAt: string | null
  createdAt: string
  updatedAt: string
}

interface Row {
  id: number
  username: string
  display_name: string
  password_hash: string
  roles: string
  active: number
  must_change_password: number
  failed_logins: number
  locked_until_ms: number | null
  last_login_at: string | null
  created_at: string
  updated_at: string
}

const toRecord = (r: Row): StaffRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  roles: JSON.parse(r.roles),
  active: r.active === 1,
  mustChangePassword: r.must_change_password === 1,
  failedLogins: r.failed_logins,
  lockedUntilMs: r.locked_until_ms,
  lastLoginAt: r.last_login_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at
})

export function staffRepository(db: Db) {
  const byId = db.prepare<[number], Row>('SELECT * FROM staff WHERE id = ?')
  const byUsername = db.prepare<[string], Row>('SELECT * FROM staff WHERE username = ?')
  const all = db.prepare<[], Row>('SELECT * FROM staff ORDER BY active DESC, id')
  const allActive = db.prepare<[], Row>('SELECT * FROM staff WHERE active = 1 ORDER BY id')
  const insert = db.prepare(
    `INSERT INTO staff (username, display_name, password_hash, roles, active, must_change_password, created_at, updated_at)
     VALUES (@username, @displayName, @passwordHash, @roles, 1, @mustChange, @now, @now)`
  )
  const update = db.prepare(
    `UPDATE staff SET display_name = @displayName, roles = @roles, active = @active, updated_at = @now WHERE id = @id`
  )
  const setPassword = db.prepare(
    `UPDATE staff SET password_hash = @hash, must_change_password = @mustChange, failed_logins = 0, locked_until_ms = NULL, updated_at = @now WHERE id = @id`
  )
  const loginFailed = db.prepare(
    `UPDATE staff SET failed_logins = failed_logins + 1,
       locked_until_ms = CASE WHEN failed_logins + 1 >= @max THEN @lockUntil ELSE locked_until_ms END
     WHERE id = @id RETURNING failed_logins, locked_until_ms`
  )
  const loginSucceeded = db.prepare(
    `UPDATE staff SET failed_logins = 0, locked_until_ms = NULL, last_login_at = @now WHERE id = @id`
  )
  const unlock = db.prepare(`UPDATE staff SET failed_logins = 0, locked_until_ms = NULL, updated_at = @now WHERE id = @id`)
  const countActiveAdmins = db.prepare<[], { n: number }>(
    `SELECT count(*) AS n FROM staff WHERE active = 1 AND EXISTS (SELECT 1 FROM json_each(staff.roles) WHERE value = 'admin')`
  )

  return {
    get: (id: number) => {
      const r = byId.get(id)
      return r ? toRecord(r) : undefined
    },
    findByUsername: (username: string) => {
      const r = byUsername.get(username)
      return r ? toRecord(r) : undefined
    },
    list: (includeDisabled: boolean) => (includeDisabled ? all : allActive).all().map(toRecord),
    insert: (s: { username: string; displayName: string; passwordHash: string; roles: Role[]; mustChange: boolean; now: string }) =>
      Number(
        insert.run({ ...s, roles: JSON.stringify(s.roles), mustChange: s.mustChange ? 1 : 0 }).lastInsertRowid
      ),
    update: (s: { id: number; displayName: string; roles: Role[]; active: boolean; now: string }) =>
      update.run({ ...s, roles: JSON.stringify(s.roles), active: s.active ? 1 : 0 }),
    setPassword: (id: number, hash: string, mustChange: boolean, now: string) =>
      setPassword.run({ id, hash, mustChange: mustChange ? 1 : 0, now }),
    recordLoginFailure: (id: number, max: number, lockUntil: number) =>
      loginFailed.get({ id, max, lockUntil }) as { failed_logins: number; locked_until_ms: number | null },
    recordLoginSuccess: (id: number, now: string) => loginSucceeded.run({ id, now }),
    unlock: (id: number, now: string) => unlock.run({ id, now }),
    activeAdminCount: () => countActiveAdmins.get()!.n
  }
}
export type StaffRepository = ReturnType<typeof staffRepository>
