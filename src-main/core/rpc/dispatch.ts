// The one way into the staff operations, whichever bridge (IPC or HTTP) carries the call:
// look the operation up, validate the input, authenticate, check the role, run the handler.
import { contract, OPERATIONS, ROLE_LABELS, type Access, type ErrorBody, type OperationName, type RpcEnvelope } from '../../../src-preload/contract'
import { AppError } from '../errors'
import { storageFailure } from '../storage-errors'
import { parseInput } from '../validation'
import type { Services } from '../create-core'
import { handlers } from './handlers'

const known = new Set<string>(OPERATIONS)

export interface Dispatcher {
  (operation: string, rawInput: unknown, meta: { token?: string; ip?: string }): Promise<RpcEnvelope<unknown>>
}

export function createDispatcher(services: Services, logError: (e: unknown) => void = console.error): Dispatcher {
  const { staffAuth, ctx } = services
  return async function dispatch(operation, rawInput, meta) {
    try {
      if (!known.has(operation)) throw new AppError('not_found', `没有这个操作：${operation}`)
      const name = operation as OperationName
      const def = contract[name]
      const access: Access = def.access
      const actor = access === 'public' ? null : staffAuth.authenticate(meta.token, meta.ip)
      if (actor && typeof access !== 'string' && !access.some((r) => actor.roles.includes(r))) {
        ctx.audit.byStaff(actor, 'access.denied', { type: 'operation', id: name })
        const need = access.map((r) => ROLE_LABELS[r]).join('或')
        throw new AppError('forbidden', `无权执行此操作（需要${need}角色）`)
      }
      const input = parseInput(def.input, rawInput)
      const handler = handlers[name] as (s: Services, i: unknown, c: object) => unknown
      const data = await handler(services, input, { actor, token: meta.token, ip: meta.ip })
      return { ok: true, data: data ?? null }
    } catch (e) {
      return { ok: false, ...toErrorBody(e, logError) }
    }
  }
}

export function toErrorBody(e: unknown, logError: (e: unknown) => void): { status: number; error: ErrorBody; headers?: Record<string, string> } {
  if (e instanceof AppError) return { status: e.status, error: e.toBody(), headers: e.headers }
  // Disk full (507) or data folder read-only (503): logged for the administrator, explained to the user.
  const storage = storageFailure(e)
  logError(e)
  if (storage) return { status: storage.status, error: storage.toBody() }
  return { status: 500, error: { code: 'internal', message: '系统内部错误，请稍后再试或联系管理员' } }
}
