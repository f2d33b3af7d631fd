// The staff contract over real HTTP on loopback: what a second desk's browser sends.
import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, fakeClock, rpc, testServer, type TestServer } from '../support/core'

let server: TestServer
afterEach(async () => server?.close())

async function adminToken(s: TestServer) {
  const r = await rpc(s.url, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })
  expect(r.status).toBe(200)
  return r.data.token as string
}

async function clerkToken(s: TestServer, admin: string) {
  const created = await rpc(s.url, 'staff.create', { username: 'yushen1', displayName: '王晓梅', roles: ['pre_reviewer'] }, admin)
  expect(created.status).toBe(200)
  const login = await rpc(s.url, 'auth.login', { username: 'yushen1', password: created.data.initialPassword })
  return { token: login.data.token as string, id: created.data.staff.id as number }
}

describe('POST /rpc/{operation}', () => {
  it('logs in, answers the same staff member to auth.me, and logs out', async () => {
    server = await testServer()
    const token = await adminToken(server)
    const me = await rpc(server.url, 'auth.me', {}, token)
    expect(me.data).toMatchObject({ username: 'admin', roles: ['admin'], desks: ['admin'] })
    expect((await rpc(server.url, 'auth.logout', {}, token)).status).toBe(200)
    expect(await rpc(server.url, 'auth.me', {}, token)).toMatchObject({ status: 401, error: { code: 'unauthenticated' } })
  })

  it('answers a wrong password with 401 and the Chinese message', async () => {
    server = await testServer()
    const r = await rpc(server.url, 'auth.login', { username: 'admin', password: 'wrong' })
    expect(r).toMatchObject({ status: 401, error: { code: 'bad_credentials', message: '用户名或密码错误' } })
  })

  it('locks the account after five wrong passwords', async () => {
    server = await testServer()
    for (let i = 0; i < 5; i++) await rpc(server.url, 'auth.login', { username: 'admin', password: 'wrong' })
    const r = await rpc(server.url, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    expect(r).toMatchObject({ status: 401, error: { code: 'account_locked' } })
    expect(r.error!.message).toContain('锁定')
  })

  it('expires an idle session with a message that says why', async () => {
    const clock = fakeClock()
    server = await testServer({ clock })
    const token = await adminToken(server)
    clock.advance(31 * 60_000)
    const r = await rpc(server.url, 'staff.list', {}, token)
    expect(r).toMatchObject({ status: 401, error: { code: 'session_expired' } })
    expect(r.error!.message).toContain('超时')
  })

  it('refuses a clerk calling an administrator operation directly, and audits it', async () => {
    server = await testServer()
    const admin = await adminToken(server)
    const clerk = await clerkToken(server, admin)
    const r = await rpc(server.url, 'staff.create', { username: 'sneaky', displayName: '某', roles: ['admin'] }, clerk.token)
    expect(r).toMatchObject({ status: 403, error: { code: 'forbidden' } })
    expect(r.error!.message).toContain('管理员')
    const list = await rpc(server.url, 'staff.list', {}, admin)
    expect(list.data.map((s: { username: string }) => s.username)).not.toContain('sneaky')
    const audit = await rpc(server.url, 'audit.list', { action: 'access.denied' }, admin)
    expect(audit.data.total).toBe(1)
    expect(audit.data.rows[0]).toMatchObject({ actorId: clerk.id, actorName: '王晓梅', targetType: 'operation', targetId: 'staff.create' })
  })

  it('answers malformed bodies with 400 naming every field at fault', async () => {
    server = await testServer()
    const admin = await adminToken(server)
    const r = await rpc(server.url, 'staff.create', { username: 'a b', displayName: '', roles: ['janitor'], shoeSize: 42 }, admin)
    expect(r.status).toBe(400)
    expect(r.error!.code).toBe('invalid_input')
    expect(Object.keys(r.error!.fields!).sort()).toEqual(['displayName', 'roles.0', 'shoeSize', 'username'])
    expect(r.error!.fields!.username).toBe('用户名为3–32位字母、数字或 _ . -')
    expect(r.error!.fields!.shoeSize).toBe('不允许的字段')
    const missing = await rpc(server.url, 'staff.create', {}, admin)
    expect(missing.error!.fields).toMatchObject({ username: '必填', displayName: '必填', roles: '必填' })
    const notJson = await rpc(server.url, 'staff.create', '{"username":', admin)
    expect(notJson).toMatchObject({ status: 400, error: { code: 'invalid_input' } })
    const wrongType = await rpc(server.url, 'staff.update', { id: 'one' }, admin)
    expect(wrongType.status).toBe(400)
    expect(wrongType.error!.fields!.id).toMatch(/[\u4e00-\u9fa5]/)
  })

  it('answers an unknown operation with 404 and a body over 1 MB with 413', async () => {
    server = await testServer()
    const admin = await adminToken(server)
    expect(await rpc(server.url, 'staff.dropTable', {}, admin)).toMatchObject({ status: 404, error: { code: 'not_found' } })
    const big = await rpc(server.url, 'auth.login', { username: 'admin', password: 'x'.repeat(1_100_000) })
    expect(big).toMatchObject({ status: 413, error: { code: 'too_large' } })
  })

  it('lets the administrator create, re-role and disable a clerk over HTTP', async () => {
    server = await testServer()
    const admin = await adminToken(server)
    const clerk = await clerkToken(server, admin)
    const updated = await rpc(server.url, 'staff.update', { id: clerk.id, roles: ['initial_reviewer'] }, admin)
    expect(updated.data.roles).toEqual(['initial_reviewer'])
    expect((await rpc(server.url, 'auth.me', {}, clerk.token)).data.desks).toEqual(['initial-review'])
    await rpc(server.url, 'staff.update', { id: clerk.id, active: false }, admin)
    expect((await rpc(server.url, 'auth.me', {}, clerk.token)).status).toBe(401)
    const audit = await rpc(server.url, 'audit.list', { action: 'staff.updated' }, admin)
    expect(audit.data.total).toBe(2)
  })
})
