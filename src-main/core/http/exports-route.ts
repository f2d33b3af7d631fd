// Browser mode: a finished export reaches the supervisor as a download, GET /exports/{id} with
// the staff token (Authorization: Bearer …). The file is streamed from disk, never held whole.
import type { FastifyInstance } from 'fastify'
import { createReadStream } from 'node:fs'
import type { Core } from '../create-core'
import { AppError } from '../errors'
import { toErrorBody } from '../rpc/dispatch'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

function bearer(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return m?.[1]
}

/** RFC 6266: an ASCII fallback plus the UTF-8 name (中文文件名). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

export function exportRoutes(core: Core) {
  return async function (app: FastifyInstance) {
    app.get<{ Params: { id: string } }>('/exports/:id', async (req, reply) => {
      try {
        if (!/^[1-9]\d{0,9}$/.test(req.params.id)) throw new AppError('not_found', '导出任务不存在')
        const file = core.services.exports.openDownload(bearer(req.headers.authorization), Number(req.params.id), req.ip)
        reply.header('Content-Type', XLSX)
        reply.header('Content-Length', String(file.size))
        reply.header('Content-Disposition', contentDisposition(file.fileName))
        return reply.send(createReadStream(file.path))
      } catch (e) {
        const { status, error } = toErrorBody(e, (err) => app.log.error(err))
        return reply.code(status).type('application/json; charset=utf-8').send({ error })
      }
    })
  }
}
