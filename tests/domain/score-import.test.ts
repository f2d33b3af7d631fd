// Reading the exam centre's spreadsheet rows: every quirk real files have, and each refusal
// naming the row, the column and the reason.
import { describe, expect, it } from 'vitest'
import { checkRows, parseDate, parseIdCell, parseScore, parseScoreSheet, toHalfWidth, type BookingMatch, type Lookups } from '../../src-main/core/domain/score-import'
import { idCheckChar } from '../../src-main/core/domain/id-number'

const id = (first17: string) => first17 + idCheckChar(first17)
const A = id('41010519850615001')
const B = id('41010519900101002')

describe('cells', () => {
  it('reads full-width digits, spaces, numbers stored as text and 缺考', () => {
    expect(toHalfWidth('８５')).toBe('85')
    expect(parseScore('８５')).toEqual({ ok: true, score: 85 })
    expect(parseScore(' 90 ')).toEqual({ ok: true, score: 90 })
    expect(parseScore(' 缺考 ')).toEqual({ ok: true, score: null })
    expect(parseScore(100)).toEqual({ ok: true, score: 100 })
    expect(parseScore('101')).toMatchObject({ ok: false, reason: '成绩超出0–100：101' })
    expect(parseScore(-1)).toMatchObject({ ok: false })
    expect(parseScore('85.5')).toMatchObject({ ok: false, reason: expect.stringContaining('整数') })
    expect(parseScore('优秀')).toMatchObject({ ok: false, reason: expect.stringContaining('不是数字') })
  })

  it('reads dates written many ways, and Excel day numbers', () => {
    for (const v of ['2026-12-01', '2026/12/1', '2026.12.01', '2026年12月1日', '20261201', ' ２０２６-１２-０１ ', 46357, new Date(Date.UTC(2026, 11, 1))]) {
      expect(parseDate(v as never)).toBe('2026-12-01')
    }
    expect(parseDate('2026-02-30')).toBeNull()
    expect(parseDate('明天')).toBeNull()
  })

  it('refuses an 18-digit ID number that lost precision as a number, for that row', () => {
    expect(parseIdCell(410105198506150000)).toMatchObject({ ok: false, reason: expect.stringContaining('精度丢失') })
    expect(parseIdCell('4.10105198506150E+17')).toMatchObject({ ok: false, reason: expect.stringContaining('精度丢失') })
    expect(parseIdCell('410105198506150000')).toMatchObject({ ok: false, reason: expect.stringContaining('精度丢失') })
    expect(parseIdCell(` ${A.toLowerCase()} `)).toEqual({ ok: true, idNumber: A })
    expect(parseIdCell('41010519850615001')).toMatchObject({ ok: false, reason: '身份证号应为18位，当前为17位' })
  })
})

describe('the sheet', () => {
  it('maps headers in any order, ignores extra columns and blank rows, keeps the sheet row numbers', () => {
    const r = parseScoreSheet([
      [],
      ['序号', ' 实操成绩 ', '考试日期', '备注', '姓 名', '身份证号码', '理论成绩'],
      [1, '８８', '2026-12-01', '', '张伟', A, ' 85 '],
      [null, null, null, null, null, null, null],
      [2, '', '2026/12/01', 'x', '李娜', B, '缺考']
    ])
    expect(r.fileErrors).toEqual([])
    expect(r.errors).toEqual([])
    expect(r.total).toBe(2)
    expect(r.rows).toEqual([
      { row: 3, idNumber: A, name: '张伟', examDate: '2026-12-01', session: null, scores: [{ subject: 'theory', score: 85, column: '理论成绩' }, { subject: 'practical', score: 88, column: '实操成绩' }] },
      { row: 5, idNumber: B, name: '李娜', examDate: '2026-12-01', session: null, scores: [{ subject: 'theory', score: null, column: '理论成绩' }] }
    ])
  })

  it('reads the 考试科目 + 成绩 layout, one subject a row', () => {
    const r = parseScoreSheet([
      ['身份证号', '姓名', '考试科目', '成绩', '考试日期', '场次'],
      [A, '张伟', '理论', 90, '2026-12-01', '上午场'],
      [A, '张伟', '实操', '缺考', '2026-12-01', ''],
      [A, '张伟', '驾驶', 90, '2026-12-01', '']
    ])
    expect(r.rows.map((x) => [x.row, x.scores[0].subject, x.scores[0].score, x.session])).toEqual([
      [2, 'theory', 90, '上午场'],
      [3, 'practical', null, null]
    ])
    expect(r.errors).toEqual([{ row: 4, column: '考试科目', reason: '考试科目“驾驶”无法识别（应为理论或实操）' }])
  })

  it('says which header columns are missing', () => {
    expect(parseScoreSheet([['身份证', '名字', '分数']]).fileErrors[0]).toBe('表头缺少列：身份证号、姓名、考试日期、考试科目（或理论成绩/实操成绩）（表头在第1行）')
    expect(parseScoreSheet([[], []]).fileErrors[0]).toMatch(/没有数据/)
  })

  it('lists every error of a row with its column', () => {
    const r = parseScoreSheet([
      ['身份证号', '姓名', '理论成绩', '实操成绩', '考试日期'],
      ['41010519850615000', '', '120', 'abc', '2026-13-01']
    ])
    expect(r.errors).toEqual([
      { row: 2, column: '身份证号', reason: '身份证号应为18位，当前为17位' },
      { row: 2, column: '姓名', reason: '姓名为空' },
      { row: 2, column: '考试日期', reason: '考试日期“2026-13-01”无法识别（应为 YYYY-MM-DD）' },
      { row: 2, column: '理论成绩', reason: '成绩超出0–100：120' },
      { row: 2, column: '实操成绩', reason: '成绩“abc”不是数字（缺考请填写“缺考”）' }
    ])
  })
})

