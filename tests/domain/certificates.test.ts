import { describe, expect, it } from 'vitest'
import {
  addYears,
  certificateClasses,
  certificateNumber,
  maskName,
  nextSerial,
  renewalStatus,
  stockRangeProblems,
  takeSerials,
  validUntil,
  verdictOf,
  verificationUrl
} from '../../src-main/core/domain/certificates'

describe('certificate number and validity', () => {
  it('the number is the ID number, upper-case', () => {
    expect(certificateNumber(' 11010519491231002x ')).toBe('11010519491231002X')
  })
  it('is valid six full years, 29 February included', () => {
    expect(validUntil('2026-11-25')).toBe('2032-11-24')
    expect(validUntil('2024-02-29')).toBe('2030-02-27')
    expect(addYears('2024-02-29', 6)).toBe('2030-02-28')
    expect(validUntil('2026-01-01')).toBe('2031-12-31')
  })
  it('opens renewal 30 days before expiry and expires the day after the last valid day', () => {
    expect(renewalStatus('2032-11-24', '2032-10-24')).toMatchObject({ state: 'valid', opensOn: '2032-10-25', daysLeft: 31 })
    expect(renewalStatus('2032-11-24', '2032-10-25')).toMatchObject({ state: 'renewable' })
    expect(renewalStatus('2032-11-24', '2032-11-24')).toMatchObject({ state: 'renewable', daysLeft: 0 })
    expect(renewalStatus('2032-11-24', '2032-11-25')).toMatchObject({ state: 'expired' })
  })
})

describe('vehicle classes on the card', () => {
  it('passenger: only the licence classes that qualify (a setting)', () => {
    expect(certificateClasses({ category: 'passenger', licenceClasses: ['C1', 'B1', 'A1'], qualifying: ['A1', 'A3', 'B1'] })).toEqual(['A1', 'B1'])
  })
  it('freight: the class trained for', () => {
    expect(certificateClasses({ category: 'freight', licenceClasses: ['A2', 'B2'], vehicleClass: 'B2', qualifying: ['A1', 'A2', 'B2'] })).toEqual(['B2'])
  })
  it('add-class: the earlier certificate’s classes stay', () => {
    expect(certificateClasses({ category: 'passenger', licenceClasses: ['A1'], qualifying: ['A1', 'A3', 'B1'], earlier: ['B1'] })).toEqual(['A1', 'B1'])
  })
})

describe('serial stock', () => {
  it('counts up with 10 digits and stops past the last', () => {
    expect(nextSerial('0000000009')).toBe('0000000010')
    expect(nextSerial('9999999999')).toBeNull()
  })
  it('takes serials in order across ranges and moves the cursors; never more than there are', () => {
    const ranges = [
      { id: 1, nextSerial: '4101000099', lastSerial: '4101000100' },
      { id: 2, nextSerial: '4102000001', lastSerial: '4102000500' }
    ]
    const r = takeSerials(ranges, 3)
    expect(r.ok && r.serials).toEqual([
      { rangeId: 1, serial: '4101000099' },
      { rangeId: 1, serial: '4101000100' },
      { rangeId: 2, serial: '4102000001' }
    ])
    expect(r.ok && [...r.cursors]).toEqual([
      [1, null],
      [2, '4102000002']
    ])
    expect(takeSerials(ranges, 503)).toEqual({ ok: false, available: 502 })
    expect(takeSerials([{ id: 1, nextSerial: null, lastSerial: '4101000100' }], 1)).toEqual({ ok: false, available: 0 })
  })
  it('refuses malformed, reversed, huge and overlapping ranges', () => {
    expect(stockRangeProblems('41010', '4101000100', [])).toEqual({ firstSerial: '起始编号应为10位数字' })
    expect(stockRangeProblems('4101000100', '4101000001', [])).toEqual({ lastSerial: '结束编号不能小于起始编号' })
    expect(stockRangeProblems('4101000001', '4101200001', [])).toEqual({ lastSerial: '一次录入不超过100000张' })
    expect(stockRangeProblems('4101000050', '4101000060', [{ first: '4101000001', last: '4101000100' }]).firstSerial).toMatch(/重叠/)
    expect(stockRangeProblems('4101000101', '4101000200', [{ first: '4101000001', last: '4101000100' }])).toEqual({})
  })
})

describe('verification', () => {
  const cert = { status: 'active' as const, validUntil: '2032-11-24', certificateNo: '11010519491231002X' }
  it('is valid only for the card in use, of that number, before expiry', () => {
    expect(verdictOf({ status: 'printed' }, cert, '11010519491231002x', '2026-11-25')).toBe('valid')
    expect(verdictOf({ status: 'printed' }, cert, '11010519491231002X', '2032-11-25')).toBe('expired')
    expect(verdictOf({ status: 'spoiled' }, cert, '11010519491231002X', '2026-11-25')).toBe('voided')
    expect(verdictOf({ status: 'superseded' }, cert, '11010519491231002X', '2026-11-25')).toBe('voided')
    expect(verdictOf({ status: 'printed' }, { ...cert, status: 'superseded' }, '11010519491231002X', '2026-11-25')).toBe('superseded')
    expect(verdictOf({ status: 'printed' }, cert, '410105198001011234', '2026-11-25')).toBe('not_found')
    expect(verdictOf(undefined, undefined, '11010519491231002X', '2026-11-25')).toBe('not_found')
  })
  it('builds the QR URL and masks the name', () => {
    expect(verificationUrl('https://jt.example/api/v1/certificates/verify', '11010519491231002X', '4101000001')).toBe(
      'https://jt.example/api/v1/certificates/verify?no=11010519491231002X&serial=4101000001'
    )
    expect(maskName('欧阳建国')).toBe('欧***')
  })
})
