// WeChat Pay, Native payment (扫码支付), API v3.
// - Requests are signed with the merchant's private key (RSA-SHA256 over method, path, timestamp,
//   nonce and body) and sent with the WECHATPAY2-SHA256-RSA2048 Authorization header.
// - Answers and callbacks carry Wechatpay-Timestamp / -Nonce / -Signature / -Serial; the signature
//   over "timestamp\nnonce\nbody\n" is checked with the platform certificate or WeChat Pay public key.
// - A callback's resource is AES-256-GCM encrypted with the merchant's APIv3 key.
// Tested against a local fake server with generated keys (tests/http/exam-payments.test.ts).
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { CallbackRejected, type OnlinePaymentProvider, type PaymentNotice, type ProviderOrder } from './provider'

export interface WechatPayConfig {
  mchId: string
  appId: string
  /** the serial number of the merchant API certificate (商户API证书序列号) */
  merchantSerialNo: string
  merchantPrivateKeyPem: string
  /** the platform certificate or the WeChat Pay public key (PEM) that signs answers and callbacks */
  platformPublicKeyPem: string
  /** its serial (platform certificate serial or PUB_KEY_ID_…) */
  platformSerial: string
  /** APIv3 key: 32 characters */
  apiV3Key: string
  notifyUrl: string
  baseUrl?: string
  /** callbacks older or newer than this are refused (replay window) */
  maxClockSkewSeconds?: number
  timeoutMs?: number
  clock?: () => Date
}

export class WechatPayError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string
  ) {
    super(message)
  }
}

const header = (h: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const v = h[name] ?? h[name.toLowerCase()] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1]
  return Array.isArray(v) ? v[0] : v
}

export function signMessage(privateKey: KeyObject | string, message: string): string {
  return createSign('RSA-SHA256').update(message).sign(privateKey, 'base64')
}

export function verifyMessage(publicKey: KeyObject | string, message: string, signature: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message).verify(publicKey, signature, 'base64')
  } catch {
    return false
  }
}

/** The Authorization header value of a request. */
export function authorizationHeader(
  cfg: Pick<WechatPayConfig, 'mchId' | 'merchantSerialNo'>,
  privateKey: KeyObject | string,
  method: string,
  pathWithQuery: string,
  body: string,
  timestamp: number,
  nonce: string
): string {
  const message = `${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`
  const signature = signMessage(privateKey, message)
  return `WECHATPAY2-SHA256-RSA2048 mchid="${cfg.mchId}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${cfg.merchantSerialNo}"`
}

export function encryptResource(apiV3Key: string, plaintext: string, nonce: string, associatedData: string): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'))
  cipher.setAAD(Buffer.from(associatedData, 'utf8'))
  const enc = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return enc.toString('base64')
}

export function decryptResource(apiV3Key: string, ciphertextB64: string, nonce: string, associatedData: string): string {
  const data = Buffer.from(ciphertextB64, 'base64')
  if (data.length <= 16) throw new CallbackRejected('密文过短')
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'))
  decipher.setAAD(Buffer.from(associatedData ?? '', 'utf8'))
  decipher.setAuthTag(data.subarray(data.length - 16))
  try {
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8')
  } catch {
    throw new CallbackRejected('回调数据解密失败（APIv3密钥不符或数据被篡改）')
  }
}

/** RFC 3339 with +08:00, as time_expire wants it. */
const rfc3339 = (iso: string) => iso

