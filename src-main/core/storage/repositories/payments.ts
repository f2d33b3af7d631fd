// Payment orders, the money that moved (payments and refunds) and what paid orders bought.
import type { Db } from '../database'
import type { FeeItem } from '../../domain/fees'
import type { ProviderName } from '../../payments/provider'
import type { Subject } from '../../domain/attempts'

export type OrderStatus = 'pending' | 'paid' | 'expired' | 'duplicate' | 'refunded'

export interface OrderRow {
  id: number
  orderNo: string
  applicationId: number
  provider: ProviderName
  amountFen: number
  items: FeeItem[]
  status: OrderStatus
  qrContent: string | null
  expiresAt: string | null
  createdAt: string
  paidAt: string | null
  paidAmountFen: number | null
  providerTxnId: string | null
  counterMethod: 'cash' | 'card' | null
  receiptNo: string | null
  recordedBy: number | null
  refundReason: string | null
  refundedAt: string | null
  refundRef: string | null
}

const ORDER_COLS = `id, order_no AS orderNo, application_id AS applicationId, provider, amount_fen AS amountFen, items, status,
  qr_content AS qrContent, expires_at AS expiresAt, created_at AS createdAt, paid_at AS paidAt, paid_amount_fen AS paidAmountFen,
  provider_txn_id AS providerTxnId, counter_method AS counterMethod, receipt_no AS receiptNo, recorded_by AS recordedBy,
  refund_reason AS refundReason, refunded_at AS refundedAt, refund_ref AS refundRef`

type RawOrder = Omit<OrderRow, 'items'> & { items: string }
const order = (r: RawOrder | undefined): OrderRow | undefined => (r ? { ...r, items: JSON.parse(r.items) as FeeItem[] } : undefined)

export interface ReconciliationRow {
  kind: 'payment' | 'refund'
  provider: ProviderName
  amountFen: number
  providerRef: string
  at: string
  orderNo: string
  orderStatus: OrderStatus
  applicationId: number
  name: string
  idNumber: string
  staffName: string | null
}

