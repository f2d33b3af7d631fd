// The review desk (材料预审, 资格初审) as one entry of buildServices: queue and claims,
// decisions, and the administrator's checklist and calendar, sharing one repository. The SMS
// provider and the attachment store are the applicant API's (issue 3), read through their services.
import { readFile } from 'node:fs/promises'
import type { CoreContext } from '../context'
import { dataDirOf } from './applicant-accounts'
import { applicationsService } from './applications'
import { applicationAttachmentsService } from './applications-attachments'
import { reviewConfigService } from './review-config'
import { reviewCounterService } from './review-counter'
import { reviewDecisionsService } from './review-decisions'
import { reviewKit, type ReviewAttachmentReader, type ReviewDeps } from './review-kit'
import { reviewQueueService } from './review-queue'
import { fileSmsProvider } from './sms'

export function reviewDeskService(ctx: CoreContext, deps: ReviewDeps = {}) {
  const applications = applicationsService(ctx)
  const store = applicationAttachmentsService(ctx, applications)
  const attachments: ReviewAttachmentReader = {
    async read(applicationId, kind) {
      const row = store.repo.currentOfKind(applicationId, kind as Parameters<typeof store.repo.currentOfKind>[1])
      if (!row) return null
      const bytes = await readFile(store.pathOf(row.sha256))
      return { fileName: row.fileName, contentType: row.contentType, size: row.size, sha256: row.sha256, uploadedAt: row.uploadedAt, bytes }
    }
  }
  const sms = fileSmsProvider(dataDirOf(ctx))
  const kit = reviewKit(ctx, {
    attachments,
    sms: { send: (to, text) => sms.send({ to, text, at: ctx.now() }) },
    ...deps
  })
  return {
    kit,
    queue: reviewQueueService(kit),
    decisions: reviewDecisionsService(kit),
    config: reviewConfigService(kit),
    counter: reviewCounterService(kit, applications, store)
  }
}
export type ReviewDeskService = ReturnType<typeof reviewDeskService>
