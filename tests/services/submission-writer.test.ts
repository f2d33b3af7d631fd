// The submission writer (services/submission-writer.ts): applicants' submissions validated and
// written on a thread of their own, with a connection of its own, against a real data folder.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { threadId } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src-main/core/errors'
import { auditChainProblems } from '../../src-main/core/services/backups-verify'
import { hashPassword } from '../../src-main/core/security'
import type { ApplicantActor } from '../../src-main/core/services/applicant-accounts'
import type { ApplicationView, FormPatch } from '../../src-main/core/services/applications'
import { SAMPLE_JPEG } from '../../src-main/core/demo/sample-attachments'
import type { AttachmentKind } from '../../src-main/core/domain/application-rules'
import { fakeClock, testCore, type TestCore } from '../support/core'
import { fullForm, makeIdNumber } from '../http/applicant-support'

const KINDS: AttachmentKind[] = ['id_front', 'id_back', 'licence', 'no_accident', 'photo']
let core: TestCore | undefined
afterEach(() => {
  core?.dispose()
  core = undefined
})

/** `n` applicants, each with a complete passenger draft and its five scans. */
async function drafts(c: TestCore, n: number, birth = '1980-05-17') {
  const born = new Date(`${birth}T00:00:00Z`).getTime()
  const { ctx, services } = c
  const now = ctx.now()
  const passwordHash = await hashPassword('abc123')
  const schoolId = ctx.repos.referenceData.insertSchool({ name: '郑州市乐学学车机动车驾驶员培训有限公司', address: '郑州市', phone: '0371-65814555', licenceNo: '豫交运管许可郑字410100000101号' }, now)
  const out: { actor: ApplicantActor; id: number }[] = []
  for (let i = 0; i < n; i++) {
    // One person each: a birth date a day apart.
    const idNumber = makeIdNumber(new Date(born + i * 86400_000).toISOString().slice(0, 10), 'M', 12)
    const name = '张伟'
    const phone = `138${String(i).padStart(8, '0')}`
    const applicantId = services.applicantAccounts.repo.insert({ idNumber, name, phone, passwordHash, now })
    const actor: ApplicantActor = { kind: 'applicant', id: applicantId, idNumber, name, phone }
    const form = fullForm({ idNumber, name, phone }, 'passenger', { trainingMode: 'school', trainingSchoolId: schoolId })
    const app = services.applications.create(actor, { ...(form as FormPatch), category: 'passenger', applicationType: 'initial' })
    for (const kind of KINDS) await services.applicationAttachments.store(actor, app.id, kind, SAMPLE_JPEG, { fileName: `${kind}.jpg` })
    out.push({ actor, id: app.id })
  }
  return out
}

const stageOf = (c: TestCore, id: number) => c.ctx.db.prepare('SELECT stage FROM applications WHERE id = ?').pluck().get(id)