export function paymentRepository(db: Db) {
  const s = {
    insertOrder: db.prepare(
      `INSERT INTO payment_orders (order_no, application_id, provider, amount_fen, items, status, qr_content, expires_at, created_at,
         created_by_type, created_by_id)
       VALUES (@orderNo, @applicationId, @provider, @amountFen, @items, 'pending', @qrContent, @expiresAt, @now, @byType, @byId)`
    ),
    byNo: db.prepare<[string], RawOrder>(`SELECT ${ORDER_COLS} FROM payment_orders WHERE order_no = ?`),
    byId: db.prepare<[number], RawOrder>(`SELECT ${ORDER_COLS} FROM payment_orders WHERE id = ?`),
    ofApp: db.prepare<[number], RawOrder>(`SELECT ${ORDER_COLS} FROM payment_orders WHERE application_id = ? ORDER BY id DESC`),
    pendingOfApp: db.prepare<{ applicationId: number; now: string }, RawOrder>(
      `SELECT ${ORDER_COLS} FROM payment_orders WHERE application_id = @applicationId AND status = 'pending' AND expires_at > @now ORDER BY id DESC`
    ),
    expire: db.prepare(`UPDATE payment_orders SET status = 'expired' WHERE status = 'pending' AND expires_at <= @now AND application_id = @applicationId`),
    expireOne: db.prepare(`UPDATE payment_orders SET status = 'expired' WHERE id = @id AND status = 'pending' AND expires_at <= @now`),
    markPaid: db.prepare(
      `UPDATE payment_orders SET status = @status, paid_at = @paidAt, paid_amount_fen = @amount, provider_txn_id = @txn,
         counter_method = @method, receipt_no = @receiptNo, recorded_by = @recordedBy, refund_reason = @refundReason
       WHERE id = @id AND status IN ('pending', 'expired')`
    ),
    markRefunded: db.prepare(
      `UPDATE payment_orders SET status = 'refunded', refunded_at = @now, refunded_by = @by, refund_ref = @ref WHERE id = @id AND status = 'duplicate'`
    ),
    insertPayment: db.prepare(
      `INSERT INTO payments (order_id, kind, provider, amount_fen, provider_ref, at, recorded_at, staff_id, detail)
       VALUES (@orderId, @kind, @provider, @amountFen, @providerRef, @at, @now, @staffId, @detail)
       ON CONFLICT (provider, kind, provider_ref) DO NOTHING`
    ),
    credited: db.prepare<[number], { itemKey: string }>(`SELECT item_key AS itemKey FROM payment_credits WHERE application_id = ?`),
    credits: db.prepare<[number], { subject: Subject; kind: 'initial' | 'retake'; attempts: number }>(
      `SELECT subject, kind, attempts FROM payment_credits WHERE application_id = ? ORDER BY id`
    ),
    insertCredit: db.prepare(
      `INSERT INTO payment_credits (application_id, item_key, subject, kind, attempts, amount_fen, order_id, credited_at)
       VALUES (@applicationId, @key, @subject, @kind, @attempts, @amountFen, @orderId, @now)`
    ),
    movementsBetween: db.prepare<{ from: string; to: string }, ReconciliationRow>(
      `SELECT p.kind, p.provider, p.amount_fen AS amountFen, p.provider_ref AS providerRef, p.at, o.order_no AS orderNo, o.status AS orderStatus,
         o.application_id AS applicationId, a.name, a.id_number AS idNumber, st.display_name AS staffName
       FROM payments p JOIN payment_orders o ON o.id = p.order_id JOIN applications a ON a.id = o.application_id
       LEFT JOIN staff st ON st.id = p.staff_id
       WHERE p.at >= @from AND p.at < @to ORDER BY p.at, p.id`
    ),
    ordersCreatedBetween: db.prepare<{ from: string; to: string }, { provider: ProviderName; status: OrderStatus; n: number; amountFen: number }>(
      `SELECT provider, status, count(*) AS n, sum(amount_fen) AS amountFen FROM payment_orders
       WHERE created_at >= @from AND created_at < @to GROUP BY provider, status`
    ),
    awaitingRefund: db.prepare<[], RawOrder & { name: string; idNumber: string }>(
      `SELECT ${ORDER_COLS.replace(/(^|,\s*)(\w+)/g, '$1o.$2')}, a.name, a.id_number AS idNumber FROM payment_orders o
       JOIN applications a ON a.id = o.application_id WHERE o.status = 'duplicate' ORDER BY o.id`
    )
  }
  return {
    insertOrder: (x: {
      orderNo: string
      applicationId: number
      provider: ProviderName
      amountFen: number
      items: FeeItem[]
      qrContent: string | null
      expiresAt: string | null
      now: string
      byType: 'staff' | 'applicant' | 'system'
      byId: number | null
    }) => Number(s.insertOrder.run({ ...x, items: JSON.stringify(x.items) }).lastInsertRowid),
    orderByNo: (orderNo: string) => order(s.byNo.get(orderNo)),
    orderById: (id: number) => order(s.byId.get(id)),
    ordersOfApplication: (applicationId: number) => s.ofApp.all(applicationId).map((r) => order(r)!),
    pendingOrders: (applicationId: number, now: string) => s.pendingOfApp.all({ applicationId, now }).map((r) => order(r)!),
    expireOrders: (applicationId: number, now: string) => s.expire.run({ applicationId, now }).changes,
    expireOrder: (id: number, now: string) => s.expireOne.run({ id, now }).changes === 1,
    markPaid: (x: {
      id: number
      status: 'paid' | 'duplicate'
      paidAt: string
      amount: number
      txn: string | null
      method: 'cash' | 'card' | null
      receiptNo: string | null
      recordedBy: number | null
      refundReason: string | null
    }) => s.markPaid.run(x).changes === 1,
    markRefunded: (id: number, ref: string, by: number, now: string) => s.markRefunded.run({ id, ref, by, now }).changes === 1,
    /** false when this provider reference was recorded before (a replayed callback) */
    insertPayment: (x: {
      orderId: number
      kind: 'payment' | 'refund'
      provider: ProviderName
      amountFen: number
      providerRef: string
      at: string
      now: string
      staffId: number | null
      detail?: unknown
    }) => s.insertPayment.run({ ...x, detail: x.detail === undefined ? null : JSON.stringify(x.detail) }).changes === 1,
    creditedKeys: (applicationId: number) => new Set(s.credited.all(applicationId).map((r) => r.itemKey)),
    credits: (applicationId: number) => s.credits.all(applicationId),
    insertCredit: (x: { applicationId: number; key: string; subject: Subject; kind: 'initial' | 'retake'; attempts: number; amountFen: number; orderId: number; now: string }) =>
      s.insertCredit.run(x),
    movementsBetween: (from: string, to: string) => s.movementsBetween.all({ from, to }),
    ordersCreatedBetween: (from: string, to: string) => s.ordersCreatedBetween.all({ from, to }),
    awaitingRefund: () => s.awaitingRefund.all().map((r) => ({ ...order(r)!, name: r.name, idNumber: r.idNumber }))
  }
}
export type PaymentRepository = ReturnType<typeof paymentRepository>
