// The supervisors' dashboard against a hand-counted office (dashboard-fixture.ts), through the
// staff contract over real HTTP as the browser calls it.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, fakeClock, rpc, tempDir, testServer, type TestServer } from '../support/core'
import { createCore } from '../../src-main/core/create-core'
import { FIXTURE_NOW, ISSUED_PER_DAY, SUBMITTED_PER_DAY, loadFixture, type Fixture } from './dashboard-fixture'
import type { Dashboard } from '../../src-preload/contract/reports'

let server: TestServer
let fx: Fixture
let token: string
let clerkToken: string

async function login(username: string, password: string) {
  const r = await rpc(server.url, 'auth.login', { username, password })
  return r.data.token as string
}

beforeAll(async () => {
  server = await testServer({ clock: fakeClock(FIXTURE_NOW) })
  fx = loadFixture(server.core)
  const admin = await login('admin', ADMIN_PASSWORD)
  await rpc(server.url, 'staff.create', { username: 'shenpi', displayName: '陈志强', roles: ['supervisor'], password: 'Super2026x' }, admin)
  await rpc(server.url, 'staff.create', { username: 'yushen', displayName: '王晓梅', roles: ['pre_reviewer'], password: 'Clerk2026x' }, admin)
  token = await login('shenpi', 'Super2026x')
  clerkToken = await login('yushen', 'Clerk2026x')
})
afterAll(() => server.close())

async function dashboard(from = '2026-11-16', to = '2026-11-25'): Promise<Dashboard> {
  const r = await rpc(server.url, 'reports.dashboard', { from, to }, token)
  expect(r.status, JSON.stringify(r.error)).toBe(200)
  return r.data
}

describe('the dashboard shows the hand-counted figures', () => {
  it('applications by stage now (the funnel), in workflow order, and those off the path', async () => {
    const d = await dashboard()
    expect(d.funnel.map((f) => [f.label, f.count])).toEqual([
      ['待材料预审', 4],
      ['待资格初审', 2],
      ['待缴考试费', 1],
      ['考试中', 3],
      ['待许可审批', 2],
      ['待制证', 1],
      ['待领证', 1],
      ['已发证', 2]
    ])
    expect(Object.fromEntries(d.offPath.map((f) => [f.stage, f.count]))).toEqual({ returned: 1, rejected: 1, withdrawn: 0, draft: 1 })
  })

  it('submitted and issued per day over the chosen range, every day present', async () => {
    const d = await dashboard()
    expect(d.perDay.map((x) => x.date)).toEqual([
      '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20',
      '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25'
    ])
    for (const day of d.perDay) {
      expect(day.submitted, `submitted on ${day.date}`).toBe(SUBMITTED_PER_DAY[day.date] ?? 0)
      expect(day.issued, `issued on ${day.date}`).toBe(ISSUED_PER_DAY[day.date] ?? 0)
    }
    expect(d.totals.submitted).toBe(7)
    expect(d.totals.issued).toBe(3)
    // A narrower range counts only its own days.
    const one = await dashboard('2026-11-20', '2026-11-20')
    expect(one.perDay).toEqual([{ date: '2026-11-20', submitted: 1, issued: 2 }])
  })

  it('overdue items per desk against the legal deadlines, in working days', async () => {
    const d = await dashboard()
    expect(d.today).toBe('2026-11-25')
    expect(d.overdue.map((o) => [o.label, o.waiting, o.overdue, o.limitWorkingDays])).toEqual([
      ['材料预审', 4, 2, 5],
      ['资格初审', 2, 1, 5],
      ['考务管理', 1, 1, 30],
      ['成绩导入', 1, 1, 5],
      ['许可审批', 2, 1, 5],
      ['证件打印', 1, 1, 5]
    ])
  })

  it('overdue follows the holiday calendar: a 调休 working day counts, a holiday does not', async () => {
    // Make Saturday 11-21 a working day: P4 (submitted 11-18) is then due 11-24 and overdue today.
    server.core.ctx.db.prepare(`INSERT INTO holidays (date, kind, name, updated_at) VALUES ('2026-11-21', 'workday', '测试调休', '2026-11-25T00:00:00+08:00')`).run()
    try {
      const d = await dashboard()
      expect(d.overdue.find((o) => o.desk === 'pre-review')!.overdue).toBe(3)
    } finally {
      server.core.ctx.db.prepare(`DELETE FROM holidays WHERE date = '2026-11-21'`).run()
    }
    const d = await dashboard()
    expect(d.overdue.find((o) => o.desk === 'pre-review')!.overdue).toBe(2)
  })

  it('exam pass rates per subject and per training school (no-shows counted apart)', async () => {
    const d = await dashboard()
    expect(d.passRates.theory).toEqual({ sat: 3, passed: 2, noShows: 1, rate: 2 / 3 })
    expect(d.passRates.practical).toEqual({ sat: 1, passed: 1, noShows: 0, rate: 1 })
    const bySchool = Object.fromEntries(d.schools.map((s) => [s.school, [s.theory.sat, s.theory.passed, s.theory.noShows, s.practical.sat, s.practical.passed]]))
    expect(bySchool).toEqual({
      郑州市顺达机动车驾驶员培训学校: [2, 1, 0, 1, 1],
      自主学习: [1, 1, 0, 0, 0],
      河南省交通技师学院驾驶培训中心: [0, 0, 1, 0, 0]
    })
  })

  it('session fill rates, the coming month included (cancelled sessions left out)', async () => {
    const d = await dashboard('2026-11-16', '2026-11-25')
    expect(d.sessions.map((s) => [s.date, s.booked, s.capacity, s.rate])).toEqual([
      ['2026-11-16', 3, 30, 0.1],
      ['2026-11-30', 5, 20, 0.25]
    ])
  })

  it('fees collected per day in integer fen, refunds apart', async () => {
    const d = await dashboard()
    const day = (date: string) => d.fees.find((f) => f.date === date)!
    expect(day('2026-11-20')).toEqual({ date: '2026-11-20', paidCount: 2, paidFen: 26600, refundCount: 0, refundFen: 0, netFen: 26600 })
    expect(day('2026-11-21')).toEqual({ date: '2026-11-21', paidCount: 0, paidFen: 0, refundCount: 1, refundFen: 13300, netFen: -13300 })
    expect(d.totals).toMatchObject({ paidFen: 26600, refundFen: 13300, netFen: 13300 })
  })
})

