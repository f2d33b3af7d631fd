// Exam fee payments: an order for exactly what is due now, paid by WeChat Pay (QR code, signed
// callbacks) or at the counter (a clerk records cash or card with the receipt number). A paid order
// credits its items once; a second payment for the same items is marked for refund, never credited.
import { randomBytes } from 'node:crypto'
import type { CoreContext, StaffActor } from '../context'
import { AppError, notFound } from '../errors'
import { dueItems, sameItems, totalFen, creditDecision, yuan, type FeeItem } from '../domain/fees'
import { standings } from '../domain/attempts'
import { toShanghaiIso } from '../domain/time'
import { maskIdNumber } from '../domain/masking'
import { dirname } from 'node:path'
import { loadWechatPayConfig, wechatPayProvider } from '../payments/wechat-pay'
import { CallbackRejected, PROVIDER_LABELS, type OnlinePaymentProvider, type PaymentNotice, type ProviderName } from '../payments/provider'
import type { OrderRow, OrderStatus } from '../storage/repositories/payments'
import { advance, auditBy, dayStart, examApplication, examRepos, feeSchedule, loadLedger, nextDay, recordEvent, sendNotices, type ExamActor, type ExamNotice } from './exam-common'

export interface OrderView {
  orderId: string
  amountFen: number
  items: FeeItem[]
  provider: ProviderName
  status: 'pending' | 'paid' | 'expired' | 'refunded'
  /** paid twice for the same items: this payment is to be refunded and was not credited */
  duplicate: boolean
  qrContent: string | null
  expiresAt: string | null
  createdAt: string
  paidAt: string | null
  refundedAt: string | null
  receiptNo: string | null
}

export function orderView(o: OrderRow): OrderView {
  const status: OrderView['status'] = o.status === 'duplicate' ? 'paid' : o.status
  return {
    orderId: o.orderNo,
    amountFen: o.amountFen,
    items: o.items,
    provider: o.provider,
    status,
    duplicate: o.status === 'duplicate' || (o.status === 'refunded' && o.refundReason !== null),
    qrContent: o.status === 'pending' ? o.qrContent : null,
    expiresAt: o.expiresAt,
    createdAt: o.createdAt,
    paidAt: o.paidAt,
    refundedAt: o.refundedAt,
    receiptNo: o.receiptNo
  }
}

function newOrderNo(now: Date): string {
  // QD + yyyymmddHHMMss (Shanghai) + 8 random hex: unique, 24 characters, allowed by out_trade_no.
  return `QD${toShanghaiIso(now).slice(0, 19).replace(/\D/g, '')}${randomBytes(4).toString('hex').toUpperCase()}`
}

export interface Reconciliation {
  date: string
  providers: {
    provider: ProviderName
    label: string
    ordersCreated: number
    paidCount: number
    paidFen: number
    refundCount: number
    refundFen: number
    netFen: number
  }[]
  totals: { paidCount: number; paidFen: number; refundCount: number; refundFen: number; netFen: number }
  /** orders paid twice, awaiting their refund (any day) */
  awaitingRefund: { orderId: string; applicationId: number; name: string; idNumber: string; amountFen: number; paidAt: string | null; provider: ProviderName }[]
  movements: {
    at: string
    kind: 'payment' | 'refund'
    provider: ProviderName
    amountFen: number
    providerRef: string
    orderId: string
    orderStatus: OrderStatus
    applicationId: number
    name: string
    idNumber: string
    staffName: string | null
  }[]
}

