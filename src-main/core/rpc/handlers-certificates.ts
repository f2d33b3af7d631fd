// Handlers of the 证件打印 desk and of the SMS outbox.
import type { HandlerMap } from './handlers'
import type { CertificatesOperationName } from '../../../src-preload/contract/certificates'
import type { NotificationsOperationName } from '../../../src-preload/contract/notifications'

export const certificateHandlers: HandlerMap<CertificatesOperationName> = {
  'certificates.queue': (s, input) => s.certificates.queue(input),
  'certificates.print': (s, input, call) => s.certificates.print(call.actor, input),
  'certificates.job': (s, input) => s.certificates.job(input),
  'certificates.jobPdf': (s, input, call) => s.certificates.jobPdf(call.actor, input),
  'certificates.printers': (s) => s.certificates.printers(),
  'certificates.sendToPrinter': (s, input, call) => s.certificates.sendToPrinter(call.actor, input),
  'certificates.reprint': (s, input, call) => s.certificates.reprint(call.actor, input),
  'certificates.spoil': (s, input, call) => s.certificates.spoil(call.actor, input),
  'certificates.voidBlanks': (s, input, call) => s.certificates.voidBlanks(call.actor, input),
  'certificates.handOver': (s, input, call) => s.certificates.handOver(call.actor, input),
  'certificates.search': (s, input) => s.certificates.search(input),
  'certificates.detail': (s, input, call) => s.certificates.detail(call.actor, input),
  'certificates.stock': (s) => s.certificates.stock(),
  'certificates.addStock': (s, input, call) => s.certificates.addStock(call.actor, input),
  'certificates.calibration': (s) => s.certificates.calibration(),
  'certificates.saveCalibration': (s, input, call) => s.certificates.saveCalibration(call.actor, input),
  'certificates.testPrint': (s, input) => s.certificates.testPrint(input)
}

export const notificationHandlers: HandlerMap<NotificationsOperationName> = {
  'notifications.outbox': (s, input) => s.notifications.outbox(input),
  'notifications.retry': (s, input, call) => s.notifications.retry(call.actor, input),
  'notifications.cancel': (s, input, call) => s.notifications.cancel(call.actor, input),
  'notifications.processNow': (s, _input, call) => s.notifications.processNow(call.actor),
  'notifications.templates': (s) => s.notifications.templates(),
  'notifications.saveTemplate': (s, input, call) => s.notifications.saveTemplate(call.actor, input)
}
