// Export of 100,000 application rows (申请台账) through the real export job: SQLite iterator on its
// own read-only connection → exceljs streaming WorkbookWriter → file. Targets (issue 8): under 5 s,
// under 250 MB peak RSS, and at most 1.5× exceljs's streaming writer writing the same rows from
// memory, in the same run. Each measurement runs in a fresh plain-Node process (the measured code
// bundled by Vite, as the app ships it), so seeding and vite-node do not count in its RSS.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { bundleForNode } from './bundle-for-node'
import { createCore } from '../src-main/core/create-core'
import { BENCH_NOW, seedOffice } from './reports-seed'

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000)
const FROM = '2025-11-25'
const TO = '2026-11-25'
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`

interface Result {
  mode: string
  ms: number
  /** CPU time of the process (all threads): close to the wall time on an idle machine */
  cpuMs: number
  rows: number
  size: number
  rssBefore: number
  peakRss: number
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'qualdesk-bench-exports-'))
  const dataDir = join(work, 'data')
  const root = resolve(__dirname, '..')
  let workerDir = ''
  try {
    const core = await createCore({ dataDir, adminPassword: 'Bench2026x', clock: () => new Date(BENCH_NOW), logError: () => {} })
    let t = performance.now()
    seedOffice(core, ROWS)
    await core.services.staffAccounts.create(null, { username: 'shenpi', displayName: '陈志强', roles: ['supervisor'], password: 'Bench2026x' })
    core.ctx.db.pragma('wal_checkpoint(TRUNCATE)')
    core.close()
    console.log(`seeded ${ROWS} applications with their history in ${s(performance.now() - t)}`)

    t = performance.now()
    workerDir = await bundleForNode('qualdesk-bench-exports', { worker: resolve(__dirname, 'exports-worker.ts') })
    console.log(`worker bundled in ${s(performance.now() - t)}`)

    const run = (mode: string): Result => {
      const r = spawnSync(process.execPath, ['--max-old-space-size=512', join(workerDir, 'worker.js'), mode, dataDir, FROM, TO], { encoding: 'utf8', cwd: root })
      if (r.status !== 0) throw new Error(`${mode} failed:\n${r.stderr}`)
      if (r.stderr) console.log(r.stderr.trim())
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as Result
    }
    const ours = run('ours')
    const plain = run('baseline')
    const tuned = run('baseline-tuned')
    console.log(`machine load average: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores (wall times stretch with it; CPU times much less)`)
    console.log(`ours:      ${ours.rows} rows in ${s(ours.ms)} wall, ${s(ours.cpuMs)} CPU (${Math.round(ours.rows / (ours.ms / 1000))} rows/s), file ${mb(ours.size)}, peak RSS ${mb(ours.peakRss)} (process at start of export ${mb(ours.rssBefore)})`)
    console.log(`baseline:  exceljs WorkbookWriter, the same rows from memory, addRow(values).commit(): ${s(plain.ms)} wall, ${s(plain.cpuMs)} CPU, peak RSS ${mb(plain.peakRss)}`)
    console.log(`baseline': the same with one shared style object per column, as ours does: ${s(tuned.ms)} wall, ${s(tuned.cpuMs)} CPU`)
    const ratio = ours.ms / plain.ms
    console.log(`ratio ours / baseline = ${ratio.toFixed(2)} (target ≤ 1.5); ours / baseline' = ${(ours.ms / tuned.ms).toFixed(2)}`)
    const checks = [
      [`< 5 s`, ours.ms < 5000],
      [`< 250 MB peak RSS`, ours.peakRss < 250 * 1024 * 1024],
      [`≤ 1.5× baseline`, ratio <= 1.5]
    ] as const
    console.log(`targets: ${checks.map(([n, ok]) => `${n} ${ok ? 'OK' : 'MISSED'}`).join(', ')}`)
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${work} and ${workerDir}`)
    else {
      rmSync(work, { recursive: true, force: true })
      if (workerDir) rmSync(workerDir, { recursive: true, force: true })
    }
  }
}

void main()
