// The SMS outbox: every message to an applicant is a row first (written in the transaction of the
// decision it reports, or derived from the application's history), then sent through the SMS
// provider interface (services/sms.ts; the file provider writes outbox/sms.jsonl) after the commit,
// and retried with back-off when the provider fails. Templates are the administrator's.
//
// Two ways in:
//  - the notifier reads application_events after its cursor and turns each decision the applicant
//    must know into messages (domain/notifications.ts `messagesForEvent`), per enabled template;
//  - `enqueueText` / `outboxSmsProvider` for a text another service composes itself.
import type { Page } from '../../../src-preload/contract'
import type { OutboxRow, SmsTemplateRow } from '../../../src-preload/contract/notifications'
import type { CoreContext, StaffActor } from '../context'
import { AppError, notFound } from '../errors'
import { maskPhone } from '../domain/masking'
import { toShanghaiIso } from '../domain/time'
import { DEFAULT_TEMPLATES, EVENTS_WITH_MESSAGES, MOBILE_PATTERN, messagesForEvent, nextAttemptAfterFailure, renderTemplate, templateDef, unknownPlaceholders } from '../domain/notifications'
import { notificationRepository } from '../storage/repositories/notifications'
import { fileSmsProvider, type SmsMessage, type SmsProvider } from './sms'
import { dirname } from 'node:path'

/** Templates whose decisions are made (and, for now, texted) by other desks: off until those desks send through this outbox. */
export const TEMPLATES_SENT_ELSEWHERE = ['returned', 'review_passed', 'fee_due', 'booking_confirmed', 'no_show', 'session_cancelled', 'scores']

const SEND_BATCH = 50
/** A claimed message whose send never finished (a crash) is due again after this. */
const LEASE_MS = 120_000
const POLL_MS = 10_000
/** Only events this recent are texted about (an import of old history sends nothing). */
const FRESH_MS = 3 * 86400_000
const MAX_SENDS_PER_RUN = 500

export interface NotificationsOptions {
  provider?: SmsProvider
  /** Background processing (sync + send every POLL_MS and right after a decision); tests turn it off and call `process()`. */
  background?: boolean
}

