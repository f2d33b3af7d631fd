// The review desk's part of the demo: the scans of every application waiting in (or returned
// from) review, so that a newcomer sees the viewer with real files. Written into the applicant
// API's attachment store (its file layout and its repository), never a store of our own.
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Core } from '../create-core'
import { requiredAttachments, type ApplicationForm, type AttachmentKind } from '../domain/application-rules'
import { SAMPLE_JPEG, sampleCardPng, samplePdf } from './sample-attachments'

export async function seedReviewAttachments(core: Core): Promise<number> {
  const store = core.services.applicationAttachments
  const apps = core.ctx.db
    .prepare(`SELECT id, category, application_type AS applicationType, form, submitted_at AS at FROM applications WHERE stage IN ('pre_review', 'initial_review', 'returned')`)
    .all() as { id: number; category: 'passenger' | 'freight'; applicationType: 'initial' | 'add_class'; form: string; at: string }[]
  let n = 0
  for (const app of apps) {
    const form = { ...JSON.parse(app.form), category: app.category, applicationType: app.applicationType } as ApplicationForm
    const kinds: AttachmentKind[] = requiredAttachments(form)
    const files: Partial<Record<AttachmentKind, { bytes: Buffer; type: 'image/png' | 'image/jpeg' | 'application/pdf'; name: string }>> = {
      id_front: { bytes: sampleCardPng(app.id, [214, 232, 245]), type: 'image/png', name: '身份证正面.png' },
      id_back: { bytes: sampleCardPng(app.id + 1, [230, 236, 220]), type: 'image/png', name: '身份证反面.png' },
      licence: { bytes: sampleCardPng(app.id + 2, [236, 228, 214]), type: 'image/png', name: '驾驶证正副本.png' },
      no_accident: { bytes: await samplePdf('Traffic record certificate (12123)', app.id), type: 'application/pdf', name: '三年无事故证明.pdf' },
      photo: { bytes: SAMPLE_JPEG, type: 'image/jpeg', name: '免冠照片.jpg' },
      training_cert: { bytes: sampleCardPng(app.id + 3, [240, 220, 220]), type: 'image/png', name: '结业证.png' },
      old_certificate: { bytes: sampleCardPng(app.id + 4, [220, 240, 230]), type: 'image/png', name: '原资格证.png' }
    }
    for (const kind of kinds) {
      const f = files[kind]
      if (!f || store.repo.currentOfKind(app.id, kind)) continue
      const sha256 = createHash('sha256').update(f.bytes).digest('hex')
      const path = store.pathOf(sha256)
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, f.bytes)
      store.repo.insert({ applicationId: app.id, kind, fileName: f.name, contentType: f.type, size: f.bytes.length, sha256, uploadedAt: app.at, uploadedByType: 'applicant', uploadedById: null })
      n++
    }
  }
  return n
}
