// The guide's whole path over real HTTP against a real data folder: a passenger and a freight
// applicant fill in the form, upload their scans, submit, watch their progress; the staff queue
// sees the submission at once; a returned application is corrected and submitted again.
import { createHash } from 'node:crypto'
import { readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ADMIN_PASSWORD, fakeClock, rpc, testServer, type TestServer } from '../support/core'
import { SAMPLE_JPEG, sampleCardPng, samplePdf } from '../../src-main/core/demo/sample-attachments'
import { addSchool, call, fullForm, makeIdNumber, registerAndLogin, staffReturns, upload, type Applicant } from './applicant-support'

// Generous limits: CI runs every project at once on two cores.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 })

let server: TestServer
let clock: ReturnType<typeof fakeClock>

beforeEach(async () => {
  clock = fakeClock('2026-11-25T09:00:00+08:00')
  server = await testServer({ clock })
})
afterEach(() => server.close())

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

async function staffCounts(): Promise<Record<string, number>> {
  const login = await rpc(server.url, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })
  return (await rpc(server.url, 'queues.counts', {}, login.data.token)).data
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? (d as unknown as { path: string }).path, d.name))
}

async function uploadAll(a: Applicant, id: number, kinds: string[]) {
  const pdf = await samplePdf('No accident record', a.applicantId)
  for (const [i, kind] of kinds.entries()) {
    const [bytes, name, type] =
      kind === 'photo' ? [SAMPLE_JPEG, '免冠照片.jpg', 'image/jpeg'] : kind === 'no_accident' ? [pdf, '三年无事故证明.pdf', 'application/pdf'] : [sampleCardPng(i), `${kind}.png`, 'image/png']
    const r = await upload(server.url, a.token, id, kind, bytes, name, type)
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    expect(r.body).toEqual({ kind, fileName: name, contentType: type, size: bytes.length, sha256: sha(bytes) })
  }
}

describe('a passenger applicant (guide 3.1.2–3.1.3)', () => {
  it('saves a draft, completes it, uploads the scans, submits, and sees the progress; the staff queue counts it at once', async () => {
    const schoolId = addSchool(server)
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('2000-01-05', 'M'), name: '张伟' })
    const before = await staffCounts()

    // A part of the form first: the app saves as the applicant goes.
    const draft = await call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'passenger', applicationType: 'initial', ethnicity: '01' } })
    expect(draft.status).toBe(201)
    expect(draft.body).toMatchObject({ status: 'draft', category: 'passenger', name: '张伟', idNumber: a.idNumber, phone: a.phone, ethnicity: '01', attachments: [] })
    const id = draft.body.id

    // Submitting now lists everything still missing, fields and attachments alike.
    const early = await call(server.url, 'POST', `/applications/${id}/submit`, { token: a.token })
    expect(early.status).toBe(422)
    expect(early.body.error.fields).toMatchObject({ idIssuer: '请填写身份证发证机关', licenceClasses: '请填写准驾车型', photo: '请上传近期免冠照片', id_front: '请上传身份证原件正面' })
    expect(Object.keys(early.body.error.fields).length).toBeGreaterThanOrEqual(20)

    const form = fullForm(a, 'passenger', { trainingMode: 'school', trainingSchoolId: schoolId })
    const patched = await call(server.url, 'PATCH', `/applications/${id}`, { token: a.token, body: form })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ licenceClasses: ['A1'], trainingSchoolId: schoolId, status: 'draft' })

    await uploadAll(a, id, ['id_front', 'id_back', 'licence', 'no_accident', 'photo'])
    const full = await call(server.url, 'GET', `/applications/${id}`, { token: a.token })
    expect(full.body.attachments.map((x: { kind: string; label: string }) => `${x.kind}:${x.label}`)).toEqual([
      'id_front:身份证原件正面',
      'id_back:身份证原件反面',
      'licence:驾驶证原件（正副本）',
      'no_accident:三年无事故证明',
      'photo:近期免冠照片'
    ])

    clock.set('2026-11-25T16:34:43+08:00')
    const submitted = await call(server.url, 'POST', `/applications/${id}/submit`, { token: a.token })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
    expect(submitted.body).toMatchObject({ status: 'submitted', statusText: '已提交，等待材料预审', submittedAt: '2026-11-25T16:34:43+08:00', submissionCount: 1 })

    const after = await staffCounts()
    expect(after.pre_review ?? 0).toBe((before.pre_review ?? 0) + 1)

    const progress = await call(server.url, 'GET', `/applications/${id}/progress`, { token: a.token })
    expect(progress.status).toBe(200)
    expect(progress.body).toMatchObject({ name: '张伟', idNumber: a.idNumber, trainingNo: null, categoryLabel: '经营性道路旅客运输驾驶员' })
    expect(progress.body.steps.map((s: { no: string; state: string; text: string; at: string | null }) => [s.no, s.state, s.text, s.at])).toEqual([
      ['01', 'done', '已注册', '2026-11-25T09:00:00+08:00'],
      ['02', 'done', '已提交申请', '2026-11-25T16:34:43+08:00'],
      ['03', 'current', '已提交，等待材料预审', '2026-11-25T16:34:43+08:00'],
      ['04', 'pending', '未初审', null],
      ['05', 'pending', '未缴费', null],
      ['06', 'pending', '未预约', null],
      ['07', 'pending', '未审批', null],
      ['08', 'pending', '未发证', null]
    ])

    // Submitted: no more edits, uploads or second submissions.
    expect((await call(server.url, 'PATCH', `/applications/${id}`, { token: a.token, body: { priorOccupation: '公交车司机' } })).status).toBe(409)
    expect((await upload(server.url, a.token, id, 'photo', SAMPLE_JPEG)).status).toBe(409)
    expect((await call(server.url, 'POST', `/applications/${id}/submit`, { token: a.token })).status).toBe(409)

    const list = await call(server.url, 'GET', '/applications', { token: a.token })
    expect(list.body).toEqual([expect.objectContaining({ id, status: 'submitted', category: 'passenger', name: '张伟' })])

    // The history: an event for the clerk, an audit entry, and the submission as it was.
    const events = server.core.ctx.db.prepare('SELECT event, actor_type, actor_name FROM application_events WHERE application_id = ?').all(id)
    expect(events).toEqual([{ event: 'submit', actor_type: 'applicant', actor_name: '张伟' }])
    const audit = server.core.ctx.db.prepare("SELECT actor_type, actor_id FROM audit_log WHERE action = 'application.submitted'").all()
    expect(audit).toEqual([{ actor_type: 'applicant', actor_id: a.applicantId }])
    const staffView = server.core.services.applications.readForStaff(id)
    expect(staffView.submissions).toHaveLength(1)
    expect(staffView.checks.every((c) => c.ok)).toBe(true)

    // The applicant can look at their own upload again.
    const file = await fetch(`${server.url}/api/v1/applications/${id}/attachments/photo`, { headers: { authorization: `Bearer ${a.token}` } })
    expect(file.headers.get('content-type')).toBe('image/jpeg')
    expect(Buffer.from(await file.arrayBuffer()).equals(SAMPLE_JPEG)).toBe(true)
  })

  it('allows one open application per ID number and category', async () => {
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1990-04-04', 'F'), name: '李娜' })
    expect((await call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'passenger', applicationType: 'initial' } })).status).toBe(201)
    const second = await call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'passenger', applicationType: 'add_class' } })
    expect(second.status).toBe(409)
    expect(second.body.error.message).toContain('同一类别只能有一份在办申请')
    expect((await call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'freight', applicationType: 'initial' } })).status).toBe(201)
  })
})

