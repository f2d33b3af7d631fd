// The review queues (材料预审, 资格初审): pages oldest first with the legal countdown, filters,
// searches, the counts, and claims (locks) — claim next, claim a chosen one, keep it alive,
// release it (a supervisor may release anyone's).
import type { ClaimInfo, LockRow, QueueFilterInput, QueuePage, QueueRow, QueueStats, ReviewStage } from '../../../src-preload/contract/review'
import { STAGE_LABELS } from '../../../src-preload/contract/vocab'
import type { StaffActor } from '../context'
import { maskIdNumber, maskPhone } from '../domain/masking'
import { addDays } from '../domain/deadlines'
import { AppError } from '../errors'
import type { QueueDbRow, QueueQuery } from '../storage/repositories/review'
import type { ReviewKit } from './review-kit'
import { trainingCertificatesService } from './training-certificates'

type Search = NonNullable<QueueQuery['search']>

/**
 * What the clerk typed: an ID-number prefix, a phone number (prefix), or a name prefix. Digits
 * starting 13–19 may be either a phone or an ID number (Hebei, Shanxi, Inner Mongolia): both.
 */
export function parseSearch(raw: string | undefined): Search[] {
  const s = (raw ?? '').replace(/\s+/g, '')
  if (!s) return []
  if (/^\d{1,17}[\dXx]?$/.test(s)) {
    if (s.length < 4) {
      throw new AppError('invalid_input', '按身份证号或手机号搜索请至少输入4位', { search: '至少输入4位数字' })
    }
    const id: Search = { kind: 'id', value: s.toUpperCase() }
    if (/^1[3-9]\d*$/.test(s) && s.length <= 11) return s.length === 11 ? [{ kind: 'phone', value: s }, id] : [id, { kind: 'phone', value: s }]
    return [id]
  }
  return [{ kind: 'name', value: s }]
}

const startOfDay = (date: string) => `${date}T00:00:00+08:00`