export function wechatPayProvider(cfg: WechatPayConfig): OnlinePaymentProvider {
  if (Buffer.byteLength(cfg.apiV3Key, 'utf8') !== 32) throw new Error('WeChat Pay APIv3 key must be 32 bytes')
  const privateKey = createPrivateKey(cfg.merchantPrivateKeyPem)
  const platformKey = createPublicKey(cfg.platformPublicKeyPem)
  const baseUrl = (cfg.baseUrl ?? 'https://api.mch.weixin.qq.com').replace(/\/$/, '')
  const skew = cfg.maxClockSkewSeconds ?? 300
  const clock = cfg.clock ?? (() => new Date())

  /** Checks the platform signature headers over `body`. */
  function verifySigned(headers: Record<string, string | string[] | undefined>, body: string): void {
    const ts = header(headers, 'Wechatpay-Timestamp')
    const nonce = header(headers, 'Wechatpay-Nonce')
    const signature = header(headers, 'Wechatpay-Signature')
    const serial = header(headers, 'Wechatpay-Serial')
    if (!ts || !nonce || !signature || !serial) throw new CallbackRejected('缺少微信支付签名头')
    if (signature.startsWith('WECHATPAY/SIGNTEST/')) throw new CallbackRejected('签名探测请求')
    if (serial !== cfg.platformSerial) throw new CallbackRejected(`未知的平台证书序列号 ${serial}`)
    const t = Number(ts)
    if (!Number.isFinite(t) || Math.abs(clock().getTime() / 1000 - t) > skew) throw new CallbackRejected('签名时间戳超出允许范围')
    if (!verifyMessage(platformKey, `${ts}\n${nonce}\n${body}\n`, signature)) throw new CallbackRejected('微信支付签名验证失败')
  }

  return {
    name: 'wechat',
    async createOrder(order: ProviderOrder) {
      const path = '/v3/pay/transactions/native'
      const body = JSON.stringify({
        appid: cfg.appId,
        mchid: cfg.mchId,
        description: order.description,
        out_trade_no: order.orderNo,
        time_expire: rfc3339(order.expiresAt),
        notify_url: cfg.notifyUrl,
        amount: { total: order.amountFen, currency: 'CNY' }
      })
      const timestamp = Math.floor(clock().getTime() / 1000)
      const nonce = randomBytes(16).toString('hex')
      let res: Response
      try {
        res = await fetch(baseUrl + path, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            'User-Agent': 'QualDesk',
            Authorization: authorizationHeader(cfg, privateKey, 'POST', path, body, timestamp, nonce)
          },
          body,
          signal: AbortSignal.timeout(cfg.timeoutMs ?? 10_000)
        })
      } catch (e) {
        throw new WechatPayError(`无法连接微信支付：${(e as Error).message}`)
      }
      const text = await res.text()
      const headers: Record<string, string> = {}
      res.headers.forEach((v, k) => (headers[k] = v))
      if (res.status !== 200) {
        let code: string | undefined
        let message = text
        try {
          const j = JSON.parse(text) as { code?: string; message?: string }
          code = j.code
          message = j.message ?? text
        } catch {
          /* not JSON */
        }
        throw new WechatPayError(`微信支付下单失败（${res.status} ${code ?? ''}）：${message}`, res.status, code)
      }
      try {
        verifySigned(headers, text)
      } catch (e) {
        throw new WechatPayError(`微信支付应答签名无效：${(e as Error).message}`)
      }
      const j = JSON.parse(text) as { code_url?: string }
      if (!j.code_url) throw new WechatPayError('微信支付应答缺少 code_url')
      return { qrContent: j.code_url }
    },

    parseNotification(headers, rawBody): PaymentNotice {
      verifySigned(headers, rawBody)
      let body: { event_type?: string; resource?: { algorithm?: string; ciphertext?: string; nonce?: string; associated_data?: string } }
      try {
        body = JSON.parse(rawBody)
      } catch {
        throw new CallbackRejected('回调不是有效的 JSON')
      }
      const r = body.resource
      if (!r || r.algorithm !== 'AEAD_AES_256_GCM' || !r.ciphertext || !r.nonce) throw new CallbackRejected('回调缺少加密数据')
      const plain = decryptResource(cfg.apiV3Key, r.ciphertext, r.nonce, r.associated_data ?? '')
      let tx: {
        mchid?: string
        appid?: string
        out_trade_no?: string
        transaction_id?: string
        trade_state?: string
        trade_state_desc?: string
        success_time?: string
        amount?: { total?: number; payer_total?: number }
      }
      try {
        tx = JSON.parse(plain)
      } catch {
        throw new CallbackRejected('解密后的数据不是有效的 JSON')
      }
      if (tx.mchid !== cfg.mchId || (tx.appid && tx.appid !== cfg.appId)) throw new CallbackRejected('回调的商户号或应用号不符')
      if (!tx.out_trade_no || !tx.transaction_id || typeof tx.amount?.total !== 'number') throw new CallbackRejected('回调缺少订单号、交易号或金额')
      return {
        orderNo: tx.out_trade_no,
        transactionId: tx.transaction_id,
        state: tx.trade_state === 'SUCCESS' && body.event_type === 'TRANSACTION.SUCCESS' ? 'SUCCESS' : 'OTHER',
        stateText: tx.trade_state_desc ?? tx.trade_state ?? '',
        amountFen: tx.amount.total,
        paidAt: tx.success_time ?? '',
        raw: tx as Record<string, unknown>
      }
    }
  }
}

/**
 * The merchant's WeChat Pay settings, from QUALDESK_WECHATPAY_CONFIG (a JSON file) or
 * `wechatpay.json` in the data folder. Keys may be given inline (PEM) or as file paths:
 * { mchId, appId, merchantSerialNo, merchantPrivateKeyPath | merchantPrivateKeyPem,
 *   platformPublicKeyPath | platformPublicKeyPem, platformSerial, apiV3Key, notifyUrl, baseUrl? }
 * Secrets stay in that file (readable by the service account only), never in the database.
 */
export function loadWechatPayConfig(dataDir: string, env: Record<string, string | undefined> = process.env): WechatPayConfig | null {
  const file = env.QUALDESK_WECHATPAY_CONFIG ? resolve(env.QUALDESK_WECHATPAY_CONFIG) : join(dataDir, 'wechatpay.json')
  if (!existsSync(file)) return null
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>
  const pem = (inline: string | undefined, path: string | undefined, what: string) => {
    if (inline) return inline
    if (path) return readFileSync(resolve(dirname(file), path), 'utf8')
    throw new Error(`wechatpay.json: ${what} missing`)
  }
  for (const k of ['mchId', 'appId', 'merchantSerialNo', 'platformSerial', 'apiV3Key', 'notifyUrl']) {
    if (!raw[k]) throw new Error(`wechatpay.json: ${k} missing`)
  }
  return {
    mchId: raw.mchId,
    appId: raw.appId,
    merchantSerialNo: raw.merchantSerialNo,
    merchantPrivateKeyPem: pem(raw.merchantPrivateKeyPem, raw.merchantPrivateKeyPath, 'merchantPrivateKeyPath'),
    platformPublicKeyPem: pem(raw.platformPublicKeyPem, raw.platformPublicKeyPath, 'platformPublicKeyPath'),
    platformSerial: raw.platformSerial,
    apiV3Key: raw.apiV3Key,
    notifyUrl: raw.notifyUrl,
    baseUrl: raw.baseUrl
  }
}
