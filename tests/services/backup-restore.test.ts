// Backups and restore as an administrator uses them: back up the running office (database and
// attachment files), see it listed with its size and result, keep the last N, restore into a
// fresh folder and find every record and file there; a damaged or newer backup is refused.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore } from '../../src-main/core/create-core'
import { restoreBackup } from '../../src-main/core/services/restore'
import { MIGRATIONS } from '../../src-main/core/storage/database'
import { ADMIN_PASSWORD, fakeClock, tempDir, testCore, type TestCore } from '../support/core'
import { adminActor, addApplicationWithAttachments } from './data-safety-helpers'

const cleanup: (() => void)[] = []
afterEach(() => {
  while (cleanup.length) cleanup.pop()!()
})
function dir(prefix: string) {
  const d = tempDir(prefix)
  cleanup.push(() => rmSync(d, { recursive: true, force: true }))
  return d
}
async function office(): Promise<TestCore> {
  const core = await testCore({ clock: fakeClock() })
  cleanup.push(() => core.dispose())
  return core
}

describe('backups', () => {
  it('backs up the database and the attachment files, verified, listed with size and result', async () => {
    const core = await office()
    const admin = adminActor(core)
    const files = await addApplicationWithAttachments(core, 3)
    const folder = dir('qualdesk-backups-')
    await core.services.backups.saveConfig(admin, { folder, keep: 3, dailyEnabled: true, dailyTime: '02:00' })

    const run = await core.services.backups.backupNow(admin)
    expect(run.status).toBe('ok')
    expect(run.verified).toBe('ok')
    expect(run.attachmentCount).toBe(files.length)
    expect(run.totalBytes).toBeGreaterThan(files.reduce((n, f) => n + f.size, 0))
    expect(run.path && existsSync(join(run.path, 'qualdesk.db'))).toBe(true)
    for (const f of files) expect(existsSync(join(run.path!, 'attachments', f.sha256.slice(0, 2), f.sha256))).toBe(true)

    const list = core.services.backups.list()
    expect(list[0]).toMatchObject({ id: run.id, status: 'ok', verified: 'ok', trigger: 'manual', staffName: '系统管理员' })
    const audit = core.ctx.repos.audit.page({ action: 'backup.completed' }, 10, 0)
    expect(audit.total).toBe(1)
  })

  it('keeps only the last N good backups', async () => {
    const core = await office()
    const admin = adminActor(core)
    await addApplicationWithAttachments(core, 1)
    const folder = dir('qualdesk-backups-')
    await core.services.backups.saveConfig(admin, { folder, keep: 2, dailyEnabled: false, dailyTime: '02:00' })
    const runs = []
    for (let i = 0; i < 4; i++) runs.push(await core.services.backups.backupNow(admin))
    const left = readdirSync(folder).filter((f) => f.startsWith('qualdesk-backup-'))
    expect(left.sort()).toEqual([runs[2].path!, runs[3].path!].map((p) => p.split('/').pop()).sort())
    const list = core.services.backups.list()
    expect(list.filter((r) => r.removed).map((r) => r.id).sort()).toEqual([runs[0].id, runs[1].id].sort())
  })

  it('records a failed backup with the reason when the folder cannot be written', async () => {
    const core = await office()
    const admin = adminActor(core)
    const folder = dir('qualdesk-backups-')
    await core.services.backups.saveConfig(admin, { folder, keep: 2, dailyEnabled: false, dailyTime: '02:00' })
    // The share went away and a plain file now sits where the folder was.
    rmSync(folder, { recursive: true, force: true })
    writeFileSync(folder, 'not a folder')
    const run = await core.services.backups.backupNow(admin)
    expect(run.status).toBe('failed')
    expect(run.message).toMatch(/备份失败|无法写入/)
    expect(core.ctx.repos.audit.page({ action: 'backup.failed' }, 10, 0).total).toBe(1)
  })

  it('refuses a second backup while one is running', async () => {
    const core = await office()
    const admin = adminActor(core)
    await core.services.backups.saveConfig(admin, { folder: dir('qualdesk-backups-'), keep: 2, dailyEnabled: false, dailyTime: '02:00' })
    const first = core.services.backups.backupNow(admin)
    await expect(core.services.backups.backupNow(admin)).rejects.toThrow('已有备份正在进行')
    expect((await first).status).toBe('ok')
  })

  it('is due daily at the configured time, and again the next day', async () => {
    const clock = fakeClock('2026-11-25T01:00:00+08:00')
    const core = await testCore({ clock })
    cleanup.push(() => core.dispose())
    const admin = adminActor(core)
    await core.services.backups.saveConfig(admin, { folder: dir('qualdesk-backups-'), keep: 2, dailyEnabled: true, dailyTime: '02:00' })
    expect(core.services.backups.dailyDue()).toBe(false)
    clock.set('2026-11-25T02:00:30+08:00')
    expect(core.services.backups.dailyDue()).toBe(true)
    expect((await core.services.backups.run('daily')).status).toBe('ok')
    expect(core.services.backups.dailyDue()).toBe(false)
    expect(core.services.backups.config().nextDailyAt).toBe('2026-11-26T02:00:00+08:00')
    clock.set('2026-11-26T02:01:00+08:00')
    expect(core.services.backups.dailyDue()).toBe(true)
  })

  it('a backup missed while the office PC was off runs at the next start; a new installation waits for its first daily time', async () => {
    const clock = fakeClock('2026-11-25T10:00:00+08:00')
    const core = await testCore({ clock })
    cleanup.push(() => core.dispose())
    // New installation at 10:00, nothing configured: the first daily backup is tomorrow 02:00.
    expect(core.services.backups.dailyDue()).toBe(false)
    expect(core.services.backups.config().nextDailyAt).toBe('2026-11-26T02:00:00+08:00')
    // Once the administrator has set the folder, a missed daily backup is due at once.
    await core.services.backups.saveConfig(adminActor(core), { folder: dir('qualdesk-backups-'), keep: 2, dailyEnabled: true, dailyTime: '02:00' })
    expect(core.services.backups.dailyDue()).toBe(true)
    await core.services.backups.run('daily')
    // Off over night, started at 08:30 the day after: today's 02:00 was missed, so it is due now.
    clock.set('2026-11-26T08:30:00+08:00')
    expect(core.services.backups.dailyDue()).toBe(true)
  })
})

