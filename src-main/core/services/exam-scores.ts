// Score import (成绩导入) in two steps: preview (read the file once, check every row, keep the
// result) and commit (apply every valid row in one transaction). Importing the same file twice
// changes nothing the second time: a score already recorded for that booking and subject is
// reported as unchanged.
import { createHash, randomBytes } from 'node:crypto'
import ExcelJS from 'exceljs'
import type { CoreContext, StaffActor } from '../context'
import { AppError, notFound } from '../errors'
import { isXlsx } from '../documents/xlsx-read'
import { readFirstSheet } from './exam-xlsx'
import { checkRows, parseScoreSheet, TEMPLATE_HEADER, type BookingMatch, type CheckedRow, type Lookups, type ParsedRow, type RawCell, type RowError } from '../domain/score-import'
import { SUBJECT_LABELS, emptyLedger, type AttemptOutcome, type Subject } from '../domain/attempts'
import { maskIdNumber } from '../domain/masking'
import { examRepos, feeSchedule, sendNotices, type ExamNotice } from './exam-common'
import { transition } from '../domain/workflow'
import { standings } from '../domain/attempts'
import { applyCredit, dueItems, totalFen, yuan } from '../domain/fees'

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024

export interface PreviewRow {
  row: number
  idNumberMasked: string
  name: string
  status: 'ok' | 'unchanged' | 'error'
  /** e.g. 理论 85 / 实操 缺考 */
  summary: string
  errors: RowError[]
}

export interface ImportPreview {
  batchId: number | null
  fileName: string
  fileErrors: string[]
  total: number
  ok: number
  unchanged: number
  errors: number
  /** this very file was committed before (the commit will change nothing that was applied then) */
  committedBefore: string | null
  rows: PreviewRow[]
  readMs: number
  checkMs: number
}

export interface CommitResult {
  batchId: number
  applied: number
  scores: number
  unchanged: number
  skipped: number
  passedBoth: number
}

// The .xlsx reader is shared with the 结业证 import (issue 7): documents/xlsx-read.ts.
export { plainCell, readSheet } from '../documents/xlsx-read'

const scoreText = (s: { subject: Subject; score: number | null }) => `${SUBJECT_LABELS[s.subject]} ${s.score ?? '缺考'}`

