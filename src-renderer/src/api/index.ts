// The renderer's one way to the core: `api.staff.create({...})`. Inside Electron the calls go
// through the preload (IPC); in a browser they go to POST /rpc/{operation}. Callers cannot tell.
import { OPERATIONS, type OperationName } from '../../../src-preload/contract/operations'
import { ApiError, type ErrorBody, type RpcEnvelope } from '../../../src-preload/contract/errors'
import type { StaffApi } from '../../../src-preload/contract'

type Transport = (operation: OperationName, input: unknown, token: string | null) => Promise<RpcEnvelope<unknown>>

const ipcTransport: Transport = (operation, input, token) => window.qualdesk!.rpc[operation](input, token ?? undefined)

const httpTransport: Transport = async (operation, input, token) => {
  let res: Response
  try {
    res = await fetch(`./rpc/${operation}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(input ?? {})
    })
  } catch {
    return { ok: false, status: 0, error: { code: 'unavailable', message: '无法连接到 QualDesk 服务，请检查网络或服务是否已启动' } }
  }
  const body = (await res.json().catch(() => null)) as { data?: unknown; error?: ErrorBody } | null
  if (res.ok) return { ok: true, data: body?.data ?? null }
  return { ok: false, status: res.status, error: body?.error ?? { code: 'internal', message: `服务器错误（${res.status}）` } }
}

export const bridgeKind: 'ipc' | 'http' = typeof window !== 'undefined' && window.qualdesk ? 'ipc' : 'http'
const transport = bridgeKind === 'ipc' ? ipcTransport : httpTransport

const TOKEN_KEY = 'qualdesk.token'
let token: string | null = typeof sessionStorage !== 'undefined' ? sessionStorage.getItem(TOKEN_KEY) : null
let onSessionLost: (error: ApiError) => void = () => {}

export const session = {
  get token() {
    return token
  },
  set(next: string | null) {
    token = next
    if (next) sessionStorage.setItem(TOKEN_KEY, next)
    else sessionStorage.removeItem(TOKEN_KEY)
  },
  /** Called when the server says the session is gone (expired, revoked, account disabled). */
  onLost(handler: (error: ApiError) => void) {
    onSessionLost = handler
  }
}

async function call(operation: OperationName, input: unknown): Promise<unknown> {
  const result = await transport(operation, input ?? {}, token)
  if (result.ok) return result.data
  const error = new ApiError(result.error, result.status)
  if (result.status === 401 && operation !== 'auth.login') onSessionLost(error)
  throw error
}

function buildApi(): StaffApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {}
  for (const operation of OPERATIONS) {
    const [ns, method] = operation.split('.')
    ;(api[ns] ??= {})[method] = (input?: unknown) => call(operation, input)
  }
  return api as unknown as StaffApi
}

export const api = buildApi()
export { ApiError }
