// What the app finds when it starts (启动检查): did the last run end cleanly? If not (power cut,
// kill -9), SQLite replays its write-ahead log on open (committed work only), a quick check runs,
// and the files an interrupted upload or import left behind (temp files, attachment files no row
// names) are removed. The findings are printed by `serve`, shown to the administrator and audited.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { StartupReport } from '../../../src-preload/contract/data-safety'
import type { CoreContext } from '../context'
import { hasTable } from './backups-verify'
import type { BackupsService } from './backups'

const MARKER = 'qualdesk.running'

export interface PreOpenFindings {
  uncleanShutdown: boolean
  walBytes: number
  /** another live process holds this data folder: no clean-up of its files */
  otherProcess: number | null
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Before the database is opened: reads (and then writes) the running marker, sizes the WAL. */
export function beforeOpen(dataDir: string, dbFile: string): PreOpenFindings {
  const marker = join(dataDir, MARKER)
  let uncleanShutdown = false
  let otherProcess: number | null = null
  if (existsSync(marker)) {
    const pid = Number(/^pid=(\d+)/m.exec(readFileSync(marker, 'utf8'))?.[1])
    if (pid && pid !== process.pid && alive(pid)) otherProcess = pid
    else uncleanShutdown = true
  }
  const wal = `${dbFile}-wal`
  const walBytes = existsSync(wal) ? statSync(wal).size : 0
  if (!otherProcess) writeFileSync(marker, `pid=${process.pid}\nstarted=${new Date().toISOString()}\n`)
  return { uncleanShutdown, walBytes, otherProcess }
}

/** A clean stop: the next start needs no recovery. */
export function markCleanShutdown(dataDir: string) {
  const marker = join(dataDir, MARKER)
  try {
    const pid = Number(/^pid=(\d+)/m.exec(readFileSync(marker, 'utf8'))?.[1])
    if (pid === process.pid) rmSync(marker, { force: true })
  } catch {
    /* already gone */
  }
}

async function removeAll(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0
  let n = 0
  for (const f of await readdir(dir)) {
    await rm(join(dir, f), { recursive: true, force: true })
    n++
  }
  return n
}

/**
 * Temp files other writers leave when killed mid-write (an export's `….xlsx.part`, a print job's
 * `….pdf.tmp`): anywhere in the data folder but the attachment store and the backups.
 */
async function removePartFiles(dir: string, depth = 0): Promise<number> {
  if (depth > 3 || !existsSync(dir)) return 0
  let n = 0
  for (const d of await readdir(dir, { withFileTypes: true })) {
    if (depth === 0 && (d.name === 'attachments' || d.name === 'backups')) continue
    const p = join(dir, d.name)
    if (d.isDirectory()) n += await removePartFiles(p, depth + 1)
    else if (/\.(part|tmp)$/.test(d.name)) {
      await rm(p, { force: true })
      n++
    }
  }
  return n
}

/** Attachment files (attachments/ab/<sha>) that no row names. */
async function removeOrphanAttachments(ctx: CoreContext, dataDir: string): Promise<number> {
  const root = join(dataDir, 'attachments')
  if (!existsSync(root) || !hasTable(ctx.db, 'attachments')) return 0
  const named = ctx.db.prepare('SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1')
  let n = 0
  for (const d of await readdir(root, { withFileTypes: true })) {
    if (!d.isDirectory() || !/^[0-9a-f]{2}$/.test(d.name)) continue
    for (const f of await readdir(join(root, d.name))) {
      if (/^[0-9a-f]{64}$/.test(f) && named.get(f)) continue
      await rm(join(root, d.name, f), { force: true })
      n++
    }
  }
  return n
}

export async function afterOpen(ctx: CoreContext, dataDir: string, pre: PreOpenFindings, backups: BackupsService): Promise<StartupReport> {
  const messages: string[] = []
  const report: StartupReport = {
    at: ctx.now(),
    uncleanShutdown: pre.uncleanShutdown,
    walBytes: pre.walBytes,
    quickCheck: 'skipped',
    removedTempFiles: 0,
    removedOrphanFiles: 0,
    interruptedBackups: 0,
    sealedAuditEntries: 0,
    messages
  }
  if (pre.otherProcess) {
    messages.push(`另一个 QualDesk 进程（pid ${pre.otherProcess}）可能正在使用此数据文件夹：未做启动清理。请勿让两个程序同时使用同一数据文件夹。`)
    return report
  }
  if (pre.uncleanShutdown) {
    messages.push('上次运行未正常退出（断电、强制结束或崩溃）。')
    if (pre.walBytes > 0) messages.push(`预写日志（WAL）中有 ${Math.ceil(pre.walBytes / 1024)} KB 数据：已提交的操作已由 SQLite 恢复，未提交的已丢弃。`)
    const rows = ctx.db.pragma('quick_check(5)') as { quick_check: string }[]
    report.quickCheck = rows.length === 1 && rows[0].quick_check === 'ok' ? 'ok' : 'failed'
    messages.push(
      report.quickCheck === 'ok'
        ? '数据库快速检查通过。'
        : `数据库快速检查发现问题：${rows.map((r) => r.quick_check).join('；')}。请立即运行 npm run doctor 并联系管理员。`
    )
    report.removedOrphanFiles = await removeOrphanAttachments(ctx, dataDir)
  }
  // Temp files of uploads and imports: nothing is in flight before the server starts.
  report.removedTempFiles =
    (await removeAll(join(dataDir, 'attachments', 'tmp'))) + (await removeAll(join(dataDir, 'tmp'))) + (await removePartFiles(dataDir))
  if (report.removedTempFiles) messages.push(`已清理 ${report.removedTempFiles} 个中断的上传或导入留下的临时文件。`)
  if (report.removedOrphanFiles) messages.push(`已清理 ${report.removedOrphanFiles} 个没有记录引用的附件文件（上传未完成时中断）。`)
  report.interruptedBackups = await backups.recoverInterrupted()
  if (report.interruptedBackups) messages.push(`${report.interruptedBackups} 次备份在进行中被中断，已标记为失败并删除不完整的备份文件夹。`)
  report.sealedAuditEntries = ctx.repos.audit.unsealedCount() ? ctx.repos.audit.sealUnchained() : 0
  if (report.sealedAuditEntries) messages.push(`已为 ${report.sealedAuditEntries} 条旧审计记录建立哈希链。`)

  if (pre.uncleanShutdown || report.removedTempFiles || report.interruptedBackups) {
    ctx.audit.record({ actorType: 'system', action: 'system.recovered', detail: { ...report, messages } })
  }
  return report
}
