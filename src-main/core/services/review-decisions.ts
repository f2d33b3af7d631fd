// The reviewer's decisions on one application: read it whole (form, attachments, automatic
// checks, history), reveal the full ID number (audited), pass it, or return it with every
// deficiency at once (一次性告知). Load → domain → save in one immediate transaction; the SMS
// goes out after the commit.
import type { AttachmentContent, AttachmentKind, DecisionResult, Deficiency, HistoryEntry, ReviewDetail, ReviewStage } from '../../../src-preload/contract/review'
import { ATTACHMENT_KIND_LABELS, FORM_FIELD_LABELS, REVIEW_ROLE, REVIEW_STAGE_LABELS } from '../../../src-preload/contract/review'
import { STAGE_LABELS, type Stage } from '../../../src-preload/contract/vocab'
import type { StaffActor } from '../context'
import { attachmentLabel, requiredAttachments, type ApplicationForm } from '../domain/application-rules'
import { maskIdNumber, maskPhone } from '../domain/masking'
import { blockingFailures, reviewChecks } from '../domain/review-checks'
import { EVENT_LABELS, transition, type WorkflowEvent } from '../domain/workflow'
import { AppError } from '../errors'
import type { ApplicationRecord } from '../storage/repositories/review'
import type { ReviewKit } from './review-kit'
import { trainingCertificatesService } from './training-certificates'
import { TRAINING_EVENT_LABELS } from '../../../src-preload/contract/training-audit'

const PASS_EVENT: Record<ReviewStage, WorkflowEvent> = { pre_review: 'pre_review_pass', initial_review: 'initial_review_pass' }
const RETURN_EVENT: Record<ReviewStage, WorkflowEvent> = { pre_review: 'pre_review_return', initial_review: 'initial_review_return' }

function parseDeficiencies(detail: unknown): Deficiency[] {
  const d = detail as { deficiencies?: Deficiency[] } | null
  return Array.isArray(d?.deficiencies) ? d!.deficiencies.filter((x) => x && typeof x.reason === 'string') : []
}

