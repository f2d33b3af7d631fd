// Paying the exam fee over the applicant API with WeChat Pay (Native, API v3) against a local fake
// WeChat server: signed requests, signed and encrypted callbacks accepted, tampered ones refused,
// replays harmless, a duplicate payment flagged for refund and never credited twice.
import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir, testServer, rpc } from '../support/core'
import { call } from './applicant-support'
import { examClerk, seedExamApplicant } from '../services/exam-support'
import { useServerWithFakeWechat } from './exam-wechat-fake'
import { toShanghaiIso } from '../../src-main/core/domain/time'

const ctx = useServerWithFakeWechat()

const notify = (cb: { headers: Record<string, string>; body: string }) =>
  fetch(`${ctx.server().url}/api/v1/payments/notify/wechat`, { method: 'POST', headers: cb.headers, body: cb.body })
const stageOf = (id: number) => (ctx.server().core.ctx.db.prepare('SELECT stage FROM applications WHERE id = ?').get(id) as { stage: string }).stage
const credits = (id: number) => (ctx.server().core.ctx.db.prepare('SELECT count(*) AS n FROM payment_credits WHERE application_id = ?').get(id) as { n: number }).n

describe('WeChat Pay', () => {
  it('creates a signed order for exactly what is due, with a QR code, and reuses it while unpaid', async () => {
    const a = seedExamApplicant(ctx.server().core)
    const r = await call(ctx.server().url, 'POST', `/applications/${a.applicationId}/payments`, { token: a.token })
    expect(r.status).toBe(201)
    expect(r.body).toMatchObject({ amountFen: 13300, status: 'pending', provider: 'wechat', qrContent: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/) })
    expect(r.body.items.map((i: { key: string; amountFen: number }) => [i.key, i.amountFen])).toEqual([['theory:initial', 5100], ['practical:initial', 8200]])
    expect(r.body.expiresAt).toMatch(/\+08:00$/)
    expect(ctx.fake().orders.get(r.body.orderId)).toMatchObject({ amount: 13300, timeExpire: r.body.expiresAt })
    expect(ctx.fake().refused).toBe(0)
    const again = await call(ctx.server().url, 'POST', `/applications/${a.applicationId}/payments`, { token: a.token })
    expect(again.status).toBe(200)
    expect(again.body.orderId).toBe(r.body.orderId)
    const st = await call(ctx.server().url, 'GET', `/payments/${r.body.orderId}`, { token: a.token })
    expect(st.body).toMatchObject({ orderId: r.body.orderId, status: 'pending', paidAt: null })
    // someone else's application and order
    const b = seedExamApplicant(ctx.server().core)
    expect((await call(ctx.server().url, 'POST', `/applications/${a.applicationId}/payments`, { token: b.token })).status).toBe(403)
    expect((await call(ctx.server().url, 'GET', `/payments/${r.body.orderId}`, { token: b.token })).status).toBe(403)
    expect((await call(ctx.server().url, 'GET', `/payments/${r.body.orderId}`)).status).toBe(401)
  })

  it('credits a signed callback once: the application moves to 考试预约; replays change nothing', async () => {
    const a = seedExamApplicant(ctx.server().core)
    const order = (await call(ctx.server().url, 'POST', `/applications/${a.applicationId}/payments`, { token: a.token })).body
    // WeChat's own time of payment, minutes before the callback: paidAt must be that, not the server's clock.
    const successTime = toShanghaiIso(new Date(Date.now() - 3 * 60_000))
    const cb = ctx.fake().callback(order.orderId, { successTime })
    const res = await notify(cb)
    expect(res.status).toBe(204)
    expect(stageOf(a.applicationId)).toBe('exam')
    const st = await call(ctx.server().url, 'GET', `/payments/${order.orderId}`, { token: a.token })
    expect(st.body).toMatchObject({ status: 'paid', paidAt: successTime, duplicate: false })
    for (let i = 0; i < 3; i++) expect((await notify(cb)).status).toBe(204)
    expect(credits(a.applicationId)).toBe(2)
    const movements = ctx.server().core.ctx.db.prepare('SELECT count(*) AS n FROM payments').get() as { n: number }
    expect(movements.n).toBe(1)
    const attempts = await call(ctx.server().url, 'GET', `/applications/${a.applicationId}/attempts`, { token: a.token })
    expect(attempts.body).toEqual({
      dueFen: 0,
      subjects: [
        expect.objectContaining({ subject: 'theory', used: 0, left: 2, free: 2, nextFeeFen: 0, mayBook: true }),
        expect.objectContaining({ subject: 'practical', used: 0, left: 2, free: 2, nextFeeFen: 0, mayBook: true })
      ]
    })
    const records = await call(ctx.server().url, 'GET', `/applications/${a.applicationId}/payments`, { token: a.token })
    expect(records.body.map((o: { status: string; amountFen: number }) => [o.status, o.amountFen])).toEqual([['paid', 13300]])
    expect((await call(ctx.server().url, 'POST', `/applications/${a.applicationId}/payments`, { token: a.token })).status).toBe(409)
  })

  it('refuses tampered, unsigned, stale and foreign callbacks, and credits nothing', async () => {
    const a = seedExamApplicant(ctx.server().core)
    const order = (await call(ctx.server().url, 'POST', `/applications/${a.applicationId}/payments`, { token: a.token })).body
    const good = ctx.fake().callback(order.orderId)
    const tampered = { headers: good.headers, body: good.body.replace('"summary":"支付成功"', '"summary":"支付成功 "') }
    const r1 = await notify(tampered)
    expect(r1.status).toBe(401)
    expect(await r1.json()).toEqual({ code: 'FAIL', message: '微信支付签名验证失败' })
    const { ['Wechatpay-Signature']: _, ...unsigned } = good.headers
    expect((await notify({ headers: unsigned, body: good.body })).status).toBe(401)
    expect((await notify({ headers: { ...good.headers, 'Wechatpay-Serial': 'PUB_KEY_ID_OTHER' }, body: good.body })).status).toBe(401)
    expect((await notify(ctx.fake().callback(order.orderId, { timestamp: Math.floor(Date.now() / 1000) - 3600 }))).status).toBe(401)
    // a re-encrypted resource with a wrong key: signed correctly by the fake, so only decryption can catch it
    const wrongKey = JSON.parse(good.body)
    wrongKey.resource.ciphertext = Buffer.from(Buffer.from(wrongKey.resource.ciphertext, 'base64').map((b, i) => (i === 3 ? b ^ 1 : b))).toString('base64')
    expect((await notify({ headers: good.headers, body: JSON.stringify(wrongKey) })).status).toBe(401)
    expect(stageOf(a.applicationId)).toBe('fee_payment')
    expect(credits(a.applicationId)).toBe(0)
    const rejected = ctx.server().core.services.auditLog.list({ action: 'payment.callback_rejected', page: 1, pageSize: 50 })
    expect(rejected.total).toBe(5)
    expect((await notify(good)).status).toBe(204)
    expect(stageOf(a.applicationId)).toBe('exam')
  })

  it('flags a second payment for the same items for refund and never credits it twice', async () => {
    const a = seedExamApplicant(ctx.server().core)
    const first = (await call(ctx.server().url, 'POST', `/applications/${a.applicationId}/payments`, { token: a.token })).body
    // the clerk takes the fee at the counter while the QR order is still open…
    const clerk = await examClerk(ctx.server().core)
    const counter = await rpc(ctx.server().url, 'exams.counterPayment', { applicationId: a.applicationId, method: 'cash', receiptNo: 'SJ20261125001', amountFen: 13300 }, clerk.token)
    expect(counter.status).toBe(200)
    expect(stageOf(a.applicationId)).toBe('exam')
    // …and then the applicant pays the QR code too ("扣款成功还不能预约考试，请勿重复缴费")
    expect((await notify(ctx.fake().callback(first.orderId))).status).toBe(204)
    const st = await call(ctx.server().url, 'GET', `/payments/${first.orderId}`, { token: a.token })
    expect(st.body).toMatchObject({ status: 'paid', duplicate: true })
    expect(credits(a.applicationId)).toBe(2)
    const rec = await rpc(ctx.server().url, 'exams.reconciliation', { date: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) }, clerk.token)
    expect(rec.data.totals).toMatchObject({ paidCount: 2, paidFen: 26600, refundCount: 0 })
    expect(rec.data.awaitingRefund).toEqual([expect.objectContaining({ orderId: first.orderId, amountFen: 13300, provider: 'wechat' })])
    const refund = await rpc(ctx.server().url, 'exams.recordRefund', { orderId: first.orderId, refundRef: '50300000000000001' }, clerk.token)
    expect(refund.data).toMatchObject({ status: 'refunded', duplicate: true })
    const after = await rpc(ctx.server().url, 'exams.reconciliation', { date: rec.data.date }, clerk.token)
    expect(after.data.totals).toMatchObject({ paidFen: 26600, refundFen: 13300, netFen: 13300 })
    expect(after.data.awaitingRefund).toEqual([])
    const audit = ctx.server().core.services.auditLog.list({ page: 1, pageSize: 100 }).rows.map((r) => r.action)
    expect(audit).toEqual(expect.arrayContaining(['payment.order_created', 'payment.credited', 'payment.duplicate', 'payment.refunded', 'application.fee_paid']))
  })

  it('turns WeChat Pay on from wechatpay.json in the data folder (keys as files beside it)', async () => {
    const dir = tempDir()
    const cfg = ctx.fake().config('http://127.0.0.1:1/api/v1/payments/notify/wechat')
    writeFileSync(join(dir, 'merchant_key.pem'), cfg.merchantPrivateKeyPem)
    writeFileSync(join(dir, 'wechatpay_public_key.pem'), cfg.platformPublicKeyPem)
    const { merchantPrivateKeyPem: _k, platformPublicKeyPem: _p, clock: _c, ...rest } = cfg
    writeFileSync(join(dir, 'wechatpay.json'), JSON.stringify({ ...rest, merchantPrivateKeyPath: 'merchant_key.pem', platformPublicKeyPath: 'wechatpay_public_key.pem' }))
    const configured = await testServer({ dataDir: dir })
    try {
      expect(configured.core.services.payments.hasProvider('wechat')).toBe(true)
      const a = seedExamApplicant(configured.core)
      const r = await call(configured.url, 'POST', `/applications/${a.applicationId}/payments`, { token: a.token })
      expect(r.status).toBe(201)
      expect(ctx.fake().orders.has(r.body.orderId)).toBe(true)
    } finally {
      await configured.close()
    }
  })

  it('answers 503 when WeChat Pay is not set up, so the applicant pays at the counter', async () => {
    const bare = await testServer()
    try {
      const a = seedExamApplicant(bare.core)
      const r = await call(bare.url, 'POST', `/applications/${a.applicationId}/payments`, { token: a.token })
      expect(r.status).toBe(503)
      expect(r.body.error.message).toBe('微信支付暂未开通，请到办事窗口缴费')
    } finally {
      await bare.close()
    }
  })
})
