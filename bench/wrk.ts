// wrk, Debian's C load generator (`apt-get install -y wrk`), for the benches that measure the
// server under load. A load generator written in Node spends about as much CPU per request as the
// server it measures, and on this 2-core machine it then shares the cores the server's own
// threads (the WAL flushes, the kernel's side of loopback) need: the figure is partly the client's.
// wrk runs on one thread here; a Lua script, when given, builds each request.
import { spawnSync } from 'node:child_process'

export interface WrkResult {
  rps: number
  p50: number
  p99: number
  /** completed requests */
  requests: number
  non2xx: number
  socketErrors: number
}

/** True when wrk is installed (and not switched off with BENCH_CLIENT=node). */
export function hasWrk(): boolean {
  return process.env.BENCH_CLIENT !== 'node' && spawnSync('wrk', ['--version']).error === undefined
}

/** Runs wrk against `url` (a path included when there is no script) and parses its report. */
export function runWrk(options: { url: string; connections: number; seconds: number; script?: string }): WrkResult {
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', ...(options.script ? ['-s', options.script] : []), options.url]
  const r = spawnSync('wrk', args, { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`)
  const out = r.stdout
  const ms = (label: string) => {
    const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(out)
    if (!m) return NaN
    return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1)
  }
  const se = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50: ms('50%'),
    p99: ms('99%'),
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: se ? se.slice(1).reduce((a, b) => a + Number(b), 0) : 0
  }
}
