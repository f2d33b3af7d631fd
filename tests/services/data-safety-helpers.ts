// Helpers for the data-safety tests: an administrator actor and an office with real applications
// whose attachment files sit under the data folder as the applicant API stores them
// (attachments/ab/<sha256>), written straight into the tables of migrations 0001–0002.
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { StaffActor } from '../../src-main/core/context'
import type { Core } from '../../src-main/core/create-core'
import { SAMPLE_JPEG } from '../../src-main/core/demo/sample-attachments'

export function adminActor(core: Core): StaffActor {
  const row = core.ctx.db.prepare("SELECT id, username, display_name AS displayName FROM staff WHERE username = 'admin'").get() as {
    id: number
    username: string
    displayName: string
  }
  return { kind: 'staff', ...row, roles: ['admin'] }
}

let seq = 0
/** A valid-looking 18-digit ID number (check digit computed). */
export function idNumber(n: number): string {
  const body = `410105199${(n % 10).toString()}0${(1 + (n % 9)).toString()}1${String(n % 1000).padStart(3, '0')}`.slice(0, 17)
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0)
  return body + '10X98765432'[sum % 11]
}

/** A JPEG of about `bytes` (a real JPEG with random padding in a comment segment). */
export function jpegOfSize(bytes: number): Buffer {
  const pad = Math.max(0, bytes - SAMPLE_JPEG.length)
  const segments: Buffer[] = []
  for (let left = pad; left > 0; ) {
    const n = Math.min(left, 65_000)
    const len = Buffer.alloc(4)
    len.writeUInt16BE(0xfffe, 0)
    len.writeUInt16BE(n + 2, 2)
    segments.push(len, randomBytes(n))
    left -= n
  }
  return Buffer.concat([SAMPLE_JPEG.subarray(0, 2), ...segments, SAMPLE_JPEG.subarray(2)])
}

/** One submitted application with `count` attachments (files on disk, rows in the tables). */
export async function addApplicationWithAttachments(core: Core, count: number): Promise<{ sha256: string; size: number }[]> {
  const db = core.ctx.db
  const now = core.ctx.now()
  const n = ++seq
  const id = idNumber(n + 100)
  const applicant = db
    .prepare('INSERT INTO applicants (id_number, name, phone, created_at) VALUES (?, ?, ?, ?)')
    .run(id, `张${'伟芳娜敏静'[n % 5]}`, `1390371${String(n).padStart(4, '0')}`, now).lastInsertRowid
  const app = db
    .prepare(
      `INSERT INTO applications (applicant_id, category, application_type, stage, id_number, name, phone, form, submitted_at, stage_entered_at, created_at, updated_at)
       VALUES (?, 'passenger', 'initial', 'pre_review', ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    .run(applicant, id, '张伟', '13903710000', JSON.stringify({ name: '张伟' }), now, now, now, now).lastInsertRowid
  const kinds = ['id_front', 'id_back', 'licence', 'no_accident', 'photo', 'other']
  const files: { sha256: string; size: number }[] = []
  for (let i = 0; i < count; i++) {
    const bytes = jpegOfSize(20_000 + i * 1000)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const dir = join(core.dataDir, 'attachments', sha256.slice(0, 2))
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, sha256), bytes)
    db.prepare(
      `INSERT INTO attachments (application_id, kind, file_name, content_type, size, sha256, uploaded_at, uploaded_by_type, uploaded_by_id)
       VALUES (?, ?, ?, 'image/jpeg', ?, ?, ?, 'applicant', ?)`
    ).run(app, kinds[i % kinds.length], `${kinds[i % kinds.length]}.jpg`, bytes.length, sha256, now, applicant)
    files.push({ sha256, size: bytes.length })
  }
  core.ctx.audit.record({ actorType: 'applicant', actorId: Number(applicant), action: 'application.submitted', targetType: 'application', targetId: Number(app) })
  return files
}
