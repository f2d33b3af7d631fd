// 许可审批: the supervisor's queue (with the 5-working-day countdown from the scores, or from the
// initial review for freight), the whole history of one application on one screen, and the
// decision — approve, or reject with every reason — for one application or many, each in its own
// transaction and audited on its own.
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { PermitDecisionResult, PermitDetail, PermitQueueRow } from '../../../src-preload/contract/permits'
import type { Category } from '../../../src-preload/contract/vocab'
import type { CoreContext, StaffActor } from '../context'
import { AppError, notFound } from '../errors'
import { maskIdNumber, maskPhone } from '../domain/masking'
import { addWorkingDays, calendarOf, countdown, type HolidayCalendar } from '../domain/deadlines'
import { EVENT_LABELS, type WorkflowEvent } from '../domain/workflow'
import { parseIdNumber } from '../domain/id-number'
import { yearsBetween } from '../domain/time'
import { attachmentLabel, ATTACHMENT_KINDS, type AttachmentKind } from '../domain/application-rules'
import { permitRepository } from '../storage/repositories/permits'
import { fireEvent } from './permits-workflow'
import type { NotificationsService } from './notifications'

const REVIEW_EVENTS: Record<string, { stage: string; decision: 'pass' | 'return' }> = {
  pre_review_pass: { stage: '材料预审', decision: 'pass' },
  pre_review_return: { stage: '材料预审', decision: 'return' },
  initial_review_pass: { stage: '资格初审', decision: 'pass' },
  initial_review_return: { stage: '资格初审', decision: 'return' }
}

const HISTORY_LABELS: Record<string, string> = {
  exam_booked: '预约考试',
  exam_booking_cancelled: '取消考试预约',
  exam_no_show: '考试失约',
  exam_present: '考试签到',
  exam_session_cancelled: '考试场次取消',
  payment_duplicate: '重复缴费（待退款）',
  payment_refunded: '退款',
  retake_fee_paid: '补考费已交',
  training_certificate_revoked: '所用结业证被撤销', // issue 7
  exam_scored: '成绩录入',
  certificate_reprint: '证件重新打印',
  certificate_replacement: '证件补发',
  certificate_spoiled_retry: '印废重打'
}

function reasonsOf(detail: unknown): string[] {
  const d = detail as { deficiencies?: { reason?: string; label?: string; field?: string; attachment?: string }[]; reasons?: string[] } | null
  const out: string[] = []
  for (const x of d?.deficiencies ?? []) if (x?.reason) out.push([x.label ?? x.field ?? x.attachment, x.reason].filter(Boolean).join('：'))
  for (const r of d?.reasons ?? []) if (typeof r === 'string') out.push(r)
  return out
}

