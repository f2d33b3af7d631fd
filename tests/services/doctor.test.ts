// The doctor as an administrator runs it (npm run doctor, the data-safety screen): a healthy office
// passes; a missing or altered attachment, an edited, deleted or cut-off audit entry, a broken
// foreign key are each named. And the start after a crash says what it found and cleans up.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore } from '../../src-main/core/create-core'
import { GENESIS_HASH, hashEntry, verifyChain } from '../../src-main/core/domain/audit-chain'
import { ADMIN_PASSWORD, fakeClock, tempDir, testCore, type TestCore } from '../support/core'
import { adminActor, addApplicationWithAttachments } from './data-safety-helpers'

const cleanup: (() => void)[] = []
afterEach(() => {
  while (cleanup.length) cleanup.pop()!()
})
async function office(): Promise<TestCore> {
  const core = await testCore({ clock: fakeClock() })
  cleanup.push(() => core.dispose())
  return core
}
const statusOf = (r: { checks: { key: string; status: string }[] }, key: string) => r.checks.find((c) => c.key === key)!.status
const detailsOf = (r: { checks: { key: string; details: string[]; summary: string }[] }, key: string) => {
  const c = r.checks.find((x) => x.key === key)!
  return [c.summary, ...c.details].join('\n')
}
/** What someone with direct SQL access might do: switch the append-only triggers off first. */
function tamper(core: TestCore, sql: string, ...params: unknown[]) {
  const db = core.ctx.db
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;')
  db.prepare(sql).run(...params)
}

describe('audit hash chain', () => {
  it('chains every entry to the one before (pure)', () => {
    const e = { id: 1, at: '2026-11-25T09:00:00+08:00', actorType: 'staff', actorId: 1, actorName: '王芳', action: 'auth.login', targetType: null, targetId: null, detail: null, ip: '10.0.0.5' }
    const h1 = hashEntry(GENESIS_HASH, e)
    const e2 = { ...e, id: 2, action: 'auth.logout' }
    const h2 = hashEntry(h1, e2)
    expect(verifyChain([{ ...e, prevHash: GENESIS_HASH, hash: h1 }, { ...e2, prevHash: h1, hash: h2 }]).problems).toEqual([])
    expect(verifyChain([{ ...e, actorName: '李强', prevHash: GENESIS_HASH, hash: h1 }]).problems).toEqual([{ kind: 'edited', id: 1 }])
    expect(verifyChain([{ ...e2, prevHash: h1, hash: h2 }]).problems.map((p) => p.kind)).toEqual(['gap', 'broken_link'])
  })

  it('refuses to edit or delete entries through SQL while the triggers stand', async () => {
    const core = await office()
    core.ctx.audit.record({ actorType: 'system', action: 'test.entry' })
    expect(() => core.ctx.db.prepare("UPDATE audit_log SET actor_name = 'x'").run()).toThrow('append-only')
    expect(() => core.ctx.db.prepare('DELETE FROM audit_log').run()).toThrow('append-only')
    expect(() => core.ctx.db.prepare("UPDATE audit_log SET hash = ?, prev_hash = ? WHERE id = 1").run('a'.repeat(64), 'b'.repeat(64))).toThrow('append-only')
  })
})

