import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, fakeClock, testCore, type TestCore } from '../support/core'
import { readOutbox } from '../../src-main/core/services/sms'
import { auditActions, clerk, resubmit, seedApplication, stageOf } from './review-helpers'

let core: TestCore
afterEach(() => core?.dispose())

const THREE_REASONS = [
  { attachment: 'photo' as const, reason: '照片非白色背景' },
  { attachment: 'id_front' as const, reason: '手机翻拍屏幕或纸件，不是扫描件' },
  { field: 'currentAddress', reason: '现住地址不详细' }
]

describe('pre-review decisions', () => {
  it('passes an application to initial review: history, decision, audit, lock released', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T10:00:00+08:00') })
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const id = seedApplication(core)
    core.services.review.queue.claim(wang, { applicationId: id })
    const r = await core.services.review.decisions.pass(wang, { applicationId: id, note: '材料齐全' })
    expect(r).toMatchObject({ applicationId: id, stage: 'initial_review', trainingNo: null })
    expect(stageOf(core, id)).toBe('initial_review')
    expect(core.ctx.db.prepare('SELECT count(*) AS n FROM review_claims').get()).toEqual({ n: 0 })
    const d = core.services.review.decisions.detail(wang, { applicationId: id })
    expect(d.history.map((h) => [h.label, h.actorName])).toEqual([
      ['提交申请', '张伟'],
      ['材料预审通过', '王晓梅']
    ])
    expect(d.history[1].note).toBe('材料齐全')
    expect(auditActions(core, id)).toEqual(['review.passed'])
  })

  it('returns with every deficiency at once; the resubmission comes back to the queue with the old list to check', async () => {
    const clock = fakeClock('2026-11-25T10:00:00+08:00')
    core = await testCore({ clock })
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const id = seedApplication(core)
    core.services.review.queue.claim(wang, { applicationId: id })
    const r = await core.services.review.decisions.return(wang, { applicationId: id, deficiencies: [...THREE_REASONS, THREE_REASONS[0]], note: '请于一周内补正' })
    expect(r.stage).toBe('returned')
    const ev = core.ctx.db.prepare(`SELECT event, detail FROM application_events WHERE application_id = ? ORDER BY id DESC LIMIT 1`).get(id) as { event: string; detail: string }
    expect(ev.event).toBe('pre_review_return')
    // The applicant API reads exactly this: {deficiencies: [{field | attachment, reason}], note}.
    expect(JSON.parse(ev.detail)).toEqual({ deficiencies: THREE_REASONS, note: '请于一周内补正' })
    const audit = core.ctx.db.prepare(`SELECT detail FROM audit_log WHERE action = 'review.returned'`).get() as { detail: string }
    expect(JSON.parse(audit.detail).deficiencies).toHaveLength(3)
    expect(core.services.review.queue.stats(wang, { stage: 'pre_review', claim: 'all' }).waiting).toBe(0)
    // The applicant is told by SMS, every reason in one message.
    expect(r.smsQueued).toBe(true)
    const sms = await readOutbox(core.dataDir)
    expect(sms).toHaveLength(1)
    expect(sms[0].to).toBe('13812345678')
    expect(sms[0].text).toContain('需补正以下3项：1.近期免冠照片：照片非白色背景；2.身份证原件正面：手机翻拍屏幕或纸件，不是扫描件；3.现住地址：现住地址不详细；请于一周内补正')

    clock.set('2026-11-30T09:00:00+08:00')
    resubmit(core, id, '2026-11-30T09:00:00+08:00')
    const row = core.services.review.queue.page(wang, { stage: 'pre_review', claim: 'all', page: 1, pageSize: 5 }).rows[0]
    expect(row.id).toBe(id)
    // The clock restarts with the new submission: Mon 30 Nov → Mon 7 Dec.
    expect(row.countdown).toMatchObject({ deadline: '2026-12-07', label: '剩余5个工作日' })
    const d = core.services.review.decisions.detail(wang, { applicationId: id })
    expect(d.lastDeficiencies).toEqual(THREE_REASONS)
    expect(d.history.map((h) => h.event)).toEqual(['submit', 'pre_review_return', 'resubmit'])
    expect(d.history[1].deficiencies).toEqual(THREE_REASONS)
  })

  it('will not pass what fails an automatic check; the reviewer must return it', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T10:00:00+08:00') })
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const old = seedApplication(core, { birth: '1965-01-01' }) // 61
    const missing = seedApplication(core, { attachments: ['id_front', 'id_back', 'licence', 'photo'] })
    for (const id of [old, missing]) core.services.review.queue.claim(wang, { applicationId: id })
    const checks = core.services.review.decisions.detail(wang, { applicationId: old }).checks
    expect(checks.find((c) => c.ok === false)).toMatchObject({ detail: '年龄61周岁，超过60周岁，不符合申请条件', field: 'birthDate' })
    expect(checks.filter((c) => c.ok).map((c) => c.label)).toContain('身份证号符合 GB 11643（长度、出生日期、校验位）')
    await expect(core.services.review.decisions.pass(wang, { applicationId: old })).rejects.toMatchObject({ code: 'rule_violation', fields: { birthDate: expect.stringContaining('超过60周岁') } })
    await expect(core.services.review.decisions.pass(wang, { applicationId: missing })).rejects.toMatchObject({ fields: { no_accident: '请上传三年无事故证明' } })
    expect(stageOf(core, old)).toBe('pre_review')
  })

  it('shows a duplicate open application of the same category as a failed check', async () => {
    core = await testCore()
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const a = seedApplication(core)
    const idNumber = (core.ctx.db.prepare('SELECT id_number FROM applications WHERE id = ?').get(a) as { id_number: string }).id_number
    const b = seedApplication(core, { idNumber })
    const dup = core.services.review.decisions.detail(wang, { applicationId: b }).checks.find((c) => c.key === 'duplicate')!
    expect(dup.ok).toBe(false)
    expect(dup.detail).toBe(`该身份证号另有在办申请：#${a}（待材料预审）`)
  })

  it('refuses decisions without the lock, on someone else’s lock, and after the application moved on', async () => {
    core = await testCore()
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const zhou = await clerk(core, 'yushen2', '周婷', ['pre_reviewer'])
    const id = seedApplication(core)
    await expect(core.services.review.decisions.pass(wang, { applicationId: id })).rejects.toThrow('请先领取该申请')
    core.services.review.queue.claim(zhou, { applicationId: id })
    await expect(core.services.review.decisions.return(wang, { applicationId: id, deficiencies: THREE_REASONS })).rejects.toThrow('该申请正由周婷审查中')
    await core.services.review.decisions.pass(zhou, { applicationId: id })
    await expect(core.services.review.decisions.pass(zhou, { applicationId: id })).rejects.toThrow('该申请已进入“待资格初审”，已不在材料预审环节')
  })

  it('answers 400 in Chinese for a return without reasons or with a reason naming nothing (dispatch)', async () => {
    core = await testCore()
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const id = seedApplication(core)
    core.services.review.queue.claim(wang, { applicationId: id })
    const empty = await core.dispatch('review.return', { applicationId: id, deficiencies: [] }, { token: wang.token })
    expect(empty).toMatchObject({ ok: false, status: 400, error: { fields: { deficiencies: '退回补正须至少列出一项原因（一次性告知）' } } })
    const nothing = await core.dispatch('review.return', { applicationId: id, deficiencies: [{ reason: '不清楚' }] }, { token: wang.token })
    expect(nothing).toMatchObject({ ok: false, status: 400, error: { fields: { 'deficiencies.0': '每条退回原因须指明一个字段或一个附件' } } })
    const unknownField = await core.dispatch('review.return', { applicationId: id, deficiencies: [{ field: 'shoeSize', reason: 'x' }] }, { token: wang.token })
    expect(unknownField).toMatchObject({ ok: false, status: 400, error: { fields: { 'deficiencies.0.field': '未知的字段：shoeSize' } } })
    expect(stageOf(core, id)).toBe('pre_review')
  })

  it('records every view of the full ID number', async () => {
    core = await testCore()
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const id = seedApplication(core)
    const d = core.services.review.decisions.detail(wang, { applicationId: id })
    expect(d.idNumberMasked).toMatch(/^410\*{11}\w{4}$/)
    expect(JSON.stringify(d)).not.toMatch(/410105\d{11}/)
    const full = core.services.review.decisions.revealPersonal(wang, { applicationId: id })
    expect(full.idNumber).toMatch(/^410105\d{11}[\dX]$/)
    expect(auditActions(core, id)).toEqual(['pii.viewed'])
  })
})

