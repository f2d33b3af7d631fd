// How an applicant API route is declared: method, path, schemas, answers and a handler. The same
// declaration registers the fastify route (validation with the zod schemas, bearer-token auth,
// rate limits, the error shape) and becomes its entry in /api/v1/openapi.json. Other areas (exams,
// training certificates) declare their routes with `route()` and add them to `index.ts`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { Core } from '../../create-core'
import { AppError } from '../../errors'
import { parseInput } from '../../validation'
import type { ApplicantActor } from '../../services/applicant-accounts'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
type Schema = z.ZodType | undefined
type Out<S> = S extends z.ZodType ? z.output<S> : undefined

export interface RouteCall<P extends Schema, Q extends Schema, B extends Schema, A extends boolean> {
  params: Out<P>
  query: Out<Q>
  body: Out<B>
  /** the signed-in applicant (routes with auth: true) */
  applicant: A extends true ? ApplicantActor : null
  token: A extends true ? string : undefined
  ip: string
  core: Core
  req: FastifyRequest
  reply: FastifyReply
}

export interface RouteDef<P extends Schema, Q extends Schema, B extends Schema, A extends boolean> {
  method: Method
  /** fastify path under /api/v1, e.g. `/applications/:id` */
  path: string
  summary: string
  description?: string
  tag: string
  /** true: needs `Authorization: Bearer <token>` of an applicant */
  auth: A
  /** 'auth': counts against the per-address limit of /auth/* */
  limit?: 'auth'
  params?: P
  query?: Q
  body?: B
  /** a raw upload instead of JSON (the body is then a stream) */
  rawBody?: { contentTypes: string[]; description: string }
  /** the answers; the lowest 2xx is the success status */
  responses: Record<number, { description: string; schema?: z.ZodType }>
  handler: (call: RouteCall<P, Q, B, A>) => unknown
}

export type AnyRoute = RouteDef<Schema, Schema, Schema, boolean>

export function route<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined, A extends boolean = false>(
  def: RouteDef<P, Q, B, A>
): AnyRoute {
  return def as unknown as AnyRoute
}

export function bearer(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return m?.[1]
}

/**
 * The applicant behind a request's bearer token, or a 401 AppError. For routes declared without
 * `route()`: `const applicant = authenticateApplicant(core, req)`.
 */
export function authenticateApplicant(core: Core, req: FastifyRequest): ApplicantActor {
  return core.services.applicantAccounts.authenticate(bearer(req.headers.authorization), req.ip)
}

/** A fixed one-minute window per client address. In memory: it protects this process. */
export function perAddressLimiter(limitPerMinute: () => number, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; n: number }>()
  return {
    hit(ip: string) {
      const t = now()
      let w = windows.get(ip)
      if (!w || t - w.start >= 60_000) {
        if (windows.size > 50_000) for (const [k, v] of windows) if (t - v.start >= 60_000) windows.delete(k)
        w = { start: t, n: 0 }
        windows.set(ip, w)
      }
      w.n++
      if (w.n > limitPerMinute()) {
        const seconds = Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000))
        throw new AppError('rate_limited', `请求过于频繁，请${seconds}秒后再试`, undefined, { 'Retry-After': String(seconds) })
      }
    }
  }
}

export function registerRoutes(app: FastifyInstance, core: Core, routes: readonly AnyRoute[], limiter: ReturnType<typeof perAddressLimiter>) {
  for (const r of routes) {
    const success = Number(Object.keys(r.responses).find((s) => Number(s) >= 200 && Number(s) < 300) ?? 200)
    app.route({
      method: r.method,
      url: r.path,
      // JSON routes stay synchronous unless their handler is not (no promise per request for a
      // look-up); an upload refused before it was read (401, 403, 409, 413…) is drained, so the
      // connection is free again and the server can close.
      handler: r.rawBody
        ? async (req, reply) => {
            try {
              return await handle(req, reply)
            } finally {
              const b = req.body as { resume?: () => void; readableEnded?: boolean } | undefined
              if (b && typeof b.resume === 'function' && !b.readableEnded) b.resume()
            }
          }
        : handle
    })

    function handle(req: FastifyRequest, reply: FastifyReply): Promise<unknown> | undefined {
      if (r.limit === 'auth') limiter.hit(req.ip)
      const token = r.auth ? bearer(req.headers.authorization) : undefined
      const applicant = r.auth ? core.services.applicantAccounts.authenticate(token, req.ip) : null
      const params = r.params ? parseInput(r.params, req.params) : undefined
      const query = r.query ? parseInput(r.query, req.query) : undefined
      let body: unknown
      if (r.rawBody) body = req.body
      else if (r.body) {
        if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
          if (req.body !== undefined) throw new AppError('invalid_input', '请求内容须为 JSON 对象', { '(body)': '须为 JSON 对象' })
        }
        body = parseInput(r.body, req.body ?? {})
      } else if (req.body !== undefined && req.body !== null && !(typeof req.body === 'object' && Object.keys(req.body).length === 0)) {
        throw new AppError('invalid_input', '此接口不接受请求内容', { '(body)': '不允许的内容' })
      }
      const result = r.handler({ params, query, body, applicant, token, ip: req.ip, core, req, reply } as never)
      if (result instanceof Promise) return result.then((value) => answer(reply, value))
      answer(reply, result)
      return undefined
    }

    function answer(reply: FastifyReply, result: unknown): FastifyReply {
      // A handler that answered itself (a file stream, say) returns the reply.
      if (result === reply || reply.sent) return reply
      reply.code(success)
      if (result === undefined || success === 204) return reply.send()
      return reply.type('application/json; charset=utf-8').send(result)
    }
  }
}
