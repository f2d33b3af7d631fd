import { afterEach, describe, expect, it, vi } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { fakeClock, testCore, type TestCore } from '../support/core'
import { deriveProgress } from '../../src-main/core/domain/progress'
import { addStock, auditActions, issuer, printNow, seedApplication, stageOf, supervisor } from './permits-support'

// Printing and rendering take seconds on a busy machine (CI runs many suites at once).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 })

let core: TestCore | undefined
afterEach(() => {
  core?.services.notifications.stop()
  core?.dispose()
  core = undefined
})

function progress08(c: TestCore, applicationId: number) {
  const app = c.ctx.db.prepare('SELECT category, stage, created_at AS createdAt, form FROM applications WHERE id = ?').get(applicationId) as { category: 'passenger' | 'freight'; stage: never; createdAt: string; form: string }
  const events = c.ctx.db.prepare('SELECT event, at, detail FROM application_events WHERE application_id = ? ORDER BY id').all(applicationId) as { event: string; at: string; detail: string | null }[]
  return deriveProgress({
    category: app.category,
    stage: app.stage,
    registeredAt: null,
    createdAt: app.createdAt,
    collectMethod: (JSON.parse(app.form) as { collectMethod?: 'pickup' | 'mail' }).collectMethod,
    events: events.map((e) => ({ event: e.event, at: e.at, detail: e.detail ? JSON.parse(e.detail) : undefined }))
  }).find((s) => s.no === '08')!
}

