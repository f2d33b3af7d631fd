// Score import of a 10,000-row .xlsx: preview (read once, parse, check every row against the
// records) and commit (one transaction), against exceljs's own streaming read of the same file in
// the same run. Targets: preview + commit < 1 s, and ≤ 3× the streaming read.
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { createCore } from '../src-main/core/create-core'
import { idCheckChar } from '../src-main/core/domain/id-number'
import { examRepos, setExamNoticeSender } from '../src-main/core/services/exam-common'

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000)
/** A small import first, on other applicants and another date, so the measured run is not the JIT's first. */
const WARM = 300

function idNumber(i: number): string {
  const birth = new Date(Date.UTC(1970, 0, 1) + (i % 10_000) * 86400_000).toISOString().slice(0, 10).replaceAll('-', '')
  const first17 = `410105${birth}${String(Math.floor(i / 10_000)).padStart(2, '0')}${1 + 2 * (i % 5)}`
  return first17 + idCheckChar(first17)
}

async function streamingRead(buffer: Buffer): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buffer]), { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' })
  let n = 0
  for await (const ws of reader) {
    for await (const row of ws as AsyncIterable<ExcelJS.Row>) if (row.values) n++
    break
  }
  return n
}

/** The exam centre's file, with some quirks of real files (full-width digits, 缺考, spaces, an extra column). */
async function makeFile(examDate: string, from = 0, count = ROWS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('成绩')
  ws.addRow(['序号', '身份证号', '姓名', '理论成绩', '实操成绩', '考试日期', '备注'])
  for (let i = from; i < from + count; i++) {
    const theory = 60 + (i % 41)
    ws.addRow([i + 1, idNumber(i), ` 考生${i} `, i % 97 === 0 ? '缺考' : i % 13 === 0 ? String(theory).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) : theory, 70 + (i % 31), examDate, i % 50 === 0 ? '补考' : ''])
  }
  return Buffer.from(await wb.xlsx.writeBuffer())
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'qualdesk-bench-scores-'))
  const core = await createCore({ dataDir, adminPassword: 'Bench2026x', logError: () => {} })
  const { ctx } = core
  const { exams, payments } = examRepos(ctx)
  const { staff } = await core.services.staffAccounts.create(null, { username: 'kaowu', displayName: '赵磊', roles: ['exam_staff'], password: 'Bench2026x' })
  const clerk = { kind: 'staff' as const, id: staff.id, username: staff.username, displayName: staff.displayName, roles: staff.roles }
  // The 10,000 score SMS go out after the commit returns; keep their file writes out of this bench.
  setExamNoticeSender(ctx, () => {})
  const now = ctx.now()
  const examDate = '2026-12-01'
  // Seed: 10,000 passenger applications at the exam stage, paid, each booked on 2026-12-01.
  const seedStart = performance.now()
  ctx.db.transaction(() => {
    const venueId = ctx.repos.referenceData.insertVenue({ name: '郑州理论考点', address: '郑州市金水区' }, now)
    const sessions = Array.from({ length: Math.ceil(ROWS / 1000) }, (_, k) =>
      ctx.repos.referenceData.insertSession({ venueId, name: `${examDate} 第${k + 1}场`, examDate, startTime: '09:00', endTime: '11:00', subjects: 'both', capacity: 1000, booked: 0, bookingOpensAt: '2026-11-01T00:00:00+08:00', bookingClosesAt: '2026-11-30T17:00:00+08:00', status: 'open' }, now)
    )
    const warmSession = ctx.repos.referenceData.insertSession({ venueId, name: '2026-11-30 热身场', examDate: '2026-11-30', startTime: '09:00', endTime: '11:00', subjects: 'both', capacity: 1000, booked: 0, bookingOpensAt: '2026-11-01T00:00:00+08:00', bookingClosesAt: '2026-11-29T17:00:00+08:00', status: 'open' }, now)
    for (let i = 0; i < ROWS + WARM; i++) {
      const id = idNumber(i)
      const name = `考生${i}`
      const applicantId = ctx.repos.applications.insertApplicant({ idNumber: id, name, phone: '13800000000', passwordHash: null, now })
      const appId = ctx.repos.applications.insert({ applicantId, category: 'passenger', applicationType: 'initial', stage: 'exam', idNumber: id, name, phone: '13800000000', trainingSchoolId: null, trainingNo: null, form: {}, submittedAt: now, stageEnteredAt: now, enteredByStaff: null, now })
      const orderId = payments.insertOrder({ orderNo: `B${i}`, applicationId: appId, provider: 'counter', amountFen: 13300, items: [], qrContent: null, expiresAt: null, now, byType: 'system', byId: null })
      for (const subject of ['theory', 'practical'] as const) payments.insertCredit({ applicationId: appId, key: `${subject}:initial`, subject, kind: 'initial', attempts: 2, amountFen: subject === 'theory' ? 5100 : 8200, orderId, now })
      exams.insertBooking({ applicationId: appId, sessionId: i < ROWS ? sessions[Math.floor(i / 1000)] : warmSession, theory: true, practical: true, now, byType: 'applicant', byId: applicantId })
    }
    exams.syncBookedCounts()
  })()
  const seedMs = performance.now() - seedStart

  const file = await makeFile(examDate)

  const reads: number[] = []
  for (let k = 0; k < 5; k++) {
    const t = performance.now()
    await streamingRead(file)
    reads.push(performance.now() - t)
  }
  const baseline = median(reads)

  const warm = await core.services.examScores.preview(clerk, 'warm-up.xlsx', await makeFile('2026-11-30', ROWS, WARM))
  core.services.examScores.commit(clerk, warm.batchId!)

  // Garbage collection inside the measured import, reported (not subtracted).
  const gcs: PerformanceEntry[] = []
  const gcObserver = new PerformanceObserver((list) => gcs.push(...list.getEntries()))
  gcObserver.observe({ entryTypes: ['gc'] })
  const t0 = performance.now()
  const preview = await core.services.examScores.preview(clerk, 'scores-10000.xlsx', file)
  const t1 = performance.now()
  const commit = core.services.examScores.commit(clerk, preview.batchId!)
  const t2 = performance.now()
  const total = t2 - t0
  await new Promise((r) => setTimeout(r, 10))
  gcObserver.disconnect()
  const gcMs = (from: number, to: number) => gcs.filter((g) => g.startTime >= from && g.startTime < to).reduce((sum, g) => sum + g.duration, 0)
  // The streaming read again right after the import (reported only; the target uses the reads
  // before it): when the machine's load changed during the run, the two medians differ.
  const readsAfter: number[] = []
  for (let k = 0; k < 5; k++) {
    const t = performance.now()
    await streamingRead(file)
    readsAfter.push(performance.now() - t)
  }
  const t3 = performance.now()
  const again = await core.services.examScores.preview(clerk, 'scores-10000.xlsx', file)
  const againMs = performance.now() - t3

  const fmt = (n: number) => `${n.toFixed(0)} ms`
  console.log(`score import, ${ROWS} rows, file ${(file.length / 1024).toFixed(0)} KB (seeding ${fmt(seedMs)} and a ${WARM}-row warm-up import, not measured; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`)
  console.log(`  exceljs streaming read (baseline, median of 5): ${fmt(baseline)}   (the same 5 reads right after the import: median ${fmt(median(readsAfter))})`)
  console.log(`  preview: ${fmt(t1 - t0)} (read ${fmt(preview.readMs)}, check ${fmt(preview.checkMs)}; garbage collection ${fmt(gcMs(t0, t1))}): ok ${preview.ok}, errors ${preview.errors}`)
  console.log(`  commit:  ${fmt(t2 - t1)} (garbage collection ${fmt(gcMs(t1, t2))}): ${commit.applied} rows, ${commit.scores} scores, ${commit.passedBoth} moved to permit approval`)
  console.log(`  preview + commit: ${fmt(total)} = ${(total / baseline).toFixed(2)}× the streaming read   target < 1000 ms and ≤ 3×: ${total < 1000 && total <= 3 * baseline ? 'MET' : 'NOT MET'}`)
  console.log(`  same file again: ok ${again.ok}, unchanged ${again.unchanged} (idempotent), its preview ${fmt(againMs)} (not in the target)`)
  core.close()
  rmSync(dataDir, { recursive: true, force: true })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
