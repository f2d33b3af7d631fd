// The measured part of exports.bench.ts, bundled by Vite and run under plain Node in a fresh
// process per measurement (vite-node alone takes ~340 MB, which would swamp the RSS figure).
// argv: <mode: ours | baseline | baseline-tuned> <dataDir> <from> <to>
import ExcelJS from 'exceljs'
import Database from 'better-sqlite3'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createCore } from '../src-main/core/create-core'
import { cellValue, NUM_FMT } from '../src-main/core/documents/xlsx-export'
import { applicationColumns, sheet } from '../src-main/core/services/exports-sheets'
import { reportsExportRepository } from '../src-main/core/storage/repositories/reports-exports'

const [mode, dataDir, from, to] = process.argv.slice(2)

/**
 * This process's peak resident memory (VmHWM). Not resourceUsage().maxRSS: on Linux that carries
 * the spawning parent's peak over (here vite-node's ~260 MB).
 */
function peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
  return m ? Number(m[1]) * 1024 : process.resourceUsage().maxRSS * 1024
}
const startOf = (d: string) => `${d}T00:00:00+08:00`
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

async function ours() {
  const core = await createCore({ dataDir, adminPassword: 'Bench2026x', clock: () => new Date('2026-11-25T10:00:00+08:00'), logError: () => {} })
  const staff = core.ctx.repos.staff.findByUsername('shenpi')!
  const actor = { kind: 'staff' as const, id: staff.id, username: 'shenpi', displayName: staff.displayName, roles: ['supervisor' as const] }
  const rssBefore = process.memoryUsage().rss
  if (process.env.DEBUG_MEM) console.error(`core open: rss ${Math.round(rssBefore / 1048576)} MB, peak ${Math.round(peakRss() / 1048576)} MB`)
  const t = performance.now()
  const samples: string[] = []
  const sampler = process.env.DEBUG_MEM
    ? setInterval(() => {
        const m = process.memoryUsage()
        samples.push([m.rss, m.heapUsed, m.external, m.arrayBuffers].map((x) => Math.round(x / 1048576)).join('/'))
      }, 200)
    : undefined
  const cpu0 = process.cpuUsage()
  const job = core.services.exports.start(actor, { kind: 'applications', from, to, personalData: 'full' })
  await core.services.exports.waitFor(job.id)
  const ms = performance.now() - t
  const cpu = process.cpuUsage(cpu0)
  clearInterval(sampler)
  if (samples.length) console.error('rss/heap/external/arrayBuffers MB:', samples.join(' '))
  const done = core.services.exports.status(actor, job.id)
  if (done.status !== 'done') throw new Error(`export failed: ${done.error}`)
  core.close()
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, rows: done.doneRows, size: done.size, rssBefore }
}

async function baseline(sharedStyles: boolean) {
  const db = new Database(join(dataDir, 'qualdesk.db'), { readonly: true })
  const src = reportsExportRepository(db).applications({ fromAt: startOf(from), toAt: startOf(nextDay(to)), category: null, applicationType: null, stage: null, trainingSchoolId: null })
  const columns = applicationColumns('full')
  // The same rows as ours, mapped the same way, all in memory before the clock starts.
  const rows = [...sheet('申请台账', columns, src.rows()).rows].map((r) => columns.map((c, i) => cellValue(c.kind, r[i])))
  db.close()
  const rssBefore = process.memoryUsage().rss
  const file = join(dataDir, `baseline-${sharedStyles}.xlsx`)
  const t = performance.now()
  const cpu0 = process.cpuUsage()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false })
  const ws = wb.addWorksheet('申请台账', { views: [{ state: 'frozen', ySplit: 1 }] })
  const styles = columns.map((c) => (c.kind === 'text' ? {} : { numFmt: NUM_FMT[c.kind] }))
  ws.columns = columns.map((c, i) => ({ header: c.header, width: c.width, style: styles[i] }))
  ws.getRow(1).font = { bold: true }
  ws.getRow(1).commit()
  for (const r of rows) {
    const row = ws.addRow(r)
    if (sharedStyles) for (let i = 0; i < styles.length; i++) row.getCell(i + 1).style = styles[i]
    row.commit()
  }
  await ws.commit()
  await wb.commit()
  const cpu = process.cpuUsage(cpu0)
  return { ms: performance.now() - t, cpuMs: (cpu.user + cpu.system) / 1000, rows: rows.length, size: statSync(file).size, rssBefore }
}

async function main() {
  if (process.env.DEBUG_MEM) console.error(`at start: rss ${Math.round(process.memoryUsage().rss / 1048576)} MB, peak ${Math.round(peakRss() / 1048576)} MB`)
  const r = mode === 'ours' ? await ours() : await baseline(mode === 'baseline-tuned')
  process.stdout.write(JSON.stringify({ mode, ...r, peakRss: peakRss() }) + '\n')
}
main().catch((e) => {
  console.error(e)
  process.exit(1)
})