describe('issuing and printing', () => {
  it('prints a batch: number = ID number, serials in stock order, 6-year validity, stage 待领证, every print audited', async () => {
    core = await testCore({ clock: fakeClock('2026-11-25T10:00:00+08:00') })
    const clerk = await issuer(core)
    addStock(core, clerk)
    const apps = [seedApplication(core, { stage: 'certificate' }), seedApplication(core, { stage: 'certificate', category: 'freight' }), seedApplication(core, { stage: 'certificate', photo: null })]
    const job = await printNow(core, clerk, apps.map((a) => a.applicationId))
    expect(job.state).toBe('ready')
    expect(job.items.map((i) => i.serial)).toEqual(['4101000001', '4101000002', '4101000003'])
    expect(existsSync(core.services.certificates.jobFile(job.jobId)!)).toBe(true)
    for (const a of apps) expect(stageOf(core, a.applicationId)).toBe('pickup')

    const certs = core.services.certificates.search({})
    const passenger = core.services.certificates.detail(clerk, { certificateId: certs.find((c) => c.applicationId === apps[0].applicationId)!.id })
    expect(passenger).toMatchObject({
      certificateNo: apps[0].idNumber,
      holderName: apps[0].name,
      issuedOn: '2026-11-25',
      firstIssuedOn: '2026-11-25',
      validUntil: '2032-11-24',
      issuingAuthority: '郑州市交通运输局',
      vehicleClasses: ['A1'], // C1 does not qualify for passenger transport
      currentSerial: '4101000001',
      renewal: { state: 'valid' }
    })
    expect(passenger.verifyUrl).toBe(`http://127.0.0.1:8310/api/v1/certificates/verify?no=${apps[0].idNumber}&serial=4101000001`)
    const freight = core.services.certificates.detail(clerk, { certificateId: certs.find((c) => c.applicationId === apps[1].applicationId)!.id })
    expect(freight.vehicleClasses).toEqual(['B2'])
    expect(auditActions(core).filter((a) => a === 'certificate.printed')).toHaveLength(3)
    expect(progress08(core, apps[0].applicationId)).toMatchObject({ state: 'current', text: expect.stringContaining('证件已制作') })
    const stock = core.services.certificates.stock()
    expect(stock.remaining).toBe(97)
    expect(stock.ranges[0]).toMatchObject({ nextSerial: '4101000004', printed: 3, voided: 0 })
  })

  it('refuses a batch larger than the stock and writes nothing', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    addStock(core, clerk, '4101000001', '4101000002')
    const apps = [1, 2, 3].map(() => seedApplication(core!, { stage: 'certificate' }))
    expect(() => core!.services.certificates.print(clerk, { applicationIds: apps.map((a) => a.applicationId), layout: 'full' })).toThrow('证卡库存不足：需要3张，剩余2张。请先录入新的证卡编号段。')
    expect(core.services.certificates.search({})).toEqual([])
    expect(stageOf(core, apps[0].applicationId)).toBe('certificate')
    expect(core.services.certificates.stock().ranges[0].nextSerial).toBe('4101000001')
  })

  it('refuses an application that is not approved yet', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    addStock(core, clerk)
    const a = seedApplication(core)
    expect(() => core!.services.certificates.print(clerk, { applicationIds: [a.applicationId], layout: 'full' })).toThrow(/不在“待制证”状态/)
  })

  it('two clerks printing at once never share a serial: the later job is refused and can be printed again', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    addStock(core, clerk)
    const a = seedApplication(core, { stage: 'certificate' })
    const b = seedApplication(core, { stage: 'certificate' })
    const j1 = core.services.certificates.print(clerk, { applicationIds: [a.applicationId], layout: 'full' })
    const j2 = core.services.certificates.print(clerk, { applicationIds: [b.applicationId], layout: 'full' })
    const [r1, r2] = await Promise.all([core.services.certificates.waitForJob(j1.jobId), core.services.certificates.waitForJob(j2.jobId)])
    expect([r1.state, r2.state].sort()).toEqual(['failed', 'ready'])
    const failed = r1.state === 'failed' ? r1 : r2
    expect(failed.error).toContain('证卡编号已被另一个打印任务使用')
    const retry = await printNow(core, clerk, [r1.state === 'failed' ? a.applicationId : b.applicationId])
    expect(retry.items[0].serial).toBe('4101000002')
    const serials = core.ctx.db.prepare('SELECT serial FROM certificate_prints ORDER BY serial').all() as { serial: string }[]
    expect(serials.map((s) => s.serial)).toEqual(['4101000001', '4101000002'])
  })

  it('a spoiled print voids its serial and takes the next; verification says so for the old card', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    addStock(core, clerk)
    const a = seedApplication(core, { stage: 'certificate' })
    const first = await printNow(core, clerk, [a.applicationId])
    const spoiled = core.services.certificates.spoil(clerk, { printId: first.items[0].printId, reason: '卡纸，证卡褶皱', layout: 'full' })
    const retry = await core.services.certificates.waitForJob(spoiled.jobId)
    expect(retry).toMatchObject({ state: 'ready', kind: 'spoiled_retry' })
    expect(retry.items[0].serial).toBe('4101000002')
    const d = core.services.certificates.detail(clerk, { certificateId: first.items[0].certificateId })
    expect(d.prints.map((p) => [p.serial, p.status, p.voidReason])).toEqual([
      ['4101000001', 'spoiled', '卡纸，证卡褶皱'],
      ['4101000002', 'printed', null]
    ])
    expect(d.certificateNo).toBe(a.idNumber)
    expect(core.services.certificates.verify({ no: a.idNumber, serial: '4101000001' })).toMatchObject({ valid: false, verdict: 'voided' })
    expect(core.services.certificates.verify({ no: a.idNumber, serial: '4101000002' })).toMatchObject({ valid: true, verdict: 'valid' })
    expect(auditActions(core, first.items[0].certificateId)).toContain('certificate.spoiled')
    // The same serial cannot be spoiled twice.
    expect(() => core!.services.certificates.spoil(clerk, { printId: first.items[0].printId, reason: 'x', layout: 'full' })).toThrow(/已作废/)
  })

  it('a replacement keeps the number and takes a new serial; the old card stops verifying', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    addStock(core, clerk)
    const a = seedApplication(core, { stage: 'certificate' })
    const first = await printNow(core, clerk, [a.applicationId])
    core.services.certificates.handOver(clerk, { method: 'pickup', applicationId: a.applicationId, collector: 'holder', collectorName: a.name, collectorIdNumber: a.idNumber, idChecked: true })
    const job = core.services.certificates.reprint(clerk, { certificateId: first.items[0].certificateId, reason: 'replacement', note: '持证人遗失证件', layout: 'overlay' })
    const done = await core.services.certificates.waitForJob(job.jobId)
    expect(done.items[0].serial).toBe('4101000002')
    const d = core.services.certificates.detail(clerk, { certificateId: first.items[0].certificateId })
    expect(d.currentSerial).toBe('4101000002')
    expect(d.prints.map((p) => [p.serial, p.reason, p.status])).toEqual([
      ['4101000001', 'issue', 'superseded'],
      ['4101000002', 'replacement', 'printed']
    ])
    expect(core.services.certificates.verify({ no: a.idNumber, serial: '4101000001' }).verdict).toBe('voided')
    expect(stageOf(core, a.applicationId)).toBe('completed')
  })

  it('voids damaged blank cards from stock, in order, so the next print takes the serial after them', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    addStock(core, clerk)
    expect(core.services.certificates.voidBlanks(clerk, { count: 2, reason: '证卡受潮' })).toEqual({ serials: ['4101000001', '4101000002'] })
    const a = seedApplication(core, { stage: 'certificate' })
    expect((await printNow(core, clerk, [a.applicationId])).items[0].serial).toBe('4101000003')
    expect(core.services.certificates.stock().ranges[0]).toMatchObject({ printed: 1, voided: 2, remaining: 97 })
  })

  it('stock ranges: 10 digits, no overlap with any range ever entered', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    addStock(core, clerk, '4101000001', '4101000100')
    expect(() => core!.services.certificates.addStock(clerk, { firstSerial: '4101000050', lastSerial: '4101000200' })).toThrow(/重叠/)
    expect(() => core!.services.certificates.addStock(clerk, { firstSerial: '4101000300', lastSerial: '4101000200' })).toThrow('结束编号不能小于起始编号')
    const r = core.services.certificates.addStock(clerk, { firstSerial: '4101000101', lastSerial: '4101000600' })
    expect(r).toMatchObject({ size: 500, remaining: 500 })
    expect(auditActions(core).filter((x) => x === 'certificate.stock_added')).toHaveLength(2)
  })

  it('an add-class (增驾) certificate keeps the number and first issue date, adds the class and supersedes the old one', async () => {
    const clock = fakeClock('2025-03-01T10:00:00+08:00')
    core = await testCore({ clock })
    const clerk = await issuer(core)
    addStock(core, clerk)
    const a = seedApplication(core, { stage: 'certificate', classes: ['B1'] })
    const first = await printNow(core, clerk, [a.applicationId])
    core.services.certificates.handOver(clerk, { method: 'pickup', applicationId: a.applicationId, collector: 'holder', collectorName: a.name, collectorIdNumber: a.idNumber, idChecked: true })
    clock.set('2026-11-25T10:00:00+08:00')
    const b = seedApplication(core, { stage: 'certificate', applicationType: 'add_class', idNumber: a.idNumber, name: a.name, classes: ['A1'] })
    const second = await printNow(core, clerk, [b.applicationId])
    const d = core.services.certificates.detail(clerk, { certificateId: second.items[0].certificateId })
    expect(d).toMatchObject({ certificateNo: a.idNumber, firstIssuedOn: '2025-03-01', issuedOn: '2026-11-25', vehicleClasses: ['A1', 'B1'], status: 'active' })
    expect(core.services.certificates.detail(clerk, { certificateId: first.items[0].certificateId }).status).toBe('superseded')
    expect(core.services.certificates.verify({ no: a.idNumber, serial: first.items[0].serial }).verdict).toBe('superseded')
  })
})

