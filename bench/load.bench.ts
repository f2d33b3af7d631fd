// Load figure (issue 9): 50 concurrent applicants uploading 200 KB attachments to their drafts
// through the real `serve` process on loopback for 30 s. Prints uploads per second, p50/p99
// latency and errors against the target (0 errors, p99 < 100 ms, ≥ 1,000 uploads/s), with two
// baselines measured in the same run: the same server answering /api/v1/health, and this disk's
// rate of fsynced 200 KB writes (what durable uploads cost at the least).
//   npm run build && npm run bench -- load       (LOAD_SECONDS, LOAD_APPLICANTS, LOAD_BYTES to change)
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../src-main/core/storage/database'
import { applicantLoop, newLedger, percentile, prepareDataDir, registerApplicants, spawnServe, uniqueJpeg } from '../tests/e2e/crash-load-client'

const SECONDS = Number(process.env.LOAD_SECONDS ?? 30)
const APPLICANTS = Number(process.env.LOAD_APPLICANTS ?? 50)
const BYTES = Number(process.env.LOAD_BYTES ?? 200 * 1024)

async function healthBaseline(url: string, seconds: number) {
  const lat: number[] = []
  const end = Date.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: APPLICANTS }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now()
        await (await fetch(`${url}/api/v1/health`)).text()
        lat.push(performance.now() - t0)
      }
    })
  )
  return { rps: lat.length / seconds, p99: percentile(lat, 99) }
}

function diskBaseline(dir: string, seconds: number) {
  const body = uniqueJpeg(BYTES)
  let n = 0
  const end = Date.now() + seconds * 1000
  while (Date.now() < end) {
    const fd = openSync(join(dir, `f${n}`), 'w')
    writeSync(fd, body)
    fsyncSync(fd)
    closeSync(fd)
    n++
  }
  return n / seconds
}

/** One-row transactions per second with WAL + synchronous = FULL, as the app opens its database. */
function commitBaseline(dir: string, seconds: number) {
  const db = openDatabase(join(dir, 'commit-baseline.db'))
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)')
  const insert = db.prepare('INSERT INTO t (b) VALUES (?)')
  const row = Buffer.alloc(300)
  let n = 0
  const end = Date.now() + seconds * 1000
  while (Date.now() < end) {
    db.transaction(() => insert.run(row))()
    n++
  }
  db.close()
  return n / seconds
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'qualdesk-load-'))
  try {
    const disk = diskBaseline(dataDir, 3)
    const commits = commitBaseline(dataDir, 3)
    await prepareDataDir(dataDir)
    const serve = await spawnServe(dataDir)
    const t0 = Date.now()
    const applicants = await registerApplicants(serve.url, dataDir, APPLICANTS, 3)
    console.log(`registered ${APPLICANTS} applicants through the API in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    const health = await healthBaseline(serve.url, 3)

    const ledger = newLedger()
    let stop = false
    const started = performance.now()
    const workers = applicants.map((a) => applicantLoop(a, ledger, () => serve.url, () => stop, BYTES))
    await new Promise((r) => setTimeout(r, SECONDS * 1000))
    stop = true
    await Promise.all(workers)
    const elapsed = (performance.now() - started) / 1000
    serve.child.kill('SIGTERM')
    await serve.exited

    const uploads = [...ledger.uploads.values()].flat().filter((u) => u.acked).length
    const errors = [...ledger.errors.values()].reduce((a, b) => a + b, 0)
    const rate = uploads / elapsed
    const p50 = percentile(ledger.latencies, 50)
    const p99 = percentile(ledger.latencies, 99)
    const ok = (b: boolean) => (b ? 'met' : 'NOT met')
    console.log(`load: ${APPLICANTS} concurrent applicants, ${Math.round(BYTES / 1024)} KB attachments, ${elapsed.toFixed(1)} s, real serve process on loopback`)
    console.log(`  uploads acknowledged : ${uploads} (${rate.toFixed(0)} uploads/s)   target ≥ 1,000/s: ${ok(rate >= 1000)}`)
    console.log(`  requests/s (all)     : ${(ledger.acked / elapsed).toFixed(0)}`)
    console.log(`  latency p50 / p99    : ${p50.toFixed(1)} ms / ${p99.toFixed(1)} ms   target p99 < 100 ms: ${ok(p99 < 100)}`)
    console.log(`  errors               : ${errors}${errors ? ' ' + JSON.stringify(Object.fromEntries(ledger.errors)) : ''}   target 0: ${ok(errors === 0)}`)
    console.log(`  baseline /api/v1/health with ${APPLICANTS} clients: ${health.rps.toFixed(0)} req/s, p99 ${health.p99.toFixed(1)} ms`)
    console.log(`  baseline disk: ${disk.toFixed(0)} fsynced ${Math.round(BYTES / 1024)} KB writes/s (one writer, no server)`)
    console.log(`  baseline SQLite: ${commits.toFixed(0)} one-row commits/s with WAL + synchronous=FULL (the floor a lone write waits for; uploads arriving together share a commit)`)
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
