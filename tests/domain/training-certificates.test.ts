import { describe, expect, it } from 'vitest'
import { idCheckChar } from '../../src-main/core/domain/id-number'
import {
  compareWithRegistry,
  completionProblems,
  parseTrainingSheet,
  TRAINING_TEMPLATE_HEADER,
  type ExistingRecord
} from '../../src-main/core/domain/training-certificates'

const rules = { freightClasses: ['A1', 'A2', 'B2'], today: '2026-11-25' }
function id(birth: string, seq = '013'): string {
  const first17 = `410105${birth.replaceAll('-', '')}${seq}`
  return first17 + idCheckChar(first17)
}
const LI = id('1985-03-12')
const WANG = id('1990-07-01', '024')
const HEADER = [...TRAINING_TEMPLATE_HEADER]
/** Excel's day number of a date (what a date cell holds) */
const excelDay = (iso: string) => Math.round((Date.parse(iso + 'T00:00:00Z') - Date.UTC(1899, 11, 30)) / 86400_000)

describe('a school spreadsheet row by row', () => {
  it('reads columns in any order, skips blank rows, accepts Excel dates, text dates, full-width digits and spaces', () => {
    const sheet = [
      [],
      ['结业证编号', ' 姓 名 ', '身份证号码', '培训车型', '培训开始日期', '培训结束日期', '结业证发放日期', '备注'],
      ['JY-2026-0001', '李 强', LI, 'b2', excelDay('2026-09-01'), '2026/10/15', '2026年10月20日', '无'],
      [],
      ['ＪＹ－２０２６－０００２', '王芳', ` ${WANG.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))} `, 'Ａ２', '20260902', '2026-10-16', new Date(Date.UTC(2026, 9, 21)), '']
    ]
    const r = parseTrainingSheet(sheet, rules)
    expect(r.fileErrors).toEqual([])
    expect(r.errors).toEqual([])
    expect(r.total).toBe(2)
    expect(r.rows).toEqual([
      { row: 3, certificateNo: 'JY-2026-0001', name: '李强', idNumber: LI, vehicleClass: 'B2', trainingStart: '2026-09-01', trainingEnd: '2026-10-15', issuedOn: '2026-10-20' },
      { row: 5, certificateNo: 'JY-2026-0002', name: '王芳', idNumber: WANG, vehicleClass: 'A2', trainingStart: '2026-09-02', trainingEnd: '2026-10-16', issuedOn: '2026-10-21' }
    ])
  })

  it('takes a certificate number stored as a number when it kept every digit', () => {
    const r = parseTrainingSheet([HEADER, [LI, '李强', 'B2', '2026-09-01', '2026-10-15', '2026-10-20', 2026000123]], rules)
    expect(r.rows[0].certificateNo).toBe('2026000123')
  })

  it('refuses an 18-digit ID number that lost precision in a number cell, naming the row and column', () => {
    const r = parseTrainingSheet(
      [
        HEADER,
        [410105198503120000, '李强', 'B2', '2026-09-01', '2026-10-15', '2026-10-20', 'JY1'],
        ['4.10105198503120E+17', '王芳', 'B2', '2026-09-01', '2026-10-15', '2026-10-20', 'JY2'],
        ['410105198503120000', '赵六', 'B2', '2026-09-01', '2026-10-15', '2026-10-20', 'JY3']
      ],
      rules
    )
    expect(r.rows).toEqual([])
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [2, '身份证号'],
      [3, '身份证号'],
      [4, '身份证号']
    ])
    for (const e of r.errors) expect(e.reason).toContain('精度')
  })

  it('names every wrong cell of a row: class, dates out of order, future dates, empty name, bad number', () => {
    const r = parseTrainingSheet(
      [
        HEADER,
        [LI, '', 'C1', '2026-10-15', '2026-09-01', '2026-10-20', 'JY 1'],
        [WANG, '王芳', 'B2', '2026-09-01', '2026-10-15', '2026-12-01', '结业#1'],
        [WANG, '王芳', 'B2', '二〇二六年', '2026-13-01', '', 'JY9']
      ],
      rules
    )
    const byRow = (n: number) => Object.fromEntries(r.errors.filter((e) => e.row === n).map((e) => [e.column, e.reason]))
    expect(byRow(2)).toEqual({
      姓名: '姓名为空',
      准驾车型: '准驾车型“C1”不是货运准驾车型（只能是 A1、A2、B2）',
      培训结束日期: '培训结束日期不能早于培训起始日期'
    })
    expect(byRow(3)['结业证发放日期']).toBe('结业证发放日期不能晚于今天')
    expect(byRow(3)['结业证编号']).toContain('只能包含字母、数字')
    expect(byRow(4)).toEqual({
      培训起始日期: '培训起始日期“二〇二六年”无法识别（应为 YYYY-MM-DD 或 Excel 日期）',
      培训结束日期: '培训结束日期“2026-13-01”无法识别（应为 YYYY-MM-DD 或 Excel 日期）',
      结业证发放日期: '结业证发放日期为空'
    })
    // "JY 1" is read as JY1 (spaces dropped), so row 2's number itself is fine.
    expect(byRow(2)['结业证编号']).toBeUndefined()
  })

  it('refuses both rows that carry the same certificate number', () => {
    const r = parseTrainingSheet(
      [HEADER, [LI, '李强', 'B2', '2026-09-01', '2026-10-15', '2026-10-20', 'JY1'], [WANG, '王芳', 'B2', '2026-09-01', '2026-10-15', '2026-10-20', 'jy1']],
      rules
    )
    expect(r.rows).toEqual([])
    expect(r.errors.map((e) => `${e.row}:${e.reason}`)).toEqual(['2:结业证编号重复：与第3行相同', '3:结业证编号重复：与第2行相同'])
  })

  it('refuses the whole file when a column is missing or there is no data', () => {
    expect(parseTrainingSheet([['身份证号', '姓名', '准驾车型']], rules).fileErrors[0]).toContain('表头缺少列：培训起始日期、培训结束日期、结业证发放日期、结业证编号')
    expect(parseTrainingSheet([[], []], rules).fileErrors[0]).toContain('文件中没有数据')
  })
})