describe('pickup and mailing', () => {
  it('records the holder collecting with the ID checked: stage 已发证 and step 08 green', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    addStock(core, clerk)
    const a = seedApplication(core, { stage: 'certificate' })
    await printNow(core, clerk, [a.applicationId])
    const wrong = () => core!.services.certificates.handOver(clerk, { method: 'pickup', applicationId: a.applicationId, collector: 'holder', collectorName: a.name, collectorIdNumber: '11010519491231002X', idChecked: true })
    expect(wrong).toThrow(expect.objectContaining({ code: 'rule_violation', fields: { collectorIdNumber: '与持证人身份证号不一致；如非本人领取，请选择“代领”' } }))
    expect(stageOf(core, a.applicationId)).toBe('pickup')
    const r = core.services.certificates.handOver(clerk, { method: 'pickup', applicationId: a.applicationId, collector: 'holder', collectorName: a.name, collectorIdNumber: a.idNumber.toLowerCase(), idChecked: true })
    expect(r).toEqual({ applicationId: a.applicationId, stage: 'completed' })
    expect(progress08(core, a.applicationId)).toMatchObject({ state: 'done', text: '证件已领取' })
    const h = core.services.certificates.detail(clerk, { certificateId: core.services.certificates.search({})[0].id }).handovers
    expect(h).toEqual([expect.objectContaining({ method: 'pickup', collector: 'holder', collectorName: a.name, idChecked: true, handedOverByName: '刘芳', serial: '4101000001' })])
    expect(auditActions(core, a.applicationId)).toContain('certificate.handed_over')
  })

  it('records an agent with a valid ID number, and refuses the holder posing as an agent', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    addStock(core, clerk)
    const a = seedApplication(core, { stage: 'certificate' })
    await printNow(core, clerk, [a.applicationId])
    expect(() => core!.services.certificates.handOver(clerk, { method: 'pickup', applicationId: a.applicationId, collector: 'agent', collectorName: '张三', collectorIdNumber: '110105194912310021', idChecked: true })).toThrow('身份证号校验位不正确')
    expect(() => core!.services.certificates.handOver(clerk, { method: 'pickup', applicationId: a.applicationId, collector: 'agent', collectorName: a.name, collectorIdNumber: a.idNumber, idChecked: true })).toThrow(/请选择“本人领取”/)
    core.services.certificates.handOver(clerk, { method: 'pickup', applicationId: a.applicationId, collector: 'agent', collectorName: '张三', collectorIdNumber: '11010519491231002X', idChecked: true, note: '持委托书' })
    expect(stageOf(core, a.applicationId)).toBe('completed')
  })

  it('records the waybill when mailed: step 08 says 证件已寄出', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    addStock(core, clerk)
    const a = seedApplication(core, { stage: 'certificate', collectMethod: 'mail' })
    await printNow(core, clerk, [a.applicationId])
    expect(progress08(core, a.applicationId).text).toBe('证件已制作，等待邮寄')
    core.services.certificates.handOver(clerk, { method: 'mail', applicationId: a.applicationId, carrier: '中国邮政EMS', waybillNo: '1187654321098' })
    expect(progress08(core, a.applicationId)).toMatchObject({ state: 'done', text: '证件已寄出' })
    const q = core.services.certificates.queue({ view: 'to_hand_over', page: 1, pageSize: 50 })
    expect(q.total).toBe(0)
  })

  it('cannot hand over before printing', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    const a = seedApplication(core, { stage: 'certificate' })
    expect(() => core!.services.certificates.handOver(clerk, { method: 'mail', applicationId: a.applicationId, carrier: 'EMS', waybillNo: '1187654321098' })).toThrow(/不是“待领证”/)
  })
})

