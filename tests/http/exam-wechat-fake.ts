// A local fake of WeChat Pay's API v3 for tests: it checks our request signatures with the
// merchant's public key, answers signed with the platform key, and sends payment callbacks
// (signed, AES-256-GCM encrypted) to our notify URL, the way WeChat Pay does. Keys are generated
// per run; no real merchant account is involved.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { encryptResource, signMessage, verifyMessage, wechatPayProvider, type WechatPayConfig } from '../../src-main/core/payments/wechat-pay'
import { afterEach, beforeEach } from 'vitest'
import { testServer, type TestServer } from '../support/core'
import { toShanghaiIso } from '../../src-main/core/domain/time'

export interface FakeWechat {
  url: string
  config(notifyUrl: string, clock?: () => Date): WechatPayConfig
  /** orders placed with the fake, by out_trade_no */
  orders: Map<string, { amount: number; description: string; timeExpire: string }>
  /** requests refused for a bad signature */
  refused: number
  /** builds the callback WeChat would send for a paid order */
  callback(orderNo: string, o?: { transactionId?: string; amount?: number; timestamp?: number; state?: string; successTime?: string }): { headers: Record<string, string>; body: string }
  close(): Promise<void>
}

export async function startFakeWechat(): Promise<FakeWechat> {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const merchantPublicPem = merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString()
  const apiV3Key = randomBytes(16).toString('hex') // 32 characters
  const mchId = '1900000109'
  const appId = 'wxd678efh567hg6787'
  const platformSerial = 'PUB_KEY_ID_0114232134912410000000000001'
  const orders = new Map<string, { amount: number; description: string; timeExpire: string }>()
  let refused = 0
  let txnSeq = 0

  const signed = (body: string) => {
    const ts = String(Math.floor(Date.now() / 1000))
    const nonce = randomBytes(16).toString('hex')
    return { 'Wechatpay-Timestamp': ts, 'Wechatpay-Nonce': nonce, 'Wechatpay-Serial': platformSerial, 'Wechatpay-Signature': signMessage(platform.privateKey, `${ts}\n${nonce}\n${body}\n`) }
  }

  const server: Server = createServer((req, res) => {
    let raw = ''
    req.on('data', (d) => (raw += d))
    req.on('end', () => {
      const auth = req.headers.authorization ?? ''
      const m = /^WECHATPAY2-SHA256-RSA2048 mchid="(\d+)",nonce_str="(\w+)",signature="([^"]+)",timestamp="(\d+)",serial_no="(\w+)"$/.exec(auth)
      const reply = (status: number, obj: unknown) => {
        const body = JSON.stringify(obj)
        res.writeHead(status, { 'Content-Type': 'application/json', ...signed(body) })
        res.end(body)
      }
      if (!m || m[1] !== mchId || !verifyMessage(merchantPublicPem, `${req.method}\n${req.url}\n${m[4]}\n${m[2]}\n${raw}\n`, m[3])) {
        refused++
        return reply(401, { code: 'SIGN_ERROR', message: '签名错误' })
      }
      if (req.method === 'POST' && req.url === '/v3/pay/transactions/native') {
        const b = JSON.parse(raw)
        if (b.mchid !== mchId || b.appid !== appId || !b.notify_url || !Number.isInteger(b.amount?.total)) return reply(400, { code: 'PARAM_ERROR', message: '参数错误' })
        orders.set(b.out_trade_no, { amount: b.amount.total, description: b.description, timeExpire: b.time_expire })
        return reply(200, { code_url: `weixin://wxpay/bizpayurl?pr=${randomBytes(5).toString('hex')}` })
      }
      reply(404, { code: 'NOT_FOUND', message: 'no such api' })
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    orders,
    get refused() {
      return refused
    },
    config: (notifyUrl, clock) => ({
      mchId,
      appId,
      merchantSerialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
      merchantPrivateKeyPem: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      platformPublicKeyPem: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      platformSerial,
      apiV3Key,
      notifyUrl,
      baseUrl: url,
      clock
    }),
    callback(orderNo, o = {}) {
      const order = orders.get(orderNo)
      const tx = {
        mchid: mchId,
        appid: appId,
        out_trade_no: orderNo,
        transaction_id: o.transactionId ?? `42000012${String(++txnSeq).padStart(20, '0')}`,
        trade_type: 'NATIVE',
        trade_state: o.state ?? 'SUCCESS',
        trade_state_desc: '支付成功',
        bank_type: 'OTHERS',
        // now, in Shanghai time, as WeChat Pay sends it (a fixed date breaks the daily reconciliation after midnight)
        success_time: o.successTime ?? toShanghaiIso(new Date()),
        payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
        amount: { total: o.amount ?? order?.amount ?? 0, payer_total: o.amount ?? order?.amount ?? 0, currency: 'CNY', payer_currency: 'CNY' }
      }
      const nonce = randomBytes(6).toString('hex')
      const body = JSON.stringify({
        id: `EV-${randomBytes(8).toString('hex')}`,
        create_time: '2026-11-25T10:15:01+08:00',
        resource_type: 'encrypt-resource',
        event_type: 'TRANSACTION.SUCCESS',
        summary: '支付成功',
        resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: encryptResource(apiV3Key, JSON.stringify(tx), nonce, 'transaction'), associated_data: 'transaction', nonce }
      })
      const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000))
      const hnonce = randomBytes(16).toString('hex')
      return {
        headers: { 'Content-Type': 'application/json', 'Wechatpay-Timestamp': ts, 'Wechatpay-Nonce': hnonce, 'Wechatpay-Serial': platformSerial, 'Wechatpay-Signature': signMessage(platform.privateKey, `${ts}\n${hnonce}\n${body}\n`) },
        body
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r()))
  }
}

/**
 * For each test: a fresh test server whose payments go to a fresh fake WeChat Pay (callbacks to the
 * server's notify URL); both closed afterwards. Read them through the returned getters.
 */
export function useServerWithFakeWechat(): { server: () => TestServer; fake: () => FakeWechat } {
  let server: TestServer
  let fake: FakeWechat
  beforeEach(async () => {
    server = await testServer()
    fake = await startFakeWechat()
    server.core.services.payments.useProvider(wechatPayProvider(fake.config(`${server.url}/api/v1/payments/notify/wechat`)))
  })
  afterEach(async () => {
    await server.close()
    await fake.close()
  })
  return { server: () => server, fake: () => fake }
}
