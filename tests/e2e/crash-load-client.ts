// The load side of the fault test (crash-kill.test.ts) and of bench/load.bench.ts: the real
// `serve` process on loopback, applicants registered through the API, and workers that create
// applications and upload attachments the way the 政务交通 app does, remembering every answer.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createCore } from '../../src-main/core/create-core'
import { readOutbox } from '../../src-main/core/services/sms'
import { SAMPLE_JPEG } from '../../src-main/core/demo/sample-attachments'
import { idCheckChar } from '../../src-main/core/domain/id-number'
import { SERVER_JS_FLAGS } from '../../src-main/core/js-flags'
import { ADMIN_PASSWORD } from '../support/core'
import { jpegOfSize } from '../services/data-safety-helpers'

const ROOT = resolve(__dirname, '../..')
export const CLI = join(ROOT, 'out/main/cli.js')

export interface Serve {
  url: string
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

/** Starts the built app's `serve` on a free loopback port over `dataDir` (kept after it stops). */
export async function spawnServe(dataDir: string): Promise<Serve> {
  if (!existsSync(CLI)) throw new Error('The app is not built: run `npm run build` first (`npm test` does).')
  const child = spawn(process.execPath, [...SERVER_JS_FLAGS, CLI, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, QUALDESK_ADMIN_PASSWORD: ADMIN_PASSWORD, QUALDESK_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 20 s:\n${out}`)), 20_000)
    const check = () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolveUrl(m[1])
      }
    }
    child.stdout!.on('data', check)
    void exited.then((code) => reject(new Error(`serve exited with ${code}:\n${out}`)))
  })
  return { url, child, output: () => out, exited }
}

/** A fresh data folder with limits fit for a load test (auth requests per address, SMS interval). */
export async function prepareDataDir(dataDir: string) {
  const core = await createCore({ dataDir, adminPassword: ADMIN_PASSWORD, logError: () => {} })
  core.ctx.settings.set('applicant.authRequestsPerMinute', 1_000_000, null)
  core.close()
}

async function json(url: string, method: string, body?: unknown, token?: string) {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, body: (await res.json().catch(() => null)) as any }
}

export interface Applicant {
  idNumber: string
  token: string
}

/** Registers and logs in `count` applicants through the API (SMS codes read from the outbox). */
export async function registerApplicants(url: string, dataDir: string, count: number, tag: number): Promise<Applicant[]> {
  const out: Applicant[] = []
  for (let i = 0; i < count; i++) {
    const first17 = `410105${1970 + (i % 30)}0${1 + (i % 9)}1${i % 10}${String((tag * 100 + i) % 1000).padStart(3, '0')}`.slice(0, 17)
    const idNumber = first17 + idCheckChar(first17)
    const phone = `13${String(tag % 10)}${String(process.pid % 1000).padStart(3, '0')}${String(i).padStart(5, '0')}`
    const sms = await json(`${url}/api/v1/auth/sms-code`, 'POST', { phone, purpose: 'register' })
    if (sms.status !== 202) throw new Error(`sms-code ${sms.status} ${JSON.stringify(sms.body)}`)
    const code = /验证码为(\d{6})/.exec((await readOutbox(dataDir)).filter((m) => m.to === phone).pop()?.text ?? '')?.[1]
    const reg = await json(`${url}/api/v1/auth/register`, 'POST', { idNumber, name: '张伟', phone, smsCode: code, password: 'abc12345' })
    if (reg.status !== 201) throw new Error(`register ${reg.status} ${JSON.stringify(reg.body)}`)
    const login = await json(`${url}/api/v1/auth/login`, 'POST', { idNumber, password: 'abc12345' })
    if (login.status !== 200) throw new Error(`login ${login.status} ${JSON.stringify(login.body)}`)
    out.push({ idNumber, token: login.body.token })
  }
  return out
}

/** Random filler per size, made once: the load generator should spend its time sending, not making bytes. */
const FILLER = new Map<number, Buffer>()

/** A valid JPEG of about `bytes` (the sample with comment segments), unique per call: its first segment starts with 32 fresh random bytes. */
export function uniqueJpeg(bytes: number): Buffer {
  let base = FILLER.get(bytes)
  if (!base) {
    base = jpegOfSize(bytes)
    FILLER.set(bytes, base)
  }
  const out = Buffer.from(base)
  // after SOI (2 bytes) and the first segment's marker and length (4 bytes), when that segment
  // holds 32 bytes or more (its 4 header bytes are part of the file's extra length)
  if (out.length >= SAMPLE_JPEG.length + 4 + 32) randomBytes(32).copy(out, 6)
  return out
}

export const KINDS = ['id_front', 'id_back', 'licence', 'no_accident', 'photo', 'other'] as const

/** Every answer the load got, to be checked against the database afterwards. */
export interface Ledger {
  applications: Map<number, string> // id → applicant's ID number
  /** per application and kind: the uploads sent in order, with whether a 2xx came back */
  uploads: Map<string, { sha256: string; acked: boolean }[]>
  latencies: number[]
  acked: number
  errors: Map<string, number>
}
export const newLedger = (): Ledger => ({ applications: new Map(), uploads: new Map(), latencies: [], acked: 0, errors: new Map() })

/**
 * One applicant's loop: create a passenger draft once, then upload attachments of each kind in turn
 * until `stop()` says so. `server()` gives the current address (null while the server is down).
 */
export async function applicantLoop(
  a: Applicant,
  ledger: Ledger,
  server: () => string | null,
  stop: () => boolean,
  bytes: number
) {
  let appId: number | null = null
  let k = 0
  const error = (key: string) => ledger.errors.set(key, (ledger.errors.get(key) ?? 0) + 1)
  while (!stop()) {
    const url = server()
    if (!url) {
      await new Promise((r) => setTimeout(r, 20))
      continue
    }
    try {
      if (appId === null) {
        const t0 = performance.now()
        const r = await json(`${url}/api/v1/applications`, 'POST', { category: 'passenger', applicationType: 'initial' }, a.token)
        if (r.status === 201) {
          ledger.latencies.push(performance.now() - t0)
          ledger.acked++
          appId = r.body.id as number
          ledger.applications.set(appId, a.idNumber)
        } else if (r.status === 409) {
          // Created before a kill whose answer never arrived: find it in the applicant's list.
          const list = await json(`${url}/api/v1/applications`, 'GET', undefined, a.token)
          appId = list.body?.[0]?.id ?? null
        } else error(`create ${r.status}`)
        continue
      }
      const kind = KINDS[k++ % KINDS.length]
      const body = uniqueJpeg(bytes)
      const sha256 = createHash('sha256').update(body).digest('hex')
      const key = `${appId}:${kind}`
      const sent = { sha256, acked: false }
      if (!ledger.uploads.has(key)) ledger.uploads.set(key, [])
      ledger.uploads.get(key)!.push(sent)
      const t0 = performance.now()
      const res = await fetch(`${url}/api/v1/applications/${appId}/attachments/${kind}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${a.token}`, 'content-type': 'image/jpeg', 'x-file-name': `${kind}.jpg` },
        body
      })
      const answer = (await res.json().catch(() => null)) as { sha256?: string } | null
      if (res.status === 201 && answer?.sha256 === sha256) {
        ledger.latencies.push(performance.now() - t0)
        ledger.acked++
        sent.acked = true
      } else error(`upload ${res.status}`)
    } catch {
      // The server went away mid-request: not acknowledged, so nothing is promised.
      error('connection lost')
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN
  const sorted = [...values].sort((x, y) => x - y)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}
