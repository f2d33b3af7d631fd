// Many applicants submitting at the same moment share commits (group commit); each submission is
// still all-or-nothing on its own, and a refused one leaves no trace.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { fakeClock, testServer, type TestServer } from '../support/core'
import { SAMPLE_JPEG } from '../../src-main/core/demo/sample-attachments'
import { call, dbFingerprint, fullForm, makeIdNumber, registerAndLogin, upload, type Applicant } from './applicant-support'

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

let server: TestServer
beforeAll(async () => {
  server = await testServer({ clock: fakeClock() })
  server.core.ctx.settings.set('applicant.authRequestsPerMinute', 10_000, null)
})
afterAll(() => server.close())

describe('simultaneous submissions', () => {
  it('commits the good ones together and refuses the bad ones alone', async () => {
    const people: { a: Applicant; id: number; complete: boolean }[] = []
    for (let i = 0; i < 12; i++) {
      const a = await registerAndLogin(server, { idNumber: makeIdNumber(`198${i % 10}-0${1 + (i % 9)}-1${i % 10}`, i % 2 ? 'M' : 'F', 40 + i), name: '张伟' })
      const complete = i % 4 !== 3
      const id = (await call(server.url, 'POST', '/applications', { token: a.token, body: { category: 'passenger', applicationType: 'initial', ...fullForm(a, 'passenger') } })).body.id
      for (const kind of complete ? ['id_front', 'id_back', 'licence', 'no_accident', 'photo'] : ['id_front']) {
        expect((await upload(server.url, a.token, id, kind, SAMPLE_JPEG)).status).toBe(201)
      }
      people.push({ a, id, complete })
    }
    const submissionsBefore = server.core.ctx.db.prepare('SELECT count(*) AS n FROM application_submissions').get()
    const answers = await Promise.all(people.map((p) => call(server.url, 'POST', `/applications/${p.id}/submit`, { token: p.a.token })))
    answers.forEach((r, i) => expect(r.status, JSON.stringify(r.body)).toBe(people[i].complete ? 200 : 422))
    const stages = server.core.ctx.db.prepare('SELECT id, stage, submission_count AS n FROM applications ORDER BY id').all() as { id: number; stage: string; n: number }[]
    for (const p of people) {
      expect(stages.find((s) => s.id === p.id)).toMatchObject(p.complete ? { stage: 'pre_review', n: 1 } : { stage: 'draft', n: 0 })
    }
    const good = people.filter((p) => p.complete).length
    expect(server.core.ctx.db.prepare('SELECT count(*) AS n FROM application_submissions').get()).toEqual({ n: (submissionsBefore as { n: number }).n + good })
    expect(server.core.ctx.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'application.submitted'").get()).toEqual({ n: good })

    // Submitting the same application twice at once: exactly one wins.
    const last = people.find((p) => !p.complete)!
    for (const kind of ['id_back', 'licence', 'no_accident', 'photo']) await upload(server.url, last.a.token, last.id, kind, SAMPLE_JPEG)
    const before = dbFingerprint(server)
    const twice = await Promise.all([1, 2, 3].map(() => call(server.url, 'POST', `/applications/${last.id}/submit`, { token: last.a.token })))
    expect(twice.map((r) => r.status).sort()).toEqual([200, 409, 409])
    expect(dbFingerprint(server)).not.toBe(before)
    expect(server.core.ctx.db.prepare('SELECT count(*) AS n FROM application_events WHERE application_id = ?').get(last.id)).toEqual({ n: 1 })
    // the batches commit with synchronous = NORMAL and flush the WAL themselves; every other write keeps FULL
    expect(server.core.ctx.db.pragma('synchronous', { simple: true })).toBe(2)
  })
})
