// The dashboard's chart options: every drawn item carries the list it opens, money stays exact.
import { describe, expect, it } from 'vitest'
import type { Dashboard } from '../../src-preload/contract/reports'
import { drillOf, feesOption, funnelOption, overdueOption, passRateOption, perDayOption, sessionsOption } from '../../src-renderer/src/views/reports/charts'
import { cellText, percent, yuan } from '../../src-renderer/src/views/reports/format'

const rate = (sat: number, passed: number) => ({ sat, passed, noShows: 0, rate: sat ? passed / sat : null })
const d: Dashboard = {
  from: '2026-11-24',
  to: '2026-11-25',
  today: '2026-11-25',
  generatedAt: '2026-11-25T10:00:00+08:00',
  tookMs: 3,
  funnel: [
    { stage: 'pre_review', label: '待材料预审', count: 4 },
    { stage: 'completed', label: '已发证', count: 2 }
  ],
  offPath: [],
  perDay: [
    { date: '2026-11-24', submitted: 1, issued: 0 },
    { date: '2026-11-25', submitted: 0, issued: 2 }
  ],
  totals: { submitted: 1, issued: 2, paidFen: 26600, refundFen: 13300, netFen: 13300 },
  overdue: [{ desk: 'pre-review', label: '材料预审', rule: '…', limitWorkingDays: 5, waiting: 4, overdue: 2 }],
  passRates: { theory: rate(3, 2), practical: rate(0, 0) },
  schools: [{ schoolId: 0, school: '自主学习', theory: rate(1, 1), practical: rate(0, 0) }],
  sessions: [{ sessionId: 7, name: 's', venue: '郑州理论考点', date: '2026-11-30', start: '09:00', subjects: '理论', capacity: 20, booked: 5, rate: 0.25, status: 'open' }],
  fees: [{ date: '2026-11-24', paidCount: 2, paidFen: 26600, refundCount: 1, refundFen: 13300, netFen: 13300 }]
}

describe('every chart item opens the list behind it', () => {
  it('funnel layers keep the workflow order and open their stage', () => {
    const o = funnelOption(d)
    expect(o.series[0].sort).toBe('none')
    expect(o.series[0].data.map((x) => [x.name, x.value])).toEqual([['待材料预审', 4], ['已发证', 2]])
    expect(drillOf({ data: o.series[0].data[0] })).toEqual({ figure: 'stage', stage: 'pre_review' })
  })
  it('days, desks, subjects, schools, sessions and fees open theirs', () => {
    expect(drillOf({ data: perDayOption(d).series[1].data[1] })).toEqual({ figure: 'issued', date: '2026-11-25' })
    expect(drillOf({ data: overdueOption(d).series[1].data[0] })).toEqual({ figure: 'overdue', desk: 'pre-review' })
    const pass = passRateOption(d)
    expect(pass.series[0].data[0]).toMatchObject({ value: 66.7, drill: { figure: 'passRate', subject: 'theory' } })
    expect(pass.series[0].data[1].drill).toEqual({ figure: 'passRate', subject: 'theory', schoolId: 0 })
    expect(pass.series[1].data[0].value).toBeNull() // nobody sat: no bar, not 0%
    expect(drillOf({ data: sessionsOption(d).series[0].data[0] })).toEqual({ figure: 'session', sessionId: 7 })
    const fees = feesOption(d)
    expect(fees.series.map((s) => s.data[0].value)).toEqual([266, -133, 133])
    expect(drillOf({ data: fees.series[0].data[0] })).toEqual({ figure: 'fees', date: '2026-11-24' })
    expect(drillOf({})).toBeNull()
  })
})

describe('numbers as the supervisor reads them', () => {
  it('money from integer fen, percentages, list cells', () => {
    expect(yuan(13300)).toBe('¥133.00')
    expect(yuan(-2550)).toBe('-¥25.50')
    expect(yuan(123456789)).toBe('¥1,234,567.89')
    expect(percent(2 / 3)).toBe('66.7%')
    expect(percent(null)).toBe('—')
    expect(cellText('money', -13300)).toBe('-¥133.00')
    expect(cellText('datetime', '2026-11-25T09:30:00+08:00')).toBe('2026-11-25 09:30')
    expect(cellText('text', null)).toBe('—')
  })
})
