// The doctor (数据完整性检查): checks a data folder the way an auditor would. The database
// (PRAGMA integrity_check, foreign keys, schema version), that every attachment row has its file
// with the right SHA-256, and that the audit log is complete: its hash chain is unbroken and still
// contains the last entry the latest backup saw (so even a cut-off tail is noticed).
// Used by `npm run doctor`, the administrator's screen and the restore.
import { existsSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { DoctorCheck, DoctorReport } from '../../../src-preload/contract/data-safety'
import type { CoreContext, StaffActor } from '../context'
import { MIGRATIONS, type Db } from '../storage/database'
import { toShanghaiIso } from '../domain/time'
import { attachmentPath, auditChainProblems, foreignKeyProblems, hasTable, integrityProblems, integrityProblemsOffThread, readManifest, sha256File } from './backups-verify'
import { dataDirOfDb } from './backups'

const LABELS: Record<DoctorCheck['key'], string> = {
  schema: '数据库版本',
  integrity: '数据库完整性（integrity_check）',
  foreign_keys: '外键关联',
  attachments: '附件文件与哈希',
  audit_chain: '审计日志哈希链',
  backups: '最近一次备份'
}

function check(key: DoctorCheck['key'], status: DoctorCheck['status'], summary: string, details: string[] = []): DoctorCheck {
  return { key, label: LABELS[key], status, summary, details }
}

/** Files under attachments/ that no row names (interrupted uploads), and temp leftovers. */
async function attachmentFilesOnDisk(dataDir: string): Promise<{ sha: Set<string>; temp: string[] }> {
  const root = join(dataDir, 'attachments')
  const sha = new Set<string>()
  const temp: string[] = []
  if (!existsSync(root)) return { sha, temp }
  for (const d of await readdir(root, { withFileTypes: true })) {
    if (!d.isDirectory()) continue
    const sub = join(root, d.name)
    for (const f of await readdir(sub)) {
      if (/^[0-9a-f]{64}$/.test(f) && f.startsWith(d.name)) sha.add(f)
      else temp.push(join(d.name, f))
    }
  }
  return { sha, temp }
}

export async function runDoctor(db: Db, dataDir: string, now: Date = new Date()): Promise<DoctorReport> {
  const started = Date.now()
  const checks: DoctorCheck[] = []

  const version = db.pragma('user_version', { simple: true }) as number
  const latest = MIGRATIONS.length ? MIGRATIONS[MIGRATIONS.length - 1].version : 0
  checks.push(
    version === latest
      ? check('schema', 'ok', `版本 ${version}（最新）`)
      : version < latest
        ? check('schema', 'warning', `版本 ${version}，本程序为 ${latest}：启动 QualDesk 时会自动升级`)
        : check('schema', 'error', `版本 ${version} 高于本程序支持的 ${latest}：请使用更新版本的 QualDesk`)
  )

  const integrity = db.memory ? integrityProblems(db) : await integrityProblemsOffThread(db.name)
  checks.push(integrity.length ? check('integrity', 'error', '数据库文件有损坏', integrity) : check('integrity', 'ok', '通过'))

  const fk = foreignKeyProblems(db)
  checks.push(fk.length ? check('foreign_keys', 'error', `${fk.length} 处关联记录缺失`, fk) : check('foreign_keys', 'ok', '通过'))

  // Attachments: every row's file present with its hash; files nobody names are reported.
  if (hasTable(db, 'attachments')) {
    const rows = db.prepare('SELECT sha256, max(size) AS size, count(*) AS n, min(id) AS id FROM attachments GROUP BY sha256').all() as {
      sha256: string
      size: number
      n: number
      id: number
    }[]
    const problems: string[] = []
    let bad = 0
    for (const r of rows) {
      const file = attachmentPath(dataDir, r.sha256)
      let why: string | null = null
      try {
        const s = await stat(file)
        if (s.size !== r.size) why = `大小不符（应为 ${r.size} 字节，实为 ${s.size}）`
        else if ((await sha256File(file)) !== r.sha256) why = '内容与哈希不符（文件被修改或损坏）'
      } catch {
        why = '文件缺失'
      }
      if (why && ++bad <= 20) problems.push(`附件 #${r.id}（${r.sha256.slice(0, 12)}…）：${why}`)
    }
    const disk = await attachmentFilesOnDisk(dataDir)
    const named = new Set(rows.map((r) => r.sha256))
    const orphans = [...disk.sha].filter((s) => !named.has(s))
    const warnings = [
      ...(orphans.length ? [`${orphans.length} 个文件没有任何附件记录引用（中断的上传留下的）：下次启动时清理`] : []),
      ...(disk.temp.length ? [`${disk.temp.length} 个临时文件（中断的上传留下的）：下次启动时清理`] : [])
    ]
    checks.push(
      bad
        ? check('attachments', 'error', `${rows.length} 个附件文件中 ${bad} 个缺失或哈希不符`, [...problems, ...warnings])
        : warnings.length
          ? check('attachments', 'warning', `${rows.length} 个附件文件完好；有未引用的文件`, warnings)
          : check('attachments', 'ok', `${rows.length} 个附件文件完好，哈希一致`)
    )
  } else {
    checks.push(check('attachments', 'ok', '此版本的数据库没有附件表'))
  }

  // The audit chain, and its head as of the latest good backup.
  const chain = await auditChainProblems(db)
  if (!chain.available) checks.push(check('audit_chain', 'warning', '数据库版本早于审计哈希链：启动 QualDesk 升级后生效'))
  else {
    const problems = [...chain.problems]
    const serious = problems.filter((p) => !p.includes('尚未封存'))
    let lastBackup: { path: string; finishedAt: string | null } | undefined
    if (hasTable(db, 'backup_runs')) {
      lastBackup = db
        .prepare("SELECT path, finished_at AS finishedAt FROM backup_runs WHERE status = 'ok' AND removed = 0 ORDER BY id DESC LIMIT 1")
        .get() as typeof lastBackup
    }
    const manifest = lastBackup?.path ? await readManifest(lastBackup.path) : null
    if (manifest?.auditHead) {
      const row = db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(manifest.auditHead.id) as { hash: string | null } | undefined
      if (!row) serious.push(`最近一次备份（${manifest.createdAt}）时的审计记录 #${manifest.auditHead.id} 已不存在（日志末尾被删除）`)
      else if (row.hash !== manifest.auditHead.hash) serious.push(`审计记录 #${manifest.auditHead.id} 与最近一次备份时的哈希不符`)
    }
    checks.push(
      serious.length
        ? check('audit_chain', 'error', `${chain.count} 条审计记录，发现被删除或修改的记录`, serious)
        : problems.length
          ? check('audit_chain', 'warning', `${chain.count} 条审计记录，链完整；有未封存的记录`, problems)
          : check('audit_chain', 'ok', `${chain.count} 条审计记录，哈希链完整${manifest?.auditHead ? '，与最近一次备份一致' : ''}`)
    )
  }

  // Backups: when was the last good one?
  if (hasTable(db, 'backup_runs')) {
    const last = db.prepare("SELECT finished_at AS at, path FROM backup_runs WHERE status = 'ok' ORDER BY id DESC LIMIT 1").get() as
      | { at: string; path: string }
      | undefined
    const failed = db.prepare("SELECT count(*) AS n FROM backup_runs WHERE status = 'failed' AND id > coalesce((SELECT max(id) FROM backup_runs WHERE status = 'ok'), 0)").get() as { n: number }
    const ageHours = last ? (now.getTime() - new Date(last.at).getTime()) / 3_600_000 : Infinity
    checks.push(
      !last
        ? check('backups', 'warning', '还没有成功的备份：请在“数据安全”中设置备份文件夹并立即备份')
        : ageHours > 36
          ? check('backups', 'warning', `最近一次成功备份在 ${last.at.replace('T', ' ').slice(0, 16)}，已超过 36 小时`, failed.n ? [`此后 ${failed.n} 次备份失败`] : [])
          : check('backups', 'ok', `最近一次成功备份：${last.at.replace('T', ' ').slice(0, 16)}`, [last.path])
    )
  }

  return {
    ok: checks.every((c) => c.status !== 'error'),
    checkedAt: toShanghaiIso(now),
    dataDir,
    durationMs: Date.now() - started,
    checks
  }
}

export function doctorService(ctx: CoreContext) {
  let last: DoctorReport | null = null
  return {
    async run(actor: StaffActor | null): Promise<DoctorReport> {
      const report = await runDoctor(ctx.db, dataDirOfDb(ctx), ctx.clock())
      last = report
      const detail = { ok: report.ok, problems: report.checks.filter((c) => c.status !== 'ok').map((c) => `${c.label}：${c.summary}`) }
      if (actor) ctx.audit.byStaff(actor, 'doctor.run', undefined, detail)
      else ctx.audit.record({ actorType: 'system', action: 'doctor.run', detail })
      return report
    },
    last: () => last
  }
}
