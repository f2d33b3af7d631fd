// The supervisors' Excel exports as jobs: started by an operation, written in the background from
// a read-only connection of their own (one consistent snapshot, the office keeps working), with
// their progress polled, handed only to the staff member who made them, audited (who exported
// which personal data, and every download), and deleted from disk after a day.
import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import {
  EXPORT_KIND_LABELS,
  type ExportJobView,
  type ExportKind,
  type ExportRequest
} from '../../../src-preload/contract/reports'
import { CATEGORY_LABELS, APPLICATION_TYPE_LABELS, STAGES, STAGE_LABELS, type Category, type ApplicationType, type Stage } from '../../../src-preload/contract/vocab'
import type { CoreContext, StaffActor } from '../context'
import { writeXlsx, type XlsxSheet } from '../documents/xlsx-export'
import { addDays } from '../domain/deadlines'
import { toShanghaiIso } from '../domain/time'
import { AppError, notFound } from '../errors'
import { reportsRepository, type ExportJobRow } from '../storage/repositories/reports'
import { reportsExportRepository } from '../storage/repositories/reports-exports'
import {
  applicationColumns,
  auditColumns,
  certificateColumns,
  examResultColumns,
  feeColumns,
  FEES_DAILY_COLUMNS,
  sheet,
  type PersonalData
} from './exports-sheets'

/** A finished export's file is deleted this long after it was made. */
export const EXPORT_KEEP_HOURS = 24
/** Exports running at once, in the whole office (each holds a connection and writes a file). */
export const MAX_RUNNING_EXPORTS = 3
const MAX_RANGE_DAYS = 366

const startOf = (date: string) => `${date}T00:00:00+08:00`

/** The personal data each export carries, as the audit log names it. */
function personalFields(req: ExportRequest): string[] {
  const p = 'personalData' in req ? req.personalData : 'full'
  const id = p === 'full' ? '身份证号（完整）' : '身份证号（脱敏）'
  switch (req.kind) {
    case 'applications':
      return ['姓名', id, p === 'full' ? '联系电话（完整）' : '联系电话（脱敏）', '出生日期', '现住地址']
    case 'certificates':
      return ['姓名', id, '出生日期', p === 'full' ? '住址（完整）' : '住址（脱敏）']
    case 'exam_results':
      return ['姓名', id, '考试成绩']
    case 'fees':
      return ['姓名', id, '缴费记录']
    case 'audit':
      return ['操作人姓名', 'IP地址', '操作详情']
  }
}

function summaryOf(kind: ExportKind, f: Record<string, unknown>, sessionLabel?: string): string {
  const parts: string[] = []
  if (typeof f.from === 'string') parts.push(`${f.from} 至 ${f.to}`)
  if (kind === 'exam_results') parts.push(sessionLabel ?? `场次 ${f.sessionId}`)
  if (f.category) parts.push(CATEGORY_LABELS[f.category as Category] ?? String(f.category))
  if (f.applicationType) parts.push(APPLICATION_TYPE_LABELS[f.applicationType as ApplicationType] ?? String(f.applicationType))
  if (f.stage) parts.push(STAGE_LABELS[f.stage as Stage] ?? String(f.stage))
  if (f.trainingSchoolId != null) parts.push(f.trainingSchoolId === 0 ? '自主学习' : `培训学校 ${f.trainingSchoolId}`)
  if (f.action) parts.push(`操作 ${f.action}`)
  if (f.personalData === 'masked') parts.push('个人信息脱敏')
  return parts.join('，')
}

function checkRange(req: { from: string; to: string }) {
  if (req.from > req.to) throw new AppError('invalid_input', '开始日期不能晚于结束日期', { to: '结束日期早于开始日期' })
  if (addDays(req.from, MAX_RANGE_DAYS) <= req.to) {
    throw new AppError('invalid_input', `日期范围不能超过${MAX_RANGE_DAYS}天，请分段导出`, { to: `超过${MAX_RANGE_DAYS}天` })
  }
}

interface Running {
  done: number
  total: number
  promise: Promise<void>
}

