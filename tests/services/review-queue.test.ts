import { afterEach, describe, expect, it } from 'vitest'
import { createHttpServer } from '../../src-main/core/http/server'
import type { AddressInfo } from 'node:net'
import { ADMIN_PASSWORD, fakeClock, rpc, testCore, type TestCore } from '../support/core'
import { auditActions, clerk, idNumberFor, seedApplication } from './review-helpers'

let core: TestCore
let closeServer: (() => Promise<void>) | undefined
afterEach(async () => {
  await closeServer?.()
  closeServer = undefined
  core?.dispose()
})

describe('the pre-review queue', () => {
  it('lists waiting applications oldest first, with masked ID numbers and the 5-working-day countdown', async () => {
    const clock = fakeClock('2026-11-25T09:00:00+08:00') // Wednesday
    core = await testCore({ clock })
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const idNumber = idNumberFor('1980-01-01')
    const late = seedApplication(core, { submittedAt: '2026-11-16T15:00:00+08:00', idNumber, name: '李强' }) // Mon a week before: due Mon 23rd
    const today = seedApplication(core, { submittedAt: '2026-11-25T08:30:00+08:00', name: '赵敏' })
    const middle = seedApplication(core, { submittedAt: '2026-11-20T11:00:00+08:00', name: '陈杰' }) // Fri: due Fri 27th
    seedApplication(core, { stage: 'initial_review', name: '不在此队列' })

    const page = core.services.review.queue.page(wang, { stage: 'pre_review', claim: 'all', page: 1, pageSize: 20 })
    expect(page.rows.map((r) => r.id)).toEqual([late, middle, today])
    const first = page.rows[0]
    expect(first.idNumberMasked).toBe(`410${'*'.repeat(11)}${idNumber.slice(-4)}`)
    expect(first.phoneMasked).toBe('138****5678')
    expect(first.countdown).toMatchObject({ state: 'overdue', label: '已超期2个工作日', deadline: '2026-11-23' })
    expect(page.rows[1].countdown).toMatchObject({ state: 'ok', label: '剩余2个工作日', deadline: '2026-11-27' })
    expect(page.rows[2].countdown).toMatchObject({ label: '剩余5个工作日', deadline: '2026-12-02' })

    const stats = core.services.review.queue.stats(wang, { stage: 'pre_review', claim: 'all' })
    expect(stats).toEqual({ waiting: 3, total: 3, overdue: 1, mine: 0 })
  })

  it('filters by category, type, school and date range, and pages on the server', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T09:00:00+08:00') })
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const school = core.ctx.repos.referenceData.insertSchool({ name: '郑州市顺达机动车驾驶员培训学校', address: '郑州市金水区丰庆路', phone: '0371-63520188', licenceNo: 'X1' }, core.ctx.now())
    const ids: number[] = []
    for (let i = 0; i < 30; i++) {
      ids.push(
        seedApplication(core, {
          submittedAt: `2026-11-${String(1 + (i % 24)).padStart(2, '0')}T10:${String(i).padStart(2, '0')}:00+08:00`,
          category: i % 3 === 0 ? 'freight' : 'passenger',
          applicationType: i % 5 === 0 ? 'add_class' : 'initial',
          attachments: i % 5 === 0 ? undefined : undefined,
          schoolId: i % 4 === 0 ? school : null,
          form: i % 4 === 0 ? { trainingMode: 'school' } : {}
        })
      )
    }
    const q = (f: object) => core.services.review.queue.page(wang, { stage: 'pre_review', claim: 'all', page: 1, pageSize: 100, ...f }).rows
    expect(q({ category: 'freight' }).every((r) => r.category === 'freight')).toBe(true)
    expect(q({ category: 'freight' })).toHaveLength(10)
    expect(q({ applicationType: 'add_class' })).toHaveLength(6)
    expect(q({ category: 'freight', applicationType: 'add_class' })).toHaveLength(2) // i = 0, 15
    expect(q({ schoolId: school }).map((r) => r.schoolName)).toEqual(Array(8).fill('郑州市顺达机动车驾驶员培训学校'))
    const range = q({ from: '2026-11-03', to: '2026-11-04' })
    expect(range.every((r) => r.submittedAt >= '2026-11-03' && r.submittedAt < '2026-11-05')).toBe(true)
    expect(range.length).toBe(4) // i = 2, 3, 26, 27

    const p1 = core.services.review.queue.page(wang, { stage: 'pre_review', claim: 'all', page: 1, pageSize: 12 })
    const p3 = core.services.review.queue.page(wang, { stage: 'pre_review', claim: 'all', page: 3, pageSize: 12 })
    expect(p1.hasMore).toBe(true)
    expect(p3.rows).toHaveLength(6)
    expect(p3.hasMore).toBe(false)
    const all = q({})
    expect(all.map((r) => r.submittedAt)).toEqual([...all.map((r) => r.submittedAt)].sort())
    expect(() => q({ from: '2026-11-05', to: '2026-11-01' })).toThrow('开始日期不能晚于结束日期')
  })

  it('finds applications by ID-number prefix, name prefix and phone', async () => {
    core = await testCore()
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const a = seedApplication(core, { idNumber: idNumberFor('1979-02-03'), name: '欧阳娜娜', phone: '15900001111' })
    const b = seedApplication(core, { idNumber: idNumberFor('1990-07-08'), name: '欧建华', phone: '13700002222' })
    const search = (s: string) => core.services.review.queue.page(wang, { stage: 'pre_review', claim: 'all', page: 1, pageSize: 20, search: s }).rows.map((r) => r.id)
    expect(search('4101051979')).toEqual([a])
    expect(search('410105')).toEqual([a, b])
    expect(search('欧阳')).toEqual([a])
    expect(search('欧')).toEqual([a, b])
    expect(search('13700002222')).toEqual([b])
    expect(search('1370000')).toEqual([b])
    expect(search('999999')).toEqual([])
    expect(() => search('41')).toThrow('至少输入4位')
  })
})