export function paymentsService(ctx: CoreContext) {
  const { payments, exams } = examRepos(ctx)
  const online = new Map<string, OnlinePaymentProvider>()
  // WeChat Pay is on when the office has put its merchant settings in place (see loadWechatPayConfig).
  try {
    const cfg = loadWechatPayConfig(dirname(ctx.db.name))
    if (cfg) online.set('wechat', wechatPayProvider(cfg))
  } catch (e) {
    console.error(`微信支付配置无法读取，微信支付未开通：${(e as Error).message}`)
  }

  /** Credits a paid order or marks it as a duplicate, and moves the application on. Inside a transaction. */
  function settle(order: OrderRow, paid: { at: string; amountFen: number; txn: string | null; method: 'cash' | 'card' | null; receiptNo: string | null; staff: StaffActor | null }, notices: ExamNotice[]) {
    const app = exams.application(order.applicationId)!
    const now = ctx.now()
    const already = payments.creditedKeys(app.id)
    const decision = creditDecision(order.items, already)
    let refundReason: string | null = null
    if (!decision.credit) refundReason = `重复缴费：${decision.duplicateOf.join('、')} 已由其他订单支付`
    else if (paid.amountFen !== order.amountFen) refundReason = `支付金额 ${yuan(paid.amountFen)} 元与订单金额 ${yuan(order.amountFen)} 元不符`
    else if (!['fee_payment', 'exam'].includes(app.stage)) refundReason = `申请当前不在缴费或考试环节（${app.stage}）`
    const status = refundReason ? 'duplicate' : 'paid'
    payments.markPaid({ id: order.id, status, paidAt: paid.at, amount: paid.amountFen, txn: paid.txn, method: paid.method, receiptNo: paid.receiptNo, recordedBy: paid.staff?.id ?? null, refundReason })
    const actor: ExamActor = paid.staff ?? { kind: 'system' }
    if (refundReason) {
      recordEvent(ctx, app, 'payment_duplicate', actor, { orderId: order.orderNo, amountFen: paid.amountFen, reason: refundReason })
      auditBy(ctx, actor, 'payment.duplicate', { type: 'payment_order', id: order.orderNo }, { applicationId: app.id, reason: refundReason, amountFen: paid.amountFen })
      notices.push({ applicationId: app.id, phone: app.phone, text: `【郑州交通】您的订单${order.orderNo}为重复缴费（${yuan(paid.amountFen)}元），未计入考试费，将原路退回。` })
      return
    }
    for (const item of order.items) {
      payments.insertCredit({ applicationId: app.id, key: item.key, subject: item.subject, kind: item.kind, attempts: item.attempts, amountFen: item.amountFen, orderId: order.id, now })
    }
    auditBy(ctx, actor, 'payment.credited', { type: 'payment_order', id: order.orderNo }, { applicationId: app.id, amountFen: order.amountFen, items: order.items.map((i) => i.key) })
    if (app.stage === 'fee_payment' && order.items.some((i) => i.kind === 'initial')) {
      advance(ctx, app, 'fee_paid', actor.kind === 'staff' ? actor : { kind: 'system' }, { orderId: order.orderNo, amountFen: order.amountFen, provider: order.provider })
      notices.push({ applicationId: app.id, phone: app.phone, text: `【郑州交通】您已成功缴纳考试费${yuan(order.amountFen)}元，请在“预约考试”中预约考试。` })
    } else {
      recordEvent(ctx, app, 'retake_fee_paid', actor, { orderId: order.orderNo, amountFen: order.amountFen, items: order.items.map((i) => i.label) })
      notices.push({ applicationId: app.id, phone: app.phone, text: `【郑州交通】您已成功缴纳补考费${yuan(order.amountFen)}元，请预约考试。` })
    }
  }

  return {
    /** Registers an online provider (WeChat Pay); tests point it at a local fake server. */
    useProvider(provider: OnlinePaymentProvider) {
      online.set(provider.name, provider)
    },
    hasProvider: (name: string) => online.has(name),

    /** What is due now and the attempt standing (the 缴费 screen). */
    due(applicationId: number, actor: ExamActor) {
      const app = examApplication(ctx, applicationId, actor)
      const fees = feeSchedule(ctx)
      const ledger = loadLedger(ctx, app.id)
      const items = ['fee_payment', 'exam'].includes(app.stage) ? dueItems(ledger, fees) : []
      return { items, amountFen: totalFen(items), standings: standings(ledger, fees) }
    },

    /** POST /applications/{id}/payments: an order for what is due now (an unexpired identical order is reused). */
    async createOrder(applicationId: number, actor: ExamActor, provider: 'wechat' = 'wechat'): Promise<{ created: boolean; order: OrderView }> {
      const prepare = () =>
        ctx.db.transaction(() => {
          const app = examApplication(ctx, applicationId, actor)
          if (!['fee_payment', 'exam'].includes(app.stage)) throw new AppError('conflict', '申请当前不在考试缴费环节')
          const now = ctx.now()
          payments.expireOrders(app.id, now)
          const items = dueItems(loadLedger(ctx, app.id), feeSchedule(ctx))
          if (!items.length) throw new AppError('conflict', '当前没有需要缴纳的考试费用（已缴费或仍有考试次数）')
          const same = payments.pendingOrders(app.id, now).find((o) => o.provider === provider && sameItems(o.items, items))
          return { app, items, same }
        })()
      const first = prepare()
      if (first.same) return { created: false, order: orderView(first.same) }
      const p = online.get(provider)
      if (!p) throw new AppError('unavailable', '微信支付暂未开通，请到办事窗口缴费')
      const nowDate = ctx.clock()
      const orderNo = newOrderNo(nowDate)
      const expiresAt = toShanghaiIso(new Date(nowDate.getTime() + ctx.settings.get('payment.orderExpiryMinutes') * 60_000))
      const amountFen = totalFen(first.items)
      let qrContent: string
      try {
        ;({ qrContent } = await p.createOrder({ orderNo, amountFen, description: `道路运输从业资格考试费-${first.app.trainingNo ?? first.app.id}`, expiresAt }))
      } catch (e) {
        throw new AppError('unavailable', `${PROVIDER_LABELS[provider]}下单失败，请稍后再试或到窗口缴费`, undefined, undefined)
      }
      return ctx.db.transaction(() => {
        // Someone else (a second tap) may have made the same order meanwhile: reuse it.
        const again = prepare()
        if (again.same) return { created: false, order: orderView(again.same) }
        if (!sameItems(again.items, first.items)) throw new AppError('conflict', '应缴费用已变化，请重新生成支付二维码')
        const id = payments.insertOrder({ orderNo, applicationId: again.app.id, provider, amountFen, items: again.items, qrContent, expiresAt, now: ctx.now(), byType: actor.kind === 'staff' ? 'staff' : actor.kind === 'applicant' ? 'applicant' : 'system', byId: actor.kind === 'staff' ? actor.id : actor.kind === 'applicant' ? actor.applicantId : null })
        auditBy(ctx, actor, 'payment.order_created', { type: 'payment_order', id: orderNo }, { applicationId: again.app.id, amountFen, provider })
        return { created: true, order: orderView(payments.orderById(id)!) }
      })()
    },

    /** GET /payments/{orderId} */
    order(orderNo: string, actor: ExamActor): OrderView {
      const o = payments.orderByNo(orderNo)
      if (!o) throw notFound('订单')
      examApplication(ctx, o.applicationId, actor)
      if (o.status === 'pending' && o.expiresAt && o.expiresAt <= ctx.now()) {
        payments.expireOrder(o.id, ctx.now())
        return orderView(payments.orderById(o.id)!)
      }
      return orderView(o)
    },

    /** GET /applications/{id}/payments: the 缴费记录. */
    orders(applicationId: number, actor: ExamActor): OrderView[] {
      const app = examApplication(ctx, applicationId, actor)
      payments.expireOrders(app.id, ctx.now())
      return payments.ordersOfApplication(app.id).map(orderView)
    },

    /**
     * POST /payments/notify/{provider}: verify, decrypt, record once, credit or flag. Replays are
     * answered as successes and change nothing; tampered callbacks throw CallbackRejected.
     */
    notify(providerName: string, headers: Record<string, string | string[] | undefined>, rawBody: string): { outcome: 'credited' | 'duplicate' | 'replay' | 'ignored'; orderId?: string } {
      const p = online.get(providerName)
      if (!p) throw new AppError('not_found', `未开通的支付方式：${providerName}`)
      let notice: PaymentNotice
      try {
        notice = p.parseNotification(headers, rawBody)
      } catch (e) {
        if (e instanceof CallbackRejected) {
          ctx.audit.record({ actorType: 'system', action: 'payment.callback_rejected', targetType: 'provider', targetId: providerName, detail: { reason: e.message } })
        }
        throw e
      }
      if (notice.state !== 'SUCCESS') return { outcome: 'ignored', orderId: notice.orderNo }
      const notices: ExamNotice[] = []
      const result = ctx.db.transaction(() => {
        const order = payments.orderByNo(notice.orderNo)
        if (!order || order.provider !== p.name) throw new AppError('not_found', `订单 ${notice.orderNo} 不存在`)
        const at = notice.paidAt ? toShanghaiIso(new Date(notice.paidAt)) : ctx.now()
        const fresh = payments.insertPayment({ orderId: order.id, kind: 'payment', provider: p.name, amountFen: notice.amountFen, providerRef: notice.transactionId, at, now: ctx.now(), staffId: null, detail: { tradeState: notice.raw.trade_state, payer: notice.raw.payer ?? null } })
        if (!fresh) return { outcome: 'replay' as const, orderId: order.orderNo }
        if (order.status !== 'pending' && order.status !== 'expired') {
          // The same order paid by a second transaction: recorded above, to be refunded by hand.
          auditBy(ctx, { kind: 'system' }, 'payment.duplicate', { type: 'payment_order', id: order.orderNo }, { reason: '同一订单收到第二笔支付', transactionId: notice.transactionId, amountFen: notice.amountFen })
          return { outcome: 'duplicate' as const, orderId: order.orderNo }
        }
        settle(order, { at, amountFen: notice.amountFen, txn: notice.transactionId, method: null, receiptNo: null, staff: null }, notices)
        const after = payments.orderById(order.id)!
        return { outcome: after.status === 'duplicate' ? ('duplicate' as const) : ('credited' as const), orderId: order.orderNo }
      })()
      sendNotices(ctx, notices)
      return result
    },

    /** A clerk records a counter payment (cash or card) with its receipt number. */
    recordCounterPayment(actor: StaffActor, input: { applicationId: number; method: 'cash' | 'card'; receiptNo: string; amountFen: number }): OrderView {
      const notices: ExamNotice[] = []
      const view = ctx.db.transaction(() => {
        const app = examApplication(ctx, input.applicationId, actor)
        if (!['fee_payment', 'exam'].includes(app.stage)) throw new AppError('conflict', '申请当前不在考试缴费环节')
        const items = dueItems(loadLedger(ctx, app.id), feeSchedule(ctx))
        if (!items.length) throw new AppError('conflict', '该申请当前没有需要缴纳的考试费用，请勿重复收费', { amountFen: '无应缴费用' })
        const due = totalFen(items)
        if (input.amountFen !== due) throw new AppError('rule_violation', `收款金额应为 ${yuan(due)} 元`, { amountFen: `应收 ${yuan(due)} 元，实填 ${yuan(input.amountFen)} 元` })
        const now = ctx.now()
        const orderNo = newOrderNo(ctx.clock())
        let id: number
        try {
          id = payments.insertOrder({ orderNo, applicationId: app.id, provider: 'counter', amountFen: due, items, qrContent: null, expiresAt: null, now, byType: 'staff', byId: actor.id })
          if (!payments.insertPayment({ orderId: id, kind: 'payment', provider: 'counter', amountFen: due, providerRef: input.receiptNo, at: now, now, staffId: actor.id, detail: { method: input.method } })) {
            throw new AppError('conflict', '收据号已登记过', { receiptNo: '该收据号已登记过' })
          }
        } catch (e) {
          if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new AppError('conflict', '收据号已登记过', { receiptNo: '该收据号已登记过' })
          throw e
        }
        settle(payments.orderById(id)!, { at: now, amountFen: due, txn: null, method: input.method, receiptNo: input.receiptNo, staff: actor }, notices)
        return orderView(payments.orderById(id)!)
      })()
      sendNotices(ctx, notices)
      return view
    },

    /** The refund of a duplicate payment was made (at the provider or in cash): record it. */
    recordRefund(actor: StaffActor, input: { orderId: string; refundRef: string }): OrderView {
      return ctx.db.transaction(() => {
        const o = payments.orderByNo(input.orderId)
        if (!o) throw notFound('订单')
        if (o.status !== 'duplicate') throw new AppError('conflict', '只有重复缴费的订单可以登记退款')
        const now = ctx.now()
        if (!payments.insertPayment({ orderId: o.id, kind: 'refund', provider: o.provider, amountFen: o.paidAmountFen ?? o.amountFen, providerRef: input.refundRef, at: now, now, staffId: actor.id })) {
          throw new AppError('conflict', '该退款单号已登记过', { refundRef: '该退款单号已登记过' })
        }
        payments.markRefunded(o.id, input.refundRef, actor.id, now)
        const app = exams.application(o.applicationId)!
        recordEvent(ctx, app, 'payment_refunded', actor, { orderId: o.orderNo, amountFen: o.paidAmountFen ?? o.amountFen })
        ctx.audit.byStaff(actor, 'payment.refunded', { type: 'payment_order', id: o.orderNo }, { amountFen: o.paidAmountFen ?? o.amountFen, refundRef: input.refundRef })
        return orderView(payments.orderById(o.id)!)
      })()
    },

    /** The day's money by provider, the movements, and what still awaits a refund. */
    reconciliation(date: string): Reconciliation {
      const from = dayStart(date)
      const to = dayStart(nextDay(date))
      const movements = payments.movementsBetween(from, to)
      const created = payments.ordersCreatedBetween(from, to)
      const providers = (['wechat', 'counter'] as const).map((provider) => {
        const m = movements.filter((x) => x.provider === provider)
        const paid = m.filter((x) => x.kind === 'payment')
        const refunds = m.filter((x) => x.kind === 'refund')
        const paidFen = totalFen(paid)
        const refundFen = totalFen(refunds)
        return {
          provider,
          label: PROVIDER_LABELS[provider],
          ordersCreated: created.filter((c) => c.provider === provider).reduce((n, c) => n + c.n, 0),
          paidCount: paid.length,
          paidFen,
          refundCount: refunds.length,
          refundFen,
          netFen: paidFen - refundFen
        }
      })
      const sum = (k: 'paidCount' | 'paidFen' | 'refundCount' | 'refundFen' | 'netFen') => providers.reduce((n, p) => n + p[k], 0)
      return {
        date,
        providers,
        totals: { paidCount: sum('paidCount'), paidFen: sum('paidFen'), refundCount: sum('refundCount'), refundFen: sum('refundFen'), netFen: sum('netFen') },
        awaitingRefund: payments.awaitingRefund().map((o) => ({ orderId: o.orderNo, applicationId: o.applicationId, name: o.name, idNumber: maskIdNumber(o.idNumber), amountFen: o.paidAmountFen ?? o.amountFen, paidAt: o.paidAt, provider: o.provider })),
        movements: movements.map(({ orderNo, ...m }) => ({ ...m, orderId: orderNo, idNumber: maskIdNumber(m.idNumber) }))
      }
    }
  }
}
export type PaymentsService = ReturnType<typeof paymentsService>