export function exportsService(ctx: CoreContext, staffAuth: { authenticate(token: string | undefined, ip?: string): StaffActor }) {
  const repo = reportsRepository(ctx.db)
  const dataDir = dirname(ctx.db.name)
  const exportDir = join(dataDir, 'exports')
  const running = new Map<number, Running>()

  // A job left 'running' by a process that stopped will never finish: say so, and drop its file.
  repo.failStale('导出被中断（程序已重启），请重新导出', ctx.now())

  function view(row: ExportJobRow): ExportJobView {
    const live = running.get(row.id)
    const filters = JSON.parse(row.filters) as Record<string, unknown>
    const total = live ? live.total : row.total_rows
    const done = live ? live.done : row.done_rows
    const percent = row.status === 'done' ? 100 : total ? Math.min(99, Math.floor((done / total) * 100)) : 0
    return {
      id: row.id,
      kind: row.kind as ExportKind,
      kindLabel: EXPORT_KIND_LABELS[row.kind as ExportKind] ?? row.kind,
      summary: String(filters.summary ?? ''),
      status: row.status,
      totalRows: total,
      doneRows: done,
      percent,
      fileName: row.file_name,
      size: row.size,
      error: row.error,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      downloads: row.downloads
    }
  }

  /** Deletes the files of exports older than EXPORT_KEEP_HOURS. */
  function purgeExpired() {
    const before = toShanghaiIso(new Date(ctx.clock().getTime() - EXPORT_KEEP_HOURS * 3600_000))
    for (const job of repo.expiring(before)) {
      if (job.file_path) rmSync(job.file_path, { force: true })
      repo.expire(job.id)
    }
  }

  function ownJob(actor: StaffActor, id: number): ExportJobRow {
    const job = repo.job(id)
    // Another supervisor's export is not even said to exist: it holds personal data.
    if (!job || job.created_by !== actor.id) throw notFound('该导出任务')
    return job
  }

  /** The sheets of an export, read from `db` (the job's own read-only connection). */
  function sheetsOf(db: Database.Database, req: ExportRequest): { sheets: XlsxSheet[]; total: number; fileName: string; sessionLabel?: string } {
    const x = reportsExportRepository(db)
    const p: PersonalData = 'personalData' in req ? req.personalData : 'full'
    const range = 'from' in req ? { fromAt: startOf(req.from), toAt: startOf(addDays(req.to, 1)) } : null
    switch (req.kind) {
      case 'applications': {
        const src = x.applications({
          ...range!,
          category: req.category ?? null,
          applicationType: req.applicationType ?? null,
          stage: req.stage ?? null,
          trainingSchoolId: req.trainingSchoolId ?? null
        })
        const total = src.count()
        return { sheets: [sheet('申请台账', applicationColumns(p), src.rows())], total, fileName: `申请台账_${req.from}_${req.to}.xlsx` }
      }
      case 'certificates': {
        const src = x.certificates({ from: req.from, to: req.to })
        const total = src.count()
        return { sheets: [sheet('发证台账', certificateColumns(p), src.rows())], total, fileName: `发证台账_${req.from}_${req.to}.xlsx` }
      }
      case 'exam_results': {
        const s = x.session(req.sessionId)
        if (!s) throw notFound('该考试场次')
        const src = x.examResults({ sessionId: req.sessionId })
        const total = src.count()
        return {
          sheets: [sheet('考试成绩', examResultColumns(p), src.rows())],
          total,
          fileName: `考试成绩_${s.exam_date}_${s.venue}_场次${s.id}.xlsx`,
          sessionLabel: `${s.exam_date} ${s.venue}（场次 ${s.id}）`
        }
      }
      case 'fees': {
        const daily = x.feesDaily(range!)
        const detail = x.fees(range!)
        // The small summary sheet first, then the details; each is written and closed in turn.
        const total = daily.count() + detail.count()
        return {
          sheets: [sheet('每日汇总', FEES_DAILY_COLUMNS, lazyRows(() => daily.rows())), sheet('收退款明细', feeColumns(p), lazyRows(() => detail.rows()))],
          total,
          fileName: `考试费收退款_${req.from}_${req.to}.xlsx`
        }
      }
      case 'audit': {
        const src = x.audit({ ...range!, action: req.action || null })
        const total = src.count()
        return { sheets: [sheet('审计日志', auditColumns(), src.rows())], total, fileName: `审计日志_${req.from}_${req.to}.xlsx` }
      }
    }
  }

  async function run(jobId: number, actor: StaffActor, req: ExportRequest, state: Running, filters: Record<string, unknown>) {
    mkdirSync(exportDir, { recursive: true })
    const filePath = join(exportDir, `${jobId}-${randomBytes(8).toString('hex')}.xlsx`)
    const partPath = `${filePath}.part`
    const db = new Database(ctx.db.name, { readonly: true, fileMustExist: true })
    let fileName: string | null = null
    try {
      db.pragma('busy_timeout = 5000')
      // One read transaction for the count and every row: the file agrees with its own row count.
      db.prepare('BEGIN').run()
      const plan = sheetsOf(db, req)
      fileName = plan.fileName
      state.total = plan.total
      let before = 0
      let current = ''
      await writeXlsx(partPath, plan.sheets, {
        creator: actor.displayName,
        onProgress: (p) => {
          if (p.sheet !== current) {
            before = state.done
            current = p.sheet
          }
          state.done = before + p.rows
        }
      })
      db.prepare('COMMIT').run()
      renameSync(partPath, filePath)
      const size = statSync(filePath).size
      ctx.db.transaction(() => {
        repo.finishJob({ id: jobId, status: 'done', totalRows: state.total, doneRows: state.done, fileName, filePath, size, error: null, finishedAt: ctx.now() })
        ctx.audit.byStaff(actor, 'report.exported', { type: 'export', id: jobId }, {
          kind: req.kind,
          report: EXPORT_KIND_LABELS[req.kind],
          filters: { ...filters, summary: undefined },
          rows: state.done,
          personalData: personalFields(req),
          fileName
        })
      })()
    } catch (e) {
      rmSync(partPath, { force: true })
      rmSync(filePath, { force: true })
      const message = e instanceof AppError ? e.message : '导出失败：写入文件时出错，请稍后重试'
      if (!(e instanceof AppError)) console.error(e)
      ctx.db.transaction(() => {
        repo.finishJob({ id: jobId, status: 'failed', totalRows: state.total, doneRows: state.done, fileName, filePath: null, size: null, error: message, finishedAt: ctx.now() })
        ctx.audit.byStaff(actor, 'report.export_failed', { type: 'export', id: jobId }, { kind: req.kind, error: message })
      })()
    } finally {
      try {
        if (db.inTransaction) db.exec('ROLLBACK')
      } catch {
        // an iterator left open by a failed write: closing the connection ends it
      }
      db.close()
      running.delete(jobId)
    }
  }

  function start(actor: StaffActor, req: ExportRequest): ExportJobView {
    if ('from' in req) checkRange(req)
    if (req.kind === 'applications' && req.stage && !(STAGES as readonly string[]).includes(req.stage)) {
      throw new AppError('invalid_input', '申请状态无效', { stage: '没有这个状态' })
    }
    purgeExpired()
    if (running.size >= MAX_RUNNING_EXPORTS) {
      throw new AppError('conflict', `已有${running.size}个导出正在进行，请稍候再试`)
    }
    let sessionLabel: string | undefined
    if (req.kind === 'exam_results') {
      const s = reportsRepository(ctx.db).session(req.sessionId)
      if (!s) throw new AppError('not_found', '该考试场次不存在', { sessionId: '场次不存在' })
      sessionLabel = `${s.exam_date} ${s.venue}（场次 ${s.id}）`
    }
    const filters: Record<string, unknown> = { ...req }
    delete filters.kind
    filters.summary = summaryOf(req.kind, filters, sessionLabel)
    const id = repo.insertJob({ kind: req.kind, filters, createdBy: actor.id, createdByName: actor.displayName, createdAt: ctx.now() })
    const state: Running = { done: 0, total: 0, promise: Promise.resolve() }
    running.set(id, state)
    // Runs after this call has answered: the first progress poll already finds the job.
    state.promise = new Promise<void>((resolve) => setImmediate(resolve)).then(() => run(id, actor, req, state, filters))
    return view(repo.job(id)!)
  }

  return {
    start,
    status(actor: StaffActor, id: number): ExportJobView {
      return view(ownJob(actor, id))
    },
    list(actor: StaffActor): ExportJobView[] {
      purgeExpired()
      return repo.jobsOf(actor.id).map(view)
    },
    /** Resolves when the job has finished (tests, benchmarks). */
    async waitFor(id: number): Promise<void> {
      await running.get(id)?.promise
    },
    /**
     * The file of a finished export, for the download route (browser) or the save dialog
     * (Electron): the staff session is checked here, and every download is audited.
     */
    openDownload(token: string | undefined, id: number, ip?: string): { path: string; fileName: string; size: number } {
      const actor = staffAuth.authenticate(token, ip)
      if (!actor.roles.includes('supervisor')) {
        ctx.audit.byStaff(actor, 'access.denied', { type: 'export', id })
        throw new AppError('forbidden', '无权下载导出文件（需要审批员角色）')
      }
      const job = ownJob(actor, id)
      if (job.status === 'running') throw new AppError('conflict', '导出尚未完成，请稍候')
      if (job.status === 'expired') throw new AppError('not_found', `导出文件已超过${EXPORT_KEEP_HOURS}小时被删除，请重新导出`)
      if (job.status !== 'done' || !job.file_path || !existsSync(job.file_path)) throw new AppError('not_found', '导出文件不存在，请重新导出')
      ctx.db.transaction(() => {
        repo.countDownload(id)
        ctx.audit.byStaff({ ...actor, ip: ip ?? actor.ip }, 'report.downloaded', { type: 'export', id }, { fileName: job.file_name, rows: job.done_rows })
      })()
      return { path: job.file_path, fileName: job.file_name!, size: job.size ?? statSync(job.file_path).size }
    }
  }
}
export type ExportsService = ReturnType<typeof exportsService>

/** An iterable that opens its iterator only when read (the second sheet's statement starts after the first is done). */
function lazyRows(open: () => Iterable<unknown[]>): Iterable<unknown[]> {
  return { [Symbol.iterator]: () => open()[Symbol.iterator]() }
}