export function reviewDecisionsService(kit: ReviewKit) {
  const { repo, ctx } = kit
  const training = trainingCertificatesService(ctx) // issue 7: the 结业证 registry

  /** The form as the rules read it: the indexed columns are the truth for name, ID number and phone. */
  function formOf(app: ApplicationRecord): ApplicationForm {
    return {
      ...(JSON.parse(app.form) as Partial<ApplicationForm>),
      category: app.category,
      applicationType: app.application_type,
      name: app.name,
      idNumber: app.id_number,
      ...(app.phone ? { phone: app.phone } : {}),
      ...(app.training_school_id ? { trainingSchoolId: app.training_school_id } : {})
    }
  }

  function checksOf(app: ApplicationRecord, form: ApplicationForm, kinds: Set<string>) {
    const school = app.training_school_id ? repo.school(app.training_school_id) : undefined
    return reviewChecks({
      form,
      stage: app.stage,
      duplicates: repo.duplicates(app.id_number, app.category, app.id).map((d) => ({ id: d.id, stageLabel: STAGE_LABELS[d.stage] })),
      rules: {
        today: kit.today(),
        passengerClasses: ctx.settings.get('passenger.licenceClasses'),
        freightClasses: ctx.settings.get('freight.licenceClasses'),
        maxAge: ctx.settings.get('application.maxAge'),
        minLicenceYears: ctx.settings.get('passenger.minLicenceYears'),
        trainingSchool: form.trainingMode === 'school' && app.training_school_id ? (school ? { id: school.id, active: school.active === 1 } : null) : undefined,
        // issue 7: a local 结业证 is checked against the registry (valid, the applicant's own, the class)
        trainingCertificate:
          form.category === 'freight' && form.trainingCertNonLocal === false && typeof form.trainingCertificateId === 'number' ? training.lookupForRules(form.trainingCertificateId) : undefined,
        attachments: kinds
      }
    })
  }

  function history(app: ApplicationRecord): HistoryEntry[] {
    return repo.events(app.id).map((e) => {
      const detail = e.detail ? (JSON.parse(e.detail) as { note?: string }) : null
      return {
        at: e.at,
        event: e.event,
        label: (EVENT_LABELS as Record<string, string>)[e.event] ?? TRAINING_EVENT_LABELS[e.event] ?? e.event,
        fromStage: e.from_stage,
        toStage: e.to_stage,
        actorName: e.actor_name,
        actorType: e.actor_type,
        deficiencies: parseDeficiencies(detail),
        note: typeof detail?.note === 'string' ? detail.note : null
      }
    })
  }

  function detail(actor: StaffActor, input: { applicationId: number }): ReviewDetail {
    const app = kit.application(input.applicationId)
    const reviewStage = kit.isReviewStage(app.stage) ? app.stage : null
    // Any reviewer (or supervisor) may read any application and its history; deciding is narrower.
    kit.requireReviewer(actor)
    const form = formOf(app)
    const attachments = repo.attachments(app.id)
    const kinds = new Set(attachments.map((a) => a.kind))
    let claim = repo.getClaim(app.id)
    if (!kit.isLive(claim, app.stage)) claim = undefined
    // Reading the application is work on it: it keeps the clerk's own lock alive.
    if (claim && claim.staff_id === actor.id && reviewStage) {
      repo.touch({ applicationId: app.id, stage: reviewStage, staffId: actor.id, nowMs: kit.nowMs(), expiredAtMs: kit.expiredAtMs() })
      claim = repo.getClaim(app.id)
    }
    let cannot: string | null = null
    if (!reviewStage) cannot = `该申请当前为“${STAGE_LABELS[app.stage]}”，不在审查环节`
    else if (!actor.roles.includes(reviewStage === 'pre_review' ? 'pre_reviewer' : 'initial_reviewer')) cannot = `只有${reviewStage === 'pre_review' ? '预审员' : '初审员'}可以作出${REVIEW_STAGE_LABELS[reviewStage]}决定`
    else if (!claim) cannot = '请先领取该申请（领取后锁定给您，其他审查员不能同时审查）'
    else if (claim.staff_id !== actor.id) cannot = `该申请正由${claim.staff_name}审查中`
    else if (reviewStage === 'initial_review') cannot = kit.separationProblem(actor, app.id)
    const hist = history(app)
    const lastReturn = [...hist].reverse().find((h) => h.event.endsWith('_return'))
    return {
      id: app.id,
      stage: app.stage,
      category: app.category,
      applicationType: app.application_type,
      name: app.name,
      idNumberMasked: maskIdNumber(app.id_number),
      phoneMasked: app.phone ? maskPhone(app.phone) : '',
      submittedAt: app.submitted_at,
      submissionCount: app.submission_count ?? (app.submitted_at ? 1 : 0),
      trainingNo: app.training_no,
      schoolName: app.school_name,
      enteredByStaff: app.entered_by_staff !== null,
      form: { ...form, idNumber: maskIdNumber(app.id_number), phone: app.phone ? maskPhone(app.phone) : '' },
      attachments: attachments.map((a) => ({
        kind: a.kind as AttachmentKind,
        label: attachmentLabel(a.kind as AttachmentKind, app.category),
        fileName: a.file_name,
        contentType: a.content_type,
        size: a.size,
        sha256: a.sha256,
        uploadedAt: a.uploaded_at
      })),
      requiredAttachments: requiredAttachments(form),
      checks: checksOf(app, form, kinds),
      history: hist,
      countdown: reviewStage && app.submitted_at ? kit.countdownOf(app.submitted_at) : null,
      claim: kit.claimInfo(claim, actor),
      canDecide: cannot === null,
      cannotDecideBecause: cannot,
      lastDeficiencies: lastReturn?.deficiencies ?? [],
      trainingCertificate: training.forReview({ id: app.id, category: app.category, idNumber: app.id_number, form }) // issue 7
    }
  }

  /** The full ID number and phone for the detail screen: every view is in the audit log. */
  function revealPersonal(actor: StaffActor, input: { applicationId: number }): { idNumber: string; phone: string } {
    kit.requireReviewer(actor)
    const app = kit.application(input.applicationId)
    ctx.audit.byStaff(actor, 'pii.viewed', { type: 'application', id: app.id }, { fields: ['idNumber', 'phone'], context: 'review' })
    return { idNumber: app.id_number, phone: app.phone ?? '' }
  }

  /** One attachment's bytes for the viewer; each view is audited (scans of ID cards are personal data). */
  async function attachment(actor: StaffActor, input: { applicationId: number; kind: AttachmentKind }): Promise<AttachmentContent> {
    kit.requireReviewer(actor)
    const app = kit.application(input.applicationId)
    if (!kit.attachments) throw new AppError('unavailable', '附件存储尚未启用')
    const file = await kit.attachments.read(app.id, input.kind)
    if (!file) throw new AppError('not_found', `该申请没有${ATTACHMENT_KIND_LABELS[input.kind]}`)
    ctx.audit.byStaff(actor, 'review.attachment_viewed', { type: 'application', id: app.id }, { kind: input.kind, sha256: file.sha256 })
    return {
      kind: input.kind,
      label: attachmentLabel(input.kind, app.category),
      fileName: file.fileName,
      contentType: file.contentType,
      size: file.size,
      sha256: file.sha256,
      uploadedAt: file.uploadedAt,
      dataBase64: file.bytes.toString('base64')
    }
  }

  /**
   * Inside the decision's transaction: the application is in a review stage, this clerk may
   * decide it, and holds its lock (an expired lock of theirs that nobody took is renewed).
   */
  function guard(actor: StaffActor, applicationId: number, event: 'pass' | 'return') {
    const app = kit.application(applicationId)
    if (!kit.isReviewStage(app.stage)) {
      throw new AppError('conflict', `该申请当前为“${STAGE_LABELS[app.stage]}”，已不在审查环节（可能已由他人处理或申请人已撤回）`)
    }
    const stage = app.stage
    const other: ReviewStage = stage === 'pre_review' ? 'initial_review' : 'pre_review'
    if (!actor.roles.includes(REVIEW_ROLE[stage]) && actor.roles.includes(REVIEW_ROLE[other])) {
      throw new AppError('conflict', `该申请已进入“${STAGE_LABELS[stage]}”，已不在${REVIEW_STAGE_LABELS[other]}环节`)
    }
    kit.requireRole(actor, stage)
    const wf = transition({ stage, category: app.category }, event === 'pass' ? PASS_EVENT[stage] : RETURN_EVENT[stage], { kind: 'staff', roles: actor.roles })
    if (!wf.ok) throw new AppError('conflict', wf.reason)
    const c = repo.getClaim(app.id)
    if (!c || c.stage !== stage || c.staff_id !== actor.id) {
      if (c && c.stage === stage && kit.isLive(c, stage)) throw new AppError('conflict', `该申请正由${c.staff_name}审查中，您不能作出决定`)
      throw new AppError('conflict', '请先领取该申请再作出决定')
    }
    if (!repo.takeClaim({ applicationId: app.id, stage, staffId: actor.id, staffName: actor.displayName, now: ctx.now(), nowMs: kit.nowMs(), expiredAtMs: kit.expiredAtMs() })) {
      throw new AppError('conflict', '您的锁定已超时，该申请已被其他审查员领取')
    }
    if (stage === 'initial_review') {
      const problem = kit.separationProblem(actor, app.id)
      if (problem) kit.deny(actor, { type: 'application', id: app.id }, { reason: 'separation_of_duties' }, new AppError('forbidden', problem))
    }
    return { app, stage, to: wf.stage as Stage }
  }

  function finish(actor: StaffActor, app: ApplicationRecord, stage: ReviewStage, to: Stage, event: WorkflowEvent, detail: Record<string, unknown>, deficiencies: Deficiency[], note: string | null) {
    const now = ctx.now()
    if (!repo.setStage(app.id, stage, to, now)) throw new AppError('conflict', '该申请已被他人处理，请刷新')
    repo.insertEvent({ applicationId: app.id, at: now, event, fromStage: stage, toStage: to, actorId: actor.id, actorName: actor.displayName, detail })
    repo.insertDecision({
      applicationId: app.id,
      stage,
      decision: deficiencies.length ? 'return' : 'pass',
      staffId: actor.id,
      staffName: actor.displayName,
      at: now,
      deficiencies,
      note,
      submittedAt: app.submitted_at
    })
    repo.deleteClaim(app.id)
  }

  async function notify(phone: string | null, text: string): Promise<boolean> {
    if (!phone || !kit.sms) return false
    try {
      await kit.sms.send(phone, text)
      return true
    } catch (e) {
      ctx.audit.record({ actorType: 'system', action: 'sms.failed', detail: { to: maskPhone(phone), error: (e as Error).message } })
      return false
    }
  }

  async function pass(actor: StaffActor, input: { applicationId: number; note?: string; noAccidentConfirmed?: boolean }): Promise<DecisionResult> {
    const result = kit.tx(() => {
      const { app, stage, to } = guard(actor, input.applicationId, 'pass')
      const form = formOf(app)
      const failures = blockingFailures(checksOf(app, form, new Set(repo.attachments(app.id).map((a) => a.kind))))
      if (failures.length) {
        const fields: Record<string, string> = {}
        for (const f of failures) fields[f.attachment ?? f.field ?? f.key] ??= f.detail
        throw new AppError('rule_violation', `有${failures.length}项自动检查未通过，不能通过审查，请退回补正`, fields)
      }
      if (stage === 'initial_review' && input.noAccidentConfirmed !== true) {
        throw new AppError('rule_violation', '请先核实三年无事故证明并勾选确认', { noAccidentConfirmed: '请确认已核实三年无事故证明' })
      }
      let trainingNo: string | null = app.training_no
      if (stage === 'initial_review' && !trainingNo) {
        // 培训证号: assigned on acceptance, never reused.
        const year = Number(kit.today().slice(0, 4))
        trainingNo = `${year}${String(repo.nextTrainingSeq(year)).padStart(6, '0')}`
        repo.setTrainingNo(app.id, trainingNo)
      }
      const event = PASS_EVENT[stage]
      finish(actor, app, stage, to, event, { ...(input.note ? { note: input.note } : {}), ...(trainingNo && stage === 'initial_review' ? { trainingNo } : {}), ...(stage === 'initial_review' ? { noAccidentConfirmed: true } : {}) }, [], input.note ?? null)
      ctx.audit.byStaff(actor, 'review.passed', { type: 'application', id: app.id }, { stage, to, trainingNo: stage === 'initial_review' ? trainingNo : undefined, note: input.note })
      return { app, stage, to, trainingNo }
    })
    const text =
      result.stage === 'pre_review'
        ? `【郑州交通】${result.app.name}您好，您的道路运输从业资格申请已通过材料预审，正在进行资格初审。`
        : result.to === 'fee_payment'
          ? `【郑州交通】${result.app.name}您好，您的从业资格申请已通过资格初审（培训证号${result.trainingNo}），请在政务交通APP缴纳考试费并预约考试。`
          : `【郑州交通】${result.app.name}您好，您的从业资格申请已通过资格初审（培训证号${result.trainingNo}），正在进行许可审批。`
    const smsQueued = await notify(result.app.phone, text)
    return { applicationId: result.app.id, stage: result.to, trainingNo: result.trainingNo, smsQueued }
  }

  async function returnForCorrection(actor: StaffActor, input: { applicationId: number; deficiencies: Deficiency[]; note?: string }): Promise<DecisionResult> {
    // One line per (field or attachment, reason); the same line twice is said once.
    const seen = new Set<string>()
    const list: Deficiency[] = []
    const fields: Record<string, string> = {}
    input.deficiencies.forEach((d, i) => {
      if (d.field && !(d.field in FORM_FIELD_LABELS)) fields[`deficiencies.${i}.field`] = `未知的字段：${d.field}`
      const key = `${d.field ?? ''}|${d.attachment ?? ''}|${d.reason}`
      if (seen.has(key)) return
      seen.add(key)
      list.push(d.field ? { field: d.field, reason: d.reason } : { attachment: d.attachment!, reason: d.reason })
    })
    if (Object.keys(fields).length) throw new AppError('invalid_input', '退回原因中有无效的字段', fields)
    const result = kit.tx(() => {
      const { app, stage, to } = guard(actor, input.applicationId, 'return')
      const event = RETURN_EVENT[stage]
      finish(actor, app, stage, to, event, { deficiencies: list, ...(input.note ? { note: input.note } : {}) }, list, input.note ?? null)
      ctx.audit.byStaff(actor, 'review.returned', { type: 'application', id: app.id }, { stage, deficiencies: list, note: input.note })
      return { app, stage, to }
    })
    const lines = list.map((d, i) => `${i + 1}.${d.field ? FORM_FIELD_LABELS[d.field] : ATTACHMENT_KIND_LABELS[d.attachment!]}：${d.reason}`)
    const text =
      `【郑州交通】${result.app.name}您好，您的道路运输从业资格申请${REVIEW_STAGE_LABELS[result.stage]}未通过，需补正以下${list.length}项：` +
      `${lines.join('；')}${input.note ? `；${input.note}` : ''}。请登录政务交通APP按要求修改后重新提交。`
    const smsQueued = await notify(result.app.phone, text)
    return { applicationId: result.app.id, stage: result.to, trainingNo: null, smsQueued }
  }

  return { detail, revealPersonal, attachment, pass, return: returnForCorrection, formOf }
}
export type ReviewDecisionsService = ReturnType<typeof reviewDecisionsService>
