// Score import (成绩导入) in two steps: preview (read the file once, check every row, keep the
// result) and commit (apply every valid row in one transaction). Importing the same file twice
// changes nothing the second time: a score already recorded for that booking and subject is
// reported as unchanged.
import { createHash, randomBytes } from 'node:crypto'
import ExcelJS from 'exceljs'
import type { CoreContext, StaffActor } from '../context'
import { AppError, notFound } from '../errors'
import { checkUpload, readCheckedSheet } from '../documents/xlsx-read'
import { checkRows, COLUMNS, parseScoreSheet, TEMPLATE_HEADER, type BookingMatch, type Candidate, type CheckedRow, type Lookups, type ParsedRow, type RowError } from '../domain/score-import'
import { SUBJECT_LABELS, emptyLedger, type AttemptOutcome, type Subject } from '../domain/attempts'
import { maskIdNumber } from '../domain/masking'
import { examRepos, feeSchedule, sendNotices, type ExamNotice } from './exam-common'
import { transition } from '../domain/workflow'
import { standings } from '../domain/attempts'
import { applyCredit, dueItems, totalFen, yuan } from '../domain/fees'

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024
/** Rows per bulk statement of a commit. */
const CHUNK = 2000

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

const scoreText = (s: { subject: Subject; score: number | null }) => `${SUBJECT_LABELS[s.subject]} ${s.score ?? '缺考'}`
/** e.g. 理论 85 / 实操 缺考: a file has a few hundred different ones, each made once (keyed by number, not by a string per row). */
const summaries = new Map<number, string>()
/** A subject and score as a number below 256, or −1 for a score that is not 0–100 or 缺考 (never met after the checks). */
const scoreCode = (subject: Subject, score: number | null) =>
  score === null ? (subject === 'theory' ? 127 : 255) : Number.isInteger(score) && score >= 0 && score <= 100 ? (subject === 'theory' ? 0 : 128) + score : -1
function summaryOf(scores: readonly { subject: Subject; score: number | null }[]): string {
  const a = scores.length ? scoreCode(scores[0].subject, scores[0].score) : 0
  const b = scores.length === 2 ? scoreCode(scores[1].subject, scores[1].score) : 0
  if (scores.length > 2 || a < 0 || b < 0) return scores.map(scoreText).join(' / ')
  const key = scores.length === 0 ? 0 : 1 + a * 512 + (scores.length === 2 ? 1 + b : 0)
  let text = summaries.get(key)
  if (text === undefined) summaries.set(key, (text = scores.map(scoreText).join(' / ')))
  return text
}

/** One subject's result in an import, as the history entry and the text to the applicant say it. */
interface ScoreResult {
  subject: Subject
  score: number | null
  outcome: AttemptOutcome
}
/** Shared: a few hundred different results, read and never changed, instead of an object per score. */
const results = new Map<number, ScoreResult>()
const OUTCOME_CODE: Record<AttemptOutcome, number> = { passed: 0, failed: 1, no_show: 2 }
function resultOf(subject: Subject, score: number | null, outcome: AttemptOutcome): ScoreResult {
  const code = scoreCode(subject, score)
  if (code < 0) return { subject, score, outcome }
  const key = code * 4 + OUTCOME_CODE[outcome]
  let r = results.get(key)
  if (!r) results.set(key, (r = Object.freeze({ subject, score, outcome })))
  return r
}

/** An application a row may be scored on: the candidate the rules see, with its stage. */
interface AppInfo extends Candidate {
  stage: string
}
const NONE: ReadonlySet<Subject> = new Set()
const NOTHING: BookingMatch['recorded'] = Object.freeze({})
/** What was recorded before, per score (0–100, or null: 缺考): shared objects, never changed. */
const RECORDED: readonly { score: number | null }[] = Array.from({ length: 102 }, (_, n) => Object.freeze({ score: n === 101 ? null : n }))
const recordedScore = (score: number | null) => (score === null ? RECORDED[101] : Number.isInteger(score) && score >= 0 && score <= 100 ? RECORDED[score] : { score })
/** What a booking covers, by its theory and practical flags (index theory × 2 + practical); shared, never changed. */
const COVERS: readonly ReadonlySet<Subject>[] = [new Set(), new Set(['practical']), new Set(['theory']), new Set(['theory', 'practical'])]
/** The application at the exam stage wins, then the newest (what examCandidate answers for one ID number). */
const outranks = (a: AppInfo, b: AppInfo) => (a.stage === 'exam') !== (b.stage === 'exam') ? a.stage === 'exam' : a.applicationId > b.applicationId

