// The application form as the applicant (or a counter clerk on their behalf) fills it in: drafts,
// edits, submission with every rule checked at once, 补正 and resubmission, the progress timeline.
import type { ApplicationType, Category, Stage } from '../../../src-preload/contract/vocab'
import { CATEGORY_LABELS, OPEN_STAGES, STAGE_LABELS } from '../../../src-preload/contract/vocab'
import type { CoreContext, StaffActor } from '../context'
import { AppError } from '../errors'
import {
  attachmentLabel,
  checkApplication,
  problemsOf,
  type ApplicationForm,
  type AttachmentKind,
  type RuleCheck
} from '../domain/application-rules'
import { normalizeIdNumber } from '../domain/id-number'
import { APPLICANT_STATUS, APPLICANT_STATUS_TEXT, deficienciesOf, deriveProgress, type ProgressStep, type StepNo } from '../domain/progress'
import { shanghaiDate } from '../domain/time'
import { transition } from '../domain/workflow'
import { applicationRecordRepository, type ApplicationRecord } from '../storage/repositories/application-records'
import { attachmentRepository, type AttachmentBrief, type AttachmentContentType } from '../storage/repositories/attachments'
import type { ApplicantActor } from './applicant-accounts'
import { groupCommitter, type GroupCommitter } from './applications-group-commit'
import type { Db } from '../storage/database'
import { applicationViewCache, dropFromViewCache, type ViewCache } from '../storage/change-watch'

type ProgressOverrides = (app: { category: Category; stage: Stage }) => Partial<Record<StepNo, { text: string; at: string | null }>>

/** Who changes an application: the applicant in the app, or a counter clerk (窗口代办). */
export type FormActor = ApplicantActor | StaffActor

/** The form fields the applicant edits (everything but category, which is fixed at creation). */
export type FormPatch = { [K in keyof ApplicationForm]?: ApplicationForm[K] | null }

/** What the applicant sees of one attachment. */
export interface AttachmentView {
  kind: AttachmentKind
  label: string
  fileName: string
  contentType: AttachmentContentType
  size: number
  sha256: string
  uploadedAt: string
}

export interface DeficiencyView {
  field?: string
  attachment?: string
  label: string
  reason: string
}

export type ApplicationView = Omit<ApplicationForm, 'category' | 'applicationType'> & {
  id: number
  status: string
  statusText: string
  category: Category
  categoryLabel: string
  applicationType: ApplicationType
  trainingNo: string | null
  submittedAt: string | null
  submissionCount: number
  createdAt: string
  updatedAt: string
  attachments: AttachmentView[]
  deficiencies?: DeficiencyView[]
}

export interface ApplicationSummary {
  id: number
  status: string
  statusText: string
  category: Category
  categoryLabel: string
  applicationType: ApplicationType
  name: string
  trainingNo: string | null
  submittedAt: string | null
  updatedAt: string
}

export interface ProgressView {
  applicationId: number
  name: string
  idNumber: string
  trainingNo: string | null
  category: Category
  categoryLabel: string
  status: string
  statusText: string
  steps: ProgressStep[]
}

/** A local 结业证 record as the registry (issue 7) knows it; registered by that area. */
export type TrainingCertificateLookup = (id: number) => { idNumber: string; vehicleClass: string; valid: boolean } | null
/** Issue 7: links the chosen local 结业证 to the application inside the submission's transaction; throws 409 when another application holds it. */
export type TrainingCertificateLinker = (applicationId: number, form: ApplicationForm) => void

const EDITABLE: readonly Stage[] = ['draft', 'returned']
/** The applicant's timelines, as the API sends them (storage/change-watch.ts). */
const PROGRESS_CACHE = 'progress'

interface Shared {
  grouped: GroupCommitter
  /** The submission writer's thread (submission-writer.ts), when the core has one. */
  writer?: { submit(actor: FormActor, id: number): Promise<string> }
  lookup?: TrainingCertificateLookup
  link?: TrainingCertificateLinker
}
const SHARED = new WeakMap<Db, Shared>()
function sharedOf(db: Db): Shared {
  let s = SHARED.get(db)
  if (!s) SHARED.set(db, (s = { grouped: groupCommitter(db) }))
  return s
}

