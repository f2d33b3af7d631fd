// Score import of a spreadsheet made by LibreOffice Calc (not by exceljs): the exam centre's CSV
// converted headless, with every quirk of real files, and each preview error checked one by one.
// Needs the Debian package libreoffice-calc (soffice).
import { afterEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fakeClock, testCore, type TestCore } from '../support/core'
import { examClerk, seedExamApplicant, venueId } from './exam-support'

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice', '/usr/lib/libreoffice/program/soffice'].find((p) => existsSync(p))

let core: TestCore
const dirs: string[] = []
afterEach(() => {
  core?.dispose()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** CSV → .xlsx by LibreOffice Calc: UTF-8, quoted fields as text, unquoted numbers as numbers. */
function calc(csv: string): Buffer {
  if (!SOFFICE) throw new Error('LibreOffice Calc is needed for this test: apt-get install -y --no-install-recommends libreoffice-calc')
  const dir = mkdtempSync(join(tmpdir(), 'qualdesk-lo-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'scores.csv'), csv)
  execFileSync(SOFFICE, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--infilter=CSV:44,34,76,1,,2052,true,true', '--convert-to', 'xlsx', '--outdir', dir, join(dir, 'scores.csv')], { stdio: 'pipe', timeout: 60_000 })
  return readFileSync(join(dir, 'scores.xlsx'))
}

describe('a score file made by LibreOffice Calc', () => {
  it('reads every quirk and reports each bad row with its column and reason', async () => {
    const clock = fakeClock('2026-11-25T09:00:00+08:00')
    core = await testCore({ clock })
    const clerk = await examClerk(core)
    const venue = venueId(core)
    const mk = (date: string, subjects: 'theory' | 'both') =>
      core.services.examSessions.create(clerk, { venueId: venue, date, start: '09:00', end: '11:00', subjects, capacity: 30, bookingOpensAt: '2026-11-20T00:00:00+08:00', bookingClosesAt: `2026-11-30T17:00:00+08:00` })
    const early = mk('2026-12-01', 'theory')
    const day = mk('2026-12-03', 'both')
    const names = ['张伟', '李娜', '王强', '赵六', '孙捌', '周九', '吴十']
    const [zw, ln, wq, zl, sb, zj, ws] = names.map((name) => {
      const a = seedExamApplicant(core, { name })
      core.services.payments.recordCounterPayment(clerk, { applicationId: a.applicationId, method: 'cash', receiptNo: `LO${a.applicationId}00`, amountFen: 13300 })
      return a
    })
    // 吴十 passed the theory on 12-01 already and sits only the practical on 12-03
    core.services.examBookings.book(ws.applicationId, early.id, clerk)
    const first = await core.services.examScores.preview(clerk, 'early.xlsx', calc(`身份证号,姓名,理论成绩,考试日期\n"${ws.idNumber}",吴十,92,2026-12-01\n`))
    expect(first).toMatchObject({ ok: 1, errors: 0 })
    core.services.examScores.commit(clerk, first.batchId!)
    for (const a of [zw, ln, wq, zl, sb, ws]) core.services.examBookings.book(a.applicationId, day.id, clerk)
    void zj // 周九 has no booking on 12-03

    const csv = [
      '序号,考试日期, 姓名 ,理论成绩,备注,身份证号码,实操成绩',
      `1,2026-12-03,张伟,"85",ok,"${zw.idNumber}",９０`,
      ',,,,,,',
      `2,2026/12/03, 李娜 ,缺考,缺考,"${ln.idNumber.toLowerCase()}",88`,
      `3,2026-12-03,王强,90,number id,${wq.idNumber.replace(/X$/, '0')},90`,
      `4,2026-12-03,赵六,101,,"${zl.idNumber}",80`,
      `5,2026-12-03,钱七,80,,"11010519491231002x",80`,
      `6,2026-12-03,孙八,80,,"${sb.idNumber}",80`,
      `7,2026-12-04,周九,80,,"${zj.idNumber}",80`,
      `8,2026-12-03,张伟,"85",dup,"${zw.idNumber}",９０`,
      `9,2026-12-03,吴十,80,,"${ws.idNumber}",`,
      '',
      ''
    ].join('\n')
    const file = calc(csv)
    expect(file.subarray(0, 2).toString()).toBe('PK')
    const p = await core.services.examScores.preview(clerk, '成绩（LibreOffice）.xlsx', file)
    expect(p.fileErrors).toEqual([])
    const byRow = Object.fromEntries(p.rows.map((r) => [r.row, r]))
    // row 1 is the header; row 3 is blank and skipped; rows keep their spreadsheet numbers
    expect(p.rows.map((r) => r.row)).toEqual([2, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(byRow[2]).toMatchObject({ status: 'ok', name: '张伟', summary: '理论 85 / 实操 90' })
    expect(byRow[4]).toMatchObject({ status: 'ok', name: '李娜', summary: '理论 缺考 / 实操 88' })
    const reasons = (row: number) => byRow[row].errors.map((e) => `${e.column}:${e.reason}`)
    expect(reasons(5)).toEqual([expect.stringMatching(/^身份证号:.*精度丢失/)])
    expect(reasons(6)).toEqual(['理论成绩:成绩超出0–100：101'])
    expect(reasons(7)).toEqual(['身份证号:身份证号未找到：没有该身份证号的在办客运考试申请'])
    expect(reasons(8)).toEqual(['姓名:姓名与身份证号不符：系统中为“孙捌”'])
    expect(reasons(9)).toEqual(['理论成绩:该考生2026-12-04没有理论考试预约', '实操成绩:该考生2026-12-04没有实操考试预约'])
    expect(reasons(10)).toEqual(['理论成绩:重复行：与第2行的理论成绩重复', '实操成绩:重复行：与第2行的实操成绩重复'])
    expect(reasons(11)).toEqual(['理论成绩:理论已考试合格，不能再导入成绩'])
    expect(p).toMatchObject({ total: 9, ok: 2, errors: 7, unchanged: 0 })

    const c = core.services.examScores.commit(clerk, p.batchId!)
    expect(c).toMatchObject({ applied: 2, scores: 4, passedBoth: 1 })
    expect(core.services.examBookings.scores(ln.applicationId, clerk).map((x) => [x.label, x.score, x.absent, x.passed])).toEqual([
      ['理论', null, true, false],
      ['实操', 88, false, true]
    ])
    // the same LibreOffice file again changes nothing
    const again = await core.services.examScores.preview(clerk, '成绩（LibreOffice）.xlsx', file)
    expect(again).toMatchObject({ ok: 0, unchanged: 2 })
    expect(core.services.examScores.commit(clerk, again.batchId!)).toMatchObject({ applied: 0, scores: 0 })
  }, 120_000)
})
