// The SMS outbox and its templates (staff view: 短信发件箱 in 系统管理).
import { z } from 'zod'
import type { Role } from './vocab'

function op<O>() {
  return <S extends z.ZodType, const A extends 'any' | readonly Role[]>(def: { input: S; access: A }) =>
    def as { input: S; access: A; output?: { type: O } }
}

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'cancelled'
export const OUTBOX_STATUS_LABELS: Record<OutboxStatus, string> = { pending: '待发送', sent: '已发送', failed: '发送失败', cancelled: '已取消' }

export interface OutboxRow {
  id: number
  templateKey: string
  templateName: string
  applicationId: number | null
  /** masked */
  phone: string
  text: string
  status: OutboxStatus
  attempts: number
  nextAttemptAt: string | null
  lastError: string | null
  createdAt: string
  sentAt: string | null
}

export interface SmsTemplateRow {
  key: string
  name: string
  body: string
  enabled: boolean
  vars: Record<string, string>
  defaultBody: string
  /** the desk that makes this decision still texts the applicant itself */
  sentElsewhere: boolean
  updatedAt: string
}

export const notificationsContract = {
  'notifications.outbox': op<{ rows: OutboxRow[]; total: number; counts: Record<string, number> }>()({
    input: z
      .object({
        status: z.enum(['pending', 'sent', 'failed', 'cancelled']).optional(),
        applicationId: z.number().int().positive().optional(),
        templateKey: z.string().trim().max(40).optional(),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(200).default(50)
      })
      .strict(),
    access: ['admin', 'supervisor', 'issuer']
  }),
  'notifications.retry': op<OutboxRow>()({ input: z.object({ id: z.number().int().positive() }).strict(), access: ['admin', 'issuer'] }),
  'notifications.cancel': op<OutboxRow>()({ input: z.object({ id: z.number().int().positive() }).strict(), access: ['admin'] }),
  'notifications.processNow': op<{ created: number; sent: number }>()({ input: z.object({}).strict(), access: ['admin'] }),
  'notifications.templates': op<SmsTemplateRow[]>()({ input: z.object({}).strict(), access: ['admin'] }),
  'notifications.saveTemplate': op<SmsTemplateRow>()({
    input: z
      .object({
        key: z.string().trim().min(1).max(40),
        body: z.string().trim().min(1, '请填写短信内容').max(300, '短信内容最多300个字'),
        enabled: z.boolean()
      })
      .strict(),
    access: ['admin']
  })
}
export type NotificationsOperationName = keyof typeof notificationsContract