describe('the submission writer', () => {
  it('submits on its own thread: the row, its event and audit entry are there, and the progress shown changes at once', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T10:00:00+08:00') })
    const [d] = await drafts(core, 1)
    // The progress look-up, as the applicant API makes it, caches the draft's timeline on the main thread …
    const shown = () => (JSON.parse(core!.services.applications.progressJson(d.actor, d.id)) as { status: string }).status
    expect(shown()).toBe('draft')
    expect(shown()).toBe('draft') // (from the cache)
    await core.submissionWriter!.warmUp()
    expect(core.submissionWriter!.threadId()).toEqual(expect.any(Number))
    expect(core.submissionWriter!.threadId()).not.toBe(threadId)

    const view = JSON.parse(await core.services.applications.submitJson(d.actor, d.id)) as ApplicationView
    expect(view).toMatchObject({ id: d.id, status: 'submitted', submissionCount: 1, submittedAt: '2026-11-25T10:00:00+08:00' })
    expect(view.attachments.map((a) => a.kind).sort()).toEqual([...KINDS].sort())
    expect(stageOf(core, d.id)).toBe('pre_review')
    const actions = core.ctx.db.prepare("SELECT action FROM audit_log WHERE target_type = 'application' AND target_id = ?").pluck().all(String(d.id))
    expect(actions).toContain('application.submitted')
    // … and shows the submission as soon as the caller is answered.
    expect(shown()).toBe('submitted')
  })

  it('answers a refusal as the same AppError, with every field, and writes nothing', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T10:00:00+08:00') })
    const [a, b] = await drafts(core, 2)
    core.ctx.db.prepare("UPDATE applications SET form = json_remove(form, '$.licenceClasses', '$.householdAddress') WHERE id = ?").run(a.id)
    const refused = await core.services.applications.submitJson(a.actor, a.id).catch((e) => e)
    expect(refused).toBeInstanceOf(AppError)
    expect(refused.code).toBe('rule_violation')
    expect(Object.keys(refused.fields)).toEqual(expect.arrayContaining(['licenceClasses', 'householdAddress']))
    expect(stageOf(core, a.id)).toBe('draft')
    // Someone else's application: 403, as on the main thread.
    const forbidden = await core.services.applications.submitJson(b.actor, a.id).catch((e) => e)
    expect(forbidden).toBeInstanceOf(AppError)
    expect(forbidden.status).toBe(403)
    expect(core.submissionWriter!.threadId()).not.toBeNull()
  })

  it('follows a setting changed on the main thread from its next submission on', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T10:00:00+08:00') })
    const [a, b] = await drafts(core, 2, '1970-03-01') // 56 years old
    await core.services.applications.submitJson(a.actor, a.id) // the writer has read the settings
    core.ctx.settings.set('application.maxAge', 55, null)
    const refused = await core.services.applications.submitJson(b.actor, b.id).catch((e) => e)
    expect(refused).toBeInstanceOf(AppError)
    expect(refused.fields).toHaveProperty('birthDate')
    expect(refused.fields.birthDate).toContain('55')
  })

  it('shares the database with the main thread: its writes never make a main-thread transaction fail, and the audit chain stays whole', async () => {
    core = await testCore()
    const list = await drafts(core, 150)
    const c = core
    await c.submissionWriter!.warmUp()
    // One submission at a time goes to the writer, which commits while the main thread reads then
    // writes in transactions of its own, as the staff's services do.
    const submitted: Promise<string>[] = []
    let mainWrites = 0
    const pause = new Int32Array(new SharedArrayBuffer(4))
    for (const d of list) {
      submitted.push(c.services.applications.submitJson(d.actor, d.id))
      await new Promise((r) => setImmediate(r)) // the job is sent
      c.ctx.db.transaction(() => {
        const n = c.ctx.db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number
        Atomics.wait(pause, 0, 0, 2) // a clerk's transaction takes a moment; the writer commits meanwhile
        c.ctx.audit.record({ actorType: 'system', action: 'test.main_write', detail: { seen: n } })
      })()
      mainWrites++
    }
    const views = (await Promise.all(submitted)).map((json) => JSON.parse(json) as ApplicationView)
    expect(views.every((v) => v.status === 'submitted')).toBe(true)
    expect(mainWrites).toBe(150)
    expect(c.ctx.db.prepare("SELECT count(*) FROM applications WHERE stage = 'pre_review'").pluck().get()).toBe(150)
    const chain = await auditChainProblems(c.ctx.db)
    expect(chain.problems).toEqual([])
    expect(c.ctx.db.prepare("SELECT count(*) FROM audit_log WHERE action IN ('application.submitted', 'test.main_write')").pluck().get()).toBe(300)
  })

  it('on close, answers what it committed and keeps it; nothing is half-written', async () => {
    core = await testCore()
    const list = await drafts(core, 60)
    const c = core
    await c.submissionWriter!.warmUp()
    const outcomes = list.map((d) => c.services.applications.submitJson(d.actor, d.id).then(() => 'saved' as const, (e: AppError) => e.code))
    await new Promise((r) => setImmediate(r)) // the jobs are on their way to the writer
    const dbFile = c.dbFile
    c.close()
    const results = await Promise.all(outcomes)
    expect(results.every((r) => r === 'saved' || r === 'unavailable')).toBe(true)
    const db = new Database(dbFile, { readonly: true })
    try {
      for (const [i, d] of list.entries()) {
        const stage = db.prepare('SELECT stage FROM applications WHERE id = ?').pluck().get(d.id)
        if (results[i] === 'saved') expect(stage).toBe('pre_review')
        else expect(['draft', 'pre_review']).toContain(stage)
        // A submission is all there or not at all: its stage, its snapshot and its event agree.
        const snapshots = db.prepare('SELECT count(*) FROM application_submissions WHERE application_id = ?').pluck().get(d.id)
        expect(snapshots).toBe(stage === 'pre_review' ? 1 : 0)
      }
    } finally {
      db.close()
    }
    // The close() in afterEach must not run twice.
    core = Object.assign(c, { dispose: () => {} })
  })

  it('loads on its thread only what submissions need: not the spreadsheet, PDF or QR libraries (built app)', () => {
    // The bundle npm test builds; the writer's thread starts at the first submission (or when the
    // server listens), and each library it loads costs it time and heap (exceljs alone: 0.2 s, 7 MB).
    const out = join(__dirname, '../../out/main')
    const required = new Set<string>()
    const seen = new Set<string>()
    const follow = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      for (const [, id] of readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
        if (id.startsWith('.')) follow(join(dirname(file), id.endsWith('.js') ? id : `${id}.js`))
        else required.add(id)
      }
    }
    follow(join(out, 'submission-writer-worker.js'))
    expect(required).toContain('better-sqlite3') // (the walk did find the chunks)
    for (const heavy of ['exceljs', 'pdf-lib', 'fontkit', 'qrcode', 'fastify']) expect(required).not.toContain(heavy)
  })
})