describe('one record (hand entry)', () => {
  const ok = { idNumber: LI, name: '李强', vehicleClass: 'B2', trainingStart: '2026-09-01', trainingEnd: '2026-10-15', issuedOn: '2026-10-20', certificateNo: 'JY1' }
  it('accepts a good record and names each bad field', () => {
    expect(completionProblems(ok, rules)).toEqual({})
    expect(completionProblems({ ...ok, idNumber: LI.slice(0, 17) + (LI[17] === '1' ? '2' : '1') }, rules)).toEqual({ idNumber: '身份证号校验位不正确' })
    expect(completionProblems({ ...ok, issuedOn: '2026-10-01' }, rules)).toEqual({ issuedOn: '结业证发放日期不能早于培训结束日期' })
    expect(completionProblems({ ...ok, idNumber: id('2003-05-05'), trainingStart: '2002-01-01' }, rules)).toEqual({ trainingStart: '培训起始日期早于出生日期' })
    expect(completionProblems({ ...ok, vehicleClass: 'A3' }, rules).vehicleClass).toContain('不是货运准驾车型')
  })
})

describe('a row against the registry', () => {
  const row = { row: 2, idNumber: LI, name: '李强', vehicleClass: 'B2', trainingStart: '2026-09-01', trainingEnd: '2026-10-15', issuedOn: '2026-10-20', certificateNo: 'JY1' }
  const rec = (over: Partial<ExistingRecord> = {}): ExistingRecord => ({ id: 7, idNumber: LI, name: '李强', vehicleClass: 'B2', trainingStart: '2026-09-01', trainingEnd: '2026-10-15', issuedOn: '2026-10-20', revoked: false, ...over })
  it('is new when the number is unknown, unchanged when registered exactly so (revoked or not)', () => {
    expect(compareWithRegistry(row, [])).toEqual({ status: 'new' })
    expect(compareWithRegistry(row, [rec()])).toEqual({ status: 'unchanged', recordId: 7, revoked: false })
    expect(compareWithRegistry(row, [rec({ revoked: true })])).toEqual({ status: 'unchanged', recordId: 7, revoked: true })
  })
  it('refuses different data under a valid record, and takes it as a corrected re-issue when only revoked ones have the number', () => {
    const v = compareWithRegistry(row, [rec({ name: '李刚', issuedOn: '2026-10-21' })])
    expect(v.status).toBe('error')
    expect(v.status === 'error' && v.errors[0].reason).toBe('结业证编号JY1已登记，且姓名、结业证发放日期与已登记的不同；如登记有误，请先撤销原记录再导入')
    expect(compareWithRegistry(row, [rec({ name: '李刚', revoked: true })])).toEqual({ status: 'new' })
  })
})

describe('numbers as text and text as numbers', () => {
  it('reads 20260901 typed as a number, an ID number with spaces, a class with a trailing space', () => {
    const spaced = `${LI.slice(0, 6)} ${LI.slice(6, 14)} ${LI.slice(14)}`
    const r = parseTrainingSheet([HEADER, [spaced, '李强', 'B2 ', 20260901, '2026.10.15', excelDay('2026-10-20'), ' JY-7 ']], rules)
    expect(r.errors).toEqual([])
    expect(r.rows[0]).toMatchObject({ idNumber: LI, vehicleClass: 'B2', trainingStart: '2026-09-01', trainingEnd: '2026-10-15', issuedOn: '2026-10-20', certificateNo: 'JY-7' })
  })
})
