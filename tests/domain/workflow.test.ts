// Exhaustive: every stage × event × actor, against a table written out by hand from domain.md.
import { describe, expect, it } from 'vitest'
import { EVENTS, allowedEvents, transition, type Actor, type WorkflowEvent } from '../../src-main/core/domain/workflow'
import { CATEGORIES, ROLES, STAGES, type Category, type Stage } from '../../src-preload/contract/vocab'

type Who = 'applicant' | 'system' | (typeof ROLES)[number]
const ACTORS: [Who, Actor][] = [
  ['applicant', { kind: 'applicant' }],
  ['system', { kind: 'system' }],
  ...ROLES.map((r): [Who, Actor] => [r, { kind: 'staff', roles: [r] }])
]

// The expected machine: [event, from, category or both, who may, to]
const ALLOWED: [WorkflowEvent, Stage, Category | 'both', Who[], Stage][] = [
  ['submit', 'draft', 'both', ['applicant', 'pre_reviewer'], 'pre_review'],
  ['resubmit', 'returned', 'both', ['applicant', 'pre_reviewer'], 'pre_review'],
  ['withdraw', 'draft', 'both', ['applicant'], 'withdrawn'],
  ['withdraw', 'returned', 'both', ['applicant'], 'withdrawn'],
  ['withdraw', 'pre_review', 'both', ['applicant'], 'withdrawn'],
  ['pre_review_pass', 'pre_review', 'both', ['pre_reviewer'], 'initial_review'],
  ['pre_review_return', 'pre_review', 'both', ['pre_reviewer'], 'returned'],
  ['initial_review_pass', 'initial_review', 'passenger', ['initial_reviewer'], 'fee_payment'],
  ['initial_review_pass', 'initial_review', 'freight', ['initial_reviewer'], 'permit_approval'],
  ['initial_review_return', 'initial_review', 'both', ['initial_reviewer'], 'returned'],
  ['fee_paid', 'fee_payment', 'passenger', ['system', 'exam_staff'], 'exam'],
  ['exams_passed', 'exam', 'passenger', ['system', 'exam_staff'], 'permit_approval'],
  ['permit_approve', 'permit_approval', 'both', ['supervisor'], 'certificate'],
  ['permit_reject', 'permit_approval', 'both', ['supervisor'], 'rejected'],
  ['certificate_printed', 'certificate', 'both', ['issuer'], 'pickup'],
  ['certificate_handed_over', 'pickup', 'both', ['issuer'], 'completed']
]

function expected(event: WorkflowEvent, stage: Stage, category: Category, who: Who): Stage | null {
  const row = ALLOWED.find(([e, from, cat, by]) => e === event && from === stage && (cat === 'both' || cat === category) && by.includes(who))
  return row ? row[4] : null
}

describe('workflow state machine', () => {
  const cases = STAGES.flatMap((stage) => CATEGORIES.flatMap((category) => EVENTS.flatMap((event) => ACTORS.map(([who, actor]) => ({ stage, category, event, who, actor })))))

  it(`covers ${STAGES.length} stages × ${CATEGORIES.length} categories × ${EVENTS.length} events × ${ACTORS.length} actors`, () => {
    expect(cases.length).toBe(STAGES.length * 2 * EVENTS.length * ACTORS.length)
    let allowed = 0
    for (const c of cases) {
      const r = transition({ stage: c.stage, category: c.category }, c.event, c.actor)
      const want = expected(c.event, c.stage, c.category, c.who)
      if (want) {
        allowed++
        expect(r, `${c.event} from ${c.stage} (${c.category}) by ${c.who}`).toEqual({ ok: true, stage: want })
      } else {
        expect(r.ok, `${c.event} from ${c.stage} (${c.category}) by ${c.who} must be refused`).toBe(false)
        if (!r.ok) expect(r.reason).toMatch(/[\u4e00-\u9fa5]/)
      }
    }
    // 16 rules, counting both categories and every role allowed
    expect(allowed).toBe(ALLOWED.reduce((n, [, , cat, by]) => n + (cat === 'both' ? 2 : 1) * by.length, 0))
  })

  it('gives the reason a clerk can act on', () => {
    expect(transition({ stage: 'pre_review', category: 'passenger' }, 'initial_review_pass', { kind: 'staff', roles: ['initial_reviewer'] })).toEqual({
      ok: false,
      reason: '申请当前状态为“待材料预审”，不能资格初审通过'
    })
    expect(transition({ stage: 'pre_review', category: 'passenger' }, 'pre_review_pass', { kind: 'staff', roles: ['initial_reviewer'] })).toEqual({
      ok: false,
      reason: '只有预审员可以材料预审通过'
    })
    expect(transition({ stage: 'fee_payment', category: 'freight' }, 'fee_paid', { kind: 'system' })).toEqual({
      ok: false,
      reason: '货运申请没有“考试费已交”环节'
    })
  })

  it('never lets an administrator decide an application by the admin role alone', () => {
    for (const stage of STAGES) for (const category of CATEGORIES) {
      expect(allowedEvents({ stage, category }, { kind: 'staff', roles: ['admin'] })).toEqual([])
    }
  })

  it('takes freight past fee and exam: no freight path reaches fee_payment or exam', () => {
    const reachable = new Set<Stage>(['draft'])
    const everyone: Actor[] = ACTORS.map(([, a]) => a)
    let grew = true
    while (grew) {
      grew = false
      for (const stage of [...reachable]) for (const event of EVENTS) for (const actor of everyone) {
        const r = transition({ stage, category: 'freight' }, event, actor)
        if (r.ok && !reachable.has(r.stage)) {
          reachable.add(r.stage)
          grew = true
        }
      }
    }
    expect(reachable.has('fee_payment')).toBe(false)
    expect(reachable.has('exam')).toBe(false)
    expect(reachable.has('completed')).toBe(true)
  })
})
