// The applicant API (/api/v1): the fastify plugin registered by http/server.ts. Each area's routes
// are declared with `route()` (route-kit.ts) and listed in APPLICANT_ROUTES; the bearer-token
// auth, validation, rate limits, error shape and OpenAPI entry come with the declaration.
//
// For other areas: `route({ auth: true, ... })` gives the handler `applicant` (ApplicantActor);
// a hand-written fastify route can call `authenticateApplicant(core, req)`.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Core } from '../../create-core'
import { AppError } from '../../errors'
import { storageFailure } from '../../storage-errors'
import { accountRoutes } from './account-routes'
import { applicationRoutes } from './application-routes'
import { buildOpenApi } from './openapi'
import { referenceRoutes } from './reference-routes'
import { trainingCertificateRoutes } from './training-certificates'
import { examRoutes, paymentNotifyRoutes } from './exams'
import { certificateRoutes } from './certificates'
import { perAddressLimiter, registerRoutes, type AnyRoute } from './route-kit'

export { authenticateApplicant, route, bearer, type AnyRoute, type RouteCall } from './route-kit'
export type { ApplicantActor } from '../../services/applicant-accounts'

/** Every applicant API route, in the order the OpenAPI document lists them. */
export const APPLICANT_ROUTES: readonly AnyRoute[] = [...accountRoutes, ...referenceRoutes, ...trainingCertificateRoutes, ...applicationRoutes, ...examRoutes, ...certificateRoutes]

function send(reply: FastifyReply, status: number, error: { code: string; message: string; fields?: Record<string, string> }, headers?: Record<string, string>) {
  if (headers) reply.headers(headers)
  return reply.code(status).type('application/json; charset=utf-8').send({ error })
}

export function applicantApi(core: Core, options: { logError?: (e: unknown) => void } = {}) {
  return async function plugin(app: FastifyInstance) {
    const limiter = perAddressLimiter(() => core.ctx.settings.get('applicant.authRequestsPerMinute'), () => core.ctx.clock().getTime())

    // Uploads arrive as streams (attachments are recognised by their bytes, whatever the header
    // says); a JSON route given such a body answers 400.
    app.removeContentTypeParser('text/plain')
    app.addContentTypeParser('*', (_req, payload, done) => done(null, payload))

    app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
      if (err instanceof AppError) return send(reply, err.status, err.toBody(), err.headers)
      const storage = storageFailure(err)
      if (storage) {
        ;(options.logError ?? ((e) => req.log.error(e)))(err)
        return send(reply, storage.status, storage.toBody())
      }
      const status = err.statusCode ?? 500
      if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, 413, { code: 'too_large', message: '请求内容过大（JSON 不超过 1 MB）' })
      if (status === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return send(reply, 415, { code: 'unsupported_type', message: '不支持的内容类型，请以 JSON 提交' })
      if (status >= 400 && status < 500) {
        return send(reply, 400, { code: 'invalid_input', message: '请求格式有误：请提交有效的 JSON', fields: { '(body)': '不是有效的 JSON' } })
      }
      ;(options.logError ?? ((e) => req.log.error(e)))(err)
      return send(reply, 500, { code: 'internal', message: '系统内部错误，请稍后再试' })
    })

    registerRoutes(app, core, APPLICANT_ROUTES, limiter)
    await app.register(paymentNotifyRoutes(core))

    let openapi: string | undefined
    app.get('/openapi.json', async (_req, reply) => {
      openapi ??= JSON.stringify(buildOpenApi(APPLICANT_ROUTES, { version: '1.0.0' }))
      return reply.type('application/json; charset=utf-8').send(openapi)
    })
  }
}
