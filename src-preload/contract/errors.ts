// The one error shape of both bridges and of the applicant API.
export interface ErrorBody {
  code: string
  message: string
  /** keyed by the input field (or attachment kind) that is wrong or missing */
  fields?: Record<string, string>
}

export const ERROR_STATUS = {
  invalid_input: 400,
  unauthenticated: 401,
  session_expired: 401,
  bad_credentials: 401,
  account_locked: 401,
  account_disabled: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_type: 415,
  rule_violation: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  storage_full: 507
} as const
export type ErrorCode = keyof typeof ERROR_STATUS

/** What the renderer's `api` throws, whichever bridge carried the call. */
export class ApiError extends Error {
  readonly code: string
  readonly fields: Record<string, string>
  readonly status: number
  constructor(body: ErrorBody, status?: number) {
    super(body.message)
    this.name = 'ApiError'
    this.code = body.code
    this.fields = body.fields ?? {}
    this.status = status ?? ERROR_STATUS[body.code as ErrorCode] ?? 500
  }
}

/** What an IPC call resolves to: errors travel as data, since Electron strips thrown errors. */
export type RpcEnvelope<T> = { ok: true; data: T } | { ok: false; status: number; error: ErrorBody }