export function notificationsService(ctx: CoreContext, options: NotificationsOptions = {}) {
  const repo = notificationRepository(ctx.db)
  const provider = options.provider ?? fileSmsProvider(dirname(ctx.db.name))
  const nowMs = () => ctx.clock().getTime()

  // Seed the templates once; an administrator's edits are never overwritten.
  ctx.db.transaction(() => {
    for (const t of DEFAULT_TEMPLATES) {
      repo.seedTemplate({ key: t.key, name: t.name, body: t.body, enabled: !TEMPLATES_SENT_ELSEWHERE.includes(t.key), now: ctx.now() })
    }
  })()

  function signature(): string {
    return ctx.settings.get('sms.signature')
  }

  /**
   * Reads new history events and writes their messages, 500 events per transaction and at most
   * `maxEvents` per call (a bulk import never holds the database for long). Only the events that
   * text anybody are read; events older than FRESH_MS are passed over: nobody is texted about old
   * history. Safe to repeat.
   */
  const syncBatch = ctx.db.transaction((from: number, templates: Map<string, { enabled: boolean; body: string }>): { created: number; cursor: number; read: number } => {
    let created = 0
    let cursor = from
    const extra = { pickupPlace: ctx.settings.get('certificate.pickupPlace'), feeYuan: '133' }
    const freshFrom = toShanghaiIso(new Date(nowMs() - FRESH_MS))
    const batch = repo.eventsAfter(cursor, EVENTS_WITH_MESSAGES, freshFrom, 500)
    for (const e of batch) {
      cursor = e.id
      if (!e.phone || !MOBILE_PATTERN.test(e.phone)) continue
      const planned = messagesForEvent(
        {
          id: e.id,
          event: e.event,
          detail: e.detail ? JSON.parse(e.detail) : null,
          application: { id: e.applicationId, name: e.name, phone: e.phone, category: e.category, trainingNo: e.trainingNo, collectMethod: e.collectMethod }
        },
        extra
      )
      for (const m of planned) {
        const t = templates.get(m.templateKey)
        if (!t || !t.enabled) continue
        const inserted = repo.insert({
          dedupeKey: m.dedupeKey,
          templateKey: m.templateKey,
          applicationId: e.applicationId,
          eventId: e.id,
          phone: e.phone,
          text: renderTemplate(t.body, m.vars, signature()),
          status: 'pending',
          nextAttemptMs: nowMs(),
          now: ctx.now()
        })
        if (inserted) created++
      }
    }
    // A batch that is not full has looked at every event there is (same transaction, one writer).
    if (batch.length < 500) cursor = Math.max(cursor, repo.lastEventId())
    if (cursor !== from) repo.setCursor(cursor)
    return { created, cursor, read: batch.length }
  })

  function sync(maxEvents = 5000): number {
    const templates = new Map(repo.templates().map((t) => [t.key, t]))
    let cursor = repo.cursor()
    let created = 0
    for (let read = 0; read < maxEvents; ) {
      const r = syncBatch(cursor, templates)
      created += r.created
      cursor = r.cursor
      read += r.read
      if (r.read < 500) break
    }
    return created
  }

  let sending: Promise<number> | null = null
  /** Sends every due message once (in order); failures are rescheduled or given up. */
  function send(): Promise<number> {
    // One sender at a time: a second call shares the running one.
    if (sending) return sending
    const p = sendDue().finally(() => {
      if (sending === p) sending = null
    })
    sending = p
    return p
  }

  /** At most MAX_SENDS_PER_RUN tries per run: a backlog drains over the next ticks, never in one long loop. */
  async function sendDue(): Promise<number> {
    let sent = 0
    let tries = 0
    while (tries < MAX_SENDS_PER_RUN) {
      const due = repo.due(nowMs(), SEND_BATCH)
      if (!due.length) break
      for (const m of due) {
        if (!repo.claim(m.id, nowMs(), nowMs() + LEASE_MS, ctx.now())) continue
        tries++
        const attempts = m.attempts + 1
        try {
          const message: SmsMessage = { to: m.phone, text: m.text, at: ctx.now() }
          await provider.send(message)
          repo.markSent(m.id, provider.name, ctx.now())
          sent++
        } catch (e) {
          const next = nextAttemptAfterFailure(attempts, nowMs())
          const error = String((e as Error)?.message ?? e).slice(0, 300)
          repo.markFailed(m.id, next === null ? 'failed' : 'pending', next ?? nowMs(), error, provider.name, ctx.now())
          if (next === null) ctx.audit.record({ actorType: 'system', action: 'sms.gave_up', targetType: 'sms', targetId: m.id, detail: { to: maskPhone(m.phone), attempts, error } })
        }
      }
      if (due.length < SEND_BATCH) break
    }
    return sent
  }

  /** Sync then send: what the background loop and `kick()` run. */
  async function process(): Promise<{ created: number; sent: number }> {
    const created = sync()
    const sent = await send()
    return { created, sent }
  }

  // ---- background ---------------------------------------------------------------------------
  let timer: ReturnType<typeof setInterval> | undefined
  let kicked = false
  const background = options.background ?? true
  const runQuietly = () =>
    process().catch((e: Error) => {
      // The database was closed under us (shutdown): stop; anything else is retried on the next tick.
      if (/not open|closed/i.test(e?.message ?? '')) stop()
    })
  function stop() {
    if (timer) clearInterval(timer)
    timer = undefined
  }
  function start() {
    if (!background || timer) return
    timer = setInterval(runQuietly, POLL_MS)
    timer.unref?.()
  }
  /** Process soon (after the caller's transaction has committed). */
  function kick() {
    if (!background) return
    start()
    if (kicked) return
    kicked = true
    setImmediate(() => {
      kicked = false
      void runQuietly()
    })
  }
  if (background) start()

  // ---- texts composed elsewhere ---------------------------------------------------------------
  /** Queues a ready text (inside the caller's transaction if there is one); sent after the commit. */
  function enqueueText(m: { phone: string; text: string; templateKey?: string; applicationId?: number | null; dedupeKey?: string }): boolean {
    const inserted = repo.insert({
      dedupeKey: m.dedupeKey ?? `text:${nowMs()}:${Math.random().toString(36).slice(2, 10)}`,
      templateKey: m.templateKey ?? 'text',
      applicationId: m.applicationId ?? null,
      eventId: null,
      phone: m.phone,
      text: m.text,
      status: 'pending',
      nextAttemptMs: nowMs(),
      now: ctx.now()
    })
    kick()
    return inserted
  }

  // ---- staff operations ---------------------------------------------------------------------
  function toOutboxRow(m: ReturnType<typeof repo.byId> & object): OutboxRow {
    return {
      id: m.id,
      templateKey: m.templateKey,
      templateName: templateDef(m.templateKey)?.name ?? '其他短信',
      applicationId: m.applicationId,
      phone: maskPhone(m.phone),
      text: m.text,
      status: m.status,
      attempts: m.attempts,
      nextAttemptAt: m.status === 'pending' ? toShanghaiIso(new Date(m.nextAttemptMs)) : null,
      lastError: m.lastError,
      createdAt: m.createdAt,
      sentAt: m.sentAt
    }
  }

  return {
    sync,
    send,
    process,
    kick,
    stop,
    enqueueText,
    provider,

    outbox(input: { status?: OutboxRow['status']; applicationId?: number; templateKey?: string; page: number; pageSize: number }): Page<OutboxRow> & { counts: Record<string, number> } {
      const r = repo.page({ status: input.status, applicationId: input.applicationId, templateKey: input.templateKey, limit: input.pageSize, offset: (input.page - 1) * input.pageSize })
      return { rows: r.rows.map(toOutboxRow), total: r.total, counts: Object.fromEntries(repo.counts().map((c) => [c.status, c.n])) }
    },

    retry(actor: StaffActor, input: { id: number }): OutboxRow {
      const m = repo.byId(input.id)
      if (!m) throw notFound('短信')
      if (m.status === 'sent') throw new AppError('conflict', '该短信已发送，无需重发')
      ctx.db.transaction(() => {
        repo.requeue(m.id, nowMs(), ctx.now())
        ctx.audit.byStaff(actor, 'sms.retried', { type: 'sms', id: m.id }, { to: maskPhone(m.phone), previous: m.status })
      })()
      kick()
      return toOutboxRow(repo.byId(m.id)!)
    },

    cancel(actor: StaffActor, input: { id: number }): OutboxRow {
      const m = repo.byId(input.id)
      if (!m) throw notFound('短信')
      ctx.db.transaction(() => {
        if (!repo.cancel(m.id, ctx.now())) throw new AppError('conflict', '只能取消待发送或发送失败的短信')
        ctx.audit.byStaff(actor, 'sms.cancelled', { type: 'sms', id: m.id }, { to: maskPhone(m.phone) })
      })()
      return toOutboxRow(repo.byId(m.id)!)
    },

    templates(): SmsTemplateRow[] {
      return repo.templates().map((t) => ({
        key: t.key,
        name: t.name,
        body: t.body,
        enabled: t.enabled,
        vars: templateDef(t.key)?.vars ?? {},
        defaultBody: templateDef(t.key)?.body ?? t.body,
        sentElsewhere: TEMPLATES_SENT_ELSEWHERE.includes(t.key),
        updatedAt: t.updatedAt
      }))
    },

    saveTemplate(actor: StaffActor, input: { key: string; body: string; enabled: boolean }): SmsTemplateRow {
      const current = repo.template(input.key)
      if (!current) throw notFound('短信模板')
      const unknown = unknownPlaceholders(input.key, input.body)
      if (unknown.length) {
        throw new AppError('invalid_input', `模板中有无法识别的占位符：${unknown.map((u) => `{${u}}`).join('、')}`, { body: `无法识别的占位符：${unknown.map((u) => `{${u}}`).join('、')}` })
      }
      ctx.db.transaction(() => {
        repo.updateTemplate({ key: input.key, body: input.body, enabled: input.enabled, now: ctx.now(), by: actor.id })
        ctx.audit.byStaff(actor, 'sms.template_updated', { type: 'sms_template', id: input.key }, { before: { body: current.body, enabled: current.enabled }, after: { body: input.body, enabled: input.enabled } })
      })()
      return this.templates().find((t) => t.key === input.key)!
    },

    /** Runs the notifier now (the staff view's 立即处理 button). */
    async processNow(actor: StaffActor) {
      const r = await process()
      ctx.audit.byStaff(actor, 'sms.processed', undefined, r)
      return r
    }
  }
}
export type NotificationsService = ReturnType<typeof notificationsService>

/** An SmsProvider that puts the message into the outbox (retries, staff view) instead of sending it directly. */
export function outboxSmsProvider(notifications: NotificationsService, templateKey = 'text'): SmsProvider {
  return {
    name: 'outbox',
    async send(message) {
      notifications.enqueueText({ phone: message.to, text: message.text, templateKey })
    }
  }
}
