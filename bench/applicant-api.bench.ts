// The applicant API under load: autocannon, 50 connections over loopback, against the real server
// (bench/applicant-api-server.ts in its own process, so the load generator does not share its
// event loop). One run measures the trivial health endpoint (the baseline), an authenticated
// progress look-up, and application submissions without attachments (full validation, the
// transaction with its event, history and audit entry). Prints req/s, p99 and the ratio.
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const here = dirname(fileURLToPath(import.meta.url))
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = 50

interface Seeded {
  port: number
  dataDir: string
  progress: { firstApp: number; count: number; firstToken: number }
  drafts: { firstApp: number; count: number; firstToken: number }
}

async function startServer(): Promise<{ seeded: Seeded; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(here, '../node_modules/vite-node/dist/cli.mjs'), join(here, 'applicant-api-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_DRAFTS: String(Math.max(20_000, SECONDS * 8_000)) }
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
  console.log(`seeding (1,000 submitted applications, ${Math.max(20_000, SECONDS * 8_000).toLocaleString()} drafts) …`)
  const t0 = Date.now()
  const { seeded, stop } = await startServer()
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${CONNECTIONS} connections, ${SECONDS} s each, loopback`)
  // Figures from a shared machine mean little: say how busy it was.
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min)`)
  const base = `http://127.0.0.1:${seeded.port}`
  const auth = (i: number) => ({ authorization: `Bearer bench-token-${i}` })
  try {
    await load('warm-up', base, { method: 'GET', path: '/api/v1/health' }, 1)
    const health = await load('health (baseline)', base, { method: 'GET', path: '/api/v1/health' })

    let p = 0
    const progress = await load('progress look-up', base, {
      method: 'GET',
      setupRequest: (req) => {
        const i = p++ % seeded.progress.count
        return { ...req, path: `/api/v1/applications/${seeded.progress.firstApp + i}/progress`, headers: auth(seeded.progress.firstToken + i) }
      }
    })

    let s = 0
    const submit = await load('submission (no attachments)', base, {
      method: 'POST',
      setupRequest: (req) => {
        const i = s++
        if (i >= seeded.drafts.count) throw new Error('out of drafts: raise BENCH_DRAFTS')
        return { ...req, path: `/api/v1/applications/${seeded.drafts.firstApp + i}/submit`, headers: auth(seeded.drafts.firstToken + i) }
      }
    })

    const targets: Record<string, string> = {
      'progress look-up': `target ≥ 20,000/s, ≥ 0.25 of baseline, p99 < 10 ms`,
      'submission (no attachments)': `target ≥ 3,000/s, p99 < 30 ms`
    }
    const ok: Record<string, boolean> = {
      'progress look-up': progress.rps >= 20_000 && progress.rps / health.rps >= 0.25 && progress.p99 < 10,
      'submission (no attachments)': submit.rps >= 3_000 && submit.p99 < 30
    }
    console.log('')
    console.log('| endpoint | req/s | p50 ms | p99 ms | ratio to baseline | non-2xx | target |')
    console.log('|---|---:|---:|---:|---:|---:|---|')
    for (const r of [health, progress, submit]) {
      const target = targets[r.name] ? `${ok[r.name] ? 'met' : 'MISSED'}: ${targets[r.name]}` : 'baseline'
      console.log(`| ${r.name} | ${Math.round(r.rps).toLocaleString()} | ${r.p50} | ${r.p99} | ${(r.rps / health.rps).toFixed(2)} | ${r.non2xx + r.errors} | ${target} |`)
    }
    if (submit.non2xx || progress.non2xx) console.log('\nnon-2xx answers mean the figures are not valid: check the server log')
  } finally {
    await stop()
    rmSync(seeded.dataDir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