describe('sending a print job to a printer (the desktop app’s port)', () => {
  it('hands the job’s PDF file and the clerk’s choice to the printer port, audited; browser mode says to print from the page', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    addStock(core, clerk)
    const a = seedApplication(core, { stage: 'certificate' })
    const job = await printNow(core, clerk, [a.applicationId])
    expect(await core.services.certificates.printers()).toEqual({ available: false, printers: [] })
    expect(await core.services.certificates.sendToPrinter(clerk, { jobId: job.jobId, silent: false })).toEqual({ sent: false, message: '浏览器模式：请在打开的PDF中使用浏览器的打印功能' })
    const calls: { file: string; options: { printerName?: string; silent: boolean } }[] = []
    core.services.certificates.usePrinter({
      printers: async () => [{ name: '证卡打印机 Evolis Primacy', isDefault: true }, { name: '办公室激光打印机', isDefault: false }],
      print: async (file, options) => {
        calls.push({ file, options })
        return { sent: true, message: '已送打印机' }
      }
    })
    expect((await core.services.certificates.printers()).printers.map((p) => p.name)).toEqual(['证卡打印机 Evolis Primacy', '办公室激光打印机'])
    const r = await core.services.certificates.sendToPrinter(clerk, { jobId: job.jobId, printerName: '证卡打印机 Evolis Primacy', silent: true })
    expect(r).toEqual({ sent: true, message: '已送打印机' })
    expect(calls).toEqual([{ file: core.services.certificates.jobFile(job.jobId), options: { printerName: '证卡打印机 Evolis Primacy', silent: true } }])
    expect(readFileSync(calls[0].file).subarray(0, 5).toString()).toBe('%PDF-')
    expect(auditActions(core)).toContain('certificate.sent_to_printer')
  })
})

