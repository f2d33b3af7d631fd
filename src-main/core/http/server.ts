// One HTTP server for browser mode and the applicant app: the staff contract at POST /rpc/{op},
// the applicant API under /api/v1, and the built staff UI.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import fastifyStatic from '@fastify/static'
import { existsSync } from 'node:fs'
import type { Core } from '../create-core'
import type { ErrorBody } from '../../../src-preload/contract/errors'
import { applicantApi } from './applicant'
import { exportRoutes } from './exports-route'
import { storageFailure } from '../storage-errors'

export interface HttpOptions {
  /** The built renderer (out/renderer); the staff UI is not served when absent. */
  staticDir?: string
  logger?: boolean
}

/** The UI's Content-Security-Policy (the Electron window sets the same). */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

export function sendError(reply: FastifyReply, status: number, error: ErrorBody, headers?: Record<string, string>) {
  if (headers) reply.headers(headers)
  return reply.code(status).type('application/json; charset=utf-8').send({ error })
}

function bearer(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return m?.[1]
}

export async function createHttpServer(core: Core, options: HttpOptions = {}): Promise<FastifyInstance> {
  // The applicants' submissions' thread, ready before the first one arrives.
  await core.submissionWriter?.warmUp()
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    // 100,000 rows of personal data never travel in one response; keep sockets from hanging.
    requestTimeout: 60_000
  })

  // Disk full or read-only data folder: each error handler (this one, the applicant API's) answers
  // a storage failure with the error shape (507 / 503).
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const storage = storageFailure(err)
    if (storage) {
      app.log.error(err)
      return sendError(reply, storage.status, storage.toBody())
    }
    const status = err.statusCode ?? 500
    if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, 413, { code: 'too_large', message: '请求内容过大' })
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, 415, { code: 'unsupported_type', message: '不支持的内容类型，请以 JSON 提交' })
    }
    if (status >= 400 && status < 500) {
      return sendError(reply, 400, { code: 'invalid_input', message: '请求格式有误：请提交有效的 JSON', fields: { '(body)': '不是有效的 JSON' } })
    }
    app.log.error(err)
    return sendError(reply, 500, { code: 'internal', message: '系统内部错误，请稍后再试或联系管理员' })
  })

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.url.startsWith('/rpc/')) {
      return sendError(reply, 404, { code: 'not_found', message: '接口不存在' })
    }
    if (options.staticDir && req.method === 'GET') return reply.sendFile('index.html')
    return sendError(reply, 404, { code: 'not_found', message: '页面不存在' })
  })

  // Callback style, not async: this runs on every response, and a promise per response is a
  // measurable share of a small answer's cost under load.
  app.addHook('onSend', (_req, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff')
    reply.header('Referrer-Policy', 'no-referrer')
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store')
    done(null, payload)
  })

  app.get('/api/v1/health', async () => ({ status: 'ok' }))
  await app.register(applicantApi(core), { prefix: '/api/v1' })
  await app.register(exportRoutes(core))

  // The staff contract over HTTP: the same dispatcher the IPC bridge uses.
  app.post<{ Params: { operation: string } }>('/rpc/:operation', async (req, reply) => {
    const result = await core.dispatch(req.params.operation, req.body ?? {}, {
      token: bearer(req.headers.authorization),
      ip: req.ip
    })
    if (result.ok) return reply.type('application/json; charset=utf-8').send({ data: result.data })
    return sendError(reply, result.status, result.error)
  })

  if (options.staticDir && existsSync(options.staticDir)) {
    await app.register(fastifyStatic, {
      root: options.staticDir,
      index: ['index.html'],
      cacheControl: false,
      setHeaders(res, path) {
        res.setHeader('Content-Security-Policy', CSP)
        res.setHeader('X-Frame-Options', 'DENY')
        // Hashed assets never change; the page itself always revalidates.
        res.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache')
      }
    })
  }

  return app
}
