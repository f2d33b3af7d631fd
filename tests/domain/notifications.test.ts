import { describe, expect, it } from 'vitest'
import { messagesForEvent, nextAttemptAfterFailure, renderTemplate, unknownPlaceholders, DEFAULT_TEMPLATES } from '../../src-main/core/domain/notifications'

const app = { id: 7, name: '王建国', phone: '13812345678', category: 'passenger' as const, trainingNo: '2026000123', collectMethod: 'pickup' }

describe('SMS from the application history', () => {
  it('approve, reject, printed (pickup only), mailed', () => {
    expect(messagesForEvent({ id: 1, event: 'permit_approve', detail: null, application: app }).map((m) => m.templateKey)).toEqual(['approved'])
    const rej = messagesForEvent({ id: 2, event: 'permit_reject', detail: { deficiencies: [{ reason: '甲' }, { reason: '乙' }] }, application: app })[0]
    expect(rej.vars.reasons).toBe('1.甲；2.乙')
    expect(messagesForEvent({ id: 3, event: 'certificate_printed', detail: null, application: app }, { pickupPlace: '窗口' })[0].vars.pickupPlace).toBe('窗口')
    expect(messagesForEvent({ id: 3, event: 'certificate_printed', detail: null, application: { ...app, collectMethod: 'mail' } })).toEqual([])
    expect(messagesForEvent({ id: 4, event: 'certificate_handed_over', detail: { method: 'mail', carrier: 'EMS', waybillNo: 'E1' }, application: app })[0].vars).toMatchObject({ carrier: 'EMS', waybillNo: 'E1' })
    expect(messagesForEvent({ id: 5, event: 'certificate_handed_over', detail: { method: 'pickup' }, application: app })).toEqual([])
  })
  it('other desks’ decisions: returned with every reason, review passed (+ fee for passenger), booking, no-show', () => {
    const ret = messagesForEvent({ id: 9, event: 'pre_review_return', detail: { deficiencies: [{ attachment: 'photo', label: '近期免冠照片', reason: '非白底' }] }, application: app })[0]
    expect(ret.vars).toMatchObject({ step: '材料预审', reasons: '1.近期免冠照片：非白底' })
    expect(messagesForEvent({ id: 10, event: 'initial_review_pass', detail: null, application: app }).map((m) => m.templateKey)).toEqual(['review_passed', 'fee_due'])
    expect(messagesForEvent({ id: 10, event: 'initial_review_pass', detail: null, application: { ...app, category: 'freight' } }).map((m) => m.templateKey)).toEqual(['review_passed'])
    expect(messagesForEvent({ id: 11, event: 'exam_booked', detail: { examDate: '2026-12-01', venue: '郑州理论考点', session: '上午场' }, application: app })[0].templateKey).toBe('booking_confirmed')
    expect(messagesForEvent({ id: 12, event: 'exam_no_show', detail: { examDate: '2026-12-01' }, application: app })[0].templateKey).toBe('no_show')
    expect(messagesForEvent({ id: 13, event: 'submit', detail: null, application: app })).toEqual([])
  })
  it('one message per event and template (the dedupe key)', () => {
    expect(messagesForEvent({ id: 42, event: 'permit_approve', detail: null, application: app })[0].dedupeKey).toBe('event:42:approved')
  })
})

describe('templates', () => {
  it('fills placeholders and signs', () => {
    expect(renderTemplate('{name}您好，培训证号{trainingNo}{missing}', { name: '王建国', trainingNo: '2026000123' }, '【郑州交通】')).toBe('【郑州交通】王建国您好，培训证号2026000123')
  })
  it('finds placeholders a template does not know', () => {
    expect(unknownPlaceholders('approved', '{name}{category}{foo}{bar}{foo}')).toEqual(['foo', 'bar'])
    for (const t of DEFAULT_TEMPLATES) expect(unknownPlaceholders(t.key, t.body)).toEqual([])
  })
})

describe('retries', () => {
  it('waits 1 min, 5 min, 30 min, 2 h, then gives up after the 5th try', () => {
    expect([1, 2, 3, 4].map((n) => nextAttemptAfterFailure(n, 0))).toEqual([60_000, 300_000, 1_800_000, 7_200_000])
    expect(nextAttemptAfterFailure(5, 0)).toBeNull()
  })
})
