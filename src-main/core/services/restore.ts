// Restore (从备份恢复): a verified backup into a fresh data folder, never over the data in use.
// Refuses a damaged backup (hash mismatch, integrity check) and one made by a newer QualDesk
// (user_version above this build's migrations), with a message that says which and why. An older
// backup is migrated forward. The database file is renamed into place last, so an interrupted
// restore leaves a folder QualDesk will not mistake for restored data (and it is removed).
import { existsSync, statSync } from 'node:fs'
import { copyFile, mkdir, open, readdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import type { RestoreResult } from '../../../src-preload/contract/data-safety'
import { AppError } from '../errors'
import { toShanghaiIso } from '../domain/time'
import { MIGRATIONS, migrate, openDatabase, type Migration } from '../storage/database'
import { auditRepository } from '../storage/repositories/audit'
import { attachmentPath, BACKUP_DB, hasTable, readManifest, sha256File, verifyBackupFolder } from './backups-verify'
import { runDoctor } from './doctor'

/** A refusal to restore: the message says why, in Chinese. */
export class RestoreRefused extends AppError {
  constructor(message: string, field = 'backupPath') {
    super('rule_violation', message, { [field]: message })
  }
}

/** The backup folder, whether given as the folder, its manifest.json or its qualdesk.db. */
export function backupFolderOf(path: string): string {
  const p = resolve(path)
  if (existsSync(p) && statSync(p).isFile()) return dirname(p)
  return p
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return true
  if (!statSync(dir).isDirectory()) return false
  return (await readdir(dir)).length === 0
}

export interface RestoreOptions {
  /** the data folder in use: never a restore target */
  currentDataDir?: string
  migrations?: Migration[]
  now?: Date
  /** who asked, recorded in the restored folder's audit log */
  by?: string
}

export async function restoreBackup(backupPath: string, targetDir: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const migrations = options.migrations ?? MIGRATIONS
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0
  const folder = backupFolderOf(backupPath)
  const target = resolve(targetDir)

  if (!existsSync(folder)) throw new RestoreRefused(`找不到备份：${folder}`)
  const manifest = await readManifest(folder)
  if (!manifest) throw new RestoreRefused(`这不是 QualDesk 备份（${folder} 中没有有效的 manifest.json），拒绝恢复`)
  if (manifest.schemaVersion > latest) {
    throw new RestoreRefused(
      `此备份由更新版本的 QualDesk 生成（数据库版本 ${manifest.schemaVersion}，本程序最高支持 ${latest}），拒绝恢复。请使用 ${manifest.appVersion} 或更新版本的 QualDesk 恢复。`
    )
  }
  if (options.currentDataDir && resolve(options.currentDataDir) === target) {
    throw new RestoreRefused('不能恢复到正在使用的数据文件夹：请选择一个新的空文件夹', 'targetDir')
  }
  const inside = (a: string, b: string) => {
    const r = relative(b, a)
    return r === '' || (!r.startsWith('..') && !isAbsolute(r))
  }
  if (inside(target, folder) || inside(folder, target)) {
    throw new RestoreRefused('恢复目标不能在备份文件夹之内（或包含备份文件夹）', 'targetDir')
  }
  if (!(await isEmptyOrMissing(target))) {
    throw new RestoreRefused(`目标文件夹 ${target} 不是空的：恢复只写入新的空文件夹，不会覆盖已有数据`, 'targetDir')
  }

  const verification = await verifyBackupFolder(folder)
  if (!verification.ok) {
    throw new RestoreRefused(`备份已损坏，拒绝恢复：${verification.problems.slice(0, 3).join('；')}${verification.problems.length > 3 ? ' 等' : ''}`)
  }

  const createdTarget = !existsSync(target)
  await mkdir(target, { recursive: true })
  const dbFile = join(target, BACKUP_DB)
  const staging = join(target, `${BACKUP_DB}.restoring`)
  try {
    await copyFile(join(folder, manifest.db.file), staging)
    if ((await sha256File(staging)) !== manifest.db.sha256) throw new Error('复制后的数据库文件哈希不符')
    for (const f of manifest.attachments.files) {
      const dst = attachmentPath(target, f.sha256)
      await mkdir(dirname(dst), { recursive: true })
      await copyFile(attachmentPath(folder, f.sha256), dst)
      if ((await sha256File(dst)) !== f.sha256) throw new Error(`复制后的附件 ${f.sha256.slice(0, 12)}… 哈希不符`)
    }
    const fh = await open(staging, 'r')
    await fh.sync()
    await fh.close()
    await rename(staging, dbFile)
  } catch (e) {
    // Nothing half-restored stays behind.
    if (createdTarget) await rm(target, { recursive: true, force: true })
    else for (const f of await readdir(target).catch(() => [] as string[])) await rm(join(target, f), { recursive: true, force: true })
    throw new AppError('internal', `恢复未完成，目标文件夹已清理：${(e as Error).message}`)
  }

  const now = options.now ?? new Date()
  const db = openDatabase(dbFile)
  try {
    const migrated = migrate(db, migrations)
    const audit = hasTable(db, 'audit_log') ? auditRepository(db) : null
    if (audit && migrated.to >= 7) {
      audit.sealUnchained()
      audit.append({
        at: toShanghaiIso(now),
        actorType: 'system',
        actorName: options.by ?? null,
        action: 'backup.restored',
        targetType: 'backup',
        targetId: basename(folder),
        detail: { from: folder, backupCreatedAt: manifest.createdAt, migratedFrom: migrated.from, migratedTo: migrated.to }
      })
    }
    const count = (table: string) => (hasTable(db, table) ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0)
    const doctor = await runDoctor(db, target, now)
    return {
      targetDir: target,
      backupPath: folder,
      backupCreatedAt: manifest.createdAt,
      migratedFrom: migrated.from,
      migratedTo: migrated.to,
      applications: count('applications'),
      attachments: count('attachments'),
      auditEntries: count('audit_log'),
      doctor,
      startHint: `要使用恢复的数据，请关闭 QualDesk 后以 QUALDESK_DATA_DIR=${target} 启动（或把该文件夹设为数据文件夹）。`
    }
  } finally {
    db.close()
  }
}