describe('initial review', () => {
  async function throughPreReview(category: 'passenger' | 'freight') {
    const wang = await clerk(core, `y${category}`, '王晓梅', ['pre_reviewer'])
    const id = seedApplication(core, { category })
    core.services.review.queue.claim(wang, { applicationId: id })
    await core.services.review.decisions.pass(wang, { applicationId: id })
    return id
  }

  it('sends a passenger application to the exam fee with a new training number, a freight one to permit approval', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T10:00:00+08:00') })
    const li = await clerk(core, 'chushen', '李建国', ['initial_reviewer'])
    const p = await throughPreReview('passenger')
    const f = await throughPreReview('freight')
    core.services.review.queue.claim(li, { applicationId: p })
    await expect(core.services.review.decisions.pass(li, { applicationId: p })).rejects.toMatchObject({ fields: { noAccidentConfirmed: '请确认已核实三年无事故证明' } })
    const rp = await core.services.review.decisions.pass(li, { applicationId: p, noAccidentConfirmed: true })
    expect(rp).toMatchObject({ stage: 'fee_payment', trainingNo: '2026000001' })
    core.services.review.queue.claim(li, { applicationId: f })
    const rf = await core.services.review.decisions.pass(li, { applicationId: f, noAccidentConfirmed: true })
    expect(rf).toMatchObject({ stage: 'permit_approval', trainingNo: '2026000002' })
    expect(stageOf(core, p)).toBe('fee_payment')
    expect(stageOf(core, f)).toBe('permit_approval')
  })

  it('continues training numbers after any already assigned (demo or imported data)', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T10:00:00+08:00') })
    const li = await clerk(core, 'chushen', '李建国', ['initial_reviewer'])
    const done = seedApplication(core, { stage: 'fee_payment' })
    core.ctx.db.prepare(`UPDATE applications SET training_no = '2026000041' WHERE id = ?`).run(done)
    const p = await throughPreReview('passenger')
    core.services.review.queue.claim(li, { applicationId: p })
    expect((await core.services.review.decisions.pass(li, { applicationId: p, noAccidentConfirmed: true })).trainingNo).toBe('2026000042')
  })

  it('returns from initial review back to the applicant, then the resubmission starts again at pre-review', async () => {
    core = await testCore()
    const li = await clerk(core, 'chushen', '李建国', ['initial_reviewer'])
    const id = await throughPreReview('passenger')
    core.services.review.queue.claim(li, { applicationId: id })
    await core.services.review.decisions.return(li, { applicationId: id, deficiencies: [{ attachment: 'no_accident', reason: '三年内有重大以上交通责任事故记录' }] })
    expect(stageOf(core, id)).toBe('returned')
    resubmit(core, id, '2026-11-26T09:00:00+08:00')
    expect(stageOf(core, id)).toBe('pre_review')
  })
})

