import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeClock, testCore, testServer, rpc, type TestCore, type TestServer } from '../support/core'
import { deriveProgress } from '../../src-main/core/domain/progress'
import { auditActions, seedApplication, stageOf, supervisor, issuer } from './permits-support'

// Printing and rendering take seconds on a busy machine (CI runs many suites at once).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 })

let core: TestCore | undefined
let server: TestServer | undefined
afterEach(async () => {
  core?.services.notifications.stop()
  core?.dispose()
  core = undefined
  if (server) {
    server.core.services.notifications.stop()
    await server.close()
    server = undefined
  }
})

function progressOf(c: TestCore, applicationId: number) {
  const app = c.ctx.db.prepare('SELECT category, stage, created_at AS createdAt, form FROM applications WHERE id = ?').get(applicationId) as { category: 'passenger' | 'freight'; stage: never; createdAt: string; form: string }
  const events = c.ctx.db.prepare('SELECT event, at, detail FROM application_events WHERE application_id = ? ORDER BY id').all(applicationId) as { event: string; at: string; detail: string | null }[]
  return deriveProgress({
    category: app.category,
    stage: app.stage,
    registeredAt: null,
    createdAt: app.createdAt,
    collectMethod: (JSON.parse(app.form) as { collectMethod?: 'pickup' | 'mail' }).collectMethod,
    events: events.map((e) => ({ event: e.event, at: e.at, detail: e.detail ? JSON.parse(e.detail) : undefined }))
  })
}

describe('the permit queue', () => {
  it('lists applications waiting for approval with masked personal data and a 5-working-day countdown', async () => {
    // Wednesday 2026-11-25: five working days later is Wednesday 2026-12-02.
    const clock = fakeClock('2026-11-25T09:00:00+08:00')
    core = await testCore({ clock })
    const a = seedApplication(core, { name: '王建国' })
    seedApplication(core, { category: 'freight', name: '李红梅' })
    const q = core.services.permits.queue({ page: 1, pageSize: 50 })
    expect(q.total).toBe(2)
    const row = q.rows.find((r) => r.applicationId === a.applicationId)!
    expect(row.name).toBe('王建国')
    expect(row.idNumber).toMatch(/^410\*{11}\d{3}[\dX]$/)
    expect(row.idNumber).not.toBe(a.idNumber)
    expect(row.phone).toMatch(/^138\*{4}\d{4}$/)
    expect(row.deadline).toBe('2026-12-02')
    expect(row.countdown).toMatchObject({ state: 'ok', label: '剩余5个工作日' })

    clock.set('2026-12-03T09:00:00+08:00')
    const later = core.services.permits.queue({ page: 1, pageSize: 50 })
    expect(later.overdue).toBe(2)
    expect(later.rows[0].countdown.label).toBe('已超期1个工作日')
    expect(core.services.permits.queue({ category: 'freight', page: 1, pageSize: 50 }).rows.map((r) => r.name)).toEqual(['李红梅'])
    expect(core.services.permits.queue({ query: '王建国', page: 1, pageSize: 50 }).total).toBe(1)
  })

  it('shows the whole history on one screen and records that the supervisor saw the full ID number', async () => {
    core = await testCore()
    const boss = await supervisor(core)
    const a = seedApplication(core)
    const d = core.services.permits.detail(boss, { applicationId: a.applicationId })
    expect(d.idNumber).toBe(a.idNumber)
    expect(d.history.map((h) => h.label)).toEqual(['提交申请', '材料预审通过', '资格初审通过', '考试费已交', '考试合格'])
    expect(d.reviews.map((r) => `${r.stage}${r.decision}`)).toEqual(['材料预审pass', '资格初审pass'])
    expect(d.attachments.map((x) => x.label)).toEqual(['近期免冠照片'])
    expect(d.checks.find((c) => c.label === '证件照片')).toMatchObject({ ok: true })
    expect(d.countdown?.label).toMatch(/剩余\d个工作日/)
    expect(auditActions(core, a.applicationId)).toContain('permit.viewed')
  })
})

