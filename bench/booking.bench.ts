// 1,000 concurrent booking requests for one 30-seat session over HTTP, against the real server in
// its own process (bench/booking.server.ts). Target: all answered in under 1 s, exactly 30 booked.
// Baseline in the same run: 1,000 concurrent GET /api/v1/health.
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import http from 'node:http'
import { cpus, loadavg } from 'node:os'

const here = dirname(fileURLToPath(import.meta.url))

function request(agent: http.Agent, port: number, method: string, path: string, token?: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body)
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    if (data) req.write(data)
    req.end()
  })
}

async function main() {
  const child = spawn(process.execPath, [join(here, '../node_modules/vite-node/dist/cli.mjs'), join(here, 'booking.server.ts')], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  const seeded = JSON.parse((await lines.next()).value as string) as { port: number; dataDir: string; sessionId: number; people: { applicationId: number; token: string }[] }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 200 })
  // warm the connections and the JIT on something else first
  await Promise.all(Array.from({ length: 400 }, () => request(agent, seeded.port, 'GET', '/api/v1/health')))
  let t = performance.now()
  await Promise.all(Array.from({ length: seeded.people.length }, () => request(agent, seeded.port, 'GET', '/api/v1/health')))
  const healthMs = performance.now() - t
  t = performance.now()
  const statuses = await Promise.all(seeded.people.map((p) => request(agent, seeded.port, 'POST', `/api/v1/applications/${p.applicationId}/bookings`, p.token, { sessionId: seeded.sessionId })))
  const bookMs = performance.now() - t
  child.stdin!.write('count\n')
  const count = JSON.parse((await lines.next()).value as string) as { booked: number; rows: number }
  const by = statuses.reduce<Record<number, number>>((m, s) => ((m[s] = (m[s] ?? 0) + 1), m), {})
  console.log(`booking: ${seeded.people.length} concurrent POST /bookings for one session of 30 seats (200 keep-alive sockets; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`)
  console.log(`  baseline, ${seeded.people.length} concurrent GET /health: ${healthMs.toFixed(0)} ms`)
  console.log(`  bookings: ${bookMs.toFixed(0)} ms (${(bookMs / healthMs).toFixed(2)}× the baseline); answers ${JSON.stringify(by)}; session booked = ${count.booked}, booking rows = ${count.rows}`)
  console.log(`  target < 1000 ms with exactly 30 booked: ${bookMs < 1000 && count.booked === 30 && count.rows === 30 && by[201] === 30 ? 'MET' : 'NOT MET'}`)
  agent.destroy()
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
  rmSync(seeded.dataDir, { recursive: true, force: true })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