describe('the administrator’s checklist and holiday calendar', () => {
  it('edits the deficiency reasons (audited) and a retired reason disappears from the clerk’s list', async () => {
    core = await testCore()
    const { token } = await core.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })
    const admin = core.services.staffAuth.authenticate(token)
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const before = core.services.review.config.reasons(wang, { includeInactive: false })
    expect(before.some((r) => r.target === 'photo' && r.label === '照片非白色背景')).toBe(true)
    const created = core.services.review.config.saveReason(admin, { appliesTo: 'attachment', target: 'photo', label: '照片佩戴帽子或墨镜', sort: 40, active: true })
    expect(() => core.services.review.config.saveReason(admin, { appliesTo: 'attachment', target: 'photo', label: '照片佩戴帽子或墨镜', sort: 1, active: true })).toThrow('已有相同的原因')
    core.services.review.config.saveReason(admin, { ...created, active: false })
    expect(core.services.review.config.reasons(wang, { includeInactive: false }).some((r) => r.id === created.id)).toBe(false)
    const denied = await core.dispatch('review.saveReason', { appliesTo: 'field', target: 'phone', label: 'x' }, { token: wang.token })
    expect(denied).toMatchObject({ ok: false, status: 403 })
    const actions = (core.ctx.db.prepare(`SELECT action FROM audit_log WHERE target_type = 'deficiency_reason'`).all() as { action: string }[]).map((r) => r.action)
    expect(actions).toEqual(['review.reason_created', 'review.reason_updated'])
  })

  it('moves a deadline when the administrator adds a holiday', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T10:00:00+08:00') })
    const { token } = await core.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })
    const admin = core.services.staffAuth.authenticate(token)
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    seedApplication(core, { submittedAt: '2026-11-25T09:00:00+08:00' })
    const deadline = () => core.services.review.queue.page(wang, { stage: 'pre_review', claim: 'all', page: 1, pageSize: 5 }).rows[0].countdown.deadline
    expect(deadline()).toBe('2026-12-02')
    core.services.review.config.saveHoliday(admin, { date: '2026-11-27', kind: 'holiday', name: '测试假日' })
    expect(deadline()).toBe('2026-12-03')
    core.services.review.config.saveHoliday(admin, { date: '2026-11-28', kind: 'workday', name: '调休上班' })
    expect(deadline()).toBe('2026-12-02')
    core.services.review.config.deleteHoliday(admin, { date: '2026-11-27' })
    core.services.review.config.deleteHoliday(admin, { date: '2026-11-28' })
    expect(deadline()).toBe('2026-12-02')
    expect(core.services.review.config.holidays(wang, { year: 2026 }).find((h) => h.date === '2026-10-01')).toEqual({ date: '2026-10-01', kind: 'holiday', name: '国庆节' })
  })
})