export function applicationsService(ctx: CoreContext, options: { trainingCertificate?: TrainingCertificateLookup } = {}) {
  const records = applicationRecordRepository(ctx.db)
  // Made when a timeline is first shown: its triggers (storage/change-watch.ts) then run on every
  // write of this connection. The submission writer's connection never shows a timeline, so it has
  // none; nor does the app's until an applicant looks at one.
  let progressCacheOf: ViewCache | undefined
  const progressCache = () => (progressCacheOf ??= applicationViewCache(ctx.db, PROGRESS_CACHE))
  const files = attachmentRepository(ctx.db)
  // Shared by every instance on this database (the review desk builds its own instance): one
  // group committer, and the registry's hooks wherever they were registered.
  const shared = sharedOf(ctx.db)
  const grouped = shared.grouped
  if (options.trainingCertificate) shared.lookup = options.trainingCertificate

  /** The stored form with the columns' values (one copy: this runs for every submission and view). */
  function formOf(r: ApplicationRecord): ApplicationForm {
    const form = { ...(r.form as Partial<ApplicationForm>) } as ApplicationForm
    form.category = r.category
    form.applicationType = r.applicationType
    form.idNumber = r.idNumber
    form.name = r.name
    if (r.phone !== null) form.phone = r.phone
    if (r.trainingSchoolId !== null) form.trainingSchoolId = r.trainingSchoolId
    return form
  }

  function attachmentView(a: AttachmentBrief, category: Category): AttachmentView {
    return {
      kind: a.kind,
      label: attachmentLabel(a.kind, category),
      fileName: a.fileName,
      contentType: a.contentType,
      size: a.size,
      sha256: a.sha256,
      uploadedAt: a.uploadedAt
    }
  }

  function deficiencies(r: ApplicationRecord): DeficiencyView[] | undefined {
    if (r.stage !== 'returned') return undefined
    const last = records.lastReturn(r.id)
    if (!last) return []
    const steps = deriveProgress({ category: r.category, stage: r.stage, registeredAt: null, createdAt: r.createdAt, events: [{ event: last.event, at: last.at, detail: last.detail }] })
    const step = steps.find((s) => s.state === 'rejected')
    return (step?.deficiencies ?? deficienciesOf(last.detail).map((d) => ({ ...d, label: '其他' }))).map((d) => ({ ...d }))
  }

  /** `form`: formOf(r), when the caller has it already. */
  function view(r: ApplicationRecord, attachments: AttachmentBrief[] = files.currentBrief(r.id), form: ApplicationForm = formOf(r)): ApplicationView {
    const v: ApplicationView = {
      id: r.id,
      status: APPLICANT_STATUS[r.stage],
      statusText: APPLICANT_STATUS_TEXT[r.stage],
      categoryLabel: CATEGORY_LABELS[r.category],
      ...form,
      trainingNo: r.trainingNo,
      submittedAt: r.submittedAt,
      submissionCount: r.submissionCount,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      attachments: attachments.map((a) => attachmentView(a, r.category))
    }
    const d = deficiencies(r)
    if (d) v.deficiencies = d
    return v
  }

  /** The application if the actor may see it: 404 when absent, 403 when it is someone else's. */
  function load(actor: FormActor, id: number): ApplicationRecord {
    const r = records.get(id)
    if (!r) throw new AppError('not_found', '申请不存在', { id: '申请不存在' })
    if (actor.kind === 'applicant' && r.applicantId !== actor.id) throw new AppError('forbidden', '无权查看或修改他人的申请')
    return r
  }

  /** Applies a patch to the stored form: null clears a field; column fields are split off. */
  function merged(r: Pick<ApplicationRecord, 'form'> & Partial<ApplicationRecord>, patch: FormPatch) {
    const form: Record<string, unknown> = { ...r.form }
    for (const [k, v] of Object.entries(patch)) {
      if (k === 'category') continue
      if (v === null || v === undefined) delete form[k]
      else form[k] = v
    }
    return form
  }

  function columnsOf(form: Record<string, unknown>, fallback: { idNumber: string; name: string; phone: string | null }) {
    return {
      idNumber: typeof form.idNumber === 'string' && form.idNumber ? normalizeIdNumber(form.idNumber) : fallback.idNumber,
      name: typeof form.name === 'string' && form.name.trim() ? form.name.trim() : fallback.name,
      phone: typeof form.phone === 'string' && form.phone ? form.phone : fallback.phone,
      // The column references training_schools: an unknown school stays in the form only (the rules name it).
      trainingSchoolId: typeof form.trainingSchoolId === 'number' && records.school(form.trainingSchoolId) ? form.trainingSchoolId : null
    }
  }

  /** The form JSON: everything but category and type (columns); the columns' copies stay for a whole snapshot. */
  function storedForm(form: Record<string, unknown>): Record<string, unknown> {
    const { category: _c, applicationType: _t, ...out } = form
    if (typeof out.idNumber === 'string') out.idNumber = normalizeIdNumber(out.idNumber)
    return out
  }

  function conflictOpen(idNumber: string, category: Category, exceptId: number) {
    const other = records.openOf(idNumber, category, exceptId)
    if (other) {
      throw new AppError(
        'conflict',
        `您已有一份未办结的${CATEGORY_LABELS[category]}申请（编号 ${other.id}，${STAGE_LABELS[other.stage]}），同一类别只能有一份在办申请`,
        { category: '同一从业类别已有在办申请' }
      )
    }
  }

  function create(actor: ApplicantActor, input: FormPatch & { category: Category; applicationType: ApplicationType }): ApplicationView {
    const id = ctx.db.transaction(() => {
      const now = ctx.now()
      // The app pre-fills the account's own name, ID number and phone.
      const form = merged({ form: { name: actor.name, idNumber: actor.idNumber, phone: actor.phone } }, input)
      delete form.applicationType
      const cols = columnsOf(form, { idNumber: actor.idNumber, name: actor.name, phone: actor.phone })
      conflictOpen(cols.idNumber, input.category, 0)
      const appId = ctx.repos.applications.insert({
        applicantId: actor.id,
        category: input.category,
        applicationType: input.applicationType,
        stage: 'draft',
        idNumber: cols.idNumber,
        name: cols.name,
        phone: cols.phone,
        trainingSchoolId: cols.trainingSchoolId,
        trainingNo: null,
        form: storedForm(form),
        submittedAt: null,
        stageEnteredAt: now,
        enteredByStaff: null,
        now
      })
      ctx.audit.record({ actorType: 'applicant', actorId: actor.id, actorName: actor.name, action: 'application.created', targetType: 'application', targetId: appId, ip: actor.ip })
      return appId
    })()
    return view(records.get(id)!)
  }

  function update(actor: FormActor, id: number, patch: FormPatch): ApplicationView {
    if ('category' in patch) throw new AppError('invalid_input', '从业类别创建后不能修改；如需申请另一类别，请新建申请', { category: '从业类别不能修改' })
    ctx.db.transaction(() => {
      const r = load(actor, id)
      if (!EDITABLE.includes(r.stage)) {
        throw new AppError('conflict', `申请当前状态为“${STAGE_LABELS[r.stage]}”，只有草稿或退回补正的申请可以修改`)
      }
      const form = merged(r, patch)
      const applicationType = (patch.applicationType ?? r.applicationType) as ApplicationType
      delete form.applicationType
      const cols = columnsOf(form, { idNumber: r.idNumber, name: r.name, phone: r.phone })
      if (cols.idNumber !== r.idNumber) conflictOpen(cols.idNumber, r.category, r.id)
      records.updateForm({ id, applicationType, ...cols, form: storedForm(form), now: ctx.now() })
    })()
    return view(records.get(id)!)
  }

  function ruleContext(r: ApplicationRecord, form: ApplicationForm, accountIdNumber?: string, attachments: AttachmentBrief[] = files.currentBrief(r.id)) {
    const { settings } = ctx
    return {
      today: shanghaiDate(ctx.clock()),
      passengerClasses: settings.get('passenger.licenceClasses'),
      freightClasses: settings.get('freight.licenceClasses'),
      maxAge: settings.get('application.maxAge'),
      minLicenceYears: settings.get('passenger.minLicenceYears'),
      trainingSchool: typeof form.trainingSchoolId === 'number' ? records.school(form.trainingSchoolId) : undefined,
      trainingCertificate:
        shared.lookup && typeof form.trainingCertificateId === 'number' ? shared.lookup(form.trainingCertificateId) : undefined,
      accountIdNumber,
      attachments: new Set<string>(attachments.map((a) => a.kind))
    }
  }

  /** Every rule with its result, as the reviewer's automatic checks show them. */
  function checks(id: number): RuleCheck[] {
    const r = records.get(id)
    if (!r) throw new AppError('not_found', '申请不存在')
    const form = formOf(r)
    return checkApplication(form, ruleContext(r, form))
  }

  /**
   * Submits a draft, or resubmits after 补正: 422 with every problem, or the application in
   * pre-review. Runs inside the caller's transaction (or savepoint): see submit / submitGrouped.
   */
  function submitInTransaction(actor: FormActor, id: number): ApplicationView {
    const r = load(actor, id)
    const event = r.stage === 'returned' ? 'resubmit' : 'submit'
    const next = transition({ stage: r.stage, category: r.category }, event, actor.kind === 'applicant' ? { kind: 'applicant' } : { kind: 'staff', roles: actor.roles })
    if (!next.ok) throw new AppError('conflict', next.reason)
    conflictOpen(r.idNumber, r.category, r.id)
    const form = formOf(r)
    const attachments = files.currentBrief(r.id)
    const problems = problemsOf(checkApplication(form, ruleContext(r, form, actor.kind === 'applicant' ? actor.idNumber : undefined, attachments)))
    const n = Object.keys(problems).length
    if (n) throw new AppError('rule_violation', `申请有${n}处需要补充或更正，请逐项修改后再提交`, problems)

    const now = ctx.now()
    const submissionNo = records.markSubmitted(r.id, r.stage, next.stage, now)
    if (submissionNo === undefined) throw new AppError('conflict', '申请状态已变化，请刷新后重试')
    shared.link?.(r.id, form) // issue 7: one local 结业证, one application
    const actorId = actor.id
    const actorName = actor.kind === 'applicant' ? actor.name : actor.displayName
    records.insertSubmission({
      applicationId: r.id,
      submissionNo,
      submittedAt: now,
      actorType: actor.kind,
      actorId,
      form: form as unknown as Record<string, unknown>,
      attachments: attachments.map((a) => ({ id: a.id, kind: a.kind, fileName: a.fileName, contentType: a.contentType, size: a.size, sha256: a.sha256 }))
    })
    ctx.repos.applications.insertEvent({
      applicationId: r.id,
      at: now,
      event,
      fromStage: r.stage,
      toStage: next.stage,
      actorType: actor.kind,
      actorId,
      actorName,
      detail: { submissionNo }
    })
    ctx.audit.record({
      actorType: actor.kind,
      actorId,
      actorName,
      action: event === 'submit' ? 'application.submitted' : 'application.resubmitted',
      targetType: 'application',
      targetId: r.id,
      detail: { submissionNo, category: r.category },
      ip: actor.ip
    })
    // The answer from what is already loaded: no second read of the row and its files.
    return view({ ...r, stage: next.stage, submittedAt: now, stageEnteredAt: now, updatedAt: now, submissionCount: submissionNo }, attachments, form)
  }

  /** Submits in a transaction of its own (counter clerks, tests, demos). */
  function submit(actor: FormActor, id: number): ApplicationView {
    return ctx.db.transaction(() => submitInTransaction(actor, id))()
  }

  /**
   * Submits sharing a commit with the other submissions of this moment (the applicant API under
   * load); answers the applicant's view as JSON, which the API sends as it is.
   */
  function submitJson(actor: FormActor, id: number): Promise<string> {
    return shared.writer ? shared.writer.submit(actor, id) : submitHereJson(actor, id)
  }

  /**
   * The same on this thread: the writer's own thread, a core without one, or its fallback. The view
   * is serialized inside the job, so that while the batch waits for its flush it holds one string
   * per submission rather than a tree of objects for the scavenger to copy.
   */
  function submitHereJson(actor: FormActor, id: number): Promise<string> {
    return grouped(() => JSON.stringify(submitInTransaction(actor, id)))
  }

  function list(actor: ApplicantActor): ApplicationSummary[] {
    return records.listByApplicant(actor.id).map((r) => ({
      id: r.id,
      status: APPLICANT_STATUS[r.stage],
      statusText: APPLICANT_STATUS_TEXT[r.stage],
      category: r.category,
      categoryLabel: CATEGORY_LABELS[r.category],
      applicationType: r.applicationType,
      name: r.name,
      trainingNo: r.trainingNo,
      submittedAt: r.submittedAt,
      updatedAt: r.updatedAt
    }))
  }

  function get(actor: FormActor, id: number): ApplicationView {
    return view(load(actor, id))
  }

  /**
   * The timeline. `overrides` (step texts other areas own, e.g. the exam's step 06) is asked for
   * only after the ownership check, with the stage and category already loaded here.
   */
  function progress(actor: FormActor, id: number, overrides?: ProgressOverrides, refresh?: () => number): ProgressView {
    return progressOf(actor, id, overrides, refresh).view
  }

  /** `refresh`: brings time-dependent state up to date at the exam stage (returns how much it changed). */
  function progressOf(actor: FormActor, id: number, overrides?: ProgressOverrides, refresh?: () => number) {
    let r = records.forProgress(id)
    if (!r) throw new AppError('not_found', '申请不存在', { id: '申请不存在' })
    if (actor.kind === 'applicant' && r.applicantId !== actor.id) throw new AppError('forbidden', '无权查看或修改他人的申请')
    if (r.stage === 'exam' && refresh?.()) r = records.forProgress(id)!
    const view: ProgressView = {
      applicationId: r.id,
      name: r.name,
      idNumber: r.idNumber,
      trainingNo: r.trainingNo,
      category: r.category,
      categoryLabel: CATEGORY_LABELS[r.category],
      status: APPLICANT_STATUS[r.stage],
      statusText: APPLICANT_STATUS_TEXT[r.stage],
      steps: deriveProgress({
        category: r.category,
        stage: r.stage,
        registeredAt: r.registeredAt,
        createdAt: r.createdAt,
        collectMethod: r.collectMethod ?? undefined,
        events: r.events,
        overrides: overrides?.({ category: r.category, stage: r.stage })
      })
    }
    return { view, applicantId: r.applicantId, stage: r.stage }
  }

  /**
   * The timeline as the applicant API sends it (JSON). The app polls it, so the answer is kept per
   * application until the database reports a write to anything it is derived from (see
   * storage/change-watch.ts). At the exam stage the answer also depends on the time (a session that
   * has ended turns a booking into a no-show: `refresh` applies that first), so it is derived afresh.
   */
  function progressJson(actor: ApplicantActor, id: number, overrides?: ProgressOverrides, refresh?: () => number): string {
    const hit = progressCache().get(id)
    if (hit && hit.ownerId === actor.id) return hit.json
    const { view, applicantId, stage } = progressOf(actor, id, overrides, refresh)
    const json = JSON.stringify(view)
    if (stage !== 'exam') progressCache().set(id, applicantId, json)
    return json
  }

  /** For the review desk: the application with its form, attachments (current and replaced), checks and history. */
  function readForStaff(id: number) {
    const r = records.get(id)
    if (!r) throw new AppError('not_found', '申请不存在')
    const form = formOf(r)
    return {
      record: r,
      form,
      attachments: files.current(id),
      attachmentHistory: files.history(id),
      checks: checkApplication(form, ruleContext(r, form)),
      submissions: records.submissions(id),
      events: records.events(id),
      deficiencies: deficiencies(r) ?? null
    }
  }

  return {
    create,
    update,
    submit,
    submitJson,
    list,
    get,
    progress,
    progressJson,
    checks,
    readForStaff,
    /** Stages in which one person may not open another application of the same category. */
    openStages: OPEN_STAGES,
    /** Drops the cached timeline of an application another connection changed (the submission writer's). */
    forgetProgress(id: number) {
      dropFromViewCache(ctx.db, PROGRESS_CACHE, id)
    },
    /** Issue 7's registry plugs its look-up in here. */
    useTrainingCertificateLookup(fn: TrainingCertificateLookup) {
      shared.lookup = fn
    },
    /** Submissions from now on go to this writer (create-core gives it the thread of submission-writer.ts). */
    useSubmissionWriter(writer: Shared['writer']) {
      shared.writer = writer
    },
    submitHereJson,
    /** Issue 7's registry links the local record at submission. */
    useTrainingCertificateLink(fn: TrainingCertificateLinker) {
      shared.link = fn
    },
    records,
    load,
    /** Runs `job` in the next group commit (see applications-group-commit.ts): atomic on its own, acknowledged once on disk. */
    commitGrouped: grouped
  }
}
export type ApplicationsService = ReturnType<typeof applicationsService>
