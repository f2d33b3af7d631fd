// The supervisors' Excel exports: started over the staff contract, polled for progress, fetched
// through the download route with the staff token, re-read with exceljs and compared row by row
// with the hand-built office (dashboard-fixture.ts). Every export and download is in the audit log.
import ExcelJS from 'exceljs'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, fakeClock, rpc, testServer, type TestServer } from '../support/core'
import { FIXTURE_APPS, FIXTURE_NOW, idNumberFor, loadFixture, type Fixture } from './dashboard-fixture'
import type { ExportJobView } from '../../src-preload/contract/reports'

let server: TestServer
let fx: Fixture
let token: string
let otherToken: string
let supervisorId: number

async function login(username: string, password: string) {
  const r = await rpc(server.url, 'auth.login', { username, password })
  return r.data.token as string
}

beforeAll(async () => {
  server = await testServer({ clock: fakeClock(FIXTURE_NOW) })
  fx = loadFixture(server.core)
  const admin = await login('admin', ADMIN_PASSWORD)
  const created = await rpc(server.url, 'staff.create', { username: 'shenpi', displayName: '陈志强', roles: ['supervisor'], password: 'Super2026x' }, admin)
  supervisorId = created.data.staff.id
  await rpc(server.url, 'staff.create', { username: 'shenpi2', displayName: '周敏', roles: ['supervisor'], password: 'Super2026y' }, admin)
  token = await login('shenpi', 'Super2026x')
  otherToken = await login('shenpi2', 'Super2026y')
})
afterAll(() => server.close())

/** Starts an export, polls its progress until done, downloads it and opens it with exceljs. */
async function exportAndOpen(request: Record<string, unknown>) {
  const started = await rpc(server.url, 'reports.startExport', request, token)
  expect(started.status, JSON.stringify(started.error)).toBe(200)
  let job = started.data as ExportJobView
  expect(job.status).toBe('running')
  for (let i = 0; i < 200 && job.status === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 25))
    job = (await rpc(server.url, 'reports.exportStatus', { id: job.id }, token)).data
  }
  expect(job.status, job.error ?? '').toBe('done')
  expect(job.percent).toBe(100)
  const res = await fetch(`${server.url}/exports/${job.id}`, { headers: { authorization: `Bearer ${token}` } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('spreadsheetml')
  expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain(job.fileName!)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer)
  return { job, wb }
}

/** A sheet as rows of plain values (row 1 = headers). */
function rowsOf(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = []
  ws.eachRow({ includeEmpty: false }, (row) => {
    const vals: unknown[] = []
    for (let c = 1; c <= ws.columnCount; c++) {
      const v = row.getCell(c).value
      vals.push(v instanceof Date ? v.toISOString().replace('.000Z', '') : (v ?? null))
    }
    out.push(vals)
  })
  return out
}

