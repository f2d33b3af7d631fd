// The automatic checks a reviewer sees beside the application: the eligibility rules of
// application-rules.ts (the same functions the submission runs, never a second copy), reduced to
// the lines a reviewer reads, plus what only the database knows (duplicates) and what only a
// person can judge (the no-accident proof). Pure.
import type { ReviewCheck } from '../../../src-preload/contract/review'
import type { AttachmentKind } from '../../../src-preload/contract/review'
import { checkApplication, requiredAttachments, type ApplicationForm, type RuleContext } from './application-rules'

export interface ReviewCheckInput {
  form: ApplicationForm
  rules: RuleContext
  /** other open applications of the same ID number and category */
  duplicates: { id: number; stageLabel: string }[]
  /** initial review: the no-accident proof is the reviewer's to confirm */
  stage: 'pre_review' | 'initial_review' | string
}

/** The rules a reviewer wants to see even when they pass (the issue's list), by rule text prefix. */
const SHOWN_WHEN_PASSED = [
  '身份证号符合',
  '性别与身份证号一致',
  '出生日期与身份证号一致',
  '年龄不超过',
  '准驾车型含',
  '货运准驾车型为',
  '驾驶证含所选车型',
  '驾驶证初领满',
  '培训机构存在',
  '本地结业证有效'
]

const ATTACHMENT_KEYS = new Set<string>(['id_front', 'id_back', 'licence', 'no_accident', 'photo', 'other', 'training_cert', 'other2', 'old_certificate'])

export function reviewChecks(input: ReviewCheckInput): ReviewCheck[] {
  const results = checkApplication(input.form, input.rules)
  const out: ReviewCheck[] = []
  const failed = results.filter((r) => !r.ok)
  const passed = results.filter((r) => r.ok && SHOWN_WHEN_PASSED.some((p) => r.rule.startsWith(p)))
  const toCheck = (r: (typeof results)[number], i: number): ReviewCheck => ({
    key: `${r.key}:${i}`,
    label: r.rule,
    ok: r.ok,
    detail: r.ok ? '通过' : r.reason!,
    ...(ATTACHMENT_KEYS.has(r.key) ? { attachment: r.key as AttachmentKind } : { field: r.key })
  })
  failed.forEach((r, i) => out.push(toCheck(r, i)))

  const dup = input.duplicates
  out.push({
    key: 'duplicate',
    label: '同一类别无其他在办申请',
    ok: dup.length === 0,
    detail: dup.length === 0 ? '通过' : `该身份证号另有在办申请：${dup.map((d) => `#${d.id}（${d.stageLabel}）`).join('、')}`,
    field: 'idNumber'
  })

  passed.forEach((r, i) => out.push(toCheck(r, failed.length + i)))

  const required = requiredAttachments(input.form)
  const missing = required.filter((k) => !input.rules.attachments.has(k))
  if (!missing.length) {
    out.push({ key: 'attachments', label: `必需附件齐全（${required.length}项）`, ok: true, detail: '通过' })
  }
  if (input.stage === 'initial_review') {
    out.push({
      key: 'no_accident_manual',
      label: '三年内无重大以上交通责任事故',
      ok: null,
      detail: '须人工核实三年无事故证明',
      attachment: 'no_accident'
    })
  }
  return out
}

/** Failed automatic checks block a pass: the application must be returned instead. */
export function blockingFailures(checks: readonly ReviewCheck[]): ReviewCheck[] {
  return checks.filter((c) => c.ok === false)
}
