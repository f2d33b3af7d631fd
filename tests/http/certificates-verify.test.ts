// The QR code's verification endpoint over real HTTP: valid, voided after a reprint, not found,
// malformed input in the error shape, and nothing more personal than the card shows.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { testServer, type TestServer } from '../support/core'
import { addStock, issuer, printNow, seedApplication } from '../services/permits-support'

// Printing and rendering take seconds on a busy machine (CI runs many suites at once).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 })

let server: TestServer
let app: ReturnType<typeof seedApplication>
let certificateId: number
beforeAll(async () => {
  server = await testServer()
  const clerk = await issuer(server.core)
  addStock(server.core, clerk)
  app = seedApplication(server.core, { stage: 'certificate', name: '欧阳建国' })
  const job = await printNow(server.core, clerk, [app.applicationId])
  certificateId = job.items[0].certificateId
  const again = server.core.services.certificates.reprint(clerk, { certificateId, reason: 'reprint', note: '打印偏移', layout: 'full' })
  await server.core.services.certificates.waitForJob(again.jobId)
})
afterAll(async () => {
  server.core.services.notifications.stop()
  await server.close()
})

const verify = (query: string) => fetch(`${server.url}/api/v1/certificates/verify?${query}`).then(async (r) => ({ status: r.status, body: (await r.json()) as any }))

describe('GET /api/v1/certificates/verify', () => {
  it('confirms the card in use, masking the name and the number', async () => {
    const r = await verify(`no=${app.idNumber}&serial=4101000002`)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({
      valid: true,
      verdict: 'valid',
      message: '证件有效',
      certificate: { serial: '4101000002', holderName: '欧***', category: 'passenger', vehicleClasses: ['A1'], issuingAuthority: '郑州市交通运输局' }
    })
    expect(r.body.certificate.certificateNo).toMatch(/^410\*{11}/)
    const text = JSON.stringify(r.body)
    expect(text).not.toContain(app.idNumber)
    expect(text).not.toContain(app.phone)
    expect(text).not.toContain('花园路') // no address
  })

  it('says an earlier card of a reprint is void', async () => {
    const r = await verify(`no=${app.idNumber}&serial=4101000001`)
    expect(r.body).toMatchObject({ valid: false, verdict: 'voided' })
  })

  it('finds nothing for a serial with another number', async () => {
    const r = await verify('no=11010519491231002X&serial=4101000002')
    expect(r.body).toEqual({ valid: false, verdict: 'not_found', message: '未查到该证件，证号与编号不符' })
  })

  it('answers malformed input with 400 and the fields, in Chinese', async () => {
    const r = await verify('no=123&serial=abc')
    expect(r.status).toBe(400)
    expect(r.body.error.fields).toEqual({ no: '证号应为18位身份证号', serial: '证卡编号应为10位数字' })
  })
})
