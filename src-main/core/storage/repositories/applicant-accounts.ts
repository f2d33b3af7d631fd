// Applicant accounts, their bearer tokens and SMS verification codes.
import type { Db } from '../database'

export interface ApplicantRecord {
  id: number
  idNumber: string
  name: string
  phone: string
  passwordHash: string | null
  failedLogins: number
  lockedUntilMs: number | null
  createdAt: string
}

interface ApplicantRow {
  id: number
  id_number: string
  name: string
  phone: string
  password_hash: string | null
  failed_logins: number
  locked_until_ms: number | null
  created_at: string
}

const toRecord = (r: ApplicantRow | undefined): ApplicantRecord | undefined =>
  r && {
    id: r.id,
    idNumber: r.id_number,
    name: r.name,
    phone: r.phone,
    passwordHash: r.password_hash,
    failedLogins: r.failed_logins,
    lockedUntilMs: r.locked_until_ms,
    createdAt: r.created_at
  }

/** What a valid token resolves to: enough for every applicant request without a second query. */
export interface TokenOwner {
  applicantId: number
  idNumber: string
  name: string
  phone: string
  expiresMs: number
}

export interface SmsCodeRow {
  id: number
  code_hash: string
  created_ms: number
  expires_ms: number
  attempts: number
  state: 'live' | 'used' | 'voided'
}

export function applicantAccountRepository(db: Db) {
  const byIdNumber = db.prepare<[string], ApplicantRow>('SELECT * FROM applicants WHERE id_number = ?')
  const byId = db.prepare<[number], ApplicantRow>('SELECT * FROM applicants WHERE id = ?')
  const insert = db.prepare(
    `INSERT INTO applicants (id_number, name, phone, password_hash, created_at, updated_at)
     VALUES (@idNumber, @name, @phone, @passwordHash, @now, @now)`
  )
  const claim = db.prepare(
    `UPDATE applicants SET name = @name, phone = @phone, password_hash = @passwordHash, failed_logins = 0,
       locked_until_ms = NULL, updated_at = @now WHERE id = @id AND password_hash IS NULL`
  )
  const setPassword = db.prepare(
    'UPDATE applicants SET password_hash = ?, failed_logins = 0, locked_until_ms = NULL, updated_at = ? WHERE id = ?'
  )
  const loginFailure = db.prepare<[number, number, number], { failed_logins: number }>(
    `UPDATE applicants SET failed_logins = failed_logins + 1,
       locked_until_ms = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until_ms END
     WHERE id = ? RETURNING failed_logins`
  )
  const loginSuccess = db.prepare('UPDATE applicants SET failed_logins = 0, locked_until_ms = NULL WHERE id = ?')

  const insertToken = db.prepare(
    'INSERT INTO applicant_tokens (token_hash, applicant_id, created_at, expires_ms) VALUES (?, ?, ?, ?)'
  )
  const tokenOwner = db.prepare<[string, number], TokenOwner>(
    `SELECT a.id AS applicantId, a.id_number AS idNumber, a.name, a.phone, t.expires_ms AS expiresMs
     FROM applicant_tokens t JOIN applicants a ON a.id = t.applicant_id
     WHERE t.token_hash = ? AND t.revoked = 0 AND t.expires_ms > ?`
  )
  const revokeToken = db.prepare('UPDATE applicant_tokens SET revoked = 1 WHERE token_hash = ?')
  const revokeAll = db.prepare('UPDATE applicant_tokens SET revoked = 1 WHERE applicant_id = ? AND revoked = 0')

  const codesSince = db.prepare<[string, number], { n: number; first: number | null; last: number | null }>(
    'SELECT count(*) AS n, min(created_ms) AS first, max(created_ms) AS last FROM sms_codes WHERE phone = ? AND created_ms > ?'
  )
  const insertCode = db.prepare(
    `INSERT INTO sms_codes (phone, purpose, code_hash, created_ms, expires_ms, ip)
     VALUES (@phone, @purpose, @codeHash, @createdMs, @expiresMs, @ip)`
  )
  const supersede = db.prepare(
    "UPDATE sms_codes SET state = 'voided' WHERE phone = ? AND purpose = ? AND state = 'live'"
  )
  const liveCode = db.prepare<[string, string], SmsCodeRow>(
    `SELECT id, code_hash, created_ms, expires_ms, attempts, state FROM sms_codes
     WHERE phone = ? AND purpose = ? AND state = 'live' ORDER BY id DESC LIMIT 1`
  )
  const codeAttempt = db.prepare<[number, number], { attempts: number }>(
    `UPDATE sms_codes SET attempts = attempts + 1,
       state = CASE WHEN attempts + 1 >= ? THEN 'voided' ELSE state END
     WHERE id = ? RETURNING attempts`
  )
  const setCodeState = db.prepare('UPDATE sms_codes SET state = ? WHERE id = ?')
  const hasPhone = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM applicants WHERE phone = ?')

  return {
    findByIdNumber: (idNumber: string) => toRecord(byIdNumber.get(idNumber)),
    get: (id: number) => toRecord(byId.get(id)),
    insert: (a: { idNumber: string; name: string; phone: string; passwordHash: string; now: string }) =>
      Number(insert.run(a).lastInsertRowid),
    /** An applicant first entered at the counter (no password yet) registers in the app. */
    claim: (a: { id: number; name: string; phone: string; passwordHash: string; now: string }) => claim.run(a).changes === 1,
    setPassword: (id: number, hash: string, now: string) => setPassword.run(hash, now, id),
    recordLoginFailure: (id: number, max: number, lockUntilMs: number) => loginFailure.get(max, lockUntilMs, id)!.failed_logins,
    recordLoginSuccess: (id: number) => loginSuccess.run(id),
    phoneKnown: (phone: string) => hasPhone.get(phone)!.n > 0,

    insertToken: (tokenHash: string, applicantId: number, now: string, expiresMs: number) =>
      insertToken.run(tokenHash, applicantId, now, expiresMs),
    tokenOwner: (tokenHash: string, nowMs: number) => tokenOwner.get(tokenHash, nowMs),
    revokeToken: (tokenHash: string) => revokeToken.run(tokenHash),
    revokeAllTokens: (applicantId: number) => revokeAll.run(applicantId),

    codesSince: (phone: string, sinceMs: number) => codesSince.get(phone, sinceMs)!,
    insertCode: (c: { phone: string; purpose: string; codeHash: string; createdMs: number; expiresMs: number; ip: string | null }) => {
      supersede.run(c.phone, c.purpose)
      return Number(insertCode.run(c).lastInsertRowid)
    },
    liveCode: (phone: string, purpose: string) => liveCode.get(phone, purpose),
    /** Counts a wrong try; returns the tries so far (the code is voided at `max`). */
    wrongCode: (id: number, max: number) => codeAttempt.get(max, id)!.attempts,
    useCode: (id: number) => setCodeState.run('used', id),
    voidCode: (id: number) => setCodeState.run('voided', id)
  }
}
export type ApplicantAccountRepository = ReturnType<typeof applicantAccountRepository>
