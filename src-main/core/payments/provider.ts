// Payment providers behind one interface. An online provider makes a QR code for an order and
// reports payments by signed callbacks; the counter "provider" is a clerk recording cash or card.

export type ProviderName = 'wechat' | 'counter'
export const PROVIDER_LABELS: Record<ProviderName, string> = { wechat: '微信支付', counter: '窗口缴费' }

export interface ProviderOrder {
  orderNo: string
  amountFen: number
  description: string
  /** Asia/Shanghai ISO with offset */
  expiresAt: string
}

/** A verified, decrypted payment notification. */
export interface PaymentNotice {
  orderNo: string
  /** the provider's transaction id: the idempotency key of the notice */
  transactionId: string
  state: 'SUCCESS' | 'OTHER'
  stateText: string
  amountFen: number
  paidAt: string
  raw: Record<string, unknown>
}

/** Thrown when a callback cannot be trusted: bad signature, stale timestamp, undecryptable resource. */
export class CallbackRejected extends Error {}

export interface OnlinePaymentProvider {
  readonly name: Exclude<ProviderName, 'counter'>
  /** Places the order at the provider; resolves to the QR code content (code_url). */
  createOrder(order: ProviderOrder): Promise<{ qrContent: string }>
  /** Verifies and decodes a callback from its headers and raw body; throws CallbackRejected. */
  parseNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): PaymentNotice
}