describe('restore', () => {
  it('restores a backup into a fresh folder with every record and file, and the app starts on it', async () => {
    const core = await office()
    const admin = adminActor(core)
    const files = await addApplicationWithAttachments(core, 4)
    const folder = dir('qualdesk-backups-')
    await core.services.backups.saveConfig(admin, { folder, keep: 3, dailyEnabled: false, dailyTime: '02:00' })
    const run = await core.services.backups.backupNow(admin)
    const apps = (core.ctx.db.prepare('SELECT count(*) AS n FROM applications').get() as { n: number }).n

    const target = join(dir('qualdesk-restore-'), 'data')
    const result = await core.services.restore.run(admin, { backupId: run.id, targetDir: target })
    expect(result.applications).toBe(apps)
    expect(result.attachments).toBe(files.length)
    expect(result.doctor.ok).toBe(true)
    expect(result.startHint).toContain(target)
    for (const f of files) expect(existsSync(join(target, 'attachments', f.sha256.slice(0, 2), f.sha256))).toBe(true)

    const restored = await createCore({ dataDir: target, adminPassword: ADMIN_PASSWORD, logError: () => {} })
    try {
      expect(restored.startup.uncleanShutdown).toBe(false)
      const login = await restored.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })
      expect(login.token).toBeTruthy()
      const doctor = await restored.services.doctor.run(null)
      expect(doctor.checks.find((c) => c.key === 'attachments')!.status).toBe('ok')
      expect(doctor.checks.find((c) => c.key === 'audit_chain')!.status).toBe('ok')
      expect(restored.ctx.repos.audit.page({ action: 'backup.restored' }, 5, 0).total).toBe(1)
    } finally {
      restored.close()
    }
  })

  it('never restores into a folder that has data in it, nor into the folder in use', async () => {
    const core = await office()
    const admin = adminActor(core)
    await core.services.backups.saveConfig(admin, { folder: dir('qualdesk-backups-'), keep: 3, dailyEnabled: false, dailyTime: '02:00' })
    const run = await core.services.backups.backupNow(admin)
    const busy = dir('qualdesk-restore-')
    writeFileSync(join(busy, 'something.txt'), 'x')
    await expect(core.services.restore.run(admin, { backupId: run.id, targetDir: busy })).rejects.toThrow('不是空的')
    await expect(core.services.restore.run(admin, { backupId: run.id, targetDir: core.dataDir })).rejects.toThrow('正在使用的数据文件夹')
    await expect(core.services.restore.run(admin, { backupId: run.id, targetDir: join(run.path!, 'inside') })).rejects.toThrow('恢复目标不能在备份文件夹之内')
    expect(readdirSync(busy)).toEqual(['something.txt'])
    expect(core.ctx.repos.audit.page({ action: 'backup.restore_refused' }, 5, 0).total).toBe(3)
  })

  it('refuses a damaged backup: a changed attachment, a changed database file', async () => {
    const core = await office()
    const admin = adminActor(core)
    const files = await addApplicationWithAttachments(core, 2)
    await core.services.backups.saveConfig(admin, { folder: dir('qualdesk-backups-'), keep: 5, dailyEnabled: false, dailyTime: '02:00' })
    const a = await core.services.backups.backupNow(admin)
    const b = await core.services.backups.backupNow(admin)

    const attachment = join(a.path!, 'attachments', files[0].sha256.slice(0, 2), files[0].sha256)
    rmSync(attachment) // (hard-linked from the other backup: replace, not edit in place)
    writeFileSync(attachment, Buffer.from('tampered'))
    const target = join(dir('qualdesk-restore-'), 'data')
    await expect(restoreBackup(a.path!, target)).rejects.toThrow(/备份已损坏，拒绝恢复：附件文件 .* 缺失或哈希不符/)
    expect(existsSync(target)).toBe(false)
    expect((await core.services.backups.verify(a.id)).ok).toBe(false)

    // A flipped byte in the middle of the database file.
    const dbFile = join(b.path!, 'qualdesk.db')
    const bytes = readFileSync(dbFile)
    bytes[Math.floor(bytes.length / 2)] ^= 0xff
    writeFileSync(dbFile, bytes)
    await expect(restoreBackup(b.path!, target)).rejects.toThrow('数据库文件的哈希与备份清单不符')
    expect(existsSync(target)).toBe(false)
  })

  it('refuses a backup made by a newer QualDesk', async () => {
    const core = await office()
    const admin = adminActor(core)
    await core.services.backups.saveConfig(admin, { folder: dir('qualdesk-backups-'), keep: 5, dailyEnabled: false, dailyTime: '02:00' })
    const run = await core.services.backups.backupNow(admin)
    const manifestFile = join(run.path!, 'manifest.json')
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'))
    const latest = MIGRATIONS[MIGRATIONS.length - 1].version
    // What a newer build would write: a higher user_version in the file and the manifest.
    const db = new Database(join(run.path!, 'qualdesk.db'))
    db.pragma(`user_version = ${latest + 1}`)
    db.close()
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, schemaVersion: latest + 1, appVersion: '9.0.0' }))
    const target = join(dir('qualdesk-restore-'), 'data')
    await expect(restoreBackup(run.path!, target)).rejects.toThrow(
      `此备份由更新版本的 QualDesk 生成（数据库版本 ${latest + 1}，本程序最高支持 ${latest}），拒绝恢复`
    )
    expect(existsSync(target)).toBe(false)
  })

  it('`npm run restore -- PATH --to DIR` restores, and refuses a damaged backup with exit code 2', { timeout: 60_000 }, async () => {
    const cli = join(__dirname, '../../out/main/cli.js')
    if (!existsSync(cli)) throw new Error('The app is not built: run `npm run build` first (`npm test` does).')
    const core = await office()
    const admin = adminActor(core)
    const [file] = await addApplicationWithAttachments(core, 2)
    await core.services.backups.saveConfig(admin, { folder: dir('qualdesk-backups-'), keep: 5, dailyEnabled: false, dailyTime: '02:00' })
    const run = await core.services.backups.backupNow(admin)
    const cmd = (...args: string[]) => spawnSync(process.execPath, [cli, 'restore', ...args], { encoding: 'utf8', env: { ...process.env, QUALDESK_DATA_DIR: '' } })

    const target = join(dir('qualdesk-restore-'), 'data')
    const ok = cmd(run.path!, '--to', target)
    expect(ok.status).toBe(0)
    expect(ok.stdout).toContain('已恢复：备份时间')
    expect(ok.stdout).toContain('结论：未发现问题')
    expect(existsSync(join(target, 'attachments', file.sha256.slice(0, 2), file.sha256))).toBe(true)

    const again = cmd(run.path!, '--to', target)
    expect(again.status).toBe(2)
    expect(again.stderr).toContain('不是空的')
    expect(again.stderr).toContain('用 --to 指定一个新的空文件夹')

    writeFileSync(join(run.path!, 'attachments', file.sha256.slice(0, 2), file.sha256), 'changed')
    const damaged = cmd(run.path!, '--to', join(dir('qualdesk-restore-'), 'data'))
    expect(damaged.status).toBe(2)
    expect(damaged.stderr).toContain('拒绝恢复：备份已损坏')
  })

  it('refuses a folder that is not a QualDesk backup', async () => {
    const target = join(dir('qualdesk-restore-'), 'data')
    await expect(restoreBackup(dir('qualdesk-empty-'), target)).rejects.toThrow('这不是 QualDesk 备份')
  })
})
