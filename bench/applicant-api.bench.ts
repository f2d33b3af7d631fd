// The applicant API under load: 50 connections over loopback against the real server
// (bench/applicant-api-server.ts in its own process, so the load generator does not share its
// event loop). One run measures the trivial health endpoint (the baseline), an authenticated
// progress look-up, and application submissions without attachments (full validation, the
// transaction with its event, history and audit entry). Prints req/s, p99 and the ratio.
//
// The load generator is wrk when installed (see bench/wrk.ts: a Node client takes CPU from the
// server it measures on this 2-core machine), else autocannon; BENCH_CLIENT=node forces
// autocannon. Each endpoint gets a second of load first (not counted), so that the figures are
// the server's steady state rather than its first compilation of that code path.
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { writeFileSync } from 'node:fs'
import { bundleForNode } from './bundle-for-node'
import { hasWrk, runWrk } from './wrk'
import { SERVER_JS_FLAGS } from '../src-main/core/js-flags'

const here = dirname(fileURLToPath(import.meta.url))
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = 50
const WARM_UP = 1
// Submissions use up a draft each: enough for a fast server over the whole run.
const DRAFTS = Math.max(20_000, (SECONDS + WARM_UP + 1) * 8_000)

interface Seeded {
  port: number
  dataDir: string
  progress: { firstApp: number; count: number; firstToken: number }
  drafts: { firstApp: number; count: number; firstToken: number }
}

/**
 * The bench's server built as the app's main process is, next to its own submission writer (found
 * there as in out/main): the figures are those of built code, as `npm run serve` runs it (after
 * seeding 20,000 drafts: 0.31 GB resident built, 0.81 GB under vite-node).
 */
async function buildServer(): Promise<string> {
  const outDir = await bundleForNode('qualdesk-bench', {
    'applicant-api-server': join(here, 'applicant-api-server.ts'),
    'submission-writer-worker': join(here, '../src-main/core/services/submission-writer-worker.ts')
  })
  return join(outDir, 'applicant-api-server.js')
}

async function startServer(): Promise<{ seeded: Seeded; stop: () => Promise<void> }> {
  // The server runs with the product's V8 flags (src-main/core/js-flags.ts), as `npm run serve` does.
  const child = spawn(process.execPath, [...SERVER_JS_FLAGS, await buildServer()], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_DRAFTS: String(DRAFTS) }
  })
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! })
    rl.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)))
  })
  const seeded = JSON.parse(line) as Seeded
  return {
    seeded,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
  }
}

type Result = { name: string; rps: number; p50: number; p99: number; non2xx: number; errors: number; total: number }

async function load(name: string, base: string, request: autocannon.Request, seconds = SECONDS): Promise<Result> {
  const r = await autocannon({ url: base, connections: CONNECTIONS, duration: seconds, requests: [request] })
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, total: r.requests.total }
}

async function main() {
  console.log(`seeding (1,000 submitted applications, ${DRAFTS.toLocaleString()} drafts) …`)
  const t0 = Date.now()
  const { seeded, stop } = await startServer()
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${CONNECTIONS} connections, ${SECONDS} s each, loopback`)
  // Figures from a shared machine mean little: say how busy it was.
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min)`)
  const base = `http://127.0.0.1:${seeded.port}`
  const wrk = hasWrk()
  const why = process.env.BENCH_CLIENT === 'node' ? 'BENCH_CLIENT=node' : 'wrk not found: apt-get install -y wrk'
  console.log(`load generator: ${wrk ? 'wrk (one thread)' : `autocannon (${why})`}, ${WARM_UP} s of warm-up per endpoint`)
  try {
    const { health, progress, submit } = wrk ? withWrk(base, seeded) : await withAutocannon(base, seeded)
    const targets: Record<string, string> = {
      'progress look-up': `target ≥ 20,000/s, ≥ 0.25 of baseline, p99 < 10 ms`,
      'submission (no attachments)': `target ≥ 3,000/s, p99 < 30 ms`
    }
    const ok: Record<string, boolean> = {
      'progress look-up': progress.rps >= 20_000 && progress.rps / health.rps >= 0.25 && progress.p99 < 10,
      'submission (no attachments)': submit.rps >= 3_000 && submit.p99 < 30
    }
    console.log('')
    console.log(`machine after the run: load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')}`)
    console.log('| endpoint | req/s | p50 ms | p99 ms | ratio to baseline | non-2xx | target |')
    console.log('|---|---:|---:|---:|---:|---:|---|')
    for (const r of [health, progress, submit]) {
      const target = targets[r.name] ? `${ok[r.name] ? 'met' : 'MISSED'}: ${targets[r.name]}` : 'baseline'
      console.log(`| ${r.name} | ${Math.round(r.rps).toLocaleString()} | ${+r.p50.toFixed(1)} | ${+r.p99.toFixed(1)} | ${(r.rps / health.rps).toFixed(2)} | ${r.non2xx + r.errors} | ${target} |`)
    }
    if (submit.non2xx + submit.errors + progress.non2xx + progress.errors) console.log('\nnon-2xx answers mean the figures are not valid: check the server log')
  } finally {
    await stop()
    rmSync(seeded.dataDir, { recursive: true, force: true })
  }
}

