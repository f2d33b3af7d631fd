// GET /api/v1/openapi.json: made from the route declarations and their zod schemas (the same
// objects that validate the requests), once per process.
import { z } from 'zod'
import type { AnyRoute } from './route-kit'

type Json = Record<string, unknown>

function schemaOf(s: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json
  return rest
}

export function buildOpenApi(routes: readonly AnyRoute[], info: { version: string }): Json {
  const paths: Record<string, Record<string, Json>> = {}
  for (const r of routes) {
    const path = '/api/v1' + r.path.replace(/:([A-Za-z]+)/g, '{$1}')
    const parameters: Json[] = []
    for (const [where, s] of [['path', r.params], ['query', r.query]] as const) {
      if (!s) continue
      const js = schemaOf(s, 'input') as { properties?: Record<string, Json>; required?: string[] }
      for (const [name, p] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), description: p.description, schema: p })
      }
    }
    if (r.rawBody) parameters.push({ name: 'X-File-Name', in: 'header', required: false, description: '原文件名（可 URL 编码）', schema: { type: 'string' } })
    const op: Json = {
      tags: [r.tag],
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[/:-]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
      ...(parameters.length ? { parameters } : {}),
      ...(r.auth ? { security: [{ applicantToken: [] }] } : {}),
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, resp]) => [
          status,
          {
            description: resp.description,
            ...(resp.schema ? { content: { 'application/json': { schema: schemaOf(resp.schema, 'output') } } } : {}),
            ...(status === '429' ? { headers: { 'Retry-After': { description: '多少秒后可以再试', schema: { type: 'integer' } } } } : {})
          }
        ])
      )
    }
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(r.body, 'input') } } }
    if (r.rawBody) {
      op.requestBody = {
        required: true,
        description: r.rawBody.description,
        content: Object.fromEntries(r.rawBody.contentTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]))
      }
    }
    ;(paths[path] ??= {})[r.method.toLowerCase()] = op
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'QualDesk 申请人接口（政务交通 App）',
      version: info.version,
      description:
        '道路运输从业资格证申领。JSON，UTF-8；时间为 ISO 8601（+08:00），日期 YYYY-MM-DD，金额为整数分。错误统一为 {"error":{"code","message","fields"}}；JSON 请求体不超过 1 MB。'
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { applicantToken: { type: 'http', scheme: 'bearer', description: 'POST /api/v1/auth/login 返回的 token' } } },
    paths
  }
}