describe('every figure opens the list behind it', () => {
  const drill = async (input: Record<string, unknown>) => {
    const r = await rpc(server.url, 'reports.drilldown', input, token)
    expect(r.status, JSON.stringify(r.error)).toBe(200)
    return r.data as { title: string; rows: Record<string, unknown>[]; total: number }
  }

  it('a funnel layer lists its applications, personal data masked', async () => {
    const l = await drill({ figure: 'stage', stage: 'pre_review' })
    expect(l.total).toBe(4)
    expect(l.rows.map((r) => r.name).sort()).toEqual(['测试P1', '测试P2', '测试P3', '测试P4'])
    for (const r of l.rows) {
      expect(r.idNumber).toMatch(/^410\*{11}\d{3}[\dX]$/)
      expect(r.phone).toMatch(/^138\*{4}\d{4}$/)
    }
  })

  it('a day lists what was submitted or issued that day', async () => {
    expect((await drill({ figure: 'submitted', date: '2026-11-16' })).rows.map((r) => r.name).sort()).toEqual(['测试C1', '测试D2'])
    expect((await drill({ figure: 'issued', date: '2026-11-20' })).rows.map((r) => r.name)).toEqual(['测试G1', '测试H1'])
  })

  it('a desk lists exactly its overdue items, the one with the oldest start first', async () => {
    expect((await drill({ figure: 'overdue', desk: 'pre-review' })).rows.map((r) => r.name)).toEqual(['测试P2', '测试P3'])
    expect((await drill({ figure: 'overdue', desk: 'exams' })).rows.map((r) => r.name)).toEqual(['测试D3'])
    expect((await drill({ figure: 'overdue', desk: 'scores' })).rows.map((r) => r.name)).toEqual(['测试C1'])
    expect((await drill({ figure: 'overdue', desk: 'certificates' })).rows.map((r) => r.name)).toEqual(['测试F1'])
  })

  it('a pass rate lists the attempts behind it, per school and subject', async () => {
    const l = await drill({ figure: 'passRate', from: '2026-11-16', to: '2026-11-25', subject: 'theory', schoolId: fx.schoolIds[0] })
    expect(l.rows.map((r) => [r.name, r.score, r.outcome])).toEqual([
      ['测试E2', 92, '合格'],
      ['测试D1', 64, '不合格']
    ])
    const self = await drill({ figure: 'passRate', from: '2026-11-16', to: '2026-11-25', schoolId: 0 })
    expect(self.rows.map((r) => r.name)).toEqual(['测试D2'])
  })

  it('a session lists its bookings; a day of fees lists its payments and refunds', async () => {
    const s = await drill({ figure: 'session', sessionId: fx.sessionIds.s1 })
    expect(s.total).toBe(5)
    const f = await drill({ figure: 'fees', date: '2026-11-21' })
    expect(f.rows).toHaveLength(1)
    expect(f.rows[0]).toMatchObject({ kind: '退款', amountFen: -13300, provider: '窗口缴费' })
  })

  it('paging: page 2 of 1-row pages is the second row', async () => {
    const p2 = await drill({ figure: 'overdue', desk: 'pre-review', page: 2, pageSize: 1 })
    expect(p2.total).toBe(2)
    expect(p2.rows.map((r) => r.name)).toEqual(['测试P3'])
  })
})