type Measured = Record<'health' | 'progress' | 'submit', Result>

/** The three loads with wrk; Lua scripts give each request its path and token. */
function withWrk(base: string, seeded: Seeded): Measured {
  const script = (name: string, body: string) => {
    const file = join(seeded.dataDir, `${name}.lua`)
    writeFileSync(file, body)
    return file
  }
  const run = (name: string, seconds: number, path = '', lua?: string): Result => {
    const r = runWrk({ url: base + path, connections: CONNECTIONS, seconds, script: lua })
    return { name, rps: r.rps, p50: r.p50, p99: r.p99, non2xx: r.non2xx, errors: r.socketErrors, total: r.requests }
  }
  run('warm-up', WARM_UP, '/api/v1/health')
  const health = run('health (baseline)', SECONDS, '/api/v1/health')

  const { progress: p } = seeded
  const progressLua = script(
    'progress',
    `local n = -1
request = function()
  n = n + 1
  local i = n % ${p.count}
  return wrk.format("GET", "/api/v1/applications/" .. (${p.firstApp} + i) .. "/progress", { ["Authorization"] = "Bearer bench-token-" .. (${p.firstToken} + i) })
end`
  )
  run('warm-up', WARM_UP, '', progressLua)
  const progress = run('progress look-up', SECONDS, '', progressLua)

  // Each submission takes the next draft; the warm-up's drafts (and any still in flight when it
  // stopped) are skipped.
  const { drafts: d } = seeded
  const submitLua = (from: number) =>
    script(
      `submit-${from}`,
      `local n = ${from - 1}
request = function()
  n = n + 1
  return wrk.format("POST", "/api/v1/applications/" .. (${d.firstApp} + n) .. "/submit", { ["Authorization"] = "Bearer bench-token-" .. (${d.firstToken} + n) })
end`
    )
  const warm = run('warm-up', WARM_UP, '', submitLua(0))
  const from = warm.total + CONNECTIONS
  const submit = run('submission (no attachments)', SECONDS, '', submitLua(from))
  if (from + submit.total + CONNECTIONS > d.count) throw new Error('out of drafts: raise BENCH_DRAFTS')
  return { health, progress, submit }
}

async function withAutocannon(base: string, seeded: Seeded): Promise<Measured> {
  const auth = (i: number) => ({ authorization: `Bearer bench-token-${i}` })
  await load('warm-up', base, { method: 'GET', path: '/api/v1/health' }, WARM_UP)
  const health = await load('health (baseline)', base, { method: 'GET', path: '/api/v1/health' })
  let p = 0
  const progressRequest: autocannon.Request = {
    method: 'GET',
    setupRequest: (req) => {
      const i = p++ % seeded.progress.count
      return { ...req, path: `/api/v1/applications/${seeded.progress.firstApp + i}/progress`, headers: auth(seeded.progress.firstToken + i) }
    }
  }
  await load('warm-up', base, progressRequest, WARM_UP)
  const progress = await load('progress look-up', base, progressRequest)
  let s = 0
  const submitRequest: autocannon.Request = {
    method: 'POST',
    setupRequest: (req) => {
      const i = s++
      if (i >= seeded.drafts.count) throw new Error('out of drafts: raise BENCH_DRAFTS')
      return { ...req, path: `/api/v1/applications/${seeded.drafts.firstApp + i}/submit`, headers: auth(seeded.drafts.firstToken + i) }
    }
  }
  await load('warm-up', base, submitRequest, WARM_UP)
  const submit = await load('submission (no attachments)', base, submitRequest)
  return { health, progress, submit }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
