// 窗口代办: a pre-review clerk enters a walk-in applicant's application at the counter with the
// applicant API's own form schema, rules, attachment store and submission (issue 3's services),
// then reviews it. Nothing here validates a form or stores a file a second way.
import type { AttachmentKind } from '../../../src-preload/contract/review'
import type { ApplicationType, Category } from '../../../src-preload/contract/vocab'
import type { StaffActor } from '../context'
import { normalizeIdNumber } from '../domain/id-number'
import { AppError } from '../errors'
import { createApplicationRequest, patchApplicationRequest } from '../http/applicant/schemas'
import { parseInput } from '../validation'
import type { ApplicationsService } from './applications'
import type { ApplicationAttachmentsService, StoredAttachment } from './applications-attachments'
import type { ReviewKit } from './review-kit'

/** Chunks of a file being uploaded from the counter (the HTTP bridge takes 1 MB per call). */
interface PendingUpload {
  applicationId: number
  kind: AttachmentKind
  staffId: number
  parts: Buffer[]
  size: number
  next: number
  startedMs: number
}

export function reviewCounterService(kit: ReviewKit, applications: ApplicationsService, files: ApplicationAttachmentsService) {
  const { ctx, repo } = kit
  const uploads = new Map<string, PendingUpload>()

  function requireClerk(actor: StaffActor) {
    kit.requireRole(actor, 'pre_review')
  }

  function loadCounterDraft(actor: StaffActor, id: number) {
    const app = kit.application(id)
    if (app.stage !== 'draft' && app.stage !== 'returned') {
      throw new AppError('conflict', '该申请已提交，不能再修改')
    }
    if (app.entered_by_staff === null && app.stage === 'draft') {
      kit.deny(actor, { type: 'application', id }, { op: 'counter' }, new AppError('forbidden', '这是申请人自己在App中填写的草稿，窗口不能代为修改'))
    }
    return app
  }

  /** A new application from the counter: the form is checked like the app's (400 with every field). */
  function create(actor: StaffActor, input: { category: Category; applicationType: ApplicationType; form: Record<string, unknown> }) {
    requireClerk(actor)
    const parsed = parseInput(createApplicationRequest, { ...input.form, category: input.category, applicationType: input.applicationType })
    const idNumber = typeof parsed.idNumber === 'string' ? normalizeIdNumber(parsed.idNumber) : ''
    const name = typeof parsed.name === 'string' ? parsed.name.trim() : ''
    if (!idNumber || !name) {
      const fields: Record<string, string> = {}
      if (!idNumber) fields.idNumber = '请填写身份证号'
      if (!name) fields.name = '请填写姓名'
      throw new AppError('invalid_input', '窗口代办须先填写申请人的姓名和身份证号', fields)
    }
    const { category: _c, applicationType: _t, ...patch } = parsed
    const id = ctx.db.transaction(() => {
      const now = ctx.now()
      // A walk-in applicant who also has an app account sees the application in the app too.
      const applicantId = repo.applicantByIdNumber(idNumber)?.id ?? null
      const appId = ctx.repos.applications.insert({
        applicantId,
        category: input.category,
        applicationType: input.applicationType,
        stage: 'draft',
        idNumber,
        name,
        phone: typeof parsed.phone === 'string' ? parsed.phone : null,
        trainingSchoolId: null,
        trainingNo: null,
        form: {},
        submittedAt: null,
        stageEnteredAt: now,
        enteredByStaff: actor.id,
        now
      })
      applications.update(actor, appId, patch)
      ctx.audit.byStaff(actor, 'review.counter_created', { type: 'application', id: appId }, { category: input.category, applicantLinked: applicantId !== null })
      return appId
    })()
    return { applicationId: id }
  }

  function save(actor: StaffActor, input: { applicationId: number; form: Record<string, unknown> }) {
    requireClerk(actor)
    loadCounterDraft(actor, input.applicationId)
    const patch = parseInput(patchApplicationRequest, input.form)
    applications.update(actor, input.applicationId, patch)
    return { applicationId: input.applicationId }
  }

  /**
   * One chunk of a scan (from a file or the scanner's folder). Chunks arrive in order; the last
   * one hands the whole file to the attachment store, which checks its type by its bytes and its size.
   */
  async function upload(
    actor: StaffActor,
    input: { applicationId: number; kind: AttachmentKind; fileName: string; uploadId: string; index: number; count: number; dataBase64: string }
  ): Promise<StoredAttachment | { received: number }> {
    requireClerk(actor)
    loadCounterDraft(actor, input.applicationId)
    const maxBytes = ctx.settings.get('attachment.maxBytes')
    // Abandoned uploads are dropped after 10 minutes.
    for (const [k, u] of uploads) if (kit.nowMs() - u.startedMs > 600_000) uploads.delete(k)
    let u = uploads.get(input.uploadId)
    if (input.index === 0) {
      u = { applicationId: input.applicationId, kind: input.kind, staffId: actor.id, parts: [], size: 0, next: 0, startedMs: kit.nowMs() }
      uploads.set(input.uploadId, u)
    }
    if (!u || u.staffId !== actor.id || u.applicationId !== input.applicationId || u.kind !== input.kind || u.next !== input.index) {
      uploads.delete(input.uploadId)
      throw new AppError('invalid_input', '上传分片顺序有误，请重新上传该文件', { [input.kind]: '请重新上传' })
    }
    const part = Buffer.from(input.dataBase64, 'base64')
    u.parts.push(part)
    u.size += part.length
    u.next++
    if (u.size > maxBytes) {
      uploads.delete(input.uploadId)
      const mb = Math.round(maxBytes / 1024 / 1024)
      throw new AppError('too_large', `文件不能超过${mb}MB`, { [input.kind]: `文件不能超过${mb}MB` })
    }
    if (u.next < input.count) return { received: u.size }
    uploads.delete(input.uploadId)
    return files.store(actor, input.applicationId, input.kind, Buffer.concat(u.parts), { fileName: input.fileName })
  }

  /** Submits with every rule checked (422 listing all), and claims it for this clerk to review now. */
  function submit(actor: StaffActor, input: { applicationId: number }) {
    requireClerk(actor)
    loadCounterDraft(actor, input.applicationId)
    applications.submit(actor, input.applicationId)
    ctx.audit.byStaff(actor, 'review.counter_submitted', { type: 'application', id: input.applicationId })
    kit.tx(() => {
      repo.takeClaim({ applicationId: input.applicationId, stage: 'pre_review', staffId: actor.id, staffName: actor.displayName, now: ctx.now(), nowMs: kit.nowMs(), expiredAtMs: kit.expiredAtMs() })
    })
    return { applicationId: input.applicationId }
  }

  return { create, save, upload, submit }
}
export type ReviewCounterService = ReturnType<typeof reviewCounterService>
