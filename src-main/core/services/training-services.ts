// The freight training area's services (issue 7), built once per core: training schools, the
// 结业证 registry and its spreadsheet import. Spread into `services` by create-core.
import type { CoreContext } from '../context'
import type { ApplicationsService } from './applications'
import { schoolsService } from './schools'
import { trainingCertificatesService, type TrainingCertificatesService } from './training-certificates'
import { trainingImportService } from './training-import'

export function trainingServices(ctx: CoreContext) {
  const trainingCertificates = trainingCertificatesService(ctx)
  return {
    schools: schoolsService(ctx),
    trainingCertificates,
    trainingImport: trainingImportService(ctx, trainingCertificates)
  }
}

/**
 * Plugs the registry into the application form (issue 3's hooks): the rules read a record's
 * validity, and submission links the record to the application (one record, one application).
 */
export function connectTrainingRegistry(services: {
  applications: { useTrainingCertificateLookup: ApplicationsService['useTrainingCertificateLookup']; useTrainingCertificateLink: ApplicationsService['useTrainingCertificateLink'] }
  trainingCertificates: TrainingCertificatesService
}) {
  const registry = services.trainingCertificates
  services.applications.useTrainingCertificateLookup((id) => registry.lookupForRules(id))
  services.applications.useTrainingCertificateLink((applicationId, form) => registry.linkForSubmission(applicationId, form))
}
