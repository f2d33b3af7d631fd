// The administrator sets what the exams cost and the pass mark (issue 5: "all amounts settings, a
// change applies to new orders only"). Over the staff contract's HTTP bridge and the applicant API.
import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, rpc } from '../support/core'
import { call } from './applicant-support'
import { examClerk, seedExamApplicant } from '../services/exam-support'
import { useServerWithFakeWechat } from './exam-wechat-fake'

const ctx = useServerWithFakeWechat()

const admin = async () => (await rpc(ctx.server().url, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })).data.token as string

describe('exam fees and pass mark', () => {
  it('start at 51.00 + 82.00 yuan, retakes 25.50 / 41.00, pass mark 80', async () => {
    const clerk = await examClerk(ctx.server().core)
    const r = await rpc(ctx.server().url, 'exams.feeSettings', {}, clerk.token)
    expect(r.status).toBe(200)
    expect(r.data).toEqual({ theoryFen: 5100, practicalFen: 8200, theoryRetakeFen: 2550, practicalRetakeFen: 4100, passMark: 80 })
  })

  it('an administrator changes them; an order made before keeps its amount, a new one is charged the new amount', async () => {
    const token = await admin()
    const before = seedExamApplicant(ctx.server().core)
    const old = await call(ctx.server().url, 'POST', `/applications/${before.applicationId}/payments`, { token: before.token })
    expect(old.body.amountFen, JSON.stringify(old.body)).toBe(13300)

    const saved = await rpc(ctx.server().url, 'exams.saveFeeSettings', { theoryFen: 6000, practicalFen: 9000, theoryRetakeFen: 3000, practicalRetakeFen: 4500, passMark: 85 }, token)
    expect(saved.status).toBe(200)
    expect(saved.data).toEqual({ theoryFen: 6000, practicalFen: 9000, theoryRetakeFen: 3000, practicalRetakeFen: 4500, passMark: 85 })

    const after = seedExamApplicant(ctx.server().core)
    const fresh = await call(ctx.server().url, 'POST', `/applications/${after.applicationId}/payments`, { token: after.token })
    expect(fresh.body.amountFen).toBe(15000)
    expect(fresh.body.items.map((i: { key: string; amountFen: number }) => [i.key, i.amountFen])).toEqual([['theory:initial', 6000], ['practical:initial', 9000]])
    const still = await call(ctx.server().url, 'GET', `/payments/${old.body.orderId}`, { token: before.token })
    expect(still.body.amountFen).toBe(13300)

    const audit = ctx.server().core.services.auditLog.list({ action: 'exam.fee_settings_saved', page: 1, pageSize: 10 })
    expect(audit.total).toBe(1)
    expect(audit.rows[0].actorName).toBeTruthy()
  })

  it('only an administrator may change them, and bad amounts are refused field by field, in Chinese, changing nothing', async () => {
    const clerk = await examClerk(ctx.server().core)
    const good = { theoryFen: 6000, practicalFen: 9000, theoryRetakeFen: 3000, practicalRetakeFen: 4500, passMark: 85 }
    expect((await rpc(ctx.server().url, 'exams.saveFeeSettings', good, clerk.token)).status).toBe(403)

    const token = await admin()
    const bad = await rpc(ctx.server().url, 'exams.saveFeeSettings', { theoryFen: -1, practicalFen: 82.5, theoryRetakeFen: 3000, practicalRetakeFen: 4500, passMark: 101 }, token)
    expect(bad.status).toBe(400)
    expect(bad.error!.fields, JSON.stringify(bad.error!.fields)).toMatchObject({ theoryFen: '理论考试费不能为负', practicalFen: '金额以分为单位的整数', passMark: '合格分数在1到100之间' })
    expect((await rpc(ctx.server().url, 'exams.feeSettings', {}, token)).data).toMatchObject({ theoryFen: 5100, practicalFen: 8200, passMark: 80 })
  })
})