describe('the application ledger (申请台账)', () => {
  it('has every application submitted in the range, row by row, with Chinese headers, dates as dates', async () => {
    const { job, wb } = await exportAndOpen({ kind: 'applications', from: '2026-11-16', to: '2026-11-25' })
    const ws = wb.getWorksheet('申请台账')!
    const rows = rowsOf(ws)
    expect(rows[0]).toEqual([
      '申请编号', '培训证号', '姓名', '身份证号', '性别', '出生日期', '联系电话', '从业类别', '申请类型', '准驾车型',
      '培训方式', '培训学校', '当前状态', '提交时间', '提交次数', '进入当前状态时间', '领证方式', '现住地址'
    ])
    // Hand-built expectation: the fixture's applications whose submission falls in 11-16 … 11-25, oldest first.
    const expected = FIXTURE_APPS.map((a, i) => ({ a, i }))
      .filter(({ a }) => a.submittedAt && a.submittedAt >= '2026-11-16' && a.submittedAt < '2026-11-26')
      .sort((x, y) => x.a.submittedAt!.localeCompare(y.a.submittedAt!) || x.i - y.i)
      .map(({ a, i }) => [
        fx.appIds[a.key],
        ['pre_review', 'initial_review', 'draft', 'returned'].includes(a.stage) ? null : `2026${String(i + 1).padStart(6, '0')}`,
        `测试${a.key}`,
        idNumberFor(i + 1),
        '男',
        '1985-03-15T00:00:00',
        `1380000${1000 + i}`,
        a.category === 'passenger' ? '经营性道路旅客运输驾驶员' : '经营性道路货物运输驾驶员',
        '初领',
        a.category === 'passenger' ? 'A1' : 'B2',
        a.school ? '培训机构' : '自主学习',
        a.school === 1 ? '郑州市顺达机动车驾驶员培训学校' : a.school === 2 ? '河南省交通技师学院驾驶培训中心' : null,
        { pre_review: '待材料预审', initial_review: '待资格初审', fee_payment: '待缴考试费', exam: '考试中', returned: '退回补正' }[a.stage as string],
        a.submittedAt!.slice(0, 19),
        0,
        a.stageEnteredAt.slice(0, 19),
        '自取',
        `河南省郑州市金水区文化路${i + 1}号`
      ])
    expect(rows.slice(1)).toEqual(expected)
    expect(job.totalRows).toBe(7)
    expect(job.doneRows).toBe(7)

    // Frozen header row, widths, date and number formats.
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(ws.getColumn(4).width).toBeGreaterThanOrEqual(20)
    expect(ws.getRow(2).getCell(14).numFmt).toBe('yyyy-mm-dd hh:mm:ss')
    expect(ws.getRow(2).getCell(6).numFmt).toBe('yyyy-mm-dd')
    expect(ws.getRow(1).font?.bold ?? ws.getRow(1).getCell(1).font?.bold).toBe(true)
  })

  it('filters by category and stage; masked personal data when asked', async () => {
    const { wb } = await exportAndOpen({ kind: 'applications', from: '2026-10-01', to: '2026-11-25', category: 'freight', personalData: 'masked' })
    const rows = rowsOf(wb.getWorksheet(1)!).slice(1)
    expect(rows.map((r) => r[2])).toEqual(['测试H1', '测试F1', '测试E1', '测试P2', '测试I2'])
    for (const r of rows) {
      expect(r[3]).toMatch(/^410\*{11}\d{3}[\dX]$/)
      expect(r[6]).toMatch(/^138\*{4}\d{4}$/)
    }
    const staged = await exportAndOpen({ kind: 'applications', from: '2026-08-01', to: '2026-11-25', stage: 'exam' })
    expect(rowsOf(staged.wb.getWorksheet(1)!).slice(1).map((r) => r[2])).toEqual(['测试D1', '测试D3', '测试D2'])
  })
})

