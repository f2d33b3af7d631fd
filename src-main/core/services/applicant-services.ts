// The applicant API's services, built once per core: accounts (SMS, registration, tokens), the
// application form with its progress, and attachment files. Spread into `services` by create-core.
import type { CoreContext } from '../context'
import { applicantAccountsService } from './applicant-accounts'
import { applicationsService } from './applications'
import { applicationAttachmentsService } from './applications-attachments'

export function applicantServices(ctx: CoreContext) {
  const applications = applicationsService(ctx)
  return {
    applicantAccounts: applicantAccountsService(ctx),
    applications,
    applicationAttachments: applicationAttachmentsService(ctx, applications)
  }
}