describe('approving and rejecting', () => {
  it('approves one application: stage 待制证, history, decision, audit and step 07 green', async () => {
    core = await testCore()
    const boss = await supervisor(core)
    const a = seedApplication(core)
    const r = core.services.permits.approve(boss, { applicationIds: [a.applicationId], note: '材料齐全，成绩合格' })
    expect(r).toEqual({ done: [{ applicationId: a.applicationId, stage: 'certificate' }], failed: [] })
    expect(stageOf(core, a.applicationId)).toBe('certificate')
    expect(auditActions(core, a.applicationId)).toContain('permit.approved')
    const steps = progressOf(core, a.applicationId)
    expect(steps.find((s) => s.no === '07')).toMatchObject({ state: 'done', text: '许可审批通过' })
    expect(steps.find((s) => s.no === '08')).toMatchObject({ state: 'current' })
    expect(core.services.permits.detail(boss, { applicationId: a.applicationId }).decision).toMatchObject({ decision: 'approve', note: '材料齐全，成绩合格', decidedByName: '陈志强' })
    // Approving again is refused with the reason.
    expect(() => core!.services.permits.approve(boss, { applicationIds: [a.applicationId] })).toThrow(/不能许可审批通过/)
  })

  it('approves in bulk: each application decided and audited on its own, failures listed', async () => {
    core = await testCore()
    const boss = await supervisor(core)
    const apps = [seedApplication(core), seedApplication(core), seedApplication(core, { stage: 'certificate' })]
    const r = core.services.permits.approve(boss, { applicationIds: apps.map((a) => a.applicationId) })
    expect(r.done.map((d) => d.applicationId)).toEqual([apps[0].applicationId, apps[1].applicationId])
    expect(r.failed).toEqual([{ applicationId: apps[2].applicationId, reason: '申请当前状态为“待制证”，不能许可审批通过' }])
    const approvals = core.services.auditLog.list({ action: 'permit.approved', page: 1, pageSize: 50 }).rows
    expect(approvals.map((x) => Number(x.targetId)).sort()).toEqual([apps[0].applicationId, apps[1].applicationId].sort())
  })

  it('rejects with every reason listed; the applicant sees step 07 red with the reasons', async () => {
    core = await testCore()
    const boss = await supervisor(core)
    const a = seedApplication(core)
    core.services.permits.reject(boss, { applicationIds: [a.applicationId], reasons: ['三年内有重大交通责任事故记录', '驾驶证已被注销'] })
    expect(stageOf(core, a.applicationId)).toBe('rejected')
    const step = progressOf(core, a.applicationId).find((s) => s.no === '07')!
    expect(step.state).toBe('rejected')
    expect(step.text).toContain('三年内有重大交通责任事故记录')
    expect(step.text).toContain('驾驶证已被注销')
    expect(auditActions(core, a.applicationId)).toContain('permit.rejected')
  })

  it('over HTTP: a rejection without reasons is refused in Chinese, and an issuing clerk may not approve', async () => {
    server = await testServer()
    const boss = await supervisor(server.core)
    const clerk = await issuer(server.core)
    const a = seedApplication(server.core)
    const noReasons = await rpc(server.url, 'permits.reject', { applicationIds: [a.applicationId], reasons: [] }, boss.token)
    expect(noReasons.status).toBe(400)
    expect(noReasons.error?.fields?.reasons).toBe('请至少填写一条不予许可的理由')
    const denied = await rpc(server.url, 'permits.approve', { applicationIds: [a.applicationId] }, clerk.token)
    expect(denied.status).toBe(403)
    expect(stageOf(server.core, a.applicationId)).toBe('permit_approval')
    const ok = await rpc(server.url, 'permits.approve', { applicationIds: [a.applicationId] }, boss.token)
    expect(ok.status).toBe(200)
    expect(ok.data.done).toHaveLength(1)
  })
})
