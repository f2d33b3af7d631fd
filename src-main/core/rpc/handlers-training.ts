// Training schools and the 结业证 registry: the bridge from the contract to the services.
import type { HandlerMap } from './handlers'
import { TRAINING_OPERATIONS } from '../../../src-preload/contract/training'

type TrainingOperation = (typeof TRAINING_OPERATIONS)[number]

export const trainingHandlers: HandlerMap<TrainingOperation> = {
  'schools.list': (s) => s.schools.list(),
  'schools.save': (s, input, call) => s.schools.save(call.actor, input),
  'training.list': (s, input) => s.trainingCertificates.list(input),
  'training.detail': (s, input, call) => s.trainingCertificates.detail(call.actor, input.id),
  'training.create': (s, input, call) => s.trainingCertificates.create(call.actor, input),
  'training.revoke': (s, input, call) => s.trainingCertificates.revoke(call.actor, input),
  'training.importPreview': (s, input, call) => s.trainingImport.preview(call.actor, input),
  'training.importCommit': (s, input, call) => s.trainingImport.commit(call.actor, input.batchId),
  'training.importDiscard': (s, input, call) => {
    s.trainingImport.discard(call.actor, input.batchId)
    return null
  },
  'training.batches': (s) => s.trainingImport.batches(),
  'training.template': async (s) => ({
    fileName: '结业证导入模板.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    data: (await s.trainingImport.template()).toString('base64')
  })
}
