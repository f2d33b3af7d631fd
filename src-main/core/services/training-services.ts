// The freight training area's services (issue 7), built once per core: training schools, the
// 结业证 registry and its spreadsheet import. Spread into `services` by create-core.
import type { CoreContext } from '../context'
import { schoolsService } from './schools'
import { trainingCertificatesService } from './training-certificates'
import { trainingImportService } from './training-import'

export function trainingServices(ctx: CoreContext) {
  const trainingCertificates = trainingCertificatesService(ctx)
  return {
    schools: schoolsService(ctx),
    trainingCertificates,
    trainingImport: trainingImportService(ctx, trainingCertificates)
  }
}
