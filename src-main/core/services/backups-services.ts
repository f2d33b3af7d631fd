// Data safety's services (issue 9), registered in create-core's buildServices.
import type { RestoreResult, StartupReport } from '../../../src-preload/contract/data-safety'
import type { CoreContext, StaffActor } from '../context'
import { backupsService, dataDirOfDb } from './backups'
import { doctorService } from './doctor'
import { restoreBackup, RestoreRefused } from './restore'

export function dataSafetyServices(ctx: CoreContext) {
  const backups = backupsService(ctx)
  const dataDir = dataDirOfDb(ctx)
  let startupReport: StartupReport | null = null
  return {
    backups,
    doctor: doctorService(ctx),
    restore: {
      /** From the administrator's screen: into a fresh folder, recorded in both audit logs. */
      async run(actor: StaffActor, input: { backupId?: number; backupPath?: string; targetDir: string }): Promise<RestoreResult> {
        let path = input.backupPath
        if (input.backupId !== undefined) {
          const run = backups.byId(input.backupId)
          if (!run?.path || run.status !== 'ok' || run.removed) {
            throw new RestoreRefused('这份备份不可用（失败或已按保留份数删除）', 'backupId')
          }
          path = run.path
        }
        try {
          const result = await restoreBackup(path!, input.targetDir, { currentDataDir: dataDir, now: ctx.clock(), by: actor.displayName })
          ctx.audit.byStaff(actor, 'backup.restored', { type: 'backup', id: path! }, { targetDir: result.targetDir, doctorOk: result.doctor.ok })
          return result
        } catch (e) {
          ctx.audit.byStaff(actor, 'backup.restore_refused', { type: 'backup', id: path! }, { targetDir: input.targetDir, message: (e as Error).message })
          throw e
        }
      }
    },
    startup: {
      report: () => startupReport,
      set: (r: StartupReport) => {
        startupReport = r
      }
    }
  }
}
