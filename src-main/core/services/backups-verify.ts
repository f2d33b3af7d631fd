// What makes a backup folder trustworthy, checked after every backup and before every restore:
// the manifest, the database file's hash, SQLite's integrity and foreign-key checks, the schema
// version, the audit log's hash chain and every attachment file's SHA-256.
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { describeChainProblem, verifyChain, type ChainCursor, type ChainedEntry } from '../domain/audit-chain'

export const BACKUP_FORMAT = 'qualdesk-backup'
export const MANIFEST = 'manifest.json'
export const BACKUP_DB = 'qualdesk.db'

export interface BackupManifest {
  format: typeof BACKUP_FORMAT
  formatVersion: 1
  createdAt: string
  appVersion: string
  /** the database's user_version (migration level) */
  schemaVersion: number
  db: { file: string; size: number; sha256: string }
  attachments: { count: number; bytes: number; files: { sha256: string; size: number }[] }
  /** the audit log's last entry when the backup was taken: a later truncation is detectable */
  auditHead: { id: number; hash: string } | null
}

/** Where an attachment's bytes live under a data (or backup) folder: attachments/ab/abcdef… */
export const attachmentPath = (root: string, sha256: string) => join(root, 'attachments', sha256.slice(0, 2), sha256)

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export function hasTable(db: Database.Database, name: string): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name)
}
export function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).some((c) => c.name === column)
}

/** PRAGMA integrity_check: [] when the file is sound, else SQLite's findings (at most 20). */
export function integrityProblems(db: Database.Database): string[] {
  const rows = db.pragma('integrity_check(20)') as { integrity_check: string }[]
  return rows.length === 1 && rows[0].integrity_check === 'ok' ? [] : rows.map((r) => r.integrity_check)
}

