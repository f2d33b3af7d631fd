// One handler per staff operation: the bridge between the contract and the services.
import type { IsPublic, OperationName, OpOutput, OpParsed } from '../../../src-preload/contract'
import type { StaffActor } from '../context'
import type { Services } from '../create-core'
import { reviewHandlers } from './handlers-review'
import { permitHandlers } from './handlers-permits'
import { certificateHandlers, notificationHandlers } from './handlers-certificates'
import { reportsHandlers } from './handlers-reports'
import { trainingHandlers } from './handlers-training'
import { dataSafetyHandlers } from './handlers-data-safety'
import { examHandlers } from './handlers-exams'

export interface CallContext {
  /** null only for public operations */
  actor: StaffActor | null
  token?: string
  ip?: string
}

type Handler<K extends OperationName> = (
  s: Services,
  input: OpParsed<K>,
  call: CallContext & { actor: IsPublic<K> extends true ? null : StaffActor }
) => OpOutput<K> | Promise<OpOutput<K>>

/** The handlers of some operations; each area's file exports one and `handlers` joins them. */
export type HandlerMap<K extends OperationName> = { [P in K]: Handler<P> }

const coreHandlers: HandlerMap<
  | 'auth.login'
  | 'auth.logout'
  | 'auth.me'
  | 'auth.changePassword'
  | 'staff.list'
  | 'staff.create'
  | 'staff.update'
  | 'staff.resetPassword'
  | 'staff.unlock'
  | 'audit.list'
  | 'queues.counts'
> = {
  'auth.login': (s, input, call) => s.staffAuth.login(input, call.ip),
  'auth.logout': (s, _input, call) => {
    s.staffAuth.logout(call.actor, call.token!)
    return null
  },
  'auth.me': (s, _input, call) => s.staffAuth.current(call.actor),
  'auth.changePassword': async (s, input, call) => {
    await s.staffAuth.changePassword(call.actor, input)
    return null
  },
  'staff.list': (s, input) => s.staffAccounts.list(input),
  'staff.create': (s, input, call) => s.staffAccounts.create(call.actor, input),
  'staff.update': (s, input, call) => s.staffAccounts.update(call.actor, input),
  'staff.resetPassword': (s, input, call) => s.staffAccounts.resetPassword(call.actor, input),
  'staff.unlock': (s, input, call) => s.staffAccounts.unlock(call.actor, input),
  'audit.list': (s, input) => s.auditLog.list(input),
  'queues.counts': (s) => s.queues.counts()
}

// Every operation must have exactly one handler: this fails to compile when one is missing.
export const handlers: HandlerMap<OperationName> = {
  ...coreHandlers,
  ...permitHandlers, ...certificateHandlers, ...notificationHandlers,
  ...trainingHandlers,
  ...dataSafetyHandlers,
  ...reviewHandlers,
  ...reportsHandlers,
  ...examHandlers
}
