import { describe, expect, it } from 'vitest'
import { deriveProgress, type ProgressEvent } from '../../src-main/core/domain/progress'

const base = { registeredAt: '2021-03-30T09:12:00+08:00', createdAt: '2021-03-30T16:00:00+08:00' }
const ev = (event: string, at: string, detail?: unknown): ProgressEvent => ({ event, at: `2021-${at}+08:00`, detail })

const view = (steps: ReturnType<typeof deriveProgress>) => steps.map((s) => `${s.no} ${s.state} ${s.text} ${s.at ?? '未知'}`)

describe('the passenger timeline (客运 01–08)', () => {
  it('matches the guide’s screen right after submission', () => {
    const steps = deriveProgress({ ...base, category: 'passenger', stage: 'pre_review', events: [ev('submit', '03-30T16:34:43')] })
    expect(view(steps)).toEqual([
      '01 done 已注册 2021-03-30T09:12:00+08:00',
      '02 done 已提交申请 2021-03-30T16:34:43+08:00',
      '03 current 已提交，等待材料预审 2021-03-30T16:34:43+08:00',
      '04 pending 未初审 未知',
      '05 pending 未缴费 未知',
      '06 pending 未预约 未知',
      '07 pending 未审批 未知',
      '08 pending 未发证 未知'
    ])
    expect(steps.map((s) => s.name)).toEqual(['用户注册', '从业申请', '材料预审', '资格初审', '考试费交纳', '考试预约', '许可审批', '许可发证'])
  })

  it('is all green once the certificate is handed over', () => {
    const events = [
      ev('submit', '03-30T16:34:43'),
      ev('pre_review_pass', '03-30T17:00:00'),
      ev('initial_review_pass', '03-30T17:30:00'),
      ev('fee_paid', '03-30T18:14:28'),
      ev('exams_passed', '04-06T10:00:00'),
      ev('permit_approve', '04-07T10:00:00'),
      ev('certificate_printed', '04-08T10:00:00'),
      ev('certificate_handed_over', '04-09T10:00:00')
    ]
    const steps = deriveProgress({ ...base, category: 'passenger', stage: 'completed', events })
    expect(steps.every((s) => s.state === 'done')).toBe(true)
    expect(steps.find((s) => s.no === '05')!.text).toBe('考试费已交')
    expect(steps.find((s) => s.no === '08')!.at).toBe('2021-04-09T10:00:00+08:00')
  })

  it('shows the step being worked on as current and passes the exam step text from the exam area', () => {
    const events = [ev('submit', '03-30T16:34:43'), ev('pre_review_pass', '03-30T17:00:00'), ev('initial_review_pass', '03-30T17:30:00'), ev('fee_paid', '03-30T18:14:28')]
    const steps = deriveProgress({
      ...base,
      category: 'passenger',
      stage: 'exam',
      events,
      overrides: { '06': { text: '您的考试预约已成功，请按预约时间参加考试并阅读考场须知。', at: '2021-03-30T18:25:01+08:00' } }
    })
    expect(view(steps).slice(4, 7)).toEqual([
      '05 done 考试费已交 2021-03-30T18:14:28+08:00',
      '06 current 您的考试预约已成功，请按预约时间参加考试并阅读考场须知。 2021-03-30T18:25:01+08:00',
      '07 pending 未审批 未知'
    ])
  })
})

describe('the freight timeline (货运 01–04, 07, 08)', () => {
  it('skips the fee and exam steps', () => {
    const events = [ev('submit', '05-01T09:00:00'), ev('pre_review_pass', '05-02T09:00:00'), ev('initial_review_pass', '05-03T09:00:00')]
    const steps = deriveProgress({ ...base, category: 'freight', stage: 'permit_approval', events })
    expect(steps.map((s) => s.no)).toEqual(['01', '02', '03', '04', '07', '08'])
    expect(steps.find((s) => s.no === '07')).toMatchObject({ state: 'current', text: '等待许可审批' })
  })
})

describe('returns and resubmission (补正)', () => {
  const returned = ev('pre_review_return', '03-31T10:00:00', {
    deficiencies: [
      { attachment: 'photo', reason: '照片非白底' },
      { field: 'licenceFileNo', reason: '档案编号与驾驶证不符' }
    ],
    note: '请重新扫描后上传'
  })

  it('turns the step red with every reason (一次性告知)', () => {
    const steps = deriveProgress({ ...base, category: 'passenger', stage: 'returned', events: [ev('submit', '03-30T16:34:43'), returned] })
    const s03 = steps.find((s) => s.no === '03')!
    expect(s03.state).toBe('rejected')
    expect(s03.text).toBe('材料预审未通过，请按以下意见补正后重新提交：近期免冠照片：照片非白底；档案编号：档案编号与驾驶证不符；请重新扫描后上传')
    expect(s03.deficiencies).toEqual([
      { attachment: 'photo', label: '近期免冠照片', reason: '照片非白底' },
      { field: 'licenceFileNo', label: '档案编号', reason: '档案编号与驾驶证不符' },
      { label: '其他', reason: '请重新扫描后上传' }
    ])
  })

  it('goes back to waiting for pre-review after the corrected submission, counting submissions', () => {
    const steps = deriveProgress({
      ...base,
      category: 'passenger',
      stage: 'pre_review',
      events: [ev('submit', '03-30T16:34:43'), returned, ev('resubmit', '04-01T08:00:00')]
    })
    expect(view(steps).slice(1, 4)).toEqual([
      '02 done 已补正并重新提交申请（第2次提交） 2021-04-01T08:00:00+08:00',
      '03 current 已重新提交，等待材料预审 2021-04-01T08:00:00+08:00',
      '04 pending 未初审 未知'
    ])
  })

  it('shows an initial-review return on step 04 and a permit refusal on 07', () => {
    const r = deriveProgress({
      ...base,
      category: 'freight',
      stage: 'returned',
      events: [ev('submit', '03-30T16:34:43'), ev('pre_review_pass', '03-31T09:00:00'), ev('initial_review_return', '03-31T10:00:00', { deficiencies: [{ field: 'birthDate', reason: '年龄超过60周岁' }] })]
    })
    expect(r.find((s) => s.no === '03')!.state).toBe('done')
    expect(r.find((s) => s.no === '04')).toMatchObject({ state: 'rejected', text: '资格初审未通过，请按以下意见补正后重新提交：出生日期：年龄超过60周岁' })
    const p = deriveProgress({
      ...base,
      category: 'freight',
      stage: 'rejected',
      events: [ev('submit', '03-30T16:34:43'), ev('pre_review_pass', '03-31T09:00:00'), ev('initial_review_pass', '03-31T10:00:00'), ev('permit_reject', '04-02T10:00:00', { note: '三年内有重大交通责任事故' })]
    })
    expect(p.find((s) => s.no === '07')).toMatchObject({ state: 'rejected', text: '不予许可：三年内有重大交通责任事故' })
  })

  it('shows a draft as step 02 in progress', () => {
    const steps = deriveProgress({ ...base, category: 'passenger', stage: 'draft', events: [] })
    expect(steps[1]).toMatchObject({ no: '02', state: 'current', text: '未提交申请（草稿）' })
  })
})