export function permitsService(ctx: CoreContext, notifications?: NotificationsService) {
  const repo = permitRepository(ctx.db)
  const today = () => ctx.now().slice(0, 10)
  const days = () => ctx.settings.get('permit.deadlineWorkingDays')
  let calendar: { at: number; cal: HolidayCalendar } | null = null
  const cal = () => {
    // The calendar changes a few times a year: re-read it at most once a minute.
    if (!calendar || Date.now() - calendar.at > 60_000) calendar = { at: Date.now(), cal: calendarOf(repo.holidays()) }
    return calendar.cal
  }
  const deadlineOf = (since: string) => addWorkingDays(since.slice(0, 10), days(), cal())

  function queue(input: { category?: Category; query?: string; page: number; pageSize: number }) {
    const { rows, total } = repo.page({ stage: 'permit_approval', category: input.category, query: input.query, limit: input.pageSize, offset: (input.page - 1) * input.pageSize })
    const scores = new Map<number, { theory: number | null; practical: number | null }>()
    for (const s of repo.bestScores(rows.map((r) => r.id))) {
      const e = scores.get(s.applicationId) ?? { theory: null, practical: null }
      e[s.subject] = s.score
      scores.set(s.applicationId, e)
    }
    const t = today()
    const out: PermitQueueRow[] = rows.map((r) => {
      const deadline = deadlineOf(r.stageEnteredAt)
      const c = countdown(deadline, t, cal())
      return {
        applicationId: r.id,
        name: r.name,
        idNumber: maskIdNumber(r.idNumber),
        phone: r.phone ? maskPhone(r.phone) : null,
        category: r.category,
        applicationType: r.applicationType,
        trainingNo: r.trainingNo,
        waitingSince: r.stageEnteredAt,
        deadline,
        countdown: { state: c.state, label: c.label, workingDaysLeft: c.workingDaysLeft },
        scores: scores.get(r.id) ?? { theory: null, practical: null }
      }
    })
    // The overdue count covers the whole queue, not only this page.
    const all = repo.page({ stage: 'permit_approval', limit: 100_000, offset: 0 }).rows
    const overdue = all.filter((r) => countdown(deadlineOf(r.stageEnteredAt), t, cal()).state === 'overdue').length
    return { rows: out, total, overdue }
  }

  function detail(actor: StaffActor, input: { applicationId: number }): PermitDetail {
    const app = repo.byId(input.applicationId)
    if (!app) throw notFound('申请')
    const form = JSON.parse(app.form) as Record<string, unknown>
    const events = repo.events(app.id)
    const attempts = repo.attempts(app.id)
    const attachments = repo.attachments(app.id)
    const inQueue = app.stage === 'permit_approval'
    const deadline = inQueue ? deadlineOf(app.stageEnteredAt) : null
    const c = deadline ? countdown(deadline, today(), cal()) : null

    const checks: PermitDetail['checks'] = []
    if (app.category === 'passenger') {
      for (const subject of ['theory', 'practical'] as const) {
        const passed = attempts.filter((a) => a.subject === subject && a.outcome === 'passed')
        const last = passed[passed.length - 1]
        const label = subject === 'theory' ? '理论考试' : '实操考试'
        if (!last) checks.push({ label, ok: events.some((e) => e.event === 'exams_passed'), text: events.some((e) => e.event === 'exams_passed') ? '考试合格（成绩记录见考务系统）' : '无合格成绩' })
        else {
          const fresh = yearsBetween(last.examDate, today()) < 1
          checks.push({ label, ok: fresh, text: `${last.score ?? '—'}分（${last.examDate}）${fresh ? '' : '，合格成绩已超过1年有效期'}` })
        }
      }
    }
    const id = parseIdNumber(app.idNumber)
    if (id.ok) {
      const age = yearsBetween(id.birthDate, (app.submittedAt ?? app.createdAt).slice(0, 10))
      const maxAge = ctx.settings.get('application.maxAge')
      checks.push({ label: '申请时年龄', ok: age <= maxAge, text: `${age}周岁（上限${maxAge}周岁）` })
    }
    const photo = attachments.find((a) => a.kind === 'photo')
    checks.push({ label: '证件照片', ok: !!photo && photo.contentType !== 'application/pdf', text: photo ? (photo.contentType === 'application/pdf' ? '照片为PDF，无法印制在证件上' : '已上传') : '未上传近期免冠照片' })
    checks.push({ label: '培训证号', ok: !!app.trainingNo, text: app.trainingNo ?? '未分配' })

    ctx.audit.byStaff(actor, 'permit.viewed', { type: 'application', id: app.id })
    return {
      applicationId: app.id,
      stage: app.stage,
      category: app.category,
      applicationType: app.applicationType,
      name: app.name,
      idNumber: app.idNumber,
      phone: app.phone,
      trainingNo: app.trainingNo,
      trainingSchool: app.trainingSchoolId ? repo.schoolName(app.trainingSchoolId) : null,
      submittedAt: app.submittedAt,
      waitingSince: app.stageEnteredAt,
      deadline,
      countdown: c ? { state: c.state, label: c.label, workingDaysLeft: c.workingDaysLeft } : null,
      form,
      attachments: attachments.map((a) => ({
        id: a.id,
        kind: a.kind,
        label: (ATTACHMENT_KINDS as readonly string[]).includes(a.kind) ? attachmentLabel(a.kind as AttachmentKind, app.category) : a.kind,
        fileName: a.fileName,
        contentType: a.contentType,
        size: a.size,
        uploadedAt: a.uploadedAt
      })),
      history: events.map((e) => ({
        at: e.at,
        event: e.event,
        label: EVENT_LABELS[e.event as WorkflowEvent] ?? HISTORY_LABELS[e.event] ?? e.event,
        actorName: e.actorName,
        actorType: e.actorType,
        detail: e.detail
      })),
      reviews: events
        .filter((e) => REVIEW_EVENTS[e.event])
        .map((e) => ({
          at: e.at,
          stage: REVIEW_EVENTS[e.event].stage,
          decision: REVIEW_EVENTS[e.event].decision,
          by: e.actorName,
          reasons: reasonsOf(e.detail),
          note: typeof (e.detail as { note?: unknown } | null)?.note === 'string' ? ((e.detail as { note: string }).note) : null
        })),
      attempts,
      payments: repo.payments(app.id),
      checks,
      decision: repo.decisionOf(app.id)
    }
  }

  async function attachment(actor: StaffActor, input: { applicationId: number; attachmentId: number }) {
    const a = repo.attachmentById(input.attachmentId)
    if (!a || a.applicationId !== input.applicationId) throw notFound('附件')
    const file = join(dirname(ctx.db.name), 'attachments', a.sha256.slice(0, 2), a.sha256)
    let bytes: Buffer
    try {
      bytes = await readFile(file)
    } catch {
      throw new AppError('not_found', '附件文件不存在（可能已被清理），请联系管理员')
    }
    ctx.audit.byStaff(actor, 'permit.attachment_viewed', { type: 'application', id: a.applicationId }, { attachmentId: a.id, kind: a.kind })
    return { fileName: a.fileName, contentType: a.contentType, base64: bytes.toString('base64') }
  }

  function decide(actor: StaffActor, applicationIds: number[], decision: 'approve' | 'reject', reasons: string[], note: string | undefined): PermitDecisionResult {
    const result: PermitDecisionResult = { done: [], failed: [] }
    const batchId = applicationIds.length > 1 ? randomUUID() : null
    for (const id of [...new Set(applicationIds)]) {
      try {
        const stage = ctx.db.transaction(() => {
          const app = repo.byId(id)
          if (!app) throw notFound('申请')
          const at = ctx.now()
          const detail = decision === 'approve' ? (note ? { note } : undefined) : { deficiencies: reasons.map((reason) => ({ reason })), ...(note ? { note } : {}) }
          const to = fireEvent(ctx, repo, app, decision === 'approve' ? 'permit_approve' : 'permit_reject', actor, detail, {
            action: decision === 'approve' ? 'permit.approved' : 'permit.rejected',
            detail: { reasons: decision === 'reject' ? reasons : undefined, note, batchId }
          })
          repo.insertDecision({ applicationId: app.id, decision, reasons: decision === 'reject' ? reasons : [], note: note ?? null, batchId, at, staffId: actor.id, staffName: actor.displayName })
          return to
        })()
        result.done.push({ applicationId: id, stage })
      } catch (e) {
        if (!(e instanceof AppError)) throw e
        result.failed.push({ applicationId: id, reason: e.message })
      }
    }
    if (result.done.length) notifications?.kick()
    if (!result.done.length && result.failed.length === 1) {
      throw new AppError('conflict', result.failed[0].reason)
    }
    return result
  }

  return {
    queue,
    detail,
    attachment,
    approve: (actor: StaffActor, input: { applicationIds: number[]; note?: string }) => decide(actor, input.applicationIds, 'approve', [], input.note || undefined),
    reject: (actor: StaffActor, input: { applicationIds: number[]; reasons: string[]; note?: string }) => decide(actor, input.applicationIds, 'reject', input.reasons, input.note || undefined)
  }
}
export type PermitsService = ReturnType<typeof permitsService>
