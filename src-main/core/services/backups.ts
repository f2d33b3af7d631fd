// Backups (数据备份): the database through SQLite's online backup API (consistent while the app
// runs) and every attachment file it names, into a folder the administrator chooses, verified
// after writing (integrity check, file hashes, audit chain), listed with size and result, the
// last N kept. A backup is written as `<name>.partial` and renamed only once verified, so a
// half-written backup never looks like a good one.
import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { copyFile, link, mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { version as APP_VERSION } from '../../../package.json'
import type { BackupConfigView, BackupRunView } from '../../../src-preload/contract/data-safety'
import type { CoreContext, StaffActor } from '../context'
import { AppError } from '../errors'
import { storageFailure } from '../storage-errors'
import { backupRepository, type BackupRunRecord } from '../storage/repositories/backups'
import {
  attachmentPath,
  auditChainProblems,
  BACKUP_DB,
  BACKUP_FORMAT,
  hasTable,
  MANIFEST,
  readManifest,
  sha256File,
  verifyBackupFolder,
  type BackupManifest
} from './backups-verify'

const KEYS = { folder: 'backup.folder', keep: 'backup.keep', dailyEnabled: 'backup.dailyEnabled', dailyTime: 'backup.dailyTime' } as const
export const BACKUP_DEFAULTS = { keep: 14, dailyEnabled: true, dailyTime: '02:00' }
const NAME = /^qualdesk-backup-\d{8}-\d{6}-\d+$/

const pad = (n: number) => String(n).padStart(2, '0')
/** 20261125-020000 in Shanghai time */
function stamp(iso: string): string {
  return iso.slice(0, 19).replace(/[-:]/g, '').replace('T', '-')
}

export function dataDirOfDb(ctx: CoreContext): string {
  return dirname(ctx.db.name)
}

export function toRunView(r: BackupRunRecord): BackupRunView {
  const { staffId: _staffId, ...rest } = r
  return {
    ...rest,
    totalBytes: r.dbBytes == null ? null : r.dbBytes + (r.attachmentBytes ?? 0)
  }
}

/** The next daily run after `now` (both Shanghai ISO), given HH:MM. */
export function nextDailyRun(nowIso: string, dailyTime: string, lastOkDailyAt: string | null): string {
  const today = nowIso.slice(0, 10)
  const todayAt = `${today}T${dailyTime}:00+08:00`
  const ranToday = lastOkDailyAt != null && lastOkDailyAt >= todayAt
  if (!ranToday && nowIso < todayAt) return todayAt
  if (!ranToday) return nowIso // due now (missed while the app was off)
  const d = new Date(`${today}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${dailyTime}:00+08:00`
}

async function syncFile(file: string) {
  const fh = await open(file, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}

export function backupsService(ctx: CoreContext) {
  const repo = backupRepository(ctx.db)
  const dataDir = dataDirOfDb(ctx)
  const defaultFolder = join(dataDir, 'backups')
  let running: Promise<BackupRunRecord> | null = null
  // A new installation (no daily backup yet, settings never saved) waits for its first daily time
  // rather than backing up the moment it starts; after that a missed daily backup runs at start.
  const startedAt = ctx.now()

  function readConfig() {
    const all = ctx.repos.settings.all()
    const folder = all.get(KEYS.folder)
    return {
      folder: typeof folder === 'string' && folder ? folder : defaultFolder,
      keep: Number(all.get(KEYS.keep) ?? BACKUP_DEFAULTS.keep),
      dailyEnabled: (all.get(KEYS.dailyEnabled) ?? BACKUP_DEFAULTS.dailyEnabled) as boolean,
      dailyTime: String(all.get(KEYS.dailyTime) ?? BACKUP_DEFAULTS.dailyTime)
    }
  }

  /** When the daily backup last ran, or (new installation) the start that counts as its baseline. */
  function dailyBaseline(): string | null {
    const last = repo.lastOk('daily')?.startedAt
    if (last) return last
    return ctx.repos.settings.all().has(KEYS.folder) ? null : startedAt
  }

  function config(): BackupConfigView {
    const c = readConfig()
    const lastOk = repo.lastOk()
    return {
      ...c,
      defaultFolder,
      lastOkAt: lastOk?.finishedAt ?? null,
      nextDailyAt: c.dailyEnabled ? nextDailyRun(ctx.now(), c.dailyTime, dailyBaseline()) : null
    }
  }

  async function saveConfig(actor: StaffActor, input: { folder: string; keep: number; dailyEnabled: boolean; dailyTime: string }) {
    const folder = resolve(input.folder)
    if (!isAbsolute(input.folder)) throw new AppError('invalid_input', '备份文件夹须为完整路径', { folder: '须为完整路径' })
    if (folder === dataDir || folder.startsWith(join(dataDir, 'attachments'))) {
      throw new AppError('invalid_input', '备份文件夹不能是数据文件夹本身', { folder: '不能是数据文件夹本身' })
    }
    // The folder must be writable now, not at 2 a.m.
    try {
      await mkdir(folder, { recursive: true })
      const probe = join(folder, `.qualdesk-write-test-${process.pid}`)
      await writeFile(probe, 'ok')
      await rm(probe, { force: true })
    } catch (e) {
      const message = `无法写入备份文件夹：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`
      throw new AppError('invalid_input', message, { folder: message })
    }
    const before = readConfig()
    ctx.db.transaction(() => {
      const now = ctx.now()
      ctx.repos.settings.set(KEYS.folder, folder, now, actor.id)
      ctx.repos.settings.set(KEYS.keep, input.keep, now, actor.id)
      ctx.repos.settings.set(KEYS.dailyEnabled, input.dailyEnabled, now, actor.id)
      ctx.repos.settings.set(KEYS.dailyTime, input.dailyTime, now, actor.id)
      ctx.audit.byStaff(actor, 'backup.config_changed', { type: 'settings', id: 'backup' }, { before, after: { ...input, folder } })
    })()
    return config()
  }

  /** Copies (or hard-links from the previous backup: attachment files never change) one file. */
  async function placeAttachment(sha256: string, size: number, into: string, previous: string | null) {
    const dst = attachmentPath(into, sha256)
    await mkdir(dirname(dst), { recursive: true })
    if (previous) {
      const prev = attachmentPath(previous, sha256)
      try {
        if ((await stat(prev)).size === size) {
          await link(prev, dst)
          return
        }
      } catch {
        /* not there or no hard links on this share: copy */
      }
    }
    const src = attachmentPath(dataDir, sha256)
    await copyFile(src, dst)
  }

  async function write(runId: number, folder: string, startedAt: string): Promise<{ path: string; manifest: BackupManifest }> {
    await mkdir(folder, { recursive: true })
    const name = `qualdesk-backup-${stamp(startedAt)}-${runId}`
    const partial = join(folder, `${name}.partial`)
    await rm(partial, { recursive: true, force: true })
    await mkdir(partial, { recursive: true })
    const dbFile = join(partial, BACKUP_DB)

    // The online backup API: a consistent snapshot while the app keeps serving.
    await ctx.db.backup(dbFile)
    const snap = new Database(dbFile)
    let schemaVersion: number
    let files: { sha256: string; size: number }[]
    let auditHead: BackupManifest['auditHead']
    try {
      // A single self-contained file (no -wal beside it).
      snap.pragma('journal_mode = DELETE')
      schemaVersion = snap.pragma('user_version', { simple: true }) as number
      files = hasTable(snap, 'attachments')
        ? (snap.prepare('SELECT sha256, max(size) AS size FROM attachments GROUP BY sha256 ORDER BY sha256').all() as { sha256: string; size: number }[])
        : []
      const chain = await auditChainProblems(snap)
      auditHead = chain.head && chain.head.lastId > 0 ? { id: chain.head.lastId, hash: chain.head.lastHash } : null
    } finally {
      snap.close()
    }
    await syncFile(dbFile)

    const previous = repo.kept().find((r) => r.path && dirname(r.path) === folder && existsSync(r.path))?.path ?? null
    const missing: string[] = []
    for (const f of files) {
      try {
        await placeAttachment(f.sha256, f.size, partial, previous)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') missing.push(f.sha256)
        else throw e
      }
    }
    if (missing.length) {
      throw new AppError('conflict', `数据文件夹中缺少 ${missing.length} 个附件文件（如 ${missing[0].slice(0, 12)}…），请先运行数据完整性检查`)
    }

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: 1,
      createdAt: startedAt,
      appVersion: APP_VERSION,
      schemaVersion,
      db: { file: BACKUP_DB, size: (await stat(dbFile)).size, sha256: await sha256File(dbFile) },
      attachments: { count: files.length, bytes: files.reduce((n, f) => n + f.size, 0), files },
      auditHead
    }
    const manifestFile = join(partial, MANIFEST)
    await writeFile(manifestFile, JSON.stringify(manifest, null, 1))
    await syncFile(manifestFile)

    const verification = await verifyBackupFolder(partial)
    if (!verification.ok) {
      throw new AppError('internal', `备份校验未通过：${verification.problems.slice(0, 3).join('；')}`)
    }
    const path = join(folder, name)
    await rename(partial, path)
    return { path, manifest }
  }

  /** Removes the oldest good backups beyond `keep` (only folders that are QualDesk backups). */
  async function prune(keep: number, actor: StaffActor | null) {
    const kept = repo.kept()
    for (const r of kept.slice(keep)) {
      if (r.path && NAME.test(r.path.split(/[\\/]/).pop()!) && (await readManifest(r.path))) {
        await rm(r.path, { recursive: true, force: true })
      }
      ctx.db.transaction(() => {
        repo.markRemoved(r.id)
        const detail = { path: r.path, keep }
        if (actor) ctx.audit.byStaff(actor, 'backup.removed', { type: 'backup', id: r.id }, detail)
        else ctx.audit.record({ actorType: 'system', action: 'backup.removed', targetType: 'backup', targetId: r.id, detail })
      })()
    }
  }

  async function runOnce(trigger: 'manual' | 'daily', actor: StaffActor | null): Promise<BackupRunRecord> {
    const cfg = readConfig()
    const startedAt = ctx.now()
    const id = repo.start({ trigger, startedAt, folder: cfg.folder, staffId: actor?.id ?? null })
    let outcome: { path: string; manifest: BackupManifest } | null = null
    let message: string | null = null
    try {
      // A draft's replaced file can vanish between the snapshot and its copy: take a new snapshot.
      for (let attempt = 1; ; attempt++) {
        try {
          outcome = await write(id, cfg.folder, startedAt)
          break
        } catch (e) {
          if (!(e instanceof AppError && e.code === 'conflict') || attempt >= 3) throw e
        }
      }
    } catch (e) {
      const storage = storageFailure(e)
      message =
        e instanceof AppError
          ? e.message
          : storage
            ? `无法写入备份文件夹 ${cfg.folder}：${(e as NodeJS.ErrnoException).code === 'ENOSPC' ? '磁盘空间已满' : '只读或没有写入权限'}`
            : `备份失败：${(e as Error).message}`
      await rm(join(cfg.folder, `qualdesk-backup-${stamp(startedAt)}-${id}.partial`), { recursive: true, force: true }).catch(() => undefined)
    }
    const m = outcome?.manifest
    ctx.db.transaction(() => {
      repo.finish({
        id,
        finishedAt: ctx.now(),
        status: outcome ? 'ok' : 'failed',
        path: outcome?.path ?? null,
        schemaVersion: m?.schemaVersion ?? null,
        dbBytes: m?.db.size ?? null,
        attachmentCount: m?.attachments.count ?? null,
        attachmentBytes: m?.attachments.bytes ?? null,
        verified: outcome ? 'ok' : message?.startsWith('备份校验未通过') ? 'failed' : null,
        message: message ?? `已校验：数据库完整性、${m!.attachments.count} 个附件文件的哈希、审计日志哈希链`
      })
      const action = outcome ? 'backup.completed' : 'backup.failed'
      const detail = { trigger, path: outcome?.path, message }
      if (actor) ctx.audit.byStaff(actor, action, { type: 'backup', id }, detail)
      else ctx.audit.record({ actorType: 'system', action, targetType: 'backup', targetId: id, detail })
    })()
    if (outcome) await prune(cfg.keep, actor)
    return repo.byId(id)!
  }

  /** One backup at a time; a second request while one runs is refused. */
  function run(trigger: 'manual' | 'daily', actor: StaffActor | null = null): Promise<BackupRunRecord> {
    if (running) throw new AppError('conflict', '已有备份正在进行，请稍后再试')
    running = runOnce(trigger, actor).finally(() => {
      running = null
    })
    return running
  }

  return {
    config,
    saveConfig,
    run,
    async backupNow(actor: StaffActor) {
      return toRunView(await run('manual', actor))
    },
    list: (limit = 50) => repo.recent(limit).map(toRunView),
    byId: (id: number) => repo.byId(id),
    isRunning: () => running !== null,
    /** Is the daily backup due now? */
    dailyDue(): boolean {
      const c = readConfig()
      if (!c.dailyEnabled) return false
      return nextDailyRun(ctx.now(), c.dailyTime, dailyBaseline()) <= ctx.now()
    },
    async verify(id: number) {
      const r = repo.byId(id)
      if (!r) throw new AppError('not_found', '备份记录不存在')
      if (!r.path || r.removed || !existsSync(r.path)) return { ok: false, problems: ['备份文件夹已不存在（已按保留份数删除或被移走）'] }
      const v = await verifyBackupFolder(r.path)
      return { ok: v.ok, problems: v.problems }
    },
    /** After a crash: runs left 'running' are failed and their half-written folders removed. */
    async recoverInterrupted(): Promise<number> {
      const left = repo.interrupted()
      for (const r of left) {
        const dir = r.folder
        try {
          for (const f of await readdir(dir)) if (f.endsWith(`-${r.id}.partial`)) await rm(join(dir, f), { recursive: true, force: true })
        } catch {
          /* the share may be offline; the row is still marked */
        }
      }
      if (left.length) repo.failInterrupted(ctx.now(), '程序在备份过程中中断（断电或异常退出），此备份不完整，已删除')
      return left.length
    }
  }
}
export type BackupsService = ReturnType<typeof backupsService>
