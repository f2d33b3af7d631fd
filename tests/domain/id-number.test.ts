import { describe, expect, it } from 'vitest'
import { idCheckChar, parseIdNumber } from '../../src-main/core/domain/id-number'
import { maskIdNumber, maskPhone } from '../../src-main/core/domain/masking'
import { toShanghaiIso, yearsBetween } from '../../src-main/core/domain/time'

describe('GB 11643 ID numbers', () => {
  it('accepts the standard example and reads birth date and gender', () => {
    expect(parseIdNumber('11010519491231002X')).toEqual({ ok: true, birthDate: '1949-12-31', gender: 'F', regionCode: '110105' })
    expect(parseIdNumber('11010519491231002x').ok).toBe(true)
  })
  it('refuses a wrong check digit, wrong length, letters and impossible dates, saying which', () => {
    expect(parseIdNumber('110105194912310021')).toEqual({ ok: false, reason: '身份证号校验位不正确' })
    expect(parseIdNumber('11010519491231002')).toEqual({ ok: false, reason: '身份证号应为18位，当前为17位' })
    expect(parseIdNumber('1101051949123100AX')).toEqual({ ok: false, reason: '身份证号前17位应为数字，最后一位为数字或X' })
    const feb30 = '41010219900230001'
    expect(parseIdNumber(feb30 + idCheckChar(feb30))).toEqual({ ok: false, reason: '身份证号中的出生日期无效' })
  })
  it('reads gender from the 17th digit', () => {
    const male = '41010219900101001'
    expect(parseIdNumber(male + idCheckChar(male))).toMatchObject({ ok: true, gender: 'M' })
  })
})

describe('masking and time', () => {
  it('masks ID numbers and phones as lists show them', () => {
    expect(maskIdNumber('410102199001010011')).toBe('410***********0011')
    expect(maskPhone('13812345678')).toBe('138****5678')
  })
  it('writes Shanghai time with its offset, across midnight UTC', () => {
    expect(toShanghaiIso(new Date('2021-03-30T08:34:43Z'))).toBe('2021-03-30T16:34:43+08:00')
    expect(toShanghaiIso(new Date('2021-03-30T20:00:00Z'))).toBe('2021-03-31T04:00:00+08:00')
  })
  it('counts whole years of age', () => {
    expect(yearsBetween('1966-11-26', '2026-11-25')).toBe(59)
    expect(yearsBetween('1966-11-25', '2026-11-25')).toBe(60)
    expect(yearsBetween('1966-12-01', '2026-11-25')).toBe(59)
    expect(yearsBetween('2025-11-26', '2026-11-25')).toBe(0)
    // Born on 29 February: a year older on 1 March of a common year.
    expect(yearsBetween('2000-02-29', '2026-02-28')).toBe(25)
    expect(yearsBetween('2000-02-29', '2026-03-01')).toBe(26)
  })
})