describe('claims: one application, one clerk', () => {
  it('claims the oldest unclaimed application, and the next clerk gets the next one', async () => {
    core = await testCore()
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const zhou = await clerk(core, 'yushen2', '周婷', ['pre_reviewer'])
    const first = seedApplication(core, { submittedAt: '2026-11-20T09:00:00+08:00' })
    const second = seedApplication(core, { submittedAt: '2026-11-21T09:00:00+08:00' })
    expect(core.services.review.queue.claimNext(wang, { stage: 'pre_review' })).toEqual({ applicationId: first })
    // Asking again (a reload) gives the clerk back what they hold, not a second one.
    expect(core.services.review.queue.claimNext(wang, { stage: 'pre_review' })).toEqual({ applicationId: first })
    expect(core.services.review.queue.claimNext(zhou, { stage: 'pre_review' })).toEqual({ applicationId: second })
    expect(core.services.review.queue.claimNext(await clerk(core, 'c3', '孙丽', ['pre_reviewer']), { stage: 'pre_review' })).toBeNull()
    const rows = core.services.review.queue.page(zhou, { stage: 'pre_review', claim: 'all', page: 1, pageSize: 20 }).rows
    expect(rows.map((r) => [r.id, r.claim?.staffName, r.claim?.mine])).toEqual([
      [first, '王晓梅', false],
      [second, '周婷', true]
    ])
    expect(core.services.review.queue.page(zhou, { stage: 'pre_review', claim: 'mine', page: 1, pageSize: 20 }).rows.map((r) => r.id)).toEqual([second])
    expect(core.services.review.queue.stats(zhou, { stage: 'pre_review', claim: 'all' }).mine).toBe(1)
  })

  it('refuses a chosen application another clerk holds, naming the holder', async () => {
    core = await testCore()
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const zhou = await clerk(core, 'yushen2', '周婷', ['pre_reviewer'])
    const id = seedApplication(core)
    core.services.review.queue.claim(wang, { applicationId: id })
    expect(() => core.services.review.queue.claim(zhou, { applicationId: id })).toThrow('该申请正由王晓梅审查中，不能重复领取')
    // The holder claiming again is harmless.
    expect(core.services.review.queue.claim(wang, { applicationId: id }).mine).toBe(true)
  })

  it('two clerks claiming the same application at the same moment over HTTP: exactly one wins', async () => {
    core = await testCore()
    const app = await createHttpServer(core)
    await app.listen({ host: '127.0.0.1', port: 0 })
    closeServer = () => app.close()
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const zhou = await clerk(core, 'yushen2', '周婷', ['pre_reviewer'])
    for (let round = 0; round < 10; round++) {
      const id = seedApplication(core)
      const [a, b] = await Promise.all([
        rpc(url, 'review.claim', { applicationId: id }, wang.token),
        rpc(url, 'review.claim', { applicationId: id }, zhou.token)
      ])
      expect([a.status, b.status].sort()).toEqual([200, 409])
      const loser = a.status === 409 ? a : b
      expect(loser.error!.message).toMatch(/该申请正由(王晓梅|周婷)审查中/)
      const holders = core.ctx.db.prepare('SELECT count(*) AS n FROM review_claims WHERE application_id = ?').get(id) as { n: number }
      expect(holders.n).toBe(1)
    }
    // "Claim next" from both at once: two different applications, never the same one twice.
    const fresh = [seedApplication(core, { submittedAt: '2026-11-01T09:00:00+08:00' }), seedApplication(core, { submittedAt: '2026-11-02T09:00:00+08:00' })]
    const sun = await clerk(core, 'c3', '孙丽', ['pre_reviewer'])
    const wu = await clerk(core, 'c4', '吴刚', ['pre_reviewer'])
    const [x, y] = await Promise.all([
      rpc(url, 'review.claimNext', { stage: 'pre_review' }, sun.token),
      rpc(url, 'review.claimNext', { stage: 'pre_review' }, wu.token)
    ])
    expect([x.data.applicationId, y.data.applicationId].sort()).toEqual(fresh.sort())
  })

  it('lets a lock left idle expire, and keeps a touched one', async () => {
    const clock = fakeClock('2026-11-25T09:00:00+08:00')
    core = await testCore({ clock })
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const zhou = await clerk(core, 'yushen2', '周婷', ['pre_reviewer'])
    const id = seedApplication(core)
    core.services.review.queue.claim(wang, { applicationId: id })
    clock.advance(25 * 60_000)
    core.services.review.queue.touch(wang, { applicationId: id })
    clock.advance(25 * 60_000)
    expect(() => core.services.review.queue.claim(zhou, { applicationId: id })).toThrow('王晓梅')
    clock.advance(6 * 60_000) // 31 minutes idle
    expect(core.services.review.queue.page(zhou, { stage: 'pre_review', claim: 'all', page: 1, pageSize: 5 }).rows[0].claim).toBeNull()
    expect(core.services.review.queue.claim(zhou, { applicationId: id }).staffName).toBe('周婷')
    expect(() => core.services.review.queue.touch(wang, { applicationId: id })).toThrow('已由周婷领取')
  })

  it('takes the idle expiry from the administrator’s setting (审查设置)', async () => {
    const clock = fakeClock('2026-11-25T09:00:00+08:00')
    core = await testCore({ clock })
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const zhou = await clerk(core, 'yushen2', '周婷', ['pre_reviewer'])
    const { token } = await core.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })
    core.services.review.config.saveSettings(core.services.staffAuth.authenticate(token), { lockIdleMinutes: 10 })
    expect(core.ctx.settings.get('review.lockIdleMinutes')).toBe(10)
    const id = seedApplication(core)
    const claim = core.services.review.queue.claim(wang, { applicationId: id })
    expect(claim.expiresMs - Date.parse('2026-11-25T09:00:00+08:00')).toBe(10 * 60_000)
    clock.advance(9 * 60_000)
    expect(() => core.services.review.queue.claim(zhou, { applicationId: id })).toThrow('王晓梅')
    clock.advance(2 * 60_000) // 11 minutes idle
    expect(core.services.review.queue.claim(zhou, { applicationId: id }).staffName).toBe('周婷')
  })

  it('lets a supervisor release anyone’s lock (audited), and a clerk only their own', async () => {
    core = await testCore()
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const zhou = await clerk(core, 'yushen2', '周婷', ['pre_reviewer'])
    const chen = await clerk(core, 'shenpi', '陈志强', ['supervisor'])
    const id = seedApplication(core)
    core.services.review.queue.claim(wang, { applicationId: id })
    expect(() => core.services.review.queue.release(zhou, { applicationId: id })).toThrow('只有其本人或审批员')
    expect(core.services.review.queue.locks(chen, { stage: 'pre_review' }).map((l) => [l.applicationId, l.staffName])).toEqual([[id, '王晓梅']])
    core.services.review.queue.release(chen, { applicationId: id })
    expect(core.services.review.queue.locks(chen, { stage: 'pre_review' })).toEqual([])
    expect(auditActions(core, id)).toEqual(['access.denied', 'review.lock_released'])
    const row = core.ctx.db.prepare(`SELECT actor_name, detail FROM audit_log WHERE action = 'review.lock_released'`).get() as { actor_name: string; detail: string }
    expect(row.actor_name).toBe('陈志强')
    expect(JSON.parse(row.detail)).toMatchObject({ holder: '王晓梅' })
    expect(core.services.review.queue.claim(zhou, { applicationId: id }).staffName).toBe('周婷')
    // A supervisor looks (the queue, the application) but does not claim, and the contract keeps
    // the decisions to the clerks.
    expect(() => core.services.review.queue.claimNext(chen, { stage: 'pre_review' })).toThrow('无权处理材料预审')
    expect(core.services.review.queue.page(chen, { stage: 'pre_review', claim: 'all', page: 1, pageSize: 5 }).rows.map((r) => r.id)).toEqual([id])
    expect((await core.dispatch('review.detail', { applicationId: id }, { token: chen.token })).ok).toBe(true)
    for (const op of ['review.pass', 'review.claim'] as const) {
      expect(await core.dispatch(op, { applicationId: id }, { token: chen.token })).toMatchObject({ ok: false, status: 403 })
    }
    expect(await core.dispatch('review.return', { applicationId: id, deficiencies: [{ attachment: 'photo', reason: '照片模糊' }] }, { token: chen.token })).toMatchObject({ ok: false, status: 403 })
    // The administrator can release too (审查设置 → 当前审查锁定).
    const { token } = await core.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })
    const admin = core.services.staffAuth.authenticate(token)
    expect(core.services.review.queue.locks(admin, { stage: 'pre_review' }).map((l) => l.staffName)).toEqual(['周婷'])
    core.services.review.queue.release(admin, { applicationId: id })
    expect(core.services.review.queue.locks(admin, { stage: 'pre_review' })).toEqual([])
    expect(auditActions(core, id)).toEqual(['access.denied', 'review.lock_released', 'review.lock_released'])
  })

  it('keeps the initial-review queue for another clerk than the pre-reviewer (separation of duties)', async () => {
    core = await testCore()
    const both = await clerk(core, 'quan', '全能', ['pre_reviewer', 'initial_reviewer'])
    const li = await clerk(core, 'chushen', '李建国', ['initial_reviewer'])
    const id = seedApplication(core)
    core.services.review.queue.claim(both, { applicationId: id })
    await core.services.review.decisions.pass(both, { applicationId: id })
    expect(core.services.review.queue.claimNext(both, { stage: 'initial_review' })).toBeNull()
    expect(() => core.services.review.queue.claim(both, { applicationId: id })).toThrow('职责分离')
    expect(core.services.review.queue.claimNext(li, { stage: 'initial_review' })).toEqual({ applicationId: id })
    core.services.review.queue.release(li, { applicationId: id })
    // The administrator may turn the rule off (small offices).
    core.ctx.settings.set('review.separateInitialReviewer', false, null)
    expect(core.services.review.queue.claimNext(both, { stage: 'initial_review' })).toEqual({ applicationId: id })
  })
})