describe('the review settings', () => {
  it('lets the administrator turn separation of duties off and shorten the lock (audited)', async () => {
    const clock = fakeClock('2026-11-25T10:00:00+08:00')
    core = await testCore({ clock })
    const { token } = await core.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })
    const admin = core.services.staffAuth.authenticate(token)
    const both = await clerk(core, 'quan', '全能', ['pre_reviewer', 'initial_reviewer'])
    const other = await clerk(core, 'zhou', '周婷', ['pre_reviewer'])
    expect(core.services.review.config.settings()).toEqual({ separateInitialReviewer: true, lockIdleMinutes: 30 })
    const bad = await core.dispatch('review.saveSettings', { lockIdleMinutes: 1 }, { token })
    expect(bad).toMatchObject({ ok: false, status: 400, error: { fields: { lockIdleMinutes: '至少5分钟' } } })
    expect(core.services.review.config.saveSettings(admin, { separateInitialReviewer: false, lockIdleMinutes: 10 })).toEqual({ separateInitialReviewer: false, lockIdleMinutes: 10 })

    const id = seedApplication(core)
    core.services.review.queue.claim(both, { applicationId: id })
    clock.advance(11 * 60_000) // idle past the new 10 minutes
    expect(core.services.review.queue.claim(other, { applicationId: id }).staffName).toBe('周婷')
    core.services.review.queue.release(other, { applicationId: id })
    core.services.review.queue.claim(both, { applicationId: id })
    await core.services.review.decisions.pass(both, { applicationId: id })
    core.services.review.queue.claim(both, { applicationId: id })
    expect((await core.services.review.decisions.pass(both, { applicationId: id, noAccidentConfirmed: true })).stage).toBe('fee_payment')
    const saved = core.ctx.db.prepare(`SELECT detail FROM audit_log WHERE action = 'review.settings_saved'`).get() as { detail: string }
    expect(JSON.parse(saved.detail)).toMatchObject({ before: { separateInitialReviewer: true }, after: { separateInitialReviewer: false, lockIdleMinutes: 10 } })
  })
})
