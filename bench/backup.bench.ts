// Backup, verification and doctor figures (issue 9) for a sizeable office: 20,000 applications,
// 100,000 audit entries (each appended through the hash chain), 500 attachment files of 200 KB.
// Prints the audit append rate, the time of a verified backup (and of the next one, which
// hard-links unchanged attachment files), a restore and a doctor run, and how long the event loop
// was blocked at most while the backup ran (the API's worst stall).
//   npm run bench -- backup
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore } from '../src-main/core/create-core'
import { restoreBackup } from '../src-main/core/services/restore'

const APPLICATIONS = 20_000
const AUDIT = 100_000
const FILES = 500
const FILE_BYTES = 200 * 1024

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'qualdesk-backup-bench-'))
  const dataDir = join(root, 'data')
  const core = await createCore({ dataDir, adminPassword: 'Admin2026x', logError: () => {} })
  try {
    const db = core.ctx.db
    const now = core.ctx.now()
    const app = db.prepare(
      `INSERT INTO applications (category, application_type, stage, id_number, name, phone, form, submitted_at, stage_entered_at, created_at, updated_at)
       VALUES ('passenger', 'initial', 'pre_review', ?, '张伟', '13903710000', ?, ?, ?, ?, ?)`
    )
    const form = JSON.stringify({ name: '张伟', currentAddress: '河南省郑州市金水区花园路88号院3号楼2单元501室', licenceClasses: ['A1'] })
    db.transaction(() => {
      for (let i = 0; i < APPLICATIONS; i++) app.run(`41010519900101${String(i).padStart(4, '0')}`, form, now, now, now, now)
    })()
    const att = db.prepare(
      `INSERT INTO attachments (application_id, kind, file_name, content_type, size, sha256, uploaded_at, uploaded_by_type) VALUES (?, 'photo', 'photo.jpg', 'image/jpeg', ?, ?, ?, 'applicant')`
    )
    for (let i = 0; i < FILES; i++) {
      const bytes = randomBytes(FILE_BYTES)
      const sha = createHash('sha256').update(bytes).digest('hex')
      mkdirSync(join(dataDir, 'attachments', sha.slice(0, 2)), { recursive: true })
      writeFileSync(join(dataDir, 'attachments', sha.slice(0, 2), sha), bytes)
      att.run(i + 1, FILE_BYTES, sha, now)
    }
    let t = performance.now()
    db.transaction(() => {
      for (let i = 0; i < AUDIT; i++) core.ctx.audit.record({ actorType: 'staff', actorId: 1, actorName: '王芳', action: 'review.personal_revealed', targetType: 'application', targetId: (i % APPLICATIONS) + 1, detail: { field: 'idNumber' } })
    })()
    const appendRate = AUDIT / ((performance.now() - t) / 1000)
    // and one by one, each its own transaction, as requests do
    t = performance.now()
    for (let i = 0; i < 2000; i++) core.ctx.audit.record({ actorType: 'system', action: 'bench.single' })
    const singleRate = 2000 / ((performance.now() - t) / 1000)

    const admin = { kind: 'staff' as const, id: 1, username: 'admin', displayName: '系统管理员', roles: ['admin' as const] }
    await core.services.backups.saveConfig(admin, { folder: join(root, 'backups'), keep: 5, dailyEnabled: false, dailyTime: '02:00' })

    // Worst event-loop stall while the backup runs (what a clerk's request would wait at most).
    let worst = 0
    let last = performance.now()
    const probe = setInterval(() => {
      const n = performance.now()
      worst = Math.max(worst, n - last - 5)
      last = n
    }, 5)
    t = performance.now()
    const first = await core.services.backups.backupNow(admin)
    const firstMs = performance.now() - t
    clearInterval(probe)
    t = performance.now()
    const second = await core.services.backups.backupNow(admin)
    const secondMs = performance.now() - t
    t = performance.now()
    const doctor = await core.services.doctor.run(null)
    const doctorMs = performance.now() - t
    t = performance.now()
    const restored = await restoreBackup(second.path!, join(root, 'restored'))
    const restoreMs = performance.now() - t

    const mb = (n: number | null) => ((n ?? 0) / 1024 / 1024).toFixed(1)
    console.log(`office: ${APPLICATIONS} applications, ${AUDIT + 2000} audit entries, ${FILES} attachment files of ${FILE_BYTES / 1024} KB`)
    console.log(`  audit append (hash chain): ${appendRate.toFixed(0)} entries/s in one transaction, ${singleRate.toFixed(0)}/s one transaction each (synchronous=FULL)`)
    console.log(`  first backup : ${(firstMs / 1000).toFixed(1)} s for ${mb(first.totalBytes)} MB (db ${mb(first.dbBytes)} MB), ${first.status}/${first.verified}; worst event-loop stall ${worst.toFixed(0)} ms`)
    console.log(`  next backup  : ${(secondMs / 1000).toFixed(1)} s (attachment files hard-linked from the previous backup, all re-verified)`)
    console.log(`  doctor       : ${(doctorMs / 1000).toFixed(1)} s, ok=${doctor.ok}`)
    console.log(`  restore      : ${(restoreMs / 1000).toFixed(1)} s into a fresh folder, doctor ok=${restored.doctor.ok}`)
  } finally {
    core.close()
    rmSync(root, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
