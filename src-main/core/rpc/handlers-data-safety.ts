// Data safety's operations (issue 9): backups, restore, the doctor, the start-up findings.
import type { DataSafetyOperationName } from '../../../src-preload/contract/data-safety'
import type { HandlerMap } from './handlers'

export const dataSafetyHandlers: HandlerMap<DataSafetyOperationName> = {
  'dataSafety.backupConfig': (s) => s.backups.config(),
  'dataSafety.saveBackupConfig': (s, input, call) => s.backups.saveConfig(call.actor, input),
  'dataSafety.backups': (s, input) => s.backups.list(input.limit),
  'dataSafety.backupNow': (s, _input, call) => s.backups.backupNow(call.actor),
  'dataSafety.verifyBackup': (s, input) => s.backups.verify(input.id),
  'dataSafety.restore': (s, input, call) => s.restore.run(call.actor, input),
  'dataSafety.doctor': (s, _input, call) => s.doctor.run(call.actor),
  'dataSafety.startupReport': (s) => s.startup.report()
}
