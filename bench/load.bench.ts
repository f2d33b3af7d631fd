// Load figure (issue 9): 50 concurrent applicants uploading 200 KB attachments to their drafts
// through the real `serve` process on loopback for 30 s. Prints uploads per second, p50/p99
// latency and errors against the target (0 errors, p99 < 100 ms, ≥ 1,000 uploads/s), with two
// baselines measured in the same run: the same server answering /api/v1/health, and this disk's
// rate of fsynced 200 KB writes (what durable uploads cost at the least).
//
// The load comes from wrk (Debian's package: `apt-get install -y wrk`), a C load generator, with
// a Lua script giving every request a body of its own (so every upload is a new file, hashed,
// written, flushed and recorded). Node's fetch as a load generator spends more CPU than the server
// it measures (a core for about 600 uploads/s here), so without wrk the figure is the client's:
// the Node client (the fault test's) is then used and says so. LOAD_CLIENT=node forces it.
//   npm run build && npm run bench -- load       (LOAD_SECONDS, LOAD_APPLICANTS, LOAD_BYTES to change)
import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { openDatabase } from '../src-main/core/storage/database'
import { hasWrk, runWrk } from './wrk'
import { applicantLoop, KINDS, newLedger, percentile, prepareDataDir, registerApplicants, spawnServe, uniqueJpeg, type Applicant } from '../tests/e2e/crash-load-client'

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
    const wrk = process.env.LOAD_CLIENT !== 'node' && hasWrk()
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min)`)
    const ok = (b: boolean) => (b ? 'met' : 'NOT met')
    const baselines = () => {
      console.log(`  baseline disk: ${disk.toFixed(0)} fsynced ${Math.round(BYTES / 1024)} KB writes/s (one writer, no server)`)
      console.log(`  baseline SQLite: ${commits.toFixed(0)} one-row commits/s with WAL + synchronous=FULL (the floor a lone write waits for; uploads arriving together share a commit)`)
    }
    if (wrk) {
      const apps = await createDrafts(serve.url, applicants)
      const health = loadWithWrk(serve.url, dataDir, 3)
      const load = loadWithWrk(serve.url, dataDir, SECONDS, apps)
      serve.child.kill('SIGTERM')
      await serve.exited
      const check = checkStore(dataDir)
      console.log(`load (wrk): ${APPLICANTS} connections, one draft each, ${Math.round(BYTES / 1024)} KB attachments each a new file, ${SECONDS} s, real serve process on loopback`)
      console.log(`  uploads/s            : ${load.rps.toFixed(0)} (${load.requests} requests, ${load.requests - load.non2xx} answered 201)   target ≥ 1,000/s: ${ok(load.rps >= 1000)}`)
      console.log(`  latency p50 / p99    : ${load.p50.toFixed(1)} ms / ${load.p99.toFixed(1)} ms   target p99 < 100 ms: ${ok(load.p99 < 100)}`)
      console.log(`  errors               : ${load.non2xx} non-2xx, ${load.socketErrors} socket errors   target 0: ${ok(load.non2xx + load.socketErrors === 0)}`)
      console.log(`  afterwards           : ${check.rows} attachment rows, ${check.files} files, ${check.missing} missing, ${check.wrongSize} with a wrong size`)
      console.log(`  baseline /api/v1/health with ${APPLICANTS} connections (wrk): ${health.rps.toFixed(0)} req/s, p99 ${health.p99.toFixed(1)} ms`)
      baselines()
      return
    }
    console.log('wrk not found (apt-get install -y wrk): the Node client is used; its own CPU limits the figure')
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
    console.log(`load (Node client): ${APPLICANTS} concurrent applicants, ${Math.round(BYTES / 1024)} KB attachments, ${elapsed.toFixed(1)} s, real serve process on loopback`)
    console.log(`  uploads acknowledged : ${uploads} (${rate.toFixed(0)} uploads/s)   target ≥ 1,000/s: ${ok(rate >= 1000)}`)
    console.log(`  requests/s (all)     : ${(ledger.acked / elapsed).toFixed(0)}`)
    console.log(`  latency p50 / p99    : ${p50.toFixed(1)} ms / ${p99.toFixed(1)} ms   target p99 < 100 ms: ${ok(p99 < 100)}`)
    console.log(`  errors               : ${errors}${errors ? ' ' + JSON.stringify(Object.fromEntries(ledger.errors)) : ''}   target 0: ${ok(errors === 0)}`)
    console.log(`  baseline /api/v1/health with ${APPLICANTS} clients: ${health.rps.toFixed(0)} req/s, p99 ${health.p99.toFixed(1)} ms`)
    baselines()
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** One draft per applicant, through the API. */
async function createDrafts(url: string, applicants: Applicant[]) {
  const out: { id: number; token: string }[] = []
  for (const a of applicants) {
    const r = await fetch(`${url}/api/v1/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
      body: JSON.stringify({ category: 'passenger', applicationType: 'initial' })
    })
    if (r.status !== 201) throw new Error(`create draft ${r.status} ${await r.text()}`)
    out.push({ id: ((await r.json()) as { id: number }).id, token: a.token })
  }
  return out
}

