// 窗口代办: a walk-in applicant's application entered at the counter, with the applicant API's
// form schema, rules and attachment store, then reviewed by the same clerk.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { SAMPLE_JPEG, sampleCardPng, samplePdf } from '../../src-main/core/demo/sample-attachments'
import type { AttachmentKind } from '../../src-preload/contract/review'
import { fakeClock, testCore, type TestCore } from '../support/core'
import { clerk, idNumberFor, stageOf } from './review-helpers'

let core: TestCore
afterEach(() => core?.dispose())

const form = (idNumber: string) => ({
  name: '窗口办',
  idNumber,
  phone: '13912345678',
  householdNonLocal: false,
  idIssuer: '郑州市公安局金水分局',
  gender: 'M',
  birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
  ethnicity: '01',
  education: '20',
  politicalStatus: '13',
  priorOccupation: '货车司机',
  licenceNonLocal: false,
  licenceIssuer: '郑州市公安局交通警察支队',
  licenceFileNo: '410100123456',
  licenceClasses: ['A1'],
  licenceFirstIssued: '2012-05-01',
  licenceIssued: '2018-05-01',
  licenceValidYears: '10',
  householdAddress: '河南省郑州市金水区花园路88号',
  currentAddress: '河南省郑州市金水区花园路88号院3号楼',
  collectMethod: 'pickup',
  trainingMode: 'self'
})

async function uploadInChunks(c: TestCore, actor: Parameters<TestCore['services']['review']['counter']['upload']>[0], applicationId: number, kind: AttachmentKind, bytes: Buffer, fileName: string) {
  const size = 1000
  const count = Math.ceil(bytes.length / size)
  const uploadId = randomUUID()
  let last: unknown
  for (let i = 0; i < count; i++) {
    last = await c.services.review.counter.upload(actor, { applicationId, kind, fileName, uploadId, index: i, count, dataBase64: bytes.subarray(i * size, (i + 1) * size).toString('base64') })
  }
  return last
}

describe('counter entry (窗口代办)', () => {
  it('checks the form like the app, takes scans in chunks, lists every problem at submission, then hands it to the clerk', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T10:00:00+08:00') })
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const idNumber = idNumberFor('1982-04-05')

    const bad = await core.dispatch('review.counterCreate', { category: 'passenger', applicationType: 'initial', form: { ...form(idNumber), birthDate: '1982/04/05', gender: 'X', shoe: 42 } }, { token: wang.token })
    expect(bad).toMatchObject({ ok: false, status: 400, error: { fields: { birthDate: '日期格式应为 YYYY-MM-DD', shoe: '不允许的字段' } } })
    expect((bad as { error: { fields: Record<string, string> } }).error.fields.gender).toBeTruthy()
    expect(core.ctx.db.prepare('SELECT count(*) AS n FROM applications').get()).toEqual({ n: 0 })

    const { applicationId: id } = core.services.review.counter.create(wang, { category: 'passenger', applicationType: 'initial', form: form(idNumber) })
    const row = core.ctx.db.prepare('SELECT stage, entered_by_staff, name, phone FROM applications WHERE id = ?').get(id)
    expect(row).toEqual({ stage: 'draft', entered_by_staff: wang.id, name: '窗口办', phone: '13912345678' })

    const stored = await uploadInChunks(core, wang, id, 'id_front', sampleCardPng(5), '扫描0001.png')
    expect(stored).toMatchObject({ kind: 'id_front', contentType: 'image/png', size: sampleCardPng(5).length })
    // A renamed executable is refused by its bytes, whatever its name.
    await expect(uploadInChunks(core, wang, id, 'id_back', Buffer.from('MZ\x90\x00 this is not a scan'), 'scan.png')).rejects.toMatchObject({ status: 415 })

    const missing = await core.dispatch('review.counterSubmit', { applicationId: id }, { token: wang.token })
    expect(missing).toMatchObject({ ok: false, status: 422 })
    expect(Object.keys((missing as { error: { fields: Record<string, string> } }).error.fields).sort()).toEqual(['id_back', 'licence', 'no_accident', 'photo'])

    await uploadInChunks(core, wang, id, 'id_back', sampleCardPng(6), '扫描0002.png')
    await uploadInChunks(core, wang, id, 'licence', sampleCardPng(7), '扫描0003.png')
    await uploadInChunks(core, wang, id, 'no_accident', await samplePdf('12123', 1), '无事故证明.pdf')
    await uploadInChunks(core, wang, id, 'photo', SAMPLE_JPEG, '照片.jpg')
    core.services.review.counter.submit(wang, { applicationId: id })
    expect(stageOf(core, id)).toBe('pre_review')

    // The clerk reviews it at once: it is already theirs.
    const d = core.services.review.decisions.detail(wang, { applicationId: id })
    expect(d).toMatchObject({ enteredByStaff: true, canDecide: true, claim: { staffName: '王晓梅', mine: true } })
    expect(d.history.map((h) => [h.event, h.actorName])).toEqual([['submit', '王晓梅']])
    expect((await core.services.review.decisions.pass(wang, { applicationId: id })).stage).toBe('initial_review')
    const actions = (core.ctx.db.prepare(`SELECT action FROM audit_log WHERE target_id = ? ORDER BY id`).all(String(id)) as { action: string }[]).map((r) => r.action)
    expect(actions).toEqual(expect.arrayContaining(['review.counter_created', 'review.counter_submitted', 'review.passed']))
  })

  it('will not let the counter edit an applicant’s own draft from the app', async () => {
    core = await testCore()
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const id = core.ctx.repos.applications.insert({
      applicantId: null, category: 'passenger', applicationType: 'initial', stage: 'draft', idNumber: idNumberFor('1990-01-01'), name: '自己填', phone: null,
      trainingSchoolId: null, trainingNo: null, form: {}, submittedAt: null, stageEnteredAt: core.ctx.now(), enteredByStaff: null, now: core.ctx.now()
    })
    expect(() => core.services.review.counter.save(wang, { applicationId: id, form: { name: '改名' } })).toThrow('窗口不能代为修改')
  })
})