describe('a freight applicant (guide 3.2.1)', () => {
  it('submits with a non-local 结业证 scan and sees the six-step timeline', async () => {
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1979-09-09', 'M'), name: '阿卜杜拉·买买提' })
    const created = await call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'freight', applicationType: 'add_class', ...fullForm(a, 'freight', { collectMethod: 'mail', mailAddress: '河南省郑州市二七区大学路南段88号' }) } })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const id = created.body.id
    const missing = await call(server.url, 'POST', `/applications/${id}/submit`, { token: a.token })
    expect(missing.status).toBe(422)
    expect(missing.body.error.fields).toEqual({
      id_front: '请上传身份证原件正面',
      id_back: '请上传身份证原件反面',
      licence: '请上传驾驶证原件（正副本）',
      no_accident: '请上传三年无事故证明',
      photo: '请上传近期免冠照片',
      training_cert: '请上传结业证原件',
      old_certificate: '请上传原资格证照片'
    })
    await uploadAll(a, id, ['id_front', 'id_back', 'licence', 'no_accident', 'photo', 'training_cert', 'old_certificate', 'other', 'other2'])
    const ok = await call(server.url, 'POST', `/applications/${id}/submit`, { token: a.token })
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    const progress = await call(server.url, 'GET', `/applications/${id}/progress`, { token: a.token })
    expect(progress.body.categoryLabel).toBe('经营性道路货物运输驾驶员')
    expect(progress.body.steps.map((s: { no: string; name: string }) => `${s.no}${s.name}`)).toEqual(['01用户注册', '02从业申请', '03材料预审', '04资格初审', '07许可审批', '08许可发证'])
  })
})