describe('the 套打 calibration', () => {
  it('saves the offsets (audited) and makes a test print without using a serial', async () => {
    core = await testCore()
    const clerk = await issuer(core)
    addStock(core, clerk)
    expect(core.services.certificates.calibration()).toEqual({ xMm: 0, yMm: 0, updatedAt: null })
    const pdf = await core.services.certificates.testPrint({ xMm: 1.5, yMm: -2, layout: 'overlay' })
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    expect(core.services.certificates.saveCalibration(clerk, { xMm: 1.54, yMm: -2 })).toMatchObject({ xMm: 1.5, yMm: -2 })
    expect(auditActions(core)).toContain('certificate.calibration_saved')
    expect(core.services.certificates.stock().ranges[0].nextSerial).toBe('4101000001')
  })
})

describe('the full path from approval to pickup', () => {
  it('approve → print → collect: the supervisor and the clerk, each step in the history', async () => {
    core = await testCore()
    const boss = await supervisor(core)
    const clerk = await issuer(core)
    addStock(core, clerk)
    const a = seedApplication(core)
    core.services.permits.approve(boss, { applicationIds: [a.applicationId] })
    const q = core.services.certificates.queue({ view: 'to_print', page: 1, pageSize: 50 })
    expect(q.rows.map((r) => [r.name, r.hasPhoto, r.collectMethod])).toEqual([[a.name, true, 'pickup']])
    await printNow(core, clerk, [a.applicationId])
    const ready = core.services.certificates.queue({ view: 'to_hand_over', page: 1, pageSize: 50 }).rows[0]
    expect(ready.certificate).toMatchObject({ serial: '4101000001' })
    core.services.certificates.handOver(clerk, { method: 'pickup', applicationId: a.applicationId, collector: 'holder', collectorName: a.name, collectorIdNumber: a.idNumber, idChecked: true })
    const events = (core.ctx.db.prepare('SELECT event FROM application_events WHERE application_id = ? ORDER BY id').all(a.applicationId) as { event: string }[]).map((e) => e.event)
    expect(events.slice(-3)).toEqual(['permit_approve', 'certificate_printed', 'certificate_handed_over'])
    expect(progress08(core, a.applicationId).state).toBe('done')
  })
})
