import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeClock, testCore, testServer, rpc, ADMIN_PASSWORD, type TestCore, type TestServer } from '../support/core'
import { notificationsService } from '../../src-main/core/services/notifications'
import { readOutbox, type SmsProvider } from '../../src-main/core/services/sms'
import { addStock, issuer, printNow, seedApplication, supervisor } from './permits-support'

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

describe('SMS for permit decisions and certificates', () => {
  it('approval, printing and mailing each text the applicant through the file provider (outbox/sms.jsonl)', async () => {
    core = await testCore()
    core.services.notifications.stop() // driven by hand below
    const boss = await supervisor(core)
    const clerk = await issuer(core)
    addStock(core, clerk)
    const a = seedApplication(core, { name: '王建国', collectMethod: 'mail' })
    const b = seedApplication(core, { name: '李红梅' })
    core.services.permits.approve(boss, { applicationIds: [a.applicationId, b.applicationId] })
    expect(await core.services.notifications.process()).toEqual({ created: 2, sent: 2 })
    await printNow(core, clerk, [a.applicationId, b.applicationId])
    core.services.certificates.handOver(clerk, { method: 'mail', applicationId: a.applicationId, carrier: '中国邮政EMS', waybillNo: '1187654321098' })
    await core.services.notifications.process()
    const lines = await readOutbox(core.dataDir)
    const toA = lines.filter((l) => l.to === a.phone).map((l) => l.text)
    const toB = lines.filter((l) => l.to === b.phone).map((l) => l.text)
    expect(toA).toEqual([
      '【郑州交通】王建国您好，您的经营性道路旅客运输驾驶员从业资格申请已通过许可审批，证件制作完成后将另行通知。',
      '【郑州交通】王建国您好，您的从业资格证已由中国邮政EMS寄出，运单号1187654321098，请注意查收。'
    ])
    expect(toB[1]).toBe('【郑州交通】李红梅您好，您的从业资格证已制作完成，请携带身份证、驾驶证、照片等资料原件及报名材料复印件到郑州市政务服务中心交通运输窗口领取。')
    // Processing again sends nothing twice.
    expect(await core.services.notifications.process()).toEqual({ created: 0, sent: 0 })
    const outbox = core.services.notifications.outbox({ page: 1, pageSize: 50 })
    expect(outbox.counts).toEqual({ sent: 4 }) // two approvals, one ready-for-pickup, one mailed
    expect(outbox.rows[0].phone).toMatch(/^138\*{4}\d{4}$/)
  })

  it('a rejection lists every reason', async () => {
    core = await testCore()
    core.services.notifications.stop()
    const boss = await supervisor(core)
    const a = seedApplication(core, { name: '赵磊' })
    core.services.permits.reject(boss, { applicationIds: [a.applicationId], reasons: ['三年内有重大交通责任事故', '驾驶证状态异常'] })
    await core.services.notifications.process()
    const [line] = await readOutbox(core.dataDir)
    expect(line.text).toContain('原因：1.三年内有重大交通责任事故；2.驾驶证状态异常')
  })

  it('retries a failing provider with back-off (1 min, 5 min, …) and gives up after 5 tries, visible to staff', async () => {
    const clock = fakeClock('2026-11-25T09:00:00+08:00')
    core = await testCore({ clock })
    core.services.notifications.stop()
    let down = true
    const sent: string[] = []
    const flaky: SmsProvider = {
      name: 'gateway',
      async send(m) {
        if (down) throw new Error('短信网关超时')
        sent.push(m.text)
      }
    }
    const n = notificationsService(core.ctx, { provider: flaky, background: false })
    const boss = await supervisor(core)
    const a = seedApplication(core)
    core.services.permits.approve(boss, { applicationIds: [a.applicationId] })
    await n.process()
    let row = n.outbox({ page: 1, pageSize: 10 }).rows[0]
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: '短信网关超时' })
    // Not due yet: nothing is tried.
    clock.advance(30_000)
    await n.send()
    expect(n.outbox({ page: 1, pageSize: 10 }).rows[0].attempts).toBe(1)
    for (const wait of [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000]) {
      clock.advance(wait)
      await n.send()
    }
    row = n.outbox({ page: 1, pageSize: 10 }).rows[0]
    expect(row).toMatchObject({ status: 'failed', attempts: 5 })
    expect(core.services.auditLog.list({ action: 'sms.gave_up', page: 1, pageSize: 10 }).total).toBe(1)
    // A clerk sends it again once the gateway is back.
    down = false
    n.retry(boss, { id: row.id })
    await n.send()
    expect(n.outbox({ page: 1, pageSize: 10 }).rows[0]).toMatchObject({ status: 'sent' })
    expect(sent).toHaveLength(1)
  })

  it('templates: the administrator edits them; an unknown placeholder is refused; a disabled template sends nothing', async () => {
    server = await testServer()
    const c = server.core
    c.services.notifications.stop()
    const login = await rpc(server.url, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    const admin = login.data.token as string
    const bad = await rpc(server.url, 'notifications.saveTemplate', { key: 'approved', body: '{name}您好，{foo}', enabled: true }, admin)
    expect(bad.status).toBe(400)
    expect(bad.error?.fields?.body).toBe('无法识别的占位符：{foo}')
    const ok = await rpc(server.url, 'notifications.saveTemplate', { key: 'approved', body: '{name}：许可已批准（培训证号{trainingNo}）', enabled: true }, admin)
    expect(ok.status).toBe(200)
    await rpc(server.url, 'notifications.saveTemplate', { key: 'rejected', body: '{name}：不予许可', enabled: false }, admin)
    const boss = await supervisor(c)
    const a = seedApplication(c, { name: '钱多多' })
    const b = seedApplication(c, { name: '孙小美' })
    c.services.permits.approve(boss, { applicationIds: [a.applicationId] })
    c.services.permits.reject(boss, { applicationIds: [b.applicationId], reasons: ['材料不实'] })
    await c.services.notifications.process()
    const lines = await readOutbox(c.dataDir)
    expect(lines.map((l) => l.text)).toEqual([expect.stringMatching(/^【郑州交通】钱多多：许可已批准（培训证号2026\d{6}）$/)])
    const list = await rpc(server.url, 'notifications.outbox', {}, admin)
    expect(list.data.total).toBe(1)
    const templates = await rpc(server.url, 'notifications.templates', {}, admin)
    expect(templates.data.find((t: { key: string }) => t.key === 'returned')).toMatchObject({ enabled: false, sentElsewhere: true })
    const audit = c.services.auditLog.list({ action: 'sms.template_updated', page: 1, pageSize: 10 })
    expect(audit.total).toBe(2)
  })

  it('passes over the history that texts nobody, however long, and still finds the decisions in it', async () => {
    core = await testCore()
    core.services.notifications.stop()
    const boss = await supervisor(core)
    const a = seedApplication(core, { name: '孙悦' })
    const b = seedApplication(core, { name: '周航' })
    const { db, repos } = core.ctx
    const cursor = () => (db.prepare('SELECT last_event_id AS n FROM sms_event_cursor WHERE id = 1').get() as { n: number }).n
    const lastEvent = () => (db.prepare('SELECT max(id) AS n FROM application_events').get() as { n: number }).n
    // A busy day: 1,200 events that text nobody (submissions and corrections), a decision in the
    // middle of them, more of them, another decision.
    const noise = (n: number) =>
      db.transaction(() => {
        for (let i = 0; i < n; i++) {
          repos.applications.insertEvent({ applicationId: b.applicationId, at: core!.ctx.now(), event: i % 2 ? 'submit' : 'resubmit', fromStage: 'draft', toStage: 'pre_review', actorType: 'applicant', actorId: null, actorName: '周航' })
        }
      })()
    noise(700)
    core.services.permits.approve(boss, { applicationIds: [a.applicationId] })
    noise(500)
    core.services.permits.reject(boss, { applicationIds: [b.applicationId], reasons: ['驾驶证状态异常'] })
    noise(3)
    expect(await core.services.notifications.process()).toEqual({ created: 2, sent: 2 })
    expect((await readOutbox(core.dataDir)).map((l) => l.to)).toEqual([a.phone, b.phone])
    // Everything up to the last event has been looked at: the next run reads nothing again.
    expect(cursor()).toBe(lastEvent())
    expect(await core.services.notifications.process()).toEqual({ created: 0, sent: 0 })
  })

  it('sends by itself shortly after a decision (background notifier)', async () => {
    core = await testCore()
    const boss = await supervisor(core)
    const a = seedApplication(core)
    core.services.permits.approve(boss, { applicationIds: [a.applicationId] })
    for (let i = 0; i < 50 && (await readOutbox(core.dataDir)).length === 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect((await readOutbox(core.dataDir)).map((l) => l.to)).toEqual([a.phone])
  })
})