describe('checking against the records', () => {
  const booking = (over: Partial<BookingMatch> = {}): BookingMatch => ({
    bookingId: 7,
    sessionId: 3,
    sessionName: '2026-12-01 郑州理论考点理论场次',
    examDate: '2026-12-01',
    covers: new Set(['theory', 'practical']),
    status: 'booked',
    recorded: {},
    ...over
  })
  const lookups = (over: { passed?: string[]; bookings?: BookingMatch[] } = {}): Lookups => ({
    candidate: (idNumber) => (idNumber === A ? { applicationId: 1, name: '张伟', passed: new Set(over.passed ?? []) as never } : null),
    bookings: () => over.bookings ?? [booking()]
  })
  const sheet = (...rows: unknown[][]) => parseScoreSheet([['身份证号', '姓名', '理论成绩', '实操成绩', '考试日期', '场次'], ...(rows as never[])]).rows

  it('accepts a matching row and names every refusal', () => {
    const rows = sheet(
      [A, '张伟', 85, 90, '2026-12-01'],
      [B, '李娜', 85, '', '2026-12-01'],
      [A, '张卫', 85, '', '2026-12-01'],
      [A, '张伟', 70, '', '2026-12-01']
    )
    const out = checkRows(rows, lookups())
    expect(out.map((r) => [r.row, r.status, r.errors.map((e) => `${e.column}:${e.reason}`)])).toEqual([
      [2, 'ok', []],
      [3, 'error', ['身份证号:身份证号未找到：没有该身份证号的在办客运考试申请']],
      [4, 'error', ['姓名:姓名与身份证号不符：系统中为“张伟”']],
      [5, 'error', ['理论成绩:重复行：与第2行的理论成绩重复']]
    ])
    expect(out[0].scores.map((s) => [s.subject, s.score, s.bookingId])).toEqual([
      ['theory', 85, 7],
      ['practical', 90, 7]
    ])
  })

  it('refuses a date without a booking, a subject already passed, and a different score for a recorded one', () => {
    expect(checkRows(sheet([A, '张伟', 85, '', '2026-12-01']), lookups({ bookings: [] }))[0].errors[0]).toMatchObject({ column: '理论成绩', reason: '该考生2026-12-01没有理论考试预约' })
    expect(checkRows(sheet([A, '张伟', 85, '', '2026-12-01']), lookups({ passed: ['theory'] }))[0].errors[0].reason).toBe('理论已考试合格，不能再导入成绩')
    const recorded = booking({ status: 'scored', recorded: { theory: { score: 85 } } })
    expect(checkRows(sheet([A, '张伟', 85, '', '2026-12-01']), lookups({ bookings: [recorded] }))[0].status).toBe('unchanged')
    expect(checkRows(sheet([A, '张伟', 86, '', '2026-12-01']), lookups({ bookings: [recorded] }))[0].errors[0].reason).toBe('该场次理论成绩已导入（85），与本次（86）不同')
    expect(checkRows(sheet([A, '张伟', 86, '', '2026-12-01', '下午场']), lookups())[0].errors[0]).toMatchObject({ column: '场次' })
  })
})