describe('补正: returned, corrected, submitted again', () => {
  it('shows every deficiency, keeps the submitted file when a scan is replaced, and keeps each submission', async () => {
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1986-06-06', 'M'), name: '王䶮' })
    const id = (await call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'passenger', applicationType: 'initial', ...fullForm(a, 'passenger') } })).body.id
    await uploadAll(a, id, ['id_front', 'id_back', 'licence', 'no_accident', 'photo'])
    expect((await call(server.url, 'POST', `/applications/${id}/submit`, { token: a.token })).status).toBe(200)
    const before = await staffCounts()

    clock.advance(3600_000)
    staffReturns(server, id, [
      { attachment: 'photo', reason: '照片非白底' },
      { field: 'licenceFileNo', reason: '档案编号与驾驶证不符' },
      { attachment: 'id_front', reason: '扫描件不清晰' }
    ])
    const returned = await call(server.url, 'GET', `/applications/${id}`, { token: a.token })
    expect(returned.body.status).toBe('returned')
    expect(returned.body.deficiencies).toEqual([
      { attachment: 'photo', label: '近期免冠照片', reason: '照片非白底' },
      { field: 'licenceFileNo', label: '档案编号', reason: '档案编号与驾驶证不符' },
      { attachment: 'id_front', label: '身份证原件正面', reason: '扫描件不清晰' }
    ])
    const red = (await call(server.url, 'GET', `/applications/${id}/progress`, { token: a.token })).body.steps[2]
    expect(red).toMatchObject({ no: '03', state: 'rejected', at: '2026-11-25T10:00:00+08:00' })
    expect(red.text).toContain('近期免冠照片：照片非白底；档案编号：档案编号与驾驶证不符；身份证原件正面：扫描件不清晰')

    const oldPhoto = sha(SAMPLE_JPEG)
    const newPhoto = sampleCardPng(99, [255, 255, 255])
    expect((await upload(server.url, a.token, id, 'photo', newPhoto, 'photo-white.png', 'image/png')).status).toBe(201)
    expect((await call(server.url, 'PATCH', `/applications/${id}`, { token: a.token, body: { licenceFileNo: '410100654321' } })).status).toBe(200)
    // The first submission named the old photo: it stays on disk for the history.
    expect(existsSync(server.core.services.applicationAttachments.pathOf(oldPhoto))).toBe(true)

    clock.advance(3600_000)
    const again = await call(server.url, 'POST', `/applications/${id}/submit`, { token: a.token })
    expect(again.status, JSON.stringify(again.body)).toBe(200)
    expect(again.body).toMatchObject({ status: 'submitted', submissionCount: 2 })
    expect(again.body.deficiencies).toBeUndefined()
    expect((await staffCounts()).pre_review).toBe(before.pre_review)

    const steps = (await call(server.url, 'GET', `/applications/${id}/progress`, { token: a.token })).body.steps
    expect(steps[1].text).toBe('已补正并重新提交申请（第2次提交）')
    expect(steps[2]).toMatchObject({ state: 'current', text: '已重新提交，等待材料预审' })

    const history = server.core.services.applications.readForStaff(id)
    expect(history.submissions.map((s) => [s.submissionNo, s.form.licenceFileNo, (s.attachments as { kind: string; sha256: string }[]).find((x) => x.kind === 'photo')!.sha256])).toEqual([
      [1, '410100123456', oldPhoto],
      [2, '410100654321', sha(newPhoto)]
    ])
    expect(history.events.map((e) => e.event)).toEqual(['submit', 'pre_review_return', 'resubmit'])
  })
})

describe('attachment files', () => {
  it('stores a file once by its SHA-256, removes a draft’s replaced file after commit, leaves nothing of a failed upload', async () => {
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1983-03-03', 'F'), name: '刘芳' })
    const id = (await call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'passenger', applicationType: 'initial' } })).body.id
    const root = join(server.core.dataDir, 'attachments')
    const card = sampleCardPng(1)
    await upload(server.url, a.token, id, 'id_front', card, 'a.png', 'image/png')
    await upload(server.url, a.token, id, 'id_back', card, 'b.png', 'image/png')
    expect(filesUnder(root)).toEqual([join(root, sha(card).slice(0, 2), sha(card))])

    // Replacing id_back in a draft: id_front still names the file, so it stays.
    const other = sampleCardPng(2)
    await upload(server.url, a.token, id, 'id_back', other, 'b2.png', 'image/png')
    expect(filesUnder(root).sort()).toEqual([join(root, sha(card).slice(0, 2), sha(card)), join(root, sha(other).slice(0, 2), sha(other))].sort())
    // Replacing id_front too: now nothing names the first file.
    await upload(server.url, a.token, id, 'id_front', SAMPLE_JPEG, 'c.jpg')
    expect(filesUnder(root).sort()).toEqual([join(root, sha(other).slice(0, 2), sha(other)), join(root, sha(SAMPLE_JPEG).slice(0, 2), sha(SAMPLE_JPEG))].sort())

    // Failures: too large, not an image, truncated: no row, no file, no temp file.
    const rows = server.core.ctx.db.prepare('SELECT count(*) AS n FROM attachments').get()
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(11 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF')])
    expect((await upload(server.url, a.token, id, 'no_accident', big, 'big.pdf', 'application/pdf')).status).toBe(413)
    expect((await upload(server.url, a.token, id, 'licence', Buffer.from('MZ\x90\x00 this program cannot be run in DOS mode'), 'setup.jpg')).status).toBe(415)
    expect((await upload(server.url, a.token, id, 'licence', card.subarray(0, card.length - 20), 'cut.png', 'image/png')).status).toBe(415)
    expect(server.core.ctx.db.prepare('SELECT count(*) AS n FROM attachments').get()).toEqual(rows)
    expect(filesUnder(root).filter((f) => !f.includes(sha(other)) && !f.includes(sha(SAMPLE_JPEG)))).toEqual([])
  })
})
