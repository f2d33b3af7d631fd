// The fault test: the real `serve` process under load on loopback (applicants creating drafts and
// uploading attachments, a clerk creating staff accounts), killed with SIGKILL at random moments
// several times and restarted each time. Afterwards every request that got a 2xx must be in the
// database, every file a row names must exist with its hash, no orphan or temp file may be left,
// and each start after a kill must say what it found. Bounded: 6 kills, about half a minute.
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, tempDir } from '../support/core'
import { applicantLoop, newLedger, prepareDataDir, registerApplicants, spawnServe, type Serve } from './crash-load-client'

const KILLS = Number(process.env.CRASH_KILLS ?? 6)
const APPLICANTS = 12
const UPLOAD_BYTES = 60_000

const dataDir = tempDir('qualdesk-crash-')
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

async function rpc(url: string, op: string, body: unknown, token?: string) {
  const res = await fetch(`${url}/rpc/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body)
  })
  return { status: res.status, body: (await res.json().catch(() => null)) as any }
}

describe('kill -9 under load', () => {
  it('loses no acknowledged write and leaves no orphan file', { timeout: 180_000 }, async () => {
    await prepareDataDir(dataDir)
    let serve: Serve = await spawnServe(dataDir)
    let current: string | null = serve.url
    const applicants = await registerApplicants(serve.url, dataDir, APPLICANTS, 7)
    const admin = (await rpc(serve.url, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })).body.data.token as string

    const ledger = newLedger()
    let stopping = false
    const staffAcked: string[] = []
    const clerk = (async () => {
      let i = 0
      while (!stopping) {
        const url = current
        if (!url) {
          await new Promise((r) => setTimeout(r, 20))
          continue
        }
        const username = `clerk${i++}`
        try {
          const r = await rpc(url, 'staff.create', { username, displayName: `办事员${i}`, roles: ['pre_reviewer'] }, admin)
          if (r.status === 200) {
            staffAcked.push(username)
            ledger.acked++
          } else if (r.status === 409 || r.status === 400) i++
        } catch {
          /* killed mid-request: not acknowledged */
        }
      }
    })()
    const workers = applicants.map((a) => applicantLoop(a, ledger, () => current, () => stopping, UPLOAD_BYTES))

    const restarts: Serve[] = []
    let kills = 0
    for (; kills < KILLS; kills++) {
      await new Promise((r) => setTimeout(r, 600 + Math.random() * 1800))
      current = null
      serve.child.kill('SIGKILL')
      await serve.exited
      serve = await spawnServe(dataDir)
      restarts.push(serve)
      current = serve.url
    }
    await new Promise((r) => setTimeout(r, 1000))
    stopping = true
    await Promise.all([...workers, clerk])
    current = null
    serve.child.kill('SIGTERM')
    await serve.exited

    // ---- what the database and the folder hold --------------------------------------------
    const db = new Database(join(dataDir, 'qualdesk.db'), { readonly: true })
    let lost = 0
    const problems: string[] = []
    for (const [id] of ledger.applications) {
      if (!db.prepare('SELECT 1 FROM applications WHERE id = ?').get(id)) {
        lost++
        problems.push(`application ${id} acknowledged but missing`)
      }
    }
    const current_ = db.prepare('SELECT sha256 FROM attachments WHERE application_id = ? AND kind = ? AND replaced_at IS NULL')
    for (const [key, sent] of ledger.uploads) {
      const last = sent.map((s) => s.acked).lastIndexOf(true)
      if (last < 0) continue
      const [app, kind] = key.split(':')
      const row = current_.get(Number(app), kind) as { sha256: string } | undefined
      // The current file is the last acknowledged one, or one sent after it whose answer the kill swallowed.
      if (!row || !sent.slice(last).some((s) => s.sha256 === row.sha256)) {
        lost++
        problems.push(`${key}: acknowledged upload ${sent[last].sha256.slice(0, 12)} missing (found ${row?.sha256.slice(0, 12) ?? 'nothing'})`)
      }
    }
    for (const u of staffAcked) {
      if (!db.prepare('SELECT 1 FROM staff WHERE username = ?').get(u)) {
        lost++
        problems.push(`staff ${u} acknowledged but missing`)
      }
    }
    const rows = db.prepare('SELECT DISTINCT sha256 FROM attachments').all() as { sha256: string }[]
    const missingFiles = rows.filter(({ sha256 }) => {
      const f = join(dataDir, 'attachments', sha256.slice(0, 2), sha256)
      return !existsSync(f) || createHash('sha256').update(readFileSync(f)).digest('hex') !== sha256
    })
    const named = new Set(rows.map((r) => r.sha256))
    const onDisk = readdirSync(join(dataDir, 'attachments')).filter((d) => /^[0-9a-f]{2}$/.test(d)).flatMap((d) => readdirSync(join(dataDir, 'attachments', d)))
    const orphans = onDisk.filter((f) => !named.has(f))
    const temp = existsSync(join(dataDir, 'attachments', 'tmp')) ? readdirSync(join(dataDir, 'attachments', 'tmp')) : []
    const integrity = db.pragma('integrity_check', { simple: true })
    db.close()

    const uploadsAcked = [...ledger.uploads.values()].flat().filter((s) => s.acked).length
    console.log(
      `[crash] requests acknowledged: ${ledger.acked} (${ledger.applications.size} applications, ${uploadsAcked} uploads, ${staffAcked.length} staff accounts); ` +
        `kills survived: ${kills}; records lost: ${lost}; files missing: ${missingFiles.length}; orphan files left: ${orphans.length}; ` +
        `requests cut off by kills: ${ledger.errors.get('connection lost') ?? 0}`
    )
    expect(problems).toEqual([])
    expect(lost).toBe(0)
    expect(kills).toBe(KILLS)
    expect(uploadsAcked).toBeGreaterThan(50)
    expect(missingFiles).toEqual([])
    expect(orphans).toEqual([])
    expect(temp).toEqual([])
    expect(integrity).toBe('ok')
    // Each start after a kill said so.
    for (const s of restarts) expect(s.output()).toContain('启动检查：上次运行未正常退出')
    console.log(`[crash] what the last start said:\n${restarts[restarts.length - 1].output()}`)
    // Refusals other than lost connections would be bugs.
    expect([...ledger.errors.keys()].filter((k) => k !== 'connection lost')).toEqual([])
  })
})