describe('the daily figures kept by triggers stay true', () => {
  it('a corrected score moves the attempt from failed to passed; a deleted history row leaves the day', async () => {
    const db = server.core.ctx.db
    const attempt = db.prepare(`SELECT id FROM exam_attempts WHERE application_id = ? AND subject = 'theory'`).get(fx.appIds.D1) as { id: number }
    db.prepare(`UPDATE exam_attempts SET outcome = 'passed', score = 81 WHERE id = ?`).run(attempt.id)
    try {
      const d = await dashboard()
      expect(d.passRates.theory).toMatchObject({ sat: 3, passed: 3 })
      expect(d.schools.find((s) => s.schoolId === fx.schoolIds[0])!.theory).toMatchObject({ sat: 2, passed: 2 })
    } finally {
      db.prepare(`UPDATE exam_attempts SET outcome = 'failed', score = 64 WHERE id = ?`).run(attempt.id)
    }
    expect((await dashboard()).passRates.theory).toMatchObject({ sat: 3, passed: 2 })
  })

  it('a database upgraded with history already in it gets the same daily figures as counting would give', async () => {
    const dir = tempDir()
    try {
      mkdirSync(dir, { recursive: true })
      copyFileSync(join(__dirname, '../fixtures/migrations/level-0007.db'), join(dir, 'qualdesk.db'))
      const core = await createCore({ dataDir: dir, adminPassword: ADMIN_PASSWORD, logError: () => {} })
      try {
        const db = core.ctx.db
        const kept = db.prepare(`SELECT event, day, n FROM report_daily_events ORDER BY event, day`).all()
        const counted = db
          .prepare(`SELECT event, substr(at, 1, 10) AS day, count(*) AS n FROM application_events WHERE event IN ('submit', 'certificate_printed') GROUP BY 1, 2 ORDER BY 1, 2`)
          .all()
        expect(kept).toEqual(counted)
        expect(kept.length).toBeGreaterThan(0)
        const fees = db.prepare(`SELECT sum(fen) AS fen FROM report_daily_fees WHERE kind = 'payment'`).get()
        expect(fees).toEqual(db.prepare(`SELECT sum(amount_fen) AS fen FROM payments WHERE kind = 'payment'`).get())
        expect(db.prepare('SELECT sum(n) AS n FROM report_daily_attempts').get()).toEqual(db.prepare('SELECT count(*) AS n FROM exam_attempts').get())
      } finally {
        core.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('who may look, and what is refused', () => {
  it('only supervisors see the dashboard; a refusal is audited', async () => {
    const r = await rpc(server.url, 'reports.dashboard', { from: '2026-11-16', to: '2026-11-25' }, clerkToken)
    expect(r.status).toBe(403)
    expect(r.error!.message).toContain('审批员')
    const denied = server.core.ctx.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'access.denied' AND target_id = 'reports.dashboard'`).get() as { n: number }
    expect(denied.n).toBe(1)
  })

  it('bad ranges are refused in Chinese, naming the field', async () => {
    const r = await rpc(server.url, 'reports.dashboard', { from: '2026-11-25', to: '2026-11-01' }, token)
    expect(r.status).toBe(400)
    expect(r.error!.fields).toHaveProperty('to')
    expect(r.error!.fields!.to).toMatch(/开始日期不能晚于结束日期/)
    const bad = await rpc(server.url, 'reports.drilldown', { figure: 'overdue', desk: 'kitchen' }, token)
    expect(bad.status).toBe(400)
  })
})
