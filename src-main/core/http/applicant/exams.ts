// The exam part of the applicant API (passenger only): payments (考试缴费, 缴费记录), the payment
// provider's callback, sessions and bookings (考试预约), attempts and scores (成绩查询).
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Core } from '../../create-core'
import { AppError } from '../../errors'
import { CallbackRejected } from '../../payments/provider'
import type { ExamActor } from '../../services/exam-common'
import { route } from './route-kit'
import { applicationIdParams, errorResponse } from './schemas'
import type { ApplicantActor } from '../../services/applicant-accounts'

const tag = '考试（客运）'
const err = (description: string) => ({ description, schema: errorResponse })
const notYours = { 401: err('未登录或登录已失效'), 403: err('不是本人的申请'), 404: err('申请不存在') }
const as = (a: ApplicantActor): ExamActor => ({ kind: 'applicant', applicantId: a.id, ip: a.ip })

const subject = z.enum(['theory', 'practical']).describe('theory 理论，practical 实操')
const feeItem = z.object({
  key: z.string(),
  kind: z.enum(['initial', 'retake']).describe('initial 首次考试费，retake 补考费'),
  subject,
  attempts: z.number().int(),
  amountFen: z.number().int().describe('金额（分）'),
  label: z.string()
})
const order = z.object({
  orderId: z.string(),
  amountFen: z.number().int().describe('金额（分）'),
  items: z.array(feeItem),
  provider: z.enum(['wechat', 'counter']),
  status: z.enum(['pending', 'paid', 'expired', 'refunded']),
  duplicate: z.boolean().describe('重复缴费：未计入考试费，将退款'),
  qrContent: z.string().nullable().describe('微信支付二维码内容（code_url），生成二维码图片用'),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  paidAt: z.string().nullable(),
  refundedAt: z.string().nullable(),
  receiptNo: z.string().nullable()
})
const session = z.object({
  id: z.number().int(),
  venue: z.string(),
  venueAddress: z.string(),
  name: z.string(),
  date: z.string(),
  start: z.string(),
  end: z.string(),
  subjects: z.array(subject),
  capacity: z.number().int().describe('计划人数'),
  booked: z.number().int().describe('已预约人数'),
  bookingClosesAt: z.string(),
  wouldCover: z.array(subject).describe('预约后本人参加的科目')
})
const booking = z.object({
  bookingId: z.number().int(),
  sessionId: z.number().int(),
  subjects: z.array(subject),
  status: z.enum(['booked', 'present', 'scored', 'no_show', 'cancelled', 'released']),
  statusLabel: z.string(),
  bookedAt: z.string(),
  cancellable: z.boolean(),
  session: z.object({ id: z.number().int(), name: z.string(), venue: z.string(), date: z.string(), start: z.string(), end: z.string() }).passthrough()
})
const attempts = z.object({
  subjects: z.array(
    z.object({
      subject,
      label: z.string(),
      used: z.number().int().describe('已用考试次数（含失约）'),
      left: z.number().int().describe('剩余考试次数'),
      free: z.number().int().describe('剩余的免费（考试费所含）次数'),
      passed: z.boolean(),
      noShows: z.number().int(),
      booked: z.boolean(),
      mayBook: z.boolean(),
      nextFeeFen: z.number().int().describe('下一次考试需缴费用（分），0 为无需缴费'),
      blockedBecause: z.string().nullable()
    })
  ),
  dueFen: z.number().int().describe('当前应缴金额（分）')
})
const score = z.object({
  subject,
  label: z.string(),
  score: z.number().int().nullable(),
  absent: z.boolean().describe('缺考/失约'),
  passed: z.boolean(),
  examDate: z.string(),
  sessionId: z.number().int()
})

