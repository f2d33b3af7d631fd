// The core of QualDesk under plain Node: no `electron` import anywhere below this file. The
// Electron shell, `serve`, the tests and the benchmarks all start here.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createContext, isSharedClock, type Clock, type CoreContext } from './context'
import { migrate, openDatabase } from './storage/database'
import { startWalCheckpointer, walCheckpointerOf } from './storage/wal-checkpointer'
import { lazySubmissionWriter, type LazySubmissionWriter } from './services/submission-writer'
import { staffAuthService } from './services/staff-auth'
import { staffAccountsService } from './services/staff-accounts'
import { auditLogService } from './services/audit-log'
import { queuesService } from './services/queues'
import { permitAndCertificateServices } from './services/certificates-services'
import { examServices } from './services/exam-services'
import { reportServices } from './services/dashboard-reports'
import { reviewDeskService } from './services/review-desk'
import { applicantServices } from './services/applicant-services'
import { trainingServices } from './services/training-services'
import { connectTrainingRegistry } from './services/training-certificates'
import { createDispatcher, type Dispatcher } from './rpc/dispatch'
import { dataSafetyServices } from './services/backups-services'
import { afterOpen, beforeOpen, markCleanShutdown } from './services/doctor-startup'
import type { StartupReport } from '../../src-preload/contract/data-safety'

export interface CoreOptions {
  dataDir: string
  /** Password for the first administrator; generated (and returned once) when absent. */
  adminPassword?: string
  clock?: Clock
  logError?: (e: unknown) => void
}

export interface Core {
  dataDir: string
  dbFile: string
  ctx: CoreContext
  services: Services
  dispatch: Dispatcher
  /** Set on the start that created the first administrator. */
  createdAdmin: { username: string; password: string | null } | null
  migrated: { from: number; to: number }
  /** What the start found (unclean shutdown, WAL replayed, leftovers removed): see doctor-startup.ts */
  startup: StartupReport
  /** The applicants' submissions' thread (null: they are written on this one). */
  submissionWriter: LazySubmissionWriter | null
  close(): void
}

function buildServices(ctx: CoreContext) {
  return {
    ctx,
    staffAuth: staffAuthService(ctx),
    staffAccounts: staffAccountsService(ctx),
    auditLog: auditLogService(ctx),
    queues: queuesService(ctx),
    ...permitAndCertificateServices(ctx),
    ...applicantServices(ctx),
    ...trainingServices(ctx),
    ...examServices(ctx),
    review: reviewDeskService(ctx),
    ...reportServices(ctx),
    ...dataSafetyServices(ctx)
  }
}
export type Services = ReturnType<typeof buildServices>

export async function createCore(options: CoreOptions): Promise<Core> {
  const dataDir = resolve(options.dataDir)
  mkdirSync(dataDir, { recursive: true })
  const dbFile = join(dataDir, 'qualdesk.db')
  const pre = beforeOpen(dataDir, dbFile)
  const db = openDatabase(dbFile)
  let migrated
  try {
    migrated = migrate(db)
  } catch (e) {
    db.close()
    markCleanShutdown(dataDir)
    throw e
  }
  const checkpointer = startWalCheckpointer(db)
  const ctx = createContext(db, options.clock ?? (() => new Date()))
  const services = buildServices(ctx)
  connectTrainingRegistry(services)
  // Applicants' submissions on a thread of their own (services/submission-writer.ts), except with
  // an injected clock that other threads cannot read, or an in-memory database (a second
  // connection would open another database).
  const clock = options.clock
  const sharedTime = clock && isSharedClock(clock) ? clock.sharedTime : undefined
  const writer =
    (clock && !sharedTime) || db.memory
      ? null
      : lazySubmissionWriter({
          dbFile,
          sharedTime,
          wantsReset: () => walCheckpointerOf(db).wantsReset(),
          changed: (id) => services.applications.forgetProgress(id),
          fallback: services.applications.submitHereJson,
          logError: options.logError ?? ((e) => console.error('提交线程未能启动，提交改在主线程进行：', e))
        })
  if (writer) services.applications.useSubmissionWriter(writer)
  let startup: StartupReport
  let createdAdmin: Core['createdAdmin']
  try {
    startup = await afterOpen(ctx, dataDir, pre, services.backups)
    services.startup.set(startup)
    createdAdmin = await services.staffAccounts.ensureAdministrator(options.adminPassword)
  } catch (e) {
    writer?.stop()
    checkpointer.stop()
    throw e
  }
  return {
    dataDir,
    dbFile,
    ctx,
    services,
    dispatch: createDispatcher(services, options.logError),
    createdAdmin,
    migrated,
    startup,
    submissionWriter: writer,
    close: () => {
      writer?.stop()
      checkpointer.stop()
      db.close()
      markCleanShutdown(dataDir)
    }
  }
}

/** Where the data lives: QUALDESK_DATA_DIR, else the shell's default (Electron's userData, or ./.qualdesk-data). */
export function resolveDataDir(fallback: string): string {
  return resolve(process.env.QUALDESK_DATA_DIR || fallback)
}