/**
 * The rows a preview keeps for its commit (score_import_batches.rows), as compact JSON: a 10,000-row
 * file is about 0.8 MB instead of 2 MB of objects.
 * Version 2: { "v": 2, "scoreColumn": null | column, "rows": [[row, idNumber, name, examDate,
 * session, subject, score, subject, score…]] } — scoreColumn null: each score came from its
 * subject's column (理论成绩/实操成绩), else every score from that one column (成绩). Batches
 * previewed before it (or a file mixing both, which the parser does not produce) hold the
 * ParsedRow objects themselves, and are read as they are.
 */
function encodeRows(rows: readonly ParsedRow[]): string {
  const first = rows.find((r) => r.scores.length)?.scores[0]
  const scoreColumn = !first || first.column === COLUMNS[first.subject] ? null : first.column
  const out: unknown[][] = []
  for (const r of rows) {
    const row: unknown[] = [r.row, r.idNumber, r.name, r.examDate, r.session]
    for (const sc of r.scores) {
      if (sc.column !== (scoreColumn ?? COLUMNS[sc.subject])) return JSON.stringify(rows)
      row.push(sc.subject, sc.score)
    }
    out.push(row)
  }
  return JSON.stringify({ v: 2, scoreColumn, rows: out })
}
function decodeRows(json: string): ParsedRow[] {
  const stored = JSON.parse(json) as ParsedRow[] | { v: 2; scoreColumn: string | null; rows: unknown[][] }
  if (Array.isArray(stored)) return stored
  return stored.rows.map(([row, idNumber, name, examDate, session, ...rest]) => {
    const scores: ParsedRow['scores'] = []
    for (let i = 0; i + 1 < rest.length; i += 2) {
      const subject = rest[i] as Subject
      scores.push({ subject, score: rest[i + 1] as number | null, column: stored.scoreColumn ?? COLUMNS[subject] })
    }
    return { row: row as number, idNumber: idNumber as string, name: name as string, examDate: examDate as string, session: session as string | null, scores }
  })
}

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
    /** a booking seen, with what it covers and what was recorded for it before this import */
    booking(applicationId: number, bookingId: number): BookingMatch | undefined
    /** the stage and the subjects passed before this import */
    app(applicationId: number): AppInfo | undefined
  } {
    const ids = new Set<string>()
    const dateSet = new Set<string>()
    for (let i = 0; i < rows.length; i++) {
      ids.add(rows[i].idNumber)
      dateSet.add(rows[i].examDate)
    }
    // The application an ID number is scored on: the one at the exam stage, else the newest.
    const candidates = new Map<string, AppInfo>()
    const apps = new Map<number, AppInfo>()
    // Indexed loops without destructuring: they run 10,000 times, and the first large import
    // runs them before the JIT has optimised anything.
    const cands = exams.candidatesOf([...ids])
    for (let i = 0; i < cands.length; i++) {
      const r = cands[i]
      const c: AppInfo = { applicationId: r[0], name: r[2], stage: r[3], passed: NONE }
      apps.set(r[0], c)
      const had = candidates.get(r[1])
      if (!had || outranks(c, had)) candidates.set(r[1], c)
    }
    const passedRows = exams.passedOf([...apps.keys()])
    for (let i = 0; i < passedRows.length; i++) {
      const c = apps.get(passedRows[i][0])!
      if (c.passed === NONE) c.passed = new Set()
      ;(c.passed as Set<Subject>).add(passedRows[i][1])
    }
    const dates = [...dateSet]
    const recorded = new Map<number, Partial<Record<Subject, { score: number | null }>>>()
    const attemptRows = exams.attemptsOnDates(dates)
    for (let i = 0; i < attemptRows.length; i++) {
      const a = attemptRows[i]
      let rec = recorded.get(a[0])
      if (!rec) recorded.set(a[0], (rec = {}))
      rec[a[1]] = recordedScore(a[2])
    }
    // Only the bookings of the applications in the file are kept (a day's other bookings are not looked at).
    // The rows come earliest booking first (ORDER BY b.id).
    const byApp = new Map<number, BookingMatch[]>()
    const bookingRows = exams.bookingsOnDates(dates)
    for (let i = 0; i < bookingRows.length; i++) {
      const r = bookingRows[i]
      const applicationId = r[1]
      if (!apps.has(applicationId)) continue
      const b: BookingMatch = { bookingId: r[0], sessionId: r[2], sessionName: r[6], examDate: r[7], covers: COVERS[r[3] * 2 + r[4]], status: r[5], recorded: recorded.get(r[0]) ?? NOTHING }
      const had = byApp.get(applicationId)
      if (had) had.push(b)
      else byApp.set(applicationId, [b])
    }
    const bookings = (applicationId: number, examDate: string): BookingMatch[] => byApp.get(applicationId)?.filter((b) => b.examDate === examDate) ?? []
    return {
      candidate: (idNumber) => candidates.get(idNumber) ?? null,
      bookings,
      booking: (applicationId, bookingId) => byApp.get(applicationId)?.find((b) => b.bookingId === bookingId),
      app: (applicationId) => apps.get(applicationId)
    }
  }

  /** The preview's list: the rows refused while reading and the checked rows, in the file's order. */
  function previewRows(parsed: readonly ParsedRow[], errors: readonly RowError[], checked: readonly CheckedRow[]): PreviewRow[] {
    const out: PreviewRow[] = []
    // Both lists are in the file's order: merge them. checked[i] is the check of parsed[i].
    let e = 0
    const takeErrorsBefore = (row: number) => {
      while (e < errors.length && errors[e].row < row) {
        const r = errors[e].row
        const errs: RowError[] = []
        while (e < errors.length && errors[e].row === r) errs.push(errors[e++])
        out.push({ row: r, idNumberMasked: '', name: '', status: 'error', summary: '', errors: errs })
      }
    }
    for (let i = 0; i < checked.length; i++) {
      const c = checked[i]
      takeErrorsBefore(c.row)
      out.push({ row: c.row, idNumberMasked: maskIdNumber(c.idNumber), name: c.name, status: c.status, summary: summaryOf(parsed[i].scores), errors: c.errors })
    }
    takeErrorsBefore(Infinity)
    return out
  }

  /** The file's rows, parsed; the sheet's cells are left to the garbage collector at once. */
  function readRows(buffer: Buffer) {
    const sheet = readCheckedSheet(buffer)
    const t1 = performance.now()
    return { parsed: parseScoreSheet(sheet), t1 }
  }

  async function preview(actor: StaffActor, fileName: string, buffer: Buffer): Promise<ImportPreview> {
    checkUpload(buffer, MAX_IMPORT_BYTES)
    const t0 = performance.now()
    const { parsed, t1 } = readRows(buffer)
    const sha256 = createHash('sha256').update(buffer).digest('hex')
    if (parsed.fileErrors.length) {
      return { batchId: null, fileName, fileErrors: parsed.fileErrors, total: 0, ok: 0, unchanged: 0, errors: 0, committedBefore: null, rows: [], readMs: t1 - t0, checkMs: performance.now() - t1 }
    }
    const result = ctx.db.transaction(() => {
      const look = lookupsFor(parsed.rows)
      const checked = checkRows(parsed.rows, look)
      const rows = previewRows(parsed.rows, parsed.errors, checked)
      let ok = 0
      let unchanged = 0
      const okChecked: CheckedRow[] = []
      const toApply: ParsedRow[] = []
      for (let i = 0; i < checked.length; i++) {
        const c = checked[i]
        if (c.status === 'ok') {
          ok++
          okChecked.push(c)
          toApply.push(parsed.rows[i])
        } else if (c.status === 'unchanged') unchanged++
      }
      const errorCount = rows.length - ok - unchanged
      const batchId = exams.insertBatch({ fileName, sha256, total: rows.length, ok, errors: errorCount, unchanged, rows: encodeRows(toApply), now: ctx.now(), by: actor.id })
      ctx.audit.byStaff(actor, 'exam.scores_previewed', { type: 'score_import', id: batchId }, { fileName, sha256, total: rows.length, ok, unchanged, errors: errorCount })
      checkedAtPreview.set(batchId, { fp: exams.fingerprint(), checked: okChecked, look })
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
        const rows = decodeRows(exams.batchRows(batchId)!)
        look = lookupsFor(rows)
        checked = checkRows(rows, look)
      }
      const now = ctx.now()
      let applied = 0
      let unchanged = batch.unchangedRows
      // rows refused at the preview never reach the batch; rows refused now are counted too
      let skipped = batch.errorRows
      const touched = new Map<number, ScoreResult[]>()
      let scores = 0
      const scored: number[] = []
      /** a booking covering both subjects → the one of them applied so far in this import */
      const half = new Map<number, Subject>()
      // Written a chunk at a time: the rows of one statement are garbage before the next chunk is
      // built, so the garbage collector never has 20,000 of them to move.
      let attemptRows: [number, Subject, number, number, string, AttemptOutcome, number | null][] = []
      const flushAttempts = () => {
        if (attemptRows.length) scores += exams.insertAttempts(attemptRows, { passMark, batchId, now, by: actor.id })
        attemptRows = []
      }
      for (let i = 0; i < checked.length; i++) {
        const c = checked[i]
        if (c.status === 'unchanged') unchanged++
        if (c.status !== 'ok') {
          if (c.status === 'error') skipped++
          continue
        }
        applied++
        for (let k = 0; k < c.scores.length; k++) {
          const s = c.scores[k]
          const outcome: AttemptOutcome = s.score === null ? 'no_show' : s.score >= passMark ? 'passed' : 'failed'
          attemptRows.push([s.applicationId, s.subject, s.bookingId, s.sessionId, s.examDate, outcome, s.score])
          // A booking is done when every subject it covers has a result, from before or from this import.
          const b = look.booking(s.applicationId, s.bookingId)!
          const other: Subject = s.subject === 'theory' ? 'practical' : 'theory'
          if (!b.covers.has(other) || b.recorded[other] || half.get(s.bookingId) === other) scored.push(s.bookingId)
          else half.set(s.bookingId, s.subject)
          const result = resultOf(s.subject, s.score, outcome)
          const list = touched.get(s.applicationId)
          if (list) list.push(result)
          else touched.set(s.applicationId, [result])
        }
        if (attemptRows.length >= CHUNK) flushAttempts()
      }
      flushAttempts()
      exams.setScoredMany(scored, actor.id, now)
      // One history entry per application (its subjects may come from rows far apart), also in chunks.
      // Both passed: what was passed before this import plus what passed in it.
      const passers: number[] = []
      let events: [number, { batchId: number; scores: readonly ScoreResult[] }][] = []
      const flushEvents = () => {
        if (events.length) exams.insertEvents(events, { at: now, event: 'exam_scored', actorType: 'staff', actorId: actor.id, actorName: actor.displayName })
        events = []
      }
      touched.forEach((list, applicationId) => {
        events.push([applicationId, { batchId, scores: list }])
        if (events.length >= CHUNK) flushEvents()
        const info = look.app(applicationId)!
        if (info.stage !== 'exam') return
        let theory = info.passed.has('theory')
        let practical = info.passed.has('practical')
        for (let k = 0; k < list.length; k++) {
          if (list[k].outcome !== 'passed') continue
          if (list[k].subject === 'theory') theory = true
          else practical = true
        }
        if (theory && practical) passers.push(applicationId)
      })
      flushEvents()
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

  function scoreNotices(touched: Map<number, ScoreResult[]>, passers: Set<number>): ExamNotice[] {
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