export const examRoutes = [
  route({
    method: 'POST',
    path: '/applications/:id/payments',
    tag,
    summary: '生成缴费订单（微信支付二维码）',
    description: '金额为当前应缴：首次 13300 分（理论 5100 + 实操 8200），补考按科目计。已有未过期的相同订单时返回该订单（200）。',
    auth: true,
    params: applicationIdParams,
    responses: { 201: { description: '订单', schema: order }, 200: { description: '未过期的相同订单', schema: order }, ...notYours, 409: err('无需缴费或不在缴费环节'), 503: err('微信支付未开通') },
    handler: async ({ core, applicant, params, reply }) => {
      const r = await core.services.payments.createOrder(params.id, as(applicant))
      reply.code(r.created ? 201 : 200)
      return reply.type('application/json; charset=utf-8').send(r.order)
    }
  }),
  route({
    method: 'GET',
    path: '/applications/:id/payments',
    tag,
    summary: '缴费记录',
    auth: true,
    params: applicationIdParams,
    responses: { 200: { description: '订单（新的在前）', schema: z.array(order) }, ...notYours },
    handler: ({ core, applicant, params }) => core.services.payments.orders(params.id, as(applicant))
  }),
  route({
    method: 'GET',
    path: '/payments/:orderId',
    tag,
    summary: '订单状态',
    auth: true,
    params: z.object({ orderId: z.string().regex(/^[A-Za-z0-9]{6,32}$/, '订单号格式不正确') }).strict(),
    responses: { 200: { description: '订单', schema: order }, 401: err('未登录'), 403: err('不是本人的订单'), 404: err('订单不存在') },
    handler: ({ core, applicant, params }) => core.services.payments.order(params.orderId, as(applicant))
  }),
  route({
    method: 'GET',
    path: '/applications/:id/exam-sessions',
    tag,
    summary: '可预约的考试场次',
    description: '预约时间内、开放中、含本人需考科目的场次；已约满的场次也列出（booked = capacity）。',
    auth: true,
    params: applicationIdParams,
    responses: { 200: { description: '场次', schema: z.array(session) }, ...notYours },
    handler: ({ core, applicant, params }) => core.services.examBookings.bookable(params.id, as(applicant))
  }),
  route({
    method: 'GET',
    path: '/applications/:id/bookings',
    tag,
    summary: '本人的考试预约',
    auth: true,
    params: applicationIdParams,
    responses: { 200: { description: '预约（新的在前）', schema: z.array(booking) }, ...notYours },
    handler: ({ core, applicant, params }) => core.services.examBookings.bookings(params.id, as(applicant))
  }),
  route({
    method: 'POST',
    path: '/applications/:id/bookings',
    tag,
    summary: '预约考试',
    auth: true,
    params: applicationIdParams,
    body: z.object({ sessionId: z.number().int().positive().describe('场次 id') }).strict(),
    responses: { 201: { description: '预约成功', schema: booking }, ...notYours, 409: err('已约满、已有预约或不在预约时间'), 422: err('未缴费或考试次数已用完') },
    handler: ({ core, applicant, params, body }) => core.services.examBookings.book(params.id, body.sessionId, as(applicant))
  }),
  route({
    method: 'DELETE',
    path: '/applications/:id/bookings/:bookingId',
    tag,
    summary: '取消预约（截止时间前）',
    auth: true,
    params: z.object({ id: applicationIdParams.shape.id, bookingId: z.coerce.number().int().positive().max(2 ** 31) }).strict(),
    responses: { 204: { description: '已取消' }, ...notYours, 409: err('已过截止时间或预约已结束') },
    handler: ({ core, applicant, params }) => {
      core.services.examBookings.cancel(params.id, params.bookingId, as(applicant))
      return undefined
    }
  }),
  route({
    method: 'GET',
    path: '/applications/:id/attempts',
    tag,
    summary: '考试次数：每科已用、剩余、免费次数和下次费用',
    auth: true,
    params: applicationIdParams,
    responses: { 200: { description: '考试次数', schema: attempts }, ...notYours },
    handler: ({ core, applicant, params }) => core.services.examBookings.attempts(params.id, as(applicant))
  }),
  route({
    method: 'GET',
    path: '/applications/:id/scores',
    tag,
    summary: '成绩查询',
    auth: true,
    params: applicationIdParams,
    responses: { 200: { description: '每次考试的成绩（缺考 score 为 null）', schema: z.array(score) }, ...notYours },
    handler: ({ core, applicant, params }) => core.services.examBookings.scores(params.id, as(applicant))
  })
]

/**
 * POST /payments/notify/{provider}: the provider's signed callback. Its signature covers the exact
 * bytes sent, so this route reads the body as a string (its own content-type parser, in its own
 * plugin scope). WeChat Pay wants 2xx for success, otherwise {code: "FAIL", message} and retries.
 */
export function paymentNotifyRoutes(core: Core) {
  return async function plugin(app: FastifyInstance) {
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body))
    app.post<{ Params: { provider: string } }>('/payments/notify/:provider', async (req, reply) => {
      const fail = (status: number, message: string) => reply.code(status).type('application/json; charset=utf-8').send({ code: 'FAIL', message })
      const raw = typeof req.body === 'string' ? req.body : ''
      try {
        core.services.payments.notify(req.params.provider, req.headers as Record<string, string>, raw)
        return reply.code(204).send()
      } catch (e) {
        if (e instanceof CallbackRejected) return fail(401, e.message)
        if (e instanceof AppError) return fail(e.status, e.message)
        throw e
      }
    })
  }
}
