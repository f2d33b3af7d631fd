// `npm run doctor` and `npm run restore -- PATH`: the doctor's and the restore's console faces.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { DoctorReport } from '../../../src-preload/contract/data-safety'
import { AppError } from '../errors'
import { openDatabase } from '../storage/database'
import { runDoctor } from './doctor'
import { restoreBackup } from './restore'

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const dataDirFrom = (args: string[]) => resolve(option(args, 'data-dir') ?? (process.env.QUALDESK_DATA_DIR || './.qualdesk-data'))

const MARK = { ok: '✔ 正常', warning: '⚠ 注意', error: '✘ 问题' } as const

export function printDoctorReport(r: DoctorReport, out: (line: string) => void = console.log) {
  out(`QualDesk 数据完整性检查  ${r.checkedAt}`)
  out(`数据文件夹：${r.dataDir}`)
  for (const c of r.checks) {
    out(`  ${MARK[c.status]}  ${c.label}：${c.summary}`)
    for (const d of c.details.slice(0, 20)) out(`        - ${d}`)
  }
  out(r.ok ? `结论：未发现问题（用时 ${r.durationMs} ms）` : '结论：发现问题，请处理上面标为“问题”的项目（可从最近的备份恢复：npm run restore -- 备份文件夹 --to 新文件夹）')
}

/** Exit code: 0 all good, 1 problems found, 2 cannot check. */
export async function doctorCommand(args: string[]): Promise<number> {
  const dataDir = dataDirFrom(args)
  const dbFile = join(dataDir, 'qualdesk.db')
  if (!existsSync(dbFile)) {
    console.error(`数据文件夹 ${dataDir} 中没有 qualdesk.db（用 --data-dir 或 QUALDESK_DATA_DIR 指定数据文件夹）`)
    return 2
  }
  // No migration here: the doctor looks at the folder as it is (an app may be running on it).
  const db = openDatabase(dbFile)
  try {
    const report = await runDoctor(db, dataDir)
    printDoctorReport(report)
    if (args.includes('--json')) console.log(JSON.stringify(report))
    return report.ok ? 0 : 1
  } finally {
    db.close()
  }
}

export async function restoreCommand(args: string[]): Promise<number> {
  const path = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--to')
  if (!path) {
    console.error('用法：npm run restore -- 备份文件夹 [--to 新的数据文件夹]')
    return 2
  }
  const target = resolve(option(args, 'to') ?? (process.env.QUALDESK_DATA_DIR || './.qualdesk-data'))
  console.log(`从备份恢复：${resolve(path)}`)
  console.log(`恢复到：${target}`)
  try {
    const r = await restoreBackup(path, target, { by: 'npm run restore' })
    console.log(`已恢复：备份时间 ${r.backupCreatedAt}，${r.applications} 份申请，${r.attachments} 个附件，${r.auditEntries} 条审计记录`)
    if (r.migratedFrom !== r.migratedTo) console.log(`数据库已从版本 ${r.migratedFrom} 升级到 ${r.migratedTo}`)
    printDoctorReport(r.doctor)
    console.log(r.startHint)
    return r.doctor.ok ? 0 : 1
  } catch (e) {
    if (e instanceof AppError) {
      console.error(`拒绝恢复：${e.message}`)
      if (e.fields?.targetDir) console.error('用 --to 指定一个新的空文件夹，例如：npm run restore -- 备份文件夹 --to /srv/qualdesk-restored')
      return 2
    }
    throw e
  }
}