export function examScoresService(ctx: CoreContext) {
  const { exams } = examRepos(ctx)
  const uploads = new Map<string, { fileName: string; chunks: Buffer[]; size: number; by: number; at: number }>()
  /**
   * The check a preview made, kept for its commit: when nothing the check depends on has changed
   * since (same fingerprint), the commit applies it as it is; otherwise (or after a restart) the
   * commit checks the stored rows again. Used once; the last few previews only.
   */
  const checkedAtPreview = new Map<number, { fp: string; checked: CheckedRow[]; look: ReturnType<typeof lookupsFor> }>()

  /** Everything the rows need from the records, read in a few bulk statements (not one per row). */
  function lookupsFor(rows: readonly ParsedRow[]): Lookups & {
    bookingCovers: Map<number, { covers: Set<Subject>; recorded: Set<Subject> }>
    app(applicationId: number): { stage: string | undefined; passed: ReadonlySet<Subject> }
  } {
    const candidates = new Map<string, { id: number; name: string }>()
    const stageOf = new Map<number, string>()
    for (const c of exams.candidatesOf([...new Set(rows.map((r) => r.idNumber))])) {
      candidates.set(c.idNumber, c)
      stageOf.set(c.id, c.stage)
    }
    const passed = new Map<number, Set<Subject>>()
    for (const p of exams.passedOf([...stageOf.keys()])) (passed.get(p.applicationId) ?? passed.set(p.applicationId, new Set()).get(p.applicationId)!).add(p.subject)
    const dates = [...new Set(rows.map((r) => r.examDate))]
    const recorded = new Map<number, Partial<Record<Subject, { score: number | null }>>>()
    for (const a of exams.attemptsOnDates(dates)) (recorded.get(a.bookingId) ?? recorded.set(a.bookingId, {}).get(a.bookingId)!)[a.subject] = { score: a.score }
    const byAppDate = new Map<string, BookingMatch[]>()
    const bookingCovers = new Map<number, { covers: Set<Subject>; recorded: Set<Subject> }>()
    for (const b of exams.bookingsOnDates(dates)) {
      const covers = new Set<Subject>([...(b.theory ? (['theory'] as const) : []), ...(b.practical ? (['practical'] as const) : [])])
      const rec = recorded.get(b.id) ?? {}
      const key = `${b.applicationId}|${b.examDate}`
      ;(byAppDate.get(key) ?? byAppDate.set(key, []).get(key)!).push({ bookingId: b.id, sessionId: b.sessionId, sessionName: b.sessionName, examDate: b.examDate, covers, status: b.status, recorded: rec })
      bookingCovers.set(b.id, { covers, recorded: new Set(Object.keys(rec) as Subject[]) })
    }
    const none = new Set<Subject>()
    return {
      candidate(idNumber) {
        const a = candidates.get(idNumber)
        return a ? { applicationId: a.id, name: a.name, passed: passed.get(a.id) ?? none } : null
      },
      bookings: (applicationId, examDate) => byAppDate.get(`${applicationId}|${examDate}`) ?? [],
      bookingCovers,
      /** the stage and the subjects passed before this import */
      app: (applicationId: number) => ({ stage: stageOf.get(applicationId), passed: passed.get(applicationId) ?? none })
    }
  }

  function previewRows(parsed: ParsedRow[], errors: RowError[], checked: CheckedRow[]): PreviewRow[] {
    const out: PreviewRow[] = []
    const byRow = new Map<number, RowError[]>()
    for (const e of errors) (byRow.get(e.row) ?? byRow.set(e.row, []).get(e.row)!).push(e)
    for (const [row, errs] of byRow) out.push({ row, idNumberMasked: '', name: '', status: 'error', summary: '', errors: errs })
    const parsedByRow = new Map(parsed.map((p) => [p.row, p]))
    for (const c of checked) {
      const p = parsedByRow.get(c.row)!
      out.push({ row: c.row, idNumberMasked: maskIdNumber(c.idNumber), name: c.name, status: c.status, summary: p.scores.map(scoreText).join(' / '), errors: c.errors })
    }
    return out.sort((a, b) => a.row - b.row)
  }

  async function preview(actor: StaffActor, fileName: string, buffer: Buffer): Promise<ImportPreview> {
    if (buffer.length > MAX_IMPORT_BYTES) throw new AppError('too_large', `文件过大（上限 ${MAX_IMPORT_BYTES / 1024 / 1024} MB）`)
    if (!isXlsx(buffer)) throw new AppError('unsupported_type', '请上传 Excel 工作簿（.xlsx）。旧版 .xls 或 CSV 请先用 Excel/WPS/LibreOffice 另存为 .xlsx', { file: '不是 .xlsx 文件' })
    const t0 = performance.now()
    let sheet: RawCell[][]
    try {
      // Not exceljs's streaming reader: it garbles Chinese split across chunks (see exam-xlsx.ts).
      sheet = readFirstSheet(buffer)
    } catch {
      throw new AppError('invalid_input', '无法读取该文件：文件已损坏或不是有效的 .xlsx 工作簿', { file: '无法读取' })
    }
    const t1 = performance.now()
    const parsed = parseScoreSheet(sheet)
    const sha256 = createHash('sha256').update(buffer).digest('hex')
    if (parsed.fileErrors.length) {
      return { batchId: null, fileName, fileErrors: parsed.fileErrors, total: 0, ok: 0, unchanged: 0, errors: 0, committedBefore: null, rows: [], readMs: t1 - t0, checkMs: performance.now() - t1 }
    }
    const result = ctx.db.transaction(() => {
      const look = lookupsFor(parsed.rows)
      const checked = checkRows(parsed.rows, look)
      const rows = previewRows(parsed.rows, parsed.errors, checked)
      const ok = rows.filter((r) => r.status === 'ok').length
      const unchanged = rows.filter((r) => r.status === 'unchanged').length
      const errorCount = rows.length - ok - unchanged
      const okRows = new Set(checked.filter((c) => c.status === 'ok').map((c) => c.row))
      const toApply = parsed.rows.filter((p) => okRows.has(p.row))
      const batchId = exams.insertBatch({ fileName, sha256, total: rows.length, ok, errors: errorCount, unchanged, rows: toApply, now: ctx.now(), by: actor.id })
      ctx.audit.byStaff(actor, 'exam.scores_previewed', { type: 'score_import', id: batchId }, { fileName, sha256, total: rows.length, ok, unchanged, errors: errorCount })
      checkedAtPreview.set(batchId, { fp: exams.fingerprint(), checked: checked.filter((c) => c.status === 'ok'), look })
      for (const k of [...checkedAtPreview.keys()].slice(0, -3)) checkedAtPreview.delete(k)
      return { batchId, rows, ok, unchanged, errorCount, committedBefore: exams.committedWithSha(sha256)?.committedAt ?? null }
    })()
    return {
      batchId: result.batchId,
      fileName,
      fileErrors: [],
      total: result.rows.length,
      ok: result.ok,
      unchanged: result.unchanged,
      errors: result.errorCount,
      committedBefore: result.committedBefore,
      rows: result.rows,
      readMs: t1 - t0,
      checkMs: performance.now() - t1
    }
  }

  function commit(actor: StaffActor, batchId: number): CommitResult {
    const passMark = ctx.settings.get('exam.passMark')
    const done = ctx.db.transaction(() => {
      const batch = exams.batch(batchId)
      if (!batch) throw notFound('导入批次')
      if (batch.status === 'committed') throw new AppError('conflict', '该批次已经导入过')
      if (batch.status !== 'previewed') throw new AppError('conflict', '该批次已作废，请重新上传预览')
      // Checked again inside the transaction unless nothing changed since the preview: whatever
      // did change (the same file committed meanwhile, a booking cancelled) is seen here.
      const kept = checkedAtPreview.get(batchId)
      checkedAtPreview.delete(batchId)
      let look: ReturnType<typeof lookupsFor>
      let checked: CheckedRow[]
      if (kept && kept.fp === exams.fingerprint()) ({ look, checked } = kept)
      else {
        const rows = JSON.parse(batch.rows) as ParsedRow[]
        look = lookupsFor(rows)
        checked = checkRows(rows, look)
      }
      const now = ctx.now()
      let applied = 0
      let unchanged = batch.unchangedRows
      // rows refused at the preview never reach the batch; rows refused now are counted too
      let skipped = batch.errorRows
      const touched = new Map<number, { subject: Subject; score: number | null; outcome: AttemptOutcome }[]>()
      const attemptRows: [number, Subject, number, number, string, AttemptOutcome, number | null][] = []
      const scored: number[] = []
      for (const c of checked) {
        if (c.status === 'unchanged') unchanged++
        if (c.status !== 'ok') {
          if (c.status === 'error') skipped++
          continue
        }
        applied++
        for (const s of c.scores) {
          const outcome: AttemptOutcome = s.score === null ? 'no_show' : s.score >= passMark ? 'passed' : 'failed'
          attemptRows.push([s.applicationId, s.subject, s.bookingId, s.sessionId, s.examDate, outcome, s.score])
          const bc = look.bookingCovers.get(s.bookingId)!
          bc.recorded.add(s.subject)
          // A booking is done when every subject it covers has a result.
          if ([...bc.covers].every((x) => bc.recorded.has(x))) scored.push(s.bookingId)
          const list = touched.get(s.applicationId) ?? touched.set(s.applicationId, []).get(s.applicationId)!
          list.push({ subject: s.subject, score: s.score, outcome })
        }
      }
      const scores = exams.insertAttempts(attemptRows, { passMark, batchId, now, by: actor.id })
      exams.setScoredMany(scored, actor.id, now)
      exams.insertEvents(
        [...touched].map(([id, list]) => [id, JSON.stringify({ batchId, scores: list })]),
        { at: now, event: 'exam_scored', actorType: 'staff', actorId: actor.id, actorName: actor.displayName }
      )
      // Both passed: what was passed before this import plus what passed in it.
      const passers: number[] = []
      for (const [applicationId, list] of touched) {
        const info = look.app(applicationId)
        const passed = new Set(info.passed)
        for (const l of list) if (l.outcome === 'passed') passed.add(l.subject)
        if (info.stage === 'exam' && passed.has('theory') && passed.has('practical')) passers.push(applicationId)
      }
      // Both subjects passed → 许可审批: the state machine decides; the stage change and each
      // application's history entry are written in bulk statements, and the import's one audit
      // entry names every application it moved (each audit entry costs a hash-chain link).
      if (passers.length) {
        const r = transition({ stage: 'exam', category: 'passenger' }, 'exams_passed', { kind: 'staff', roles: actor.roles })
        if (!r.ok) throw new AppError('forbidden', r.reason)
        if (!exams.setStageMany(passers, 'exam', r.stage, now)) throw new AppError('conflict', '有申请的状态已被他人更改，请重新预览后导入')
        exams.insertTransitionEvents(passers, { at: now, event: 'exams_passed', from: 'exam', to: r.stage, actorType: 'staff', actorId: actor.id, actorName: actor.displayName, detail: { batchId } })
      }
      const passedBoth = passers.length
      exams.commitBatch(batchId, applied, actor.id, now)
      ctx.audit.byStaff(actor, 'exam.scores_imported', { type: 'score_import', id: batchId }, { fileName: batch.fileName, applied, scores, unchanged, skipped, passedBoth, movedToPermitApproval: passers })
      return { result: { batchId, applied, scores, unchanged, skipped, passedBoth }, touched, passers: new Set(passers) }
    })()
    // The texts (scores, attempts left, any retake fee) are composed and sent after the import
    // has returned: they read the ledgers, which the import itself does not need.
    setImmediate(() => {
      try {
        sendNotices(ctx, scoreNotices(done.touched, done.passers))
      } catch {
        /* a notice that cannot be composed never undoes the import (the history has the scores) */
      }
    })
    return done.result
  }

  function scoreNotices(touched: Map<number, { subject: Subject; score: number | null; outcome: AttemptOutcome }[]>, passers: Set<number>): ExamNotice[] {
    const ids = [...touched.keys()]
    const ledgers = new Map(ids.map((id) => [id, emptyLedger()]))
    for (const c of exams.creditsOf(ids)) applyCredit(ledgers.get(c.applicationId)!, c)
    for (const o of exams.outcomesOf(ids)) (ledgers.get(o.applicationId)!.subjects[o.subject].outcomes as string[]).push(o.outcome)
    const apps = exams.applicationsIn(ids)
    const fees = feeSchedule(ctx)
    const notices: ExamNotice[] = []
    for (const [applicationId, list] of touched) {
      const phone = apps.get(applicationId)?.phone ?? null
      const ledger = ledgers.get(applicationId)!
      const text = list.map((l) => `${SUBJECT_LABELS[l.subject]}${l.score === null ? '缺考' : `${l.score}分（${l.outcome === 'passed' ? '合格' : '不合格'}）`}`).join('，')
      if (passers.has(applicationId)) {
        notices.push({ applicationId, phone, text: `【郑州交通】您的考试成绩：${text}。理论、实操均已合格，请等待许可审批。` })
      } else {
        const st = standings(ledger, fees)
        const due = totalFen(dueItems(ledger, fees))
        const left = (['theory', 'practical'] as const).filter((s) => !st[s].passed).map((s) => `${SUBJECT_LABELS[s]}剩余考试次数${st[s].left}次`).join('，')
        notices.push({ applicationId, phone, text: `【郑州交通】您的考试成绩：${text}。${left}${due ? `，需缴纳补考费${yuan(due)}元后再预约` : '，请重新预约考试'}。` })
      }
    }
    return notices
  }

  return {
    preview,
    commit,
    recentBatches: () => exams.recentBatches(),

    /** Large files arrive in chunks, so the UI can show the upload's progress. */
    uploadChunk(actor: StaffActor, input: { uploadId?: string; fileName: string; data: string }): { uploadId: string; size: number } {
      const now = Date.now()
      for (const [k, u] of uploads) if (now - u.at > 30 * 60_000) uploads.delete(k)
      const chunk = Buffer.from(input.data, 'base64')
      let id = input.uploadId
      let u = id ? uploads.get(id) : undefined
      if (id && (!u || u.by !== actor.id)) throw new AppError('not_found', '上传已过期，请重新选择文件')
      if (!u) {
        id = randomBytes(12).toString('hex')
        u = { fileName: input.fileName, chunks: [], size: 0, by: actor.id, at: now }
        uploads.set(id, u)
      }
      u.size += chunk.length
      u.at = now
      if (u.size > MAX_IMPORT_BYTES) {
        uploads.delete(id!)
        throw new AppError('too_large', `文件过大（上限 ${MAX_IMPORT_BYTES / 1024 / 1024} MB）`)
      }
      u.chunks.push(chunk)
      return { uploadId: id!, size: u.size }
    },

    async previewUpload(actor: StaffActor, uploadId: string): Promise<ImportPreview> {
      const u = uploads.get(uploadId)
      if (!u || u.by !== actor.id) throw new AppError('not_found', '上传已过期，请重新选择文件')
      uploads.delete(uploadId)
      return preview(actor, u.fileName, Buffer.concat(u.chunks))
    },

    /** The template the exam centre fills in: the ID column is text, so 18 digits survive. */
    async template(): Promise<Buffer> {
      const wb = new ExcelJS.Workbook()
      wb.creator = 'QualDesk'
      const ws = wb.addWorksheet('成绩')
      ws.columns = TEMPLATE_HEADER.map((h, i) => ({ header: h, key: `c${i}`, width: [22, 10, 10, 10, 14, 30][i] }))
      ws.getColumn(1).numFmt = '@'
      ws.getColumn(5).numFmt = '@'
      ws.getRow(1).font = { bold: true }
      ws.addRow(['410105199001011234', '张三', 85, '缺考', '2026-12-01', '示例：2026-12-01 郑州理论考点理论场次'])
      ws.getCell('A2').numFmt = '@'
      ws.getRow(2).font = { color: { argb: 'FF909399' }, italic: true }
      const notes = wb.addWorksheet('填写说明')
      const lines = [
        '1. 第一行为表头，列的顺序可以调整，可以有其他列；“场次”可不填。',
        '2. 身份证号必须为文本格式（18位），否则末尾几位会丢失；本模板已设置为文本。',
        '3. 成绩为0–100的整数；未参加考试填“缺考”；只考了一科时另一科留空。',
        '4. 也可用“考试科目”（理论/实操）+“成绩”两列，每科一行。',
        '5. 考试日期格式 YYYY-MM-DD。导入前请删除示例行。'
      ]
      lines.forEach((l) => notes.addRow([l]))
      notes.getColumn(1).width = 90
      return Buffer.from(await wb.xlsx.writeBuffer())
    }
  }
}
export type ExamScoresService = ReturnType<typeof examScoresService>
