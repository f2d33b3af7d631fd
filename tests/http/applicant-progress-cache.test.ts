// The progress answer is kept per application between polls (services/applications.ts,
// storage/change-watch.ts). What an applicant must never see is an old answer: every kind of write
// to what the timeline is derived from shows at once, whoever writes it, and a write rolled back
// leaves nothing behind in the cache. Over real HTTP against a real data folder.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeClock, testServer, type TestServer } from '../support/core'
import { applicationViewCache } from '../../src-main/core/storage/change-watch'
import { addSchool, call, fullForm, makeIdNumber, registerAndLogin, staffReturns, upload, type Applicant } from './applicant-support'
import { SAMPLE_JPEG } from '../../src-main/core/demo/sample-attachments'

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 })

let server: TestServer

beforeEach(async () => {
  server = await testServer({ clock: fakeClock('2026-11-25T09:00:00+08:00') })
})
afterEach(() => server.close())

async function submitted(idNumber: string, name: string): Promise<{ a: Applicant; id: number }> {
  const schoolId = addSchool(server, `郑州市驾校${name}`)
  const a = await registerAndLogin(server, { idNumber, name })
  const created = await call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'passenger', applicationType: 'initial', ...fullForm(a, 'passenger', { trainingMode: 'school', trainingSchoolId: schoolId }) } })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const id = created.body.id
  for (const kind of ['id_front', 'id_back', 'licence', 'no_accident', 'photo']) expect((await upload(server.url, a.token, id, kind, SAMPLE_JPEG)).status).toBe(201)
  const s = await call(server.url, 'POST', `/applications/${id}/submit`, { token: a.token })
  expect(s.status, JSON.stringify(s.body)).toBe(200)
  return { a, id }
}

const progress = (a: Applicant, id: number) => call(server.url, 'GET', `/applications/${id}/progress`, { token: a.token })
const step = (body: { steps: { no: string; state: string; text: string }[] }, no: string) => body.steps.find((s) => s.no === no)!

describe('the progress answer kept between polls', () => {
  it('shows every write at once: a staff decision, a return, a raw SQL update, a settings change', async () => {
    const cache = applicationViewCache(server.core.ctx.db, 'progress')
    const { a, id } = await submitted(makeIdNumber('1990-03-07', 'M'), '张伟')

    const first = await progress(a, id)
    expect(first.status).toBe(200)
    expect(step(first.body, '03')).toMatchObject({ state: 'current', text: '已提交，等待材料预审' })
    expect((await progress(a, id)).body).toEqual(first.body)
    expect(cache.get(id)).toBeDefined()

    // a return by the review desk (an event and a stage change in one transaction)
    staffReturns(server, id, [{ attachment: 'photo', reason: '照片背景不是白色' }])
    expect(cache.get(id)).toBeUndefined()
    const returned = await progress(a, id)
    expect(returned.body.status).toBe('returned')
    expect(step(returned.body, '03')).toMatchObject({ state: 'rejected' })
    expect(step(returned.body, '03').text).toContain('照片背景不是白色')

    // any writer on the connection, even one no service knows of
    server.core.ctx.db.prepare('UPDATE applications SET name = ? WHERE id = ?').run('张伟伟', id)
    expect((await progress(a, id)).body.name).toBe('张伟伟')

    // a setting may change any application's texts: everything is dropped
    await progress(a, id)
    expect(cache.size).toBeGreaterThan(0)
    server.core.ctx.settings.set('exam.passMark', 85, null)
    expect(cache.size).toBe(0)
  })

  it('never keeps what a rolled-back transaction wrote, and never answers someone else from it', async () => {
    const { a, id } = await submitted(makeIdNumber('1988-11-02', 'F'), '李娜')
    const other = await submitted(makeIdNumber('1985-01-09', 'M'), '王强')
    const cache = applicationViewCache(server.core.ctx.db, 'progress')
    const { ctx, services } = server.core

    expect(() =>
      ctx.db.transaction(() => {
        ctx.db.prepare('UPDATE applications SET name = ? WHERE id = ?').run('未提交的名字', id)
        // read inside the transaction: the uncommitted name is seen, but not kept
        expect(JSON.parse(services.applications.progressJson({ kind: 'applicant', id: a.applicantId, idNumber: a.idNumber, name: a.name, phone: a.phone }, id)).name).toBe('未提交的名字')
        throw new Error('rolled back')
      })()
    ).toThrow('rolled back')
    expect(cache.get(id)).toBeUndefined()
    expect((await progress(a, id)).body.name).toBe('李娜')

    // cached for its owner; another applicant still gets 403
    expect(cache.get(id)).toBeDefined()
    const theirs = await progress(other.a, id)
    expect(theirs.status).toBe(403)
    expect(theirs.body.error.code).toBe('forbidden')
  })
})
