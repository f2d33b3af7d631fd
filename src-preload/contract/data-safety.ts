// Data safety (issue 9): backups, restore into a fresh data folder, the doctor's checks and what
// the app found at its last start. Administrators only.
import { z } from 'zod'

export interface BackupConfigView {
  /** the folder backups go to (a network share in practice) */
  folder: string
  /** used while no folder is set: <data folder>/backups */
  defaultFolder: string
  keep: number
  dailyEnabled: boolean
  /** HH:MM Asia/Shanghai */
  dailyTime: string
  lastOkAt: string | null
  nextDailyAt: string | null
}

export interface BackupRunView {
  id: number
  trigger: 'manual' | 'daily'
  startedAt: string
  finishedAt: string | null
  status: 'running' | 'ok' | 'failed'
  folder: string
  path: string | null
  schemaVersion: number | null
  dbBytes: number | null
  attachmentCount: number | null
  attachmentBytes: number | null
  totalBytes: number | null
  verified: 'ok' | 'failed' | null
  message: string | null
  /** removed by the keep-last-N rule */
  removed: boolean
  staffName: string | null
}

export interface DoctorCheck {
  key: 'schema' | 'integrity' | 'foreign_keys' | 'attachments' | 'audit_chain' | 'backups'
  label: string
  status: 'ok' | 'warning' | 'error'
  summary: string
  details: string[]
}

export interface DoctorReport {
  ok: boolean
  checkedAt: string
  dataDir: string
  durationMs: number
  checks: DoctorCheck[]
}

export interface RestoreResult {
  targetDir: string
  backupPath: string
  backupCreatedAt: string
  migratedFrom: number
  migratedTo: number
  applications: number
  attachments: number
  auditEntries: number
  doctor: DoctorReport
  /** how to start QualDesk on the restored folder */
  startHint: string
}

export interface StartupReport {
  at: string
  /** the previous run did not shut down cleanly (power cut, kill -9, crash) */
  uncleanShutdown: boolean
  /** bytes in the write-ahead log found at start (committed work SQLite replays) */
  walBytes: number
  quickCheck: 'ok' | 'failed' | 'skipped'
  removedTempFiles: number
  removedOrphanFiles: number
  interruptedBackups: number
  sealedAuditEntries: number
  messages: string[]
}

const absolutePath = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `请填写${label}`)
    .max(1000, `${label}过长`)
    .refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p), `${label}须为完整路径（如 /mnt/backup 或 \\\\server\\share）`)

const nothing = z.object({}).strict()
const ADMIN = ['admin'] as const
const def =
  <O>() =>
  <S extends z.ZodType>(input: S) =>
    ({ input, access: ADMIN }) as { input: S; access: typeof ADMIN; output?: { type: O } }

export const dataSafetyContract = {
  'dataSafety.backupConfig': def<BackupConfigView>()(nothing),
  'dataSafety.saveBackupConfig': def<BackupConfigView>()(
    z
      .object({
        folder: absolutePath('备份文件夹'),
        keep: z.number({ error: '保留份数须为整数' }).int('保留份数须为整数').min(1, '至少保留 1 份').max(365, '最多保留 365 份'),
        dailyEnabled: z.boolean(),
        dailyTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '每日备份时间格式应为 HH:MM')
      })
      .strict()
  ),
  'dataSafety.backups': def<BackupRunView[]>()(z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict()),
  'dataSafety.backupNow': def<BackupRunView>()(nothing),
  'dataSafety.verifyBackup': def<{ ok: boolean; problems: string[] }>()(z.object({ id: z.number().int().positive() }).strict()),
  'dataSafety.restore': def<RestoreResult>()(
    z
      .object({
        backupId: z.number().int().positive().optional(),
        backupPath: absolutePath('备份文件夹').optional(),
        targetDir: absolutePath('恢复到的数据文件夹')
      })
      .strict()
      .refine((v) => v.backupId !== undefined || v.backupPath !== undefined, { message: '请选择一份备份', path: ['backupId'] })
  ),
  'dataSafety.doctor': def<DoctorReport>()(nothing),
  'dataSafety.startupReport': def<StartupReport | null>()(nothing)
}
export type DataSafetyOperationName = keyof typeof dataSafetyContract