export function reviewQueueService(kit: ReviewKit) {
  const { repo, ctx } = kit
  // Issue 7: applications whose local 结业证 was revoked are flagged (one query per page).
  const training = trainingCertificatesService(ctx)
  const withTrainingFlags = (rows: QueueRow[]) => {
    const revoked = training.revokedFlags(rows.map((r) => r.id))
    return rows.map((r) => (revoked.has(r.id) ? { ...r, trainingCertRevoked: true } : r))
  }

  function query(actor: StaffActor, f: Omit<QueueFilterInput, 'search' | 'claim'> & { claim?: QueueFilterInput['claim'] }, search?: Search): QueueQuery {
    if (f.from && f.to && f.from > f.to) throw new AppError('invalid_input', '开始日期不能晚于结束日期', { from: '开始日期不能晚于结束日期' })
    return {
      stage: f.stage,
      category: f.category,
      applicationType: f.applicationType,
      schoolId: f.schoolId,
      fromAt: f.from ? startOfDay(f.from) : undefined,
      toAt: f.to ? startOfDay(addDays(f.to, 1)) : undefined,
      search,
      claim: f.claim ?? 'all',
      staffId: actor.id,
      expiredAtMs: kit.expiredAtMs()
    }
  }

  function toRow(r: QueueDbRow, actor: StaffActor): QueueRow {
    return {
      id: r.id,
      category: r.category,
      applicationType: r.application_type,
      idNumberMasked: maskIdNumber(r.id_number),
      name: r.name,
      phoneMasked: r.phone ? maskPhone(r.phone) : '',
      schoolName: r.school_name,
      submittedAt: r.submitted_at,
      submissionCount: r.submission_count,
      countdown: kit.countdownOf(r.submitted_at),
      claim: r.claim_staff_id
        ? kit.claimInfo({ staff_id: r.claim_staff_id, staff_name: r.claim_staff_name!, claimed_at: r.claimed_at!, last_active_ms: r.claim_active_ms! }, actor)
        : null
    }
  }

  function page(actor: StaffActor, input: QueueFilterInput & { page: number; pageSize: number }): QueuePage {
    kit.requireRole(actor, input.stage, true)
    const searches = parseSearch(input.search)
    const offset = (input.page - 1) * input.pageSize
    const want = input.pageSize + 1
    let rows: QueueDbRow[]
    if (searches.length <= 1) {
      rows = repo.queuePage(query(actor, input, searches[0]), want, offset)
    } else {
      // Two readings of the same digits: merge two index-ordered lists.
      const seen = new Set<number>()
      rows = searches
        .flatMap((s) => repo.queuePage(query(actor, input, s), offset + want, 0))
        .sort((a, b) => (a.submitted_at < b.submitted_at ? -1 : a.submitted_at > b.submitted_at ? 1 : a.id - b.id))
        .filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
        .slice(offset, offset + want)
    }
    return {
      rows: withTrainingFlags(rows.slice(0, input.pageSize).map((r) => toRow(r, actor))),
      page: input.page,
      pageSize: input.pageSize,
      hasMore: rows.length > input.pageSize
    }
  }

  function stats(actor: StaffActor, input: QueueFilterInput): QueueStats {
    kit.requireRole(actor, input.stage, true)
    const searches = parseSearch(input.search)
    const total = searches.length
      ? searches.length === 1
        ? repo.queueCount(query(actor, input, searches[0]))
        : // an ambiguous search is a short list; counting its merged page is exact enough for the badge
          page(actor, { ...input, page: 1, pageSize: 200 }).rows.length
      : repo.queueCount(query(actor, input))
    return {
      waiting: repo.stageCount(input.stage),
      total,
      overdue: repo.stageCountBefore(input.stage, kit.overdueCutoff()),
      mine: repo.mineCount(input.stage, actor.id, kit.expiredAtMs())
    }
  }

  /**
   * The clerk's next application: one they already hold in this queue (after a reload), else the
   * oldest nobody holds. Atomic: two clerks asking at once get two different applications.
   */
  function claimNext(actor: StaffActor, input: Omit<QueueFilterInput, 'claim' | 'search'>): { applicationId: number } | null {
    kit.requireRole(actor, input.stage)
    return kit.tx(() => {
      const own = repo.queuePage(query(actor, { ...input, claim: 'mine' }), 1, 0)[0]
      if (own) {
        take(actor, own.id, input.stage)
        return { applicationId: own.id }
      }
      const q = query(actor, input)
      if (input.stage === 'initial_review' && ctx.settings.get('review.separateInitialReviewer')) q.notPreReviewedBy = actor.id
      const id = repo.nextUnclaimed(q)
      if (id === undefined) return null
      if (!take(actor, id, input.stage)) throw new Error('claim lost inside its own transaction')
      return { applicationId: id }
    })
  }

  function take(actor: StaffActor, applicationId: number, stage: ReviewStage): boolean {
    return repo.takeClaim({
      applicationId,
      stage,
      staffId: actor.id,
      staffName: actor.displayName,
      now: ctx.now(),
      nowMs: kit.nowMs(),
      expiredAtMs: kit.expiredAtMs()
    })
  }

  /** Claims a chosen application; 409 naming the holder when another clerk has it. */
  function claim(actor: StaffActor, input: { applicationId: number }): ClaimInfo {
    return kit.tx(() => {
      const app = kit.application(input.applicationId)
      if (!kit.isReviewStage(app.stage)) {
        throw new AppError('conflict', `该申请当前不在审查环节（${STAGE_LABELS[app.stage]}），不能领取`)
      }
      kit.requireRole(actor, app.stage)
      if (app.stage === 'initial_review') {
        const problem = kit.separationProblem(actor, app.id)
        if (problem) kit.deny(actor, { type: 'application', id: app.id }, { reason: 'separation_of_duties' }, new AppError('forbidden', problem))
      }
      if (!take(actor, app.id, app.stage)) {
        const holder = repo.getClaim(app.id)!
        throw new AppError('conflict', `该申请正由${holder.staff_name}审查中，不能重复领取`)
      }
      return kit.claimInfo(repo.getClaim(app.id), actor)!
    })
  }

  /** The screen's heartbeat while the clerk works on it: keeps the lock from expiring. */
  function touch(actor: StaffActor, input: { applicationId: number }): ClaimInfo {
    return kit.tx(() => {
      const app = kit.application(input.applicationId)
      const c = repo.getClaim(app.id)
      if (!kit.isReviewStage(app.stage) || !c || c.staff_id !== actor.id || c.stage !== app.stage) {
        throw new AppError('conflict', c && c.staff_id !== actor.id ? `该申请已由${c.staff_name}领取` : '您未领取该申请或该申请已处理')
      }
      // An expired lock nobody else took is simply renewed.
      if (!take(actor, app.id, app.stage)) throw new AppError('conflict', '锁定已失效，该申请已被其他审查员领取')
      return kit.claimInfo(repo.getClaim(app.id), actor)!
    })
  }

  /** Gives an application back to the queue: its holder, or a supervisor for anyone's (audited). */
  function release(actor: StaffActor, input: { applicationId: number }): null {
    kit.tx(() => {
      const app = kit.application(input.applicationId)
      const c = repo.getClaim(app.id)
      if (!c) return
      if (c.staff_id !== actor.id) {
        if (!actor.roles.includes('supervisor') && !actor.roles.includes('admin')) {
          kit.deny(actor, { type: 'application', id: app.id }, { op: 'review.release', holder: c.staff_name }, new AppError('forbidden', `该申请由${c.staff_name}领取，只有其本人或审批员（主管）可以释放`))
        }
        ctx.audit.byStaff(actor, 'review.lock_released', { type: 'application', id: app.id }, { holder: c.staff_name, holderId: c.staff_id, stage: c.stage, claimedAt: c.claimed_at })
      }
      repo.deleteClaim(app.id)
    })
    return null
  }

  function locks(actor: StaffActor, input: { stage: ReviewStage }): LockRow[] {
    if (!actor.roles.includes('admin')) kit.requireRole(actor, input.stage, true)
    const now = kit.nowMs()
    return repo.liveClaims(input.stage, kit.expiredAtMs()).map((c) => ({
      applicationId: c.application_id,
      stage: c.stage,
      name: c.name,
      idNumberMasked: maskIdNumber(c.id_number),
      staffName: c.staff_name,
      claimedAt: c.claimed_at,
      idleMinutes: Math.floor((now - c.last_active_ms) / 60_000),
      expiresMs: c.last_active_ms + kit.lockIdleMs()
    }))
  }

  return { page, stats, claimNext, claim, touch, release, locks }
}
export type ReviewQueueService = ReturnType<typeof reviewQueueService>