// PRAGMA integrity_check reads every page: about a second per 50 MB. Off the main thread it does
// not stall the API while a backup is verified or the doctor runs; where a worker cannot load
// better-sqlite3 (some packaged layouts) it runs here instead.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.modulePath)
const db = new Database(workerData.file, { readonly: true, fileMustExist: true })
try { parentPort.postMessage(db.pragma('integrity_check(20)')) } finally { db.close() }
`
function betterSqlitePath(): string | null {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3')
  } catch {
    return null
  }
}

/** integrity_check of a database file in a worker thread (same answer as integrityProblems). */
export async function integrityProblemsOffThread(file: string): Promise<string[]> {
  const modulePath = betterSqlitePath()
  if (modulePath) {
    try {
      const rows = await new Promise<{ integrity_check: string }[]>((resolve, reject) => {
        const w = new Worker(WORKER, { eval: true, workerData: { file, modulePath } })
        w.once('message', resolve)
        w.once('error', reject)
        w.once('exit', (code) => (code ? reject(new Error(`integrity worker exited with ${code}`)) : undefined))
      })
      return rows.length === 1 && rows[0].integrity_check === 'ok' ? [] : rows.map((r) => r.integrity_check)
    } catch {
      /* fall back to this thread */
    }
  }
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return integrityProblems(db)
  } finally {
    db.close()
  }
}

export function foreignKeyProblems(db: Database.Database): string[] {
  const rows = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
  return rows.slice(0, 20).map((r) => `${r.table} 第 ${r.rowid} 行引用的 ${r.parent} 记录不存在`).concat(rows.length > 20 ? [`……共 ${rows.length} 处`] : [])
}

/** Walks the whole audit chain in pages, letting the server answer requests between pages. */
export async function auditChainProblems(db: Database.Database): Promise<{ problems: string[]; count: number; head: ChainCursor | null; available: boolean }> {
  if (!hasTable(db, 'audit_log') || !hasColumn(db, 'audit_log', 'hash')) return { problems: [], count: 0, head: null, available: false }
  const page = db.prepare<[number], ChainedEntry>(
    `SELECT id, at, actor_type AS actorType, actor_id AS actorId, actor_name AS actorName, action, target_type AS targetType,
            target_id AS targetId, detail, ip, prev_hash AS prevHash, hash FROM audit_log WHERE id > ? ORDER BY id LIMIT 2000`
  )
  let cursor: ChainCursor | undefined
  const problems: string[] = []
  let count = 0
  let unsealed = 0
  for (;;) {
    const rows = page.all(cursor?.lastId ?? 0)
    if (!rows.length) break
    const r = verifyChain(rows, cursor)
    count += r.count
    for (const p of r.problems) {
      if (p.kind === 'unsealed') unsealed++
      else if (problems.length < 20) problems.push(describeChainProblem(p))
    }
    cursor = r.cursor
    await new Promise((resolve) => setImmediate(resolve))
  }
  if (unsealed) problems.push(`${unsealed} 条审计记录尚未封存（没有哈希）`)
  return { problems, count, head: cursor ?? null, available: true }
}

export interface FolderVerification {
  ok: boolean
  manifest: BackupManifest | null
  problems: string[]
  checked: { integrity: boolean; foreignKeys: boolean; dbHash: boolean; attachments: number; auditEntries: number }
}

export async function readManifest(folder: string): Promise<BackupManifest | null> {
  try {
    const m = JSON.parse(await readFile(join(folder, MANIFEST), 'utf8')) as BackupManifest
    return m && m.format === BACKUP_FORMAT ? m : null
  } catch {
    return null
  }
}

/** Verifies a backup folder completely; `problems` is empty when it can be trusted. */
export async function verifyBackupFolder(folder: string): Promise<FolderVerification> {
  const problems: string[] = []
  const checked = { integrity: false, foreignKeys: false, dbHash: false, attachments: 0, auditEntries: 0 }
  const manifest = await readManifest(folder)
  if (!manifest) {
    return { ok: false, manifest, problems: [`不是 QualDesk 备份：${folder} 中没有有效的 ${MANIFEST}`], checked }
  }
  const dbFile = join(folder, manifest.db.file || BACKUP_DB)
  if (!existsSync(dbFile)) return { ok: false, manifest, problems: ['备份中缺少数据库文件'], checked }
  const size = (await stat(dbFile)).size
  const sha = await sha256File(dbFile)
  if (size !== manifest.db.size || sha !== manifest.db.sha256) problems.push('数据库文件的哈希与备份清单不符（文件已损坏或被修改）')
  else checked.dbHash = true

  let db: Database.Database | undefined
  try {
    const integrity = await integrityProblemsOffThread(dbFile)
    db = new Database(dbFile, { readonly: true, fileMustExist: true })
    if (integrity.length) problems.push(`数据库完整性检查未通过：${integrity.slice(0, 3).join('；')}`)
    else checked.integrity = true
    const fk = foreignKeyProblems(db)
    if (fk.length) problems.push(`外键检查未通过：${fk.slice(0, 3).join('；')}`)
    else checked.foreignKeys = true
    const version = db.pragma('user_version', { simple: true }) as number
    if (version !== manifest.schemaVersion) problems.push(`数据库版本 (${version}) 与备份清单 (${manifest.schemaVersion}) 不符`)
    const chain = await auditChainProblems(db)
    checked.auditEntries = chain.count
    for (const p of chain.problems) problems.push(`审计日志：${p}`)
  } catch (e) {
    problems.push(`数据库文件无法打开或已损坏：${(e as Error).message}`)
  } finally {
    db?.close()
  }

  let bad = 0
  for (const f of manifest.attachments.files) {
    const file = attachmentPath(folder, f.sha256)
    let ok = false
    try {
      ok = (await stat(file)).size === f.size && (await sha256File(file)) === f.sha256
    } catch {
      ok = false
    }
    if (ok) checked.attachments++
    else if (++bad <= 10) problems.push(`附件文件 ${f.sha256.slice(0, 12)}… 缺失或哈希不符`)
  }
  if (bad > 10) problems.push(`……共 ${bad} 个附件文件缺失或哈希不符`)
  return { ok: problems.length === 0, manifest, problems, checked }
}