/**
 * wrk with 50 connections on one thread. With `apps`: PUT uploads, the applicant and kind taking
 * turns, each body the same JPEG with 32 bytes of its own (a request counter and a random number),
 * so the server hashes, writes, flushes and records a new file every time.
 */
function loadWithWrk(url: string, dir: string, seconds: number, apps?: { id: number; token: string }[]) {
  let script = ''
  if (apps) {
    writeFileSync(join(dir, 'wrk-body.jpg'), uniqueJpeg(BYTES))
    script = join(dir, 'wrk-upload.lua')
    writeFileSync(
      script,
      `local apps = { ${apps.map((a) => `{ ${a.id}, "${a.token}" }`).join(', ')} }
local kinds = { ${KINDS.map((k) => `"${k}"`).join(', ')} }
local base, n, tid = nil, 0, 0
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args)
  local f = assert(io.open("${join(dir, 'wrk-body.jpg')}", "rb")); base = f:read("*a"); f:close()
  math.randomseed(os.time() + (tid or 0))
end
request = function()
  n = n + 1
  local a = apps[(n % #apps) + 1]
  local kind = kinds[(math.floor(n / #apps) % #kinds) + 1]
  local unique = string.format("%08x%08x%016x", tid or 0, n, math.random(0, 2147483647))
  local body = base:sub(1, 6) .. unique .. base:sub(39)
  return wrk.format("PUT", "/api/v1/applications/" .. a[1] .. "/attachments/" .. kind,
    { ["Authorization"] = "Bearer " .. a[2], ["Content-Type"] = "image/jpeg", ["X-File-Name"] = kind .. ".jpg" }, body)
end
`
    )
  }
  return runWrk({ url: apps ? url : `${url}/api/v1/health`, connections: APPLICANTS, seconds, script: script || undefined })
}

/** Every attachment row's file is there with its size. */
function checkStore(dataDir: string) {
  const db = new Database(join(dataDir, 'qualdesk.db'), { readonly: true })
  try {
    const rows = db.prepare('SELECT sha256, size FROM attachments').all() as { sha256: string; size: number }[]
    const seen = new Set<string>()
    let missing = 0
    let wrongSize = 0
    for (const r of rows) {
      if (seen.has(r.sha256)) continue
      seen.add(r.sha256)
      const file = join(dataDir, 'attachments', r.sha256.slice(0, 2), r.sha256)
      if (!existsSync(file)) missing++
      else if (statSync(file).size !== r.size) wrongSize++
    }
    return { rows: rows.length, files: seen.size, missing, wrongSize }
  } finally {
    db.close()
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
