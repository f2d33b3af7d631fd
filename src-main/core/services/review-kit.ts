// What the review desk's services share: the repository, the holiday calendar, claim expiry,
// the per-stage role check and the countdown of a submission.
import type { ClaimInfo, ReviewCountdown, ReviewStage } from '../../../src-preload/contract/review'
import { REVIEW_ROLE, REVIEW_STAGES, REVIEW_STAGE_LABELS } from '../../../src-preload/contract/review'
import { ROLE_LABELS, type Stage } from '../../../src-preload/contract/vocab'
import type { CoreContext, StaffActor } from '../context'
import { calendarOf, countdown, deficiencyDeadline, overdueBefore, type HolidayCalendar } from '../domain/deadlines'
import { shanghaiDate } from '../domain/time'
import { AppError, notFound } from '../errors'
import { reviewRepository, type ClaimRecord } from '../storage/repositories/review'

export interface ReviewSms {
  /** Hands a text to the applicant's SMS provider; resolves when accepted. */
  send(to: string, text: string): Promise<void>
}

/** The applicant API's attachment store, read-only here (never a second store). */
export interface ReviewAttachmentReader {
  /** The bytes of an application's current file of `kind`, or null when there is none. */
  read(applicationId: number, kind: string): Promise<{ fileName: string; contentType: string; size: number; sha256: string; uploadedAt: string; bytes: Buffer } | null>
}

export interface ReviewDeps {
  sms?: ReviewSms
  attachments?: ReviewAttachmentReader
}

export function reviewKit(ctx: CoreContext, deps: ReviewDeps = {}) {
  const { sms, attachments } = deps
  const repo = reviewRepository(ctx.db)

  let calendar: HolidayCalendar | undefined
  const cal = () => (calendar ??= calendarOf(repo.holidays()))
  const calendarChanged = () => {
    calendar = undefined
    memo = new Map()
  }

  /** A claim untouched this long is free for the next clerk (查看、翻页 and the screen's heartbeat touch it). */
  const lockIdleMs = () => ctx.settings.get('review.lockIdleMinutes') * 60_000
  const nowMs = () => ctx.clock().getTime()
  const expiredAtMs = () => nowMs() - lockIdleMs()
  const today = () => shanghaiDate(ctx.clock())

  // A page shows many rows submitted on the same few days: one countdown per (today, date).
  let memoDay = ''
  let memo = new Map<string, ReviewCountdown>()
  function countdownOf(submittedAt: string): ReviewCountdown {
    // submitted_at is Shanghai time with offset: its first 10 characters are the Shanghai date.
    const day = submittedAt.slice(0, 10)
    const t = today()
    if (t !== memoDay || memo.size > 2000) {
      memoDay = t
      memo = new Map()
    }
    let cd = memo.get(day)
    if (!cd) {
      cd = countdown(deficiencyDeadline(day, cal()), t, cal())
      memo.set(day, cd)
    }
    return cd
  }
  /** Applications submitted before this instant are overdue today. */
  const overdueCutoff = () => `${overdueBefore(today(), cal())}T00:00:00+08:00`

  function claimInfo(c: Pick<ClaimRecord, 'staff_id' | 'staff_name' | 'claimed_at' | 'last_active_ms'> | null | undefined, actor: StaffActor): ClaimInfo | null {
    if (!c) return null
    return {
      staffId: c.staff_id,
      staffName: c.staff_name,
      claimedAt: c.claimed_at,
      mine: c.staff_id === actor.id,
      expiresMs: c.last_active_ms + lockIdleMs()
    }
  }
  const isLive = (c: ClaimRecord | undefined, stage: Stage): c is ClaimRecord => !!c && c.stage === stage && c.last_active_ms > expiredAtMs()

  const isReviewStage = (s: Stage): s is ReviewStage => (REVIEW_STAGES as readonly string[]).includes(s)

  /**
   * A refusal that must be in the audit log. Inside a transaction the entry would be rolled back
   * with everything else, so it rides on the error and `tx` writes it after the rollback.
   */
  function deny(actor: StaffActor, target: { type: string; id: string | number }, detail: unknown, error: AppError): never {
    const entry = () => ctx.audit.byStaff(actor, 'access.denied', target, detail)
    if (ctx.db.inTransaction) Object.assign(error, { auditAfterRollback: entry })
    else entry()
    throw error
  }

  /** An immediate (write-locked from the start) transaction that keeps the audit of its refusals. */
  function tx<T>(fn: () => T): T {
    try {
      return ctx.db.transaction(fn).immediate()
    } catch (e) {
      ;(e as { auditAfterRollback?: () => void }).auditAfterRollback?.()
      throw e
    }
  }

  /** The clerk of a queue (or, where `supervisorToo`, a supervisor) may act; else 403, audited. */
  function requireRole(actor: StaffActor, stage: ReviewStage, supervisorToo = false) {
    const role = REVIEW_ROLE[stage]
    if (actor.roles.includes(role) || (supervisorToo && actor.roles.includes('supervisor'))) return
    deny(actor, { type: 'review_stage', id: stage }, undefined, new AppError('forbidden', `无权处理${REVIEW_STAGE_LABELS[stage]}（需要${ROLE_LABELS[role]}角色）`))
  }

  /** Reading applications and their history: any reviewer or a supervisor. */
  function requireReviewer(actor: StaffActor) {
    if (actor.roles.some((r) => r === 'pre_reviewer' || r === 'initial_reviewer' || r === 'supervisor')) return
    deny(actor, { type: 'operation', id: 'review' }, undefined, new AppError('forbidden', '无权查看审查中的申请（需要预审员、初审员或审批员角色）'))
  }

  function application(id: number) {
    const app = repo.getApplication(id)
    if (!app) throw notFound('申请')
    return app
  }

  /** Separation of duties: who passed the current pre-review, when the setting asks for it. */
  function separationProblem(actor: StaffActor, applicationId: number): string | null {
    if (!ctx.settings.get('review.separateInitialReviewer')) return null
    const last = repo.lastDecision(applicationId, 'pre_review')
    if (last && last.decision === 'pass' && last.staff_id === actor.id) {
      return '职责分离：您已对该申请作出材料预审，资格初审须由另一位审查员进行'
    }
    return null
  }

  return {
    ctx,
    repo,
    sms,
    attachments,
    cal,
    calendarChanged,
    lockIdleMs,
    nowMs,
    expiredAtMs,
    today,
    countdownOf,
    overdueCutoff,
    claimInfo,
    isLive,
    isReviewStage,
    requireRole,
    requireReviewer,
    deny,
    tx,
    application,
    separationProblem
  }
}
export type ReviewKit = ReturnType<typeof reviewKit>
