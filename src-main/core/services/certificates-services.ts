// The services of issue 6, built together because they share the SMS outbox: the notifier is
// kicked after each permit decision, print and handover so that the applicant hears at once.
import type { CoreContext } from '../context'
import { notificationsService } from './notifications'
import { permitsService } from './permits'
import { certificatesService } from './certificates'

export function permitAndCertificateServices(ctx: CoreContext) {
  const notifications = notificationsService(ctx)
  return {
    notifications,
    permits: permitsService(ctx, notifications),
    certificates: certificatesService(ctx, notifications)
  }
}
