// 许可审批 (the supervisor's desk): the approval queue with its countdown, one application's whole
// history on one screen, approve or reject (one or many; each decision audited on its own).
import { z } from 'zod'
import type { ApplicationType, Category, Role, Stage } from './vocab'
import { CATEGORIES } from './vocab'

function op<O>() {
  return <S extends z.ZodType, const A extends 'any' | readonly Role[]>(def: { input: S; access: A }) =>
    def as { input: S; access: A; output?: { type: O } }
}

export type CountdownState = 'ok' | 'due_soon' | 'due_today' | 'overdue'

export interface PermitQueueRow {
  applicationId: number
  name: string
  /** masked: 410***********1234 */
  idNumber: string
  phone: string | null
  category: Category
  applicationType: ApplicationType
  trainingNo: string | null
  /** when it reached 许可审批 (the scores for passenger, the initial review for freight) */
  waitingSince: string
  deadline: string
  countdown: { state: CountdownState; label: string; workingDaysLeft: number }
  /** best passed score per subject (passenger) */
  scores: { theory: number | null; practical: number | null }
}

export interface PermitDetail {
  applicationId: number
  stage: Stage
  category: Category
  applicationType: ApplicationType
  name: string
  /** full values: viewing them is audited */
  idNumber: string
  phone: string | null
  trainingNo: string | null
  trainingSchool: string | null
  submittedAt: string | null
  waitingSince: string
  deadline: string | null
  countdown: { state: CountdownState; label: string; workingDaysLeft: number } | null
  form: Record<string, unknown>
  attachments: { id: number; kind: string; label: string; fileName: string; contentType: string; size: number; uploadedAt: string }[]
  history: { at: string; event: string; label: string; actorName: string | null; actorType: string; detail: unknown }[]
  reviews: { at: string; stage: string; decision: 'pass' | 'return'; by: string | null; reasons: string[]; note: string | null }[]
  attempts: { subject: 'theory' | 'practical'; examDate: string; outcome: string; score: number | null; passMark: number | null }[]
  payments: { orderNo: string; amountFen: number; status: string; provider: string; createdAt: string; paidAt: string | null; refundedAt: string | null; items: unknown }[]
  /** what the supervisor must see before approving */
  checks: { label: string; ok: boolean; text: string }[]
  decision: { decision: 'approve' | 'reject'; reasons: string[]; note: string | null; decidedAt: string; decidedByName: string } | null
}

export interface PermitDecisionResult {
  done: { applicationId: number; stage: Stage }[]
  failed: { applicationId: number; reason: string }[]
}

const ids = z
  .array(z.number().int().positive(), { error: '请选择申请' })
  .min(1, '请至少选择一份申请')
  .max(200, '一次最多处理200份申请')

export const permitsContract = {
  'permits.queue': op<{ rows: PermitQueueRow[]; total: number; overdue: number }>()({
    input: z
      .object({
        category: z.enum(CATEGORIES).optional(),
        query: z.string().trim().max(40).optional(),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(200).default(50)
      })
      .strict(),
    access: ['supervisor']
  }),
  'permits.detail': op<PermitDetail>()({
    input: z.object({ applicationId: z.number().int().positive() }).strict(),
    access: ['supervisor']
  }),
  'permits.attachment': op<{ fileName: string; contentType: string; base64: string }>()({
    input: z.object({ applicationId: z.number().int().positive(), attachmentId: z.number().int().positive() }).strict(),
    access: ['supervisor']
  }),
  'permits.approve': op<PermitDecisionResult>()({
    input: z.object({ applicationIds: ids, note: z.string().trim().max(200, '备注最多200个字').optional() }).strict(),
    access: ['supervisor']
  }),
  'permits.reject': op<PermitDecisionResult>()({
    input: z
      .object({
        applicationIds: ids,
        reasons: z
          .array(z.string().trim().min(1, '理由不能为空').max(200, '每条理由最多200个字'), { error: '请填写不予许可的理由' })
          .min(1, '请至少填写一条不予许可的理由')
          .max(10, '最多10条理由'),
        note: z.string().trim().max(200, '备注最多200个字').optional()
      })
      .strict(),
    access: ['supervisor']
  })
}
export type PermitsOperationName = keyof typeof permitsContract