describe('the other exports', () => {
  it('exam results per session: each booking with its scores', async () => {
    const { wb, job } = await exportAndOpen({ kind: 'exam_results', sessionId: fx.sessionIds.s1 })
    expect(job.summary).toContain('郑州理论考点')
    const rows = rowsOf(wb.getWorksheet('考试成绩')!)
    expect(rows[0].slice(0, 4)).toEqual(['考试日期', '考点', '时间', '姓名'])
    expect(rows.slice(1).map((r) => [r[3], r[9], r[10], r[11]])).toEqual([
      ['测试E2', '已出成绩', 92, '合格'],
      ['测试D2', '已出成绩', 85, '合格'],
      ['测试D1', '已出成绩', 64, '不合格'],
      ['测试H1', '失约', null, '缺考'],
      ['测试C1', '已到场', null, null]
    ])
  })

  it('fees and refunds per day: a daily summary and every movement, money as money', async () => {
    const { wb } = await exportAndOpen({ kind: 'fees', from: '2026-11-16', to: '2026-11-25' })
    const daily = wb.getWorksheet('每日汇总')!
    expect(rowsOf(daily)).toEqual([
      ['日期', '缴费笔数', '缴费金额', '退款笔数', '退款金额', '净收入'],
      ['2026-11-20T00:00:00', 2, 266, 0, 0, 266],
      ['2026-11-21T00:00:00', 0, 0, 1, 133, -133]
    ])
    expect(daily.getRow(2).getCell(3).numFmt).toBe('"¥"#,##0.00')
    const detail = rowsOf(wb.getWorksheet('收退款明细')!)
    expect(detail.slice(1).map((r) => [r[1], r[2], r[3], r[4], r[6]])).toEqual([
      ['2026-11-20T08:05:00', '缴费', '微信支付', 133, 'QD20261120001'],
      ['2026-11-20T14:00:00', '缴费', '窗口缴费', 133, 'QD20261120002'],
      ['2026-11-21T10:30:00', '退款', '窗口缴费', -133, 'QD20261120002']
    ])
  })

  it('the issued-certificate ledger (发证台账): every certificate issued in the range with its handover', async () => {
    const { wb, job } = await exportAndOpen({ kind: 'certificates', from: '2026-11-01', to: '2026-11-25' })
    expect(job.totalRows).toBe(3)
    const rows = rowsOf(wb.getWorksheet('发证台账')!)
    expect(rows[0]).toEqual([
      '证件号码', '印刷编号', '姓名', '性别', '出生日期', '国籍', '住址', '从业资格类别', '准驾车型', '初次领证日期',
      '发证日期', '有效期至', '发证机关', '证件状态', '申请编号', '培训证号', '领取方式', '领取/寄出时间', '经办人'
    ])
    const idx = (key: string) => FIXTURE_APPS.findIndex((a) => a.key === key)
    const row = (key: string, issued: string, serial: string, handover: [string, string, string] | [null, null, null]) => [
      idNumberFor(idx(key) + 1), serial, `测试${key}`, '男', '1985-03-15T00:00:00', '中国', `河南省郑州市金水区文化路${idx(key) + 1}号`,
      FIXTURE_APPS[idx(key)].category === 'passenger' ? '经营性道路旅客运输驾驶员' : '经营性道路货物运输驾驶员',
      FIXTURE_APPS[idx(key)].category === 'passenger' ? 'A1' : 'B2',
      `${issued}T00:00:00`, `${issued}T00:00:00`, '2032-11-19T00:00:00', '郑州市交通运输局', '有效', fx.appIds[key],
      `2026${String(idx(key) + 1).padStart(6, '0')}`, ...handover
    ]
    expect(rows.slice(1)).toEqual([
      row('G1', '2026-11-20', '0000000101', [null, null, null]),
      row('H1', '2026-11-20', '0000000102', ['自取', '2026-11-21T10:00:00', '刘芳']),
      row('H2', '2026-11-23', '0000000103', ['邮寄', '2026-11-24T16:00:00', '刘芳'])
    ])
    // Masked: the ID number and the address.
    const masked = await exportAndOpen({ kind: 'certificates', from: '2026-11-23', to: '2026-11-23', personalData: 'masked' })
    const m = rowsOf(masked.wb.getWorksheet('发证台账')!)[1]
    expect(m[0]).toMatch(/^410\*{11}\d{3}[\dX]$/)
    expect(m[6]).toBe('河南省郑州市金水区****')
  })

  it('the audit log for a period, with the earlier exports in it', async () => {
    const { wb } = await exportAndOpen({ kind: 'audit', from: '2026-11-25', to: '2026-11-25', action: 'report.exported' })
    const rows = rowsOf(wb.getWorksheet('审计日志')!)
    expect(rows[0]).toEqual(['编号', '时间', '操作人类型', '操作人', '操作', '操作代码', '对象类型', '对象编号', '详情', 'IP地址'])
    expect(rows.length).toBeGreaterThan(1)
    expect(rows.slice(1).every((r) => r[3] === '陈志强' && r[4] === '导出报表' && r[5] === 'report.exported')).toBe(true)
  })
})

