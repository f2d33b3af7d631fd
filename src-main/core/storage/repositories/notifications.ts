// SMS templates, the outbox and the notifier's cursor over application_events.
import type { Category } from '../../../../src-preload/contract/vocab'
import type { Db } from '../database'

export interface OutboxRecord {
  id: number
  dedupeKey: string
  templateKey: string
  applicationId: number | null
  eventId: number | null
  phone: string
  text: string
  status: 'pending' | 'sent' | 'failed' | 'cancelled'
  attempts: number
  nextAttemptMs: number
  lastError: string | null
  provider: string | null
  createdAt: string
  sentAt: string | null
  updatedAt: string
}

export interface TemplateRecord {
  key: string
  name: string
  body: string
  enabled: boolean
  updatedAt: string
  updatedBy: number | null
}

const OUTBOX_COLUMNS = `id, dedupe_key AS dedupeKey, template_key AS templateKey, application_id AS applicationId, event_id AS eventId,
  phone, text, status, attempts, next_attempt_ms AS nextAttemptMs, last_error AS lastError, provider, created_at AS createdAt,
  sent_at AS sentAt, updated_at AS updatedAt`

export function notificationRepository(db: Db) {
  const templates = db.prepare<[], Omit<TemplateRecord, 'enabled'> & { enabled: number }>(
    'SELECT key, name, body, enabled, updated_at AS updatedAt, updated_by AS updatedBy FROM sms_templates ORDER BY rowid'
  )
  const template = db.prepare<[string], Omit<TemplateRecord, 'enabled'> & { enabled: number }>(
    'SELECT key, name, body, enabled, updated_at AS updatedAt, updated_by AS updatedBy FROM sms_templates WHERE key = ?'
  )
  const seedTemplate = db.prepare('INSERT OR IGNORE INTO sms_templates (key, name, body, enabled, updated_at) VALUES (@key, @name, @body, @enabled, @now)')
  const updateTemplate = db.prepare('UPDATE sms_templates SET body = @body, enabled = @enabled, updated_at = @now, updated_by = @by WHERE key = @key')

  const insert = db.prepare(
    `INSERT INTO sms_outbox (dedupe_key, template_key, application_id, event_id, phone, text, status, attempts, next_attempt_ms, created_at, updated_at)
     VALUES (@dedupeKey, @templateKey, @applicationId, @eventId, @phone, @text, @status, 0, @nextAttemptMs, @now, @now)
     ON CONFLICT (dedupe_key) DO NOTHING`
  )
  const due = db.prepare<[number, number], OutboxRecord>(
    `SELECT ${OUTBOX_COLUMNS} FROM sms_outbox WHERE status = 'pending' AND next_attempt_ms <= ? ORDER BY next_attempt_ms, id LIMIT ?`
  )
  const nextDue = db.prepare<[], { ms: number | null }>(`SELECT min(next_attempt_ms) AS ms FROM sms_outbox WHERE status = 'pending'`)
  const byId = db.prepare<[number], OutboxRecord>(`SELECT ${OUTBOX_COLUMNS} FROM sms_outbox WHERE id = ?`)
  const claim = db.prepare(
    `UPDATE sms_outbox SET attempts = attempts + 1, next_attempt_ms = @leaseUntil, updated_at = @now
     WHERE id = @id AND status = 'pending' AND next_attempt_ms <= @nowMs`
  )
  const markSent = db.prepare(`UPDATE sms_outbox SET status = 'sent', sent_at = @now, provider = @provider, last_error = NULL, updated_at = @now WHERE id = @id`)
  const markFailed = db.prepare(
    `UPDATE sms_outbox SET status = @status, next_attempt_ms = @next, last_error = @error, provider = @provider, updated_at = @now WHERE id = @id`
  )
  const requeue = db.prepare(
    `UPDATE sms_outbox SET status = 'pending', attempts = 0, next_attempt_ms = @nowMs, updated_at = @now WHERE id = @id AND status IN ('failed', 'cancelled', 'pending')`
  )
  const cancel = db.prepare(`UPDATE sms_outbox SET status = 'cancelled', updated_at = @now WHERE id = @id AND status IN ('pending', 'failed')`)
  const where = `WHERE (@status IS NULL OR status = @status) AND (@applicationId IS NULL OR application_id = @applicationId)
    AND (@phone IS NULL OR phone = @phone) AND (@templateKey IS NULL OR template_key = @templateKey)`
  const page = db.prepare<Record<string, unknown>, OutboxRecord>(`SELECT ${OUTBOX_COLUMNS} FROM sms_outbox ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
  const count = db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM sms_outbox ${where}`)
  const counts = db.prepare<[], { status: OutboxRecord['status']; n: number }>('SELECT status, count(*) AS n FROM sms_outbox GROUP BY status')

  const cursor = db.prepare<[], { last: number }>('SELECT last_event_id AS last FROM sms_event_cursor WHERE id = 1')
  const setCursor = db.prepare('UPDATE sms_event_cursor SET last_event_id = ? WHERE id = 1')
  const lastEventId = db.prepare<[], { id: number }>('SELECT coalesce(max(id), 0) AS id FROM application_events')
  // Only the events asked for, from `since` on (the rest are passed over inside SQLite: under load
  // most events are submissions, which text nobody), and of the form only the one answer needed.
  const eventsAfter = db.prepare<
    [number, string, string, number],
    { id: number; applicationId: number; event: string; at: string; detail: string | null; name: string; phone: string | null; category: Category; trainingNo: string | null; collectMethod: string | null }
  >(
    `SELECT e.id, e.application_id AS applicationId, e.event, e.at, e.detail, a.name, a.phone, a.category, a.training_no AS trainingNo,
            json_extract(a.form, '$.collectMethod') AS collectMethod
     FROM application_events e JOIN applications a ON a.id = e.application_id
     WHERE e.id > ? AND e.event IN (SELECT value FROM json_each(?)) AND e.at >= ? ORDER BY e.id LIMIT ?`
  )

  const toTemplate = (r: Omit<TemplateRecord, 'enabled'> & { enabled: number }): TemplateRecord => ({ ...r, enabled: r.enabled === 1 })

  return {
    templates: () => templates.all().map(toTemplate),
    template: (key: string) => {
      const r = template.get(key)
      return r ? toTemplate(r) : undefined
    },
    seedTemplate: (t: { key: string; name: string; body: string; enabled: boolean; now: string }) => seedTemplate.run({ ...t, enabled: t.enabled ? 1 : 0 }),
    updateTemplate: (t: { key: string; body: string; enabled: boolean; now: string; by: number }) => updateTemplate.run({ ...t, enabled: t.enabled ? 1 : 0 }).changes === 1,

    insert: (m: { dedupeKey: string; templateKey: string; applicationId: number | null; eventId: number | null; phone: string; text: string; status: 'pending' | 'cancelled'; nextAttemptMs: number; now: string }) =>
      insert.run(m).changes === 1,
    due: (nowMs: number, limit: number) => due.all(nowMs, limit),
    nextDueMs: () => nextDue.get()?.ms ?? null,
    byId: (id: number) => byId.get(id),
    /** Takes a due message for one try (a lease, so that a crashed send is tried again later). */
    claim: (id: number, nowMs: number, leaseUntil: number, now: string) => claim.run({ id, nowMs, leaseUntil, now }).changes === 1,
    markSent: (id: number, provider: string, now: string) => markSent.run({ id, provider, now }),
    markFailed: (id: number, status: 'pending' | 'failed', next: number, error: string, provider: string, now: string) =>
      markFailed.run({ id, status, next, error, provider, now }),
    requeue: (id: number, nowMs: number, now: string) => requeue.run({ id, nowMs, now }).changes === 1,
    cancel: (id: number, now: string) => cancel.run({ id, now }).changes === 1,
    page: (f: { status?: string; applicationId?: number; phone?: string; templateKey?: string; limit: number; offset: number }) => {
      const p = { status: f.status ?? null, applicationId: f.applicationId ?? null, phone: f.phone ?? null, templateKey: f.templateKey ?? null }
      return { rows: page.all({ ...p, limit: f.limit, offset: f.offset }), total: count.get(p)!.n }
    },
    counts: () => counts.all(),

    cursor: () => cursor.get()?.last ?? 0,
    setCursor: (id: number) => setCursor.run(id),
    /** Announce nothing of the history so far (imports, demos). */
    skipHistory: () => setCursor.run(lastEventId.get()!.id),
    lastEventId: () => lastEventId.get()!.id,
    /** Events of the given kinds after event `id`, at `since` or later, oldest first. */
    eventsAfter: (id: number, events: readonly string[], since: string, limit: number) => eventsAfter.all(id, JSON.stringify(events), since, limit)
  }
}
export type NotificationRepository = ReturnType<typeof notificationRepository>
