// The administrator sets what the exams cost and the pass mark (issue 5: "all amounts settings, a
// change applies to new orders only"). Over the staff contract's HTTP bridge and the applicant API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, rpc, testServer, type TestServer } from '../support/core'
import { call } from './applicant-support'
import { examClerk, seedExamApplicant } from '../services/exam-support'
import { startFakeWechat, type FakeWechat } from './exam-wechat-fake'
import { wechatPayProvider } from '../../src-main/core/payments/wechat-pay'

let server: TestServer
let fake: FakeWechat
beforeEach(async () => {
  server = await testServer()
  fake = await startFakeWechat()
  server.core.services.payments.useProvider(wechatPayProvider(fake.config(`${server.url}/api/v1/payments/notify/wechat`)))
})
afterEach(async () => {
  await server.close()
  await fake.close()
})

const admin = async () => (await rpc(server.url, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })).data.token as string

describe('exam fees and pass mark', () => {
  it('start at 51.00 + 82.00 yuan, retakes 25.50 / 41.00, pass mark 80', async () => {
    const clerk = await examClerk(server.core)
    const r = await rpc(server.url, 'exams.feeSettings', {}, clerk.token)
    expect(r.status).toBe(200)
    expect(r.data).toEqual({ theoryFen: 5100, practicalFen: 8200, theoryRetakeFen: 2550, practicalRetakeFen: 4100, passMark: 80 })
  })

  it('an administrator changes them; an order made before keeps its amount, a new one is charged the new amount', async () => {
    const token = await admin()
    const before = seedExamApplicant(server.core)
    const old = await call(server.url, 'POST', `/applications/${before.applicationId}/payments`, { token: before.token })
    expect(old.body.amountFen, JSON.stringify(old.body)).toBe(13300)

    const saved = await rpc(server.url, 'exams.saveFeeSettings', { theoryFen: 6000, practicalFen: 9000, theoryRetakeFen: 3000, practicalRetakeFen: 4500, passMark: 85 }, token)
    expect(saved.status).toBe(200)
    expect(saved.data).toEqual({ theoryFen: 6000, practicalFen: 9000, theoryRetakeFen: 3000, practicalRetakeFen: 4500, passMark: 85 })

    const after = seedExamApplicant(server.core)
    const fresh = await call(server.url, 'POST', `/applications/${after.applicationId}/payments`, { token: after.token })
    expect(fresh.body.amountFen).toBe(15000)
    expect(fresh.body.items.map((i: { key: string; amountFen: number }) => [i.key, i.amountFen])).toEqual([['theory:initial', 6000], ['practical:initial', 9000]])
    const still = await call(server.url, 'GET', `/payments/${old.body.orderId}`, { token: before.token })
    expect(still.body.amountFen).toBe(13300)

    const audit = server.core.services.auditLog.list({ action: 'exam.fee_settings_saved', page: 1, pageSize: 10 })
    expect(audit.total).toBe(1)
    expect(audit.rows[0].actorName).toBeTruthy()
  })

  it('only an administrator may change them, and bad amounts are refused field by field, in Chinese, changing nothing', async () => {
    const clerk = await examClerk(server.core)
    const good = { theoryFen: 6000, practicalFen: 9000, theoryRetakeFen: 3000, practicalRetakeFen: 4500, passMark: 85 }
    expect((await rpc(server.url, 'exams.saveFeeSettings', good, clerk.token)).status).toBe(403)

    const token = await admin()
    const bad = await rpc(server.url, 'exams.saveFeeSettings', { theoryFen: -1, practicalFen: 82.5, theoryRetakeFen: 3000, practicalRetakeFen: 4500, passMark: 101 }, token)
    expect(bad.status).toBe(400)
    expect(bad.error!.fields, JSON.stringify(bad.error!.fields)).toMatchObject({ theoryFen: '理论考试费不能为负', practicalFen: '金额以分为单位的整数', passMark: '合格分数在1到100之间' })
    expect((await rpc(server.url, 'exams.feeSettings', {}, token)).data).toMatchObject({ theoryFen: 5100, practicalFen: 8200, passMark: 80 })
  })
})