describe('who exported which personal data', () => {
  it('each export and each download is in the audit log with the personal data it carried', async () => {
    const { job } = await exportAndOpen({ kind: 'applications', from: '2026-11-16', to: '2026-11-25' })
    const entries = server.core.ctx.db
      .prepare(`SELECT action, actor_id, detail FROM audit_log WHERE target_type = 'export' AND target_id = ? ORDER BY id`)
      .all(String(job.id)) as { action: string; actor_id: number; detail: string }[]
    expect(entries.map((e) => e.action)).toEqual(['report.exported', 'report.downloaded'])
    expect(entries.every((e) => e.actor_id === supervisorId)).toBe(true)
    const detail = JSON.parse(entries[0].detail)
    expect(detail).toMatchObject({ kind: 'applications', rows: 7, filters: { from: '2026-11-16', to: '2026-11-25', personalData: 'full' } })
    expect(detail.personalData).toEqual(expect.arrayContaining(['姓名', '身份证号（完整）', '联系电话（完整）']))
  })

  it('the file is handed only to the supervisor who made it, and only with a live session', async () => {
    const { job } = await exportAndOpen({ kind: 'audit', from: '2026-11-25', to: '2026-11-25' })
    const other = await fetch(`${server.url}/exports/${job.id}`, { headers: { authorization: `Bearer ${otherToken}` } })
    expect(other.status).toBe(404)
    const anonymous = await fetch(`${server.url}/exports/${job.id}`)
    expect(anonymous.status).toBe(401)
    expect(((await anonymous.json()) as { error: { message: string } }).error.message).toMatch(/登录/)
    const bogus = await fetch(`${server.url}/exports/abc`, { headers: { authorization: `Bearer ${token}` } })
    expect(bogus.status).toBe(404)
    const status = await rpc(server.url, 'reports.exportStatus', { id: job.id }, otherToken)
    expect(status.status).toBe(404)
  })

  it('bad requests are refused in Chinese naming the field, and nothing is left behind', async () => {
    const before = (server.core.ctx.db.prepare('SELECT count(*) AS n FROM export_jobs').get() as { n: number }).n
    const reversed = await rpc(server.url, 'reports.startExport', { kind: 'fees', from: '2026-11-25', to: '2026-11-01' }, token)
    expect(reversed.status).toBe(400)
    expect(reversed.error!.fields!.to).toBeTruthy()
    const tooLong = await rpc(server.url, 'reports.startExport', { kind: 'audit', from: '2024-01-01', to: '2026-11-25' }, token)
    expect(tooLong.status).toBe(400)
    expect(tooLong.error!.message).toContain('366')
    const noSession = await rpc(server.url, 'reports.startExport', { kind: 'exam_results', sessionId: 9999 }, token)
    expect(noSession.status).toBe(404)
    const unknown = await rpc(server.url, 'reports.startExport', { kind: 'salaries', from: '2026-11-01', to: '2026-11-02' }, token)
    expect(unknown.status).toBe(400)
    expect((server.core.ctx.db.prepare('SELECT count(*) AS n FROM export_jobs').get() as { n: number }).n).toBe(before)
  })

  it('a finished export is listed; its file is deleted a day later', async () => {
    const list = await rpc(server.url, 'reports.exports', {}, token)
    expect(list.data.length).toBeGreaterThan(0)
    const newest = list.data[0] as ExportJobView
    const row = server.core.ctx.db.prepare('SELECT file_path FROM export_jobs WHERE id = ?').get(newest.id) as { file_path: string }
    expect(existsSync(row.file_path)).toBe(true)
    ;(server.core.ctx.clock as ReturnType<typeof fakeClock>).advance(25 * 3600_000)
    token = await login('shenpi', 'Super2026x')
    const later = await rpc(server.url, 'reports.exports', {}, token)
    expect(later.data.find((j: ExportJobView) => j.id === newest.id).status).toBe('expired')
    expect(existsSync(row.file_path)).toBe(false)
    const gone = await fetch(`${server.url}/exports/${newest.id}`, { headers: { authorization: `Bearer ${token}` } })
    expect(gone.status).toBe(404)
  })
})
