// Disk full and a read-only data folder, as a clerk and an applicant meet them: the API answers
// 507 / 503 with the error shape and a Chinese message that says why, nothing is half-written,
// and the office works again once the disk has room.
import { writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { storageFailure } from '../../src-main/core/storage-errors'
import { ADMIN_PASSWORD, fakeClock, rpc, testServer, type TestServer } from '../support/core'
import { call, newPhone } from './applicant-support'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/**
 * The disk fills up: the database may not grow by a single page more (PRAGMA max_page_count), so
 * the next write that needs a new page fails with SQLITE_FULL, as on a full disk. Returns how to
 * make room again.
 */
function fillDisk(s: TestServer) {
  const db = s.core.ctx.db
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
  return () => {
    db.pragma('max_page_count = 1073741823')
  }
}

async function adminToken(s: TestServer) {
  const r = await rpc(s.url, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })
  return r.data.token as string
}

describe('disk full', () => {
  it('a clerk saving a change gets 507 with the reason; nothing is saved; it works once there is room', async () => {
    server = await testServer({ clock: fakeClock() })
    const token = await adminToken(server)
    const staffBefore = (await rpc(server.url, 'staff.list', {}, token)).data.length
    const auditBefore = server.core.ctx.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }
    const free = fillDisk(server)

    // Clerks keep adding colleagues until the disk is full.
    let created = 0
    let refused: Awaited<ReturnType<typeof rpc>> | undefined
    for (let i = 0; i < 500 && !refused; i++) {
      const r = await rpc(server.url, 'staff.create', { username: `clerk${i}`, displayName: `办事员${i}`, roles: ['pre_reviewer'] }, token)
      if (r.status === 200) created++
      else refused = r
    }
    expect(refused?.status).toBe(507)
    expect(refused?.error).toEqual({ code: 'storage_full', message: '服务器存储空间已满，本次操作未保存。请联系管理员清理数据磁盘后重试。' })
    // Nothing half-written: the refused colleague has no row and no audit entry.
    free()
    const names = (await rpc(server.url, 'staff.list', {}, token)).data.map((s: { username: string }) => s.username)
    expect(names).toHaveLength(staffBefore + created)
    expect(names).not.toContain(`clerk${created}`)
    expect((server.core.ctx.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'staff.created'").get() as { n: number }).n).toBe(created)
    expect((server.core.ctx.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBeGreaterThan(auditBefore.n)

    const again = await rpc(server.url, 'staff.create', { username: `clerk${created}`, displayName: '王芳', roles: ['pre_reviewer'] }, token)
    expect(again.status).toBe(200)
  })

  it('an applicant registering gets 507 in the applicant API error shape', async () => {
    server = await testServer({ clock: fakeClock() })
    server.core.ctx.settings.set('applicant.authRequestsPerMinute', 100_000, null)
    fillDisk(server)
    let answer: Awaited<ReturnType<typeof call>> | undefined
    for (let i = 0; i < 1000; i++) {
      answer = await call(server.url, 'POST', '/auth/sms-code', { body: { phone: newPhone(), purpose: 'register' } })
      if (answer.status !== 202) break
    }
    expect(answer?.status).toBe(507)
    expect(answer?.body).toEqual({ error: { code: 'storage_full', message: '服务器存储空间已满，本次操作未保存。请联系管理员清理数据磁盘后重试。' } })
  })
})

describe('read-only data folder', () => {
  it('answers 503 with the reason and saves nothing', async () => {
    server = await testServer({ clock: fakeClock() })
    const token = await adminToken(server)
    // The database refuses every write, as on a volume remounted read-only.
    server.core.ctx.db.pragma('query_only = ON')
    const r = await rpc(server.url, 'staff.create', { username: 'lilei', displayName: '李雷', roles: ['exam_staff'] }, token)
    expect(r.status).toBe(503)
    expect(r.error).toEqual({ code: 'unavailable', message: '数据文件夹当前为只读或没有写入权限，本次操作未保存。请联系管理员检查数据磁盘后重试。' })
    server.core.ctx.db.pragma('query_only = OFF')
    expect((await rpc(server.url, 'staff.list', {}, token)).data.some((s: { username: string }) => s.username === 'lilei')).toBe(false)
  })
})

describe('storage error mapping', () => {
  it('maps the file system’s own errors: ENOSPC from /dev/full, EROFS, EACCES', () => {
    let enospc: unknown
    try {
      writeFileSync('/dev/full', 'x')
    } catch (e) {
      enospc = e
    }
    expect(storageFailure(enospc)?.status).toBe(507)
    expect(storageFailure(Object.assign(new Error('read-only file system'), { code: 'EROFS' }))?.status).toBe(503)
    expect(storageFailure(Object.assign(new Error('permission denied'), { code: 'EACCES' }))?.code).toBe('unavailable')
    expect(storageFailure(Object.assign(new Error('x'), { code: 'SQLITE_READONLY_DBMOVED' }))?.status).toBe(503)
    expect(storageFailure(new Error('something else'))).toBeNull()
  })
})
