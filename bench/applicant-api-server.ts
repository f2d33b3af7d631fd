// The server side of bench/applicant-api.bench.ts: a real core on a temp data folder, seeded through
// the services (1,000 submitted applications for progress look-ups, N complete drafts with their
// attachments ready to submit), then the real HTTP server on loopback. Prints one JSON line.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { createCore } from '../src-main/core/create-core'
import { createHttpServer } from '../src-main/core/http/server'
import { idCheckChar } from '../src-main/core/domain/id-number'
import { hashPassword, hashToken } from '../src-main/core/security'
import { SAMPLE_JPEG } from '../src-main/core/demo/sample-attachments'
import { fullForm } from '../tests/http/applicant-support'
import type { ApplicantActor } from '../src-main/core/services/applicant-accounts'
import type { FormPatch } from '../src-main/core/services/applications'
import type { AttachmentKind } from '../src-main/core/domain/application-rules'

const PROGRESS_APPS = 1000
const DRAFTS = Number(process.env.BENCH_DRAFTS ?? 40_000)

function idNumber(i: number): string {
  const birth = new Date(Date.UTC(1970, 0, 1) + (i % 10_000) * 86400_000).toISOString().slice(0, 10).replaceAll('-', '')
  const first17 = `410105${birth}${String(Math.floor(i / 10_000)).padStart(2, '0')}${1 + 2 * (i % 5)}`
  return first17 + idCheckChar(first17)
}

async function main() {
  const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'qualdesk-bench-'))
  const core = await createCore({ dataDir, adminPassword: 'Bench2026x', logError: () => {} })
  const { ctx, services } = core
  const now = ctx.now()
  const passwordHash = await hashPassword('abc123')
  const schoolId = ctx.repos.referenceData.insertSchool({ name: '郑州市乐学学车机动车驾驶员培训有限公司', address: '郑州市经济技术开发区四港联动大道', phone: '0371-65814555', licenceNo: '豫交运管许可郑字410100000101号' }, now)
  const repo = services.applicantAccounts.repo
  const farFuture = Date.now() + 30 * 86400_000
  const kinds: AttachmentKind[] = ['id_front', 'id_back', 'licence', 'no_accident', 'photo']

  // One real file; every draft's rows name it (stored once by its hash).
  const actors: ApplicantActor[] = []
  const appIds: number[] = []
  const total = PROGRESS_APPS + DRAFTS
  const seed = ctx.db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = idNumber(i)
      const name = '张伟'
      const phone = `138${String(i).padStart(8, '0')}`
      const applicantId = repo.insert({ idNumber: id, name, phone, passwordHash, now })
      repo.insertToken(hashToken(`bench-token-${i}`), applicantId, now, farFuture)
      const actor: ApplicantActor = { kind: 'applicant', id: applicantId, idNumber: id, name, phone }
      // The same complete form the HTTP tests submit (its dates are valid against today's clock).
      const form = fullForm({ idNumber: id, name, phone }, 'passenger', { trainingMode: 'school', trainingSchoolId: schoolId })
      const app = services.applications.create(actor, { ...(form as FormPatch), category: 'passenger', applicationType: 'initial' })
      actors.push(actor)
      appIds.push(app.id)
    }
  })
  for (let from = 0; from < total; from += 5000) seed(from, Math.min(total, from + 5000))

  const first = await services.applicationAttachments.store(actors[0], appIds[0], 'photo', SAMPLE_JPEG, { fileName: 'photo.jpg' })
  const attach = ctx.db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      for (const kind of kinds) {
        if (i === 0 && kind === 'photo') continue
        services.applicationAttachments.repo.insert({ applicationId: appIds[i], kind, fileName: `${kind}.jpg`, contentType: 'image/jpeg', size: first.size, sha256: first.sha256, uploadedAt: now, uploadedByType: 'applicant', uploadedById: actors[i].id })
      }
    }
  })
  for (let from = 0; from < total; from += 5000) attach(from, Math.min(total, from + 5000))
  // The progress look-ups read submitted applications (with their history).
  ctx.db.transaction(() => {
    for (let i = 0; i < PROGRESS_APPS; i++) services.applications.submit(actors[i], appIds[i])
  })()

  const app = await createHttpServer(core, { logger: false })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  process.stdout.write(
    JSON.stringify({ port, dataDir, progress: { firstApp: appIds[0], count: PROGRESS_APPS, firstToken: 0 }, drafts: { firstApp: appIds[PROGRESS_APPS], count: DRAFTS, firstToken: PROGRESS_APPS } }) + '\n'
  )
  // BENCH_PROFILE=file.cpuprofile: a CPU profile of the server under load (seeding excluded).
  const profile = process.env.BENCH_PROFILE ? await startProfile() : undefined
  process.on('SIGTERM', async () => {
    if (profile) await profile.stop(process.env.BENCH_PROFILE!)
    await app.close()
    core.close()
    process.exit(0)
  })
}

async function startProfile() {
  const { Session } = await import('node:inspector')
  const { writeFileSync } = await import('node:fs')
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))))
  await post('Profiler.enable')
  await post('Profiler.start')
  return {
    async stop(file: string) {
      const { profile } = await post('Profiler.stop')
      writeFileSync(file, JSON.stringify(profile))
    }
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