describe('doctor', () => {
  it('passes a healthy office', async () => {
    const core = await office()
    await addApplicationWithAttachments(core, 3)
    const r = await core.services.doctor.run(adminActor(core))
    expect(r.ok).toBe(true)
    expect(r.checks.map((c) => [c.key, c.status])).toEqual([
      ['schema', 'ok'],
      ['integrity', 'ok'],
      ['foreign_keys', 'ok'],
      ['attachments', 'ok'],
      ['audit_chain', 'ok'],
      ['backups', 'warning'] // no backup yet
    ])
    expect(detailsOf(r, 'attachments')).toContain('3 个附件文件完好')
  })

  it('names an attachment whose file is missing or altered', async () => {
    const core = await office()
    const [a, b] = await addApplicationWithAttachments(core, 2)
    rmSync(join(core.dataDir, 'attachments', a.sha256.slice(0, 2), a.sha256))
    writeFileSync(join(core.dataDir, 'attachments', b.sha256.slice(0, 2), b.sha256), Buffer.alloc(b.size, 1))
    const r = await core.services.doctor.run(null)
    expect(r.ok).toBe(false)
    expect(statusOf(r, 'attachments')).toBe('error')
    expect(detailsOf(r, 'attachments')).toMatch(/文件缺失/)
    expect(detailsOf(r, 'attachments')).toMatch(/内容与哈希不符/)
  })

  it('detects an edited audit entry', async () => {
    const core = await office()
    for (let i = 0; i < 5; i++) core.ctx.audit.record({ actorType: 'system', action: 'test.entry', detail: { i } })
    tamper(core, "UPDATE audit_log SET actor_name = '某人' WHERE id = 3")
    const r = await core.services.doctor.run(null)
    expect(statusOf(r, 'audit_chain')).toBe('error')
    expect(detailsOf(r, 'audit_chain')).toContain('审计记录 #3 的内容与其哈希不符（记录被修改）')
  })

  it('detects a deleted audit entry', async () => {
    const core = await office()
    for (let i = 0; i < 5; i++) core.ctx.audit.record({ actorType: 'system', action: 'test.entry', detail: { i } })
    tamper(core, 'DELETE FROM audit_log WHERE id = 4')
    const r = await core.services.doctor.run(null)
    expect(statusOf(r, 'audit_chain')).toBe('error')
    expect(detailsOf(r, 'audit_chain')).toContain('审计记录 #3 与 #5 之间缺少记录（被删除）')
  })

  it('detects entries cut off the end of the log since the last backup', async () => {
    const core = await office()
    const admin = adminActor(core)
    await core.services.backups.saveConfig(admin, { folder: tempDir('qualdesk-backups-'), keep: 3, dailyEnabled: false, dailyTime: '02:00' })
    await core.services.backups.backupNow(admin)
    const head = core.ctx.repos.audit.head()!
    // The entries the backup saw, and those after it, removed from the end: the chain alone still looks whole.
    tamper(core, 'DELETE FROM audit_log WHERE id >= ?', head.id - 2)
    const r = await core.services.doctor.run(null)
    expect(statusOf(r, 'audit_chain')).toBe('error')
    expect(detailsOf(r, 'audit_chain')).toMatch(/最近一次备份（.*）时的审计记录 #\d+ 已不存在（日志末尾被删除）/)
  })

  it('reports broken foreign keys', async () => {
    const core = await office()
    await addApplicationWithAttachments(core, 1)
    core.ctx.db.pragma('foreign_keys = OFF')
    core.ctx.db.prepare('UPDATE attachments SET application_id = 99999').run()
    core.ctx.db.pragma('foreign_keys = ON')
    const r = await core.services.doctor.run(null)
    expect(statusOf(r, 'foreign_keys')).toBe('error')
    expect(detailsOf(r, 'foreign_keys')).toContain('attachments 第 1 行引用的 applications 记录不存在')
  })

  it('`doctor` on the command line prints the findings and exits 1 on a problem', { timeout: 60_000 }, async () => {
    const cli = resolve(__dirname, '../../out/main/cli.js')
    if (!existsSync(cli)) throw new Error('The app is not built: run `npm run build` first (`npm test` does).')
    const core = await office()
    const [a] = await addApplicationWithAttachments(core, 1)
    const run = () => {
      try {
        return { code: 0, out: execFileSync(process.execPath, [cli, 'doctor', '--data-dir', core.dataDir], { encoding: 'utf8' }) }
      } catch (e) {
        const err = e as { status: number; stdout: string }
        return { code: err.status, out: err.stdout }
      }
    }
    let r = run()
    expect(r.out).toContain('✔ 正常  数据库完整性（integrity_check）：通过')
    expect(r.code).toBe(0)
    rmSync(join(core.dataDir, 'attachments', a.sha256.slice(0, 2), a.sha256))
    r = run()
    expect(r.code).toBe(1)
    expect(r.out).toContain('✘ 问题  附件文件与哈希')
  })
})

describe('start after a crash', () => {
  it('says the last run did not end cleanly, and removes temp files and unreferenced attachment files', async () => {
    const dataDir = tempDir()
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const first = await createCore({ dataDir, adminPassword: ADMIN_PASSWORD })
    const [kept] = await addApplicationWithAttachments(first, 1)
    // A clean stop says nothing the next time.
    first.close()
    const second = await createCore({ dataDir, adminPassword: ADMIN_PASSWORD })
    expect(second.startup.uncleanShutdown).toBe(false)
    expect(second.startup.messages).toEqual([])
    // Now as if killed: the database is left open (its WAL not checkpointed), the marker stays,
    // an upload was half-written and another was renamed into place but never committed.
    second.ctx.audit.record({ actorType: 'system', action: 'test.before_kill' })
    mkdirSync(join(dataDir, 'attachments', 'tmp'), { recursive: true })
    writeFileSync(join(dataDir, 'attachments', 'tmp', 'abc.part'), 'half')
    mkdirSync(join(dataDir, 'exports'), { recursive: true })
    writeFileSync(join(dataDir, 'exports', '7-3f2a.xlsx.part'), 'half an export')
    writeFileSync(join(dataDir, 'exports', '6-done.xlsx'), 'a finished export stays')
    const orphan = 'ab'.repeat(32)
    mkdirSync(join(dataDir, 'attachments', 'ab'), { recursive: true })
    writeFileSync(join(dataDir, 'attachments', 'ab', orphan), 'never committed')
    const third = await createCore({ dataDir, adminPassword: ADMIN_PASSWORD })
    try {
      expect(third.startup.uncleanShutdown).toBe(true)
      expect(third.startup.quickCheck).toBe('ok')
      expect(third.startup.removedTempFiles).toBe(2)
      expect(existsSync(join(dataDir, 'exports', '7-3f2a.xlsx.part'))).toBe(false)
      expect(existsSync(join(dataDir, 'exports', '6-done.xlsx'))).toBe(true)
      expect(third.startup.removedOrphanFiles).toBe(1)
      expect(third.startup.messages.join('\n')).toContain('上次运行未正常退出')
      expect(existsSync(join(dataDir, 'attachments', 'ab', orphan))).toBe(false)
      expect(existsSync(join(dataDir, 'attachments', kept.sha256.slice(0, 2), kept.sha256))).toBe(true)
      expect(third.ctx.repos.audit.page({ action: 'test.before_kill' }, 5, 0).total).toBe(1)
      expect(third.ctx.repos.audit.page({ action: 'system.recovered' }, 5, 0).total).toBe(1)
    } finally {
      third.close()
      second.close()
    }
  })

  it('marks a backup the crash interrupted as failed and removes its half-written folder', async () => {
    const dataDir = tempDir()
    const backups = tempDir('qualdesk-backups-')
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }))
    cleanup.push(() => rmSync(backups, { recursive: true, force: true }))
    const first = await createCore({ dataDir, adminPassword: ADMIN_PASSWORD })
    await first.services.backups.saveConfig(adminActor(first), { folder: backups, keep: 3, dailyEnabled: true, dailyTime: '02:00' })
    // Killed while writing backup 1: its row says running, its folder is still `.partial`.
    first.ctx.db.prepare(`INSERT INTO backup_runs (trigger, started_at, folder) VALUES ('daily', ?, ?)`).run(first.ctx.now(), backups)
    const partial = join(backups, 'qualdesk-backup-20261125-020000-1.partial')
    mkdirSync(partial)
    writeFileSync(join(partial, 'qualdesk.db'), 'half')
    const second = await createCore({ dataDir, adminPassword: ADMIN_PASSWORD })
    try {
      expect(second.startup.interruptedBackups).toBe(1)
      expect(second.startup.messages.join('\n')).toContain('1 次备份在进行中被中断')
      expect(existsSync(partial)).toBe(false)
      const [run] = second.services.backups.list()
      expect(run).toMatchObject({ status: 'failed', message: '程序在备份过程中中断（断电或异常退出），此备份不完整，已删除' })
    } finally {
      second.close()
      first.close()
    }
  })
})