describe('the queue queries and the indexes that leave drafts out (migration 0011)', () => {
  it('reach an index for every filter, search and count: no query reads the whole applications table', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T09:00:00+08:00') })
    const wang = await clerk(core, 'yushen', '王晓梅', ['pre_reviewer'])
    const repo = core.services.review.kit.repo
    const base = { stage: 'pre_review' as const, claim: 'all' as const, staffId: wang.id, expiredAtMs: Date.now() - 30 * 60_000 }
    const plans: [string, { detail: string }[]][] = [
      ['page', repo.explainPage(base, 21, 0)],
      ['page, category + type', repo.explainPage({ ...base, category: 'freight', applicationType: 'add_class' }, 21, 0)],
      ['page, type', repo.explainPage({ ...base, applicationType: 'add_class' }, 21, 0)],
      ['page, school', repo.explainPage({ ...base, schoolId: 1 }, 21, 0)],
      ['page, date range', repo.explainPage({ ...base, category: 'passenger', fromAt: '2026-10-26T00:00:00+08:00', toAt: '2026-11-26T00:00:00+08:00' }, 21, 0)],
      ['page, unclaimed', repo.explainPage({ ...base, claim: 'unclaimed' }, 21, 0)],
      ['page, mine', repo.explainPage({ ...base, claim: 'mine' }, 21, 0)],
      ['page, ID prefix', repo.explainPage({ ...base, search: { kind: 'id', value: '4101051980' } }, 21, 0)],
      ['page, name', repo.explainPage({ ...base, search: { kind: 'name', value: '张' } }, 21, 0)],
      ['page, phone', repo.explainPage({ ...base, search: { kind: 'phone', value: '13800005678' } }, 21, 0)],
      ['count, category + type', repo.explainCount({ ...base, category: 'freight', applicationType: 'add_class' })],
      ['count, overdue', repo.explainStageCountBefore('pre_review', '2026-11-18T00:00:00+08:00')]
    ]
    for (const [label, plan] of plans) {
      const lines = plan.map((p) => p.detail)
      expect(lines.filter((d) => /^SCAN (a|applications)\b(?! USING)/.test(d)), label).toEqual([])
      expect(lines.some((d) => /USING (COVERING )?INDEX (applications_|review_claims)/.test(d)), `${label}: ${lines.join(' | ')}`).toBe(true)
    }
  })
})
