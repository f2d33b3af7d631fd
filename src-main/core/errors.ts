import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../../src-preload/contract/errors'

/** A refusal the caller should see: a code, a Chinese message and the fields at fault. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly fields?: Record<string, string>
  readonly headers?: Record<string, string>
  constructor(code: ErrorCode, message: string, fields?: Record<string, string>, headers?: Record<string, string>) {
    super(message)
    this.code = code
    this.fields = fields
    this.headers = headers
  }
  get status(): number {
    return ERROR_STATUS[this.code]
  }
  toBody(): ErrorBody {
    return this.fields && Object.keys(this.fields).length
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message }
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what}不存在`)
