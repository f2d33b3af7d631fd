// Handlers of the 许可审批 desk.
import type { HandlerMap } from './handlers'
import type { PermitsOperationName } from '../../../src-preload/contract/permits'

export const permitHandlers: HandlerMap<PermitsOperationName> = {
  'permits.queue': (s, input) => s.permits.queue(input),
  'permits.detail': (s, input, call) => s.permits.detail(call.actor, input),
  'permits.attachment': (s, input, call) => s.permits.attachment(call.actor, input),
  'permits.approve': (s, input, call) => s.permits.approve(call.actor, input),
  'permits.reject': (s, input, call) => s.permits.reject(call.actor, input)
}
