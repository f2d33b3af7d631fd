// The review desk's operations: each hands its parsed input and the signed-in clerk to the service.
import type { ReviewOperationName } from '../../../src-preload/contract/review'
import type { HandlerMap } from './handlers'

export const reviewHandlers: HandlerMap<ReviewOperationName> = {
  'review.queue': (s, input, call) => s.review.queue.page(call.actor, input),
  'review.stats': (s, input, call) => s.review.queue.stats(call.actor, input),
  'review.claimNext': (s, input, call) => s.review.queue.claimNext(call.actor, input),
  'review.claim': (s, input, call) => s.review.queue.claim(call.actor, input),
  'review.touch': (s, input, call) => s.review.queue.touch(call.actor, input),
  'review.release': (s, input, call) => s.review.queue.release(call.actor, input),
  'review.locks': (s, input, call) => s.review.queue.locks(call.actor, input),
  'review.detail': (s, input, call) => s.review.decisions.detail(call.actor, input),
  'review.revealPersonal': (s, input, call) => s.review.decisions.revealPersonal(call.actor, input),
  'review.attachment': (s, input, call) => s.review.decisions.attachment(call.actor, input),
  'review.pass': (s, input, call) => s.review.decisions.pass(call.actor, input),
  'review.return': (s, input, call) => s.review.decisions.return(call.actor, input),
  'review.filterOptions': (s) => ({ schools: s.review.kit.repo.schools() }),
  'review.counterCreate': (s, input, call) => s.review.counter.create(call.actor, input),
  'review.counterSave': (s, input, call) => s.review.counter.save(call.actor, input),
  'review.counterUpload': (s, input, call) => s.review.counter.upload(call.actor, input),
  'review.counterSubmit': (s, input, call) => s.review.counter.submit(call.actor, input),
  'review.settings': (s) => s.review.config.settings(),
  'review.saveSettings': (s, input, call) => s.review.config.saveSettings(call.actor, input),
  'review.reasons': (s, input, call) => s.review.config.reasons(call.actor, input),
  'review.saveReason': (s, input, call) => s.review.config.saveReason(call.actor, input),
  'review.holidays': (s, input, call) => s.review.config.holidays(call.actor, input),
  'review.saveHoliday': (s, input, call) => s.review.config.saveHoliday(call.actor, input),
  'review.deleteHoliday': (s, input, call) => s.review.config.deleteHoliday(call.actor, input)
}
