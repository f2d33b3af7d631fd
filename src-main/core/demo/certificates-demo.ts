// The permit and certificate desks' part of the demo (issue 6): a card-stock range, the photo and
// scans of every application from 许可审批 on, the supervisor's decisions, certificates with their
// serials for the applications already printed (one with a spoiled print before it), the pickups
// and mailings of those completed, and a saved 套打 calibration. Through the repositories and the
// applicant API's attachment store, as the desks would have left them.
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Core } from '../create-core'
import type { Category, Stage } from '../../../src-preload/contract/vocab'
import { certificateClasses, certificateNumber, NATIONALITY, takeSerials, validUntil } from '../domain/certificates'
import { certificateRepository } from '../storage/repositories/certificates'
import { permitRepository } from '../storage/repositories/permits'
import { notificationRepository } from '../storage/repositories/notifications'
import { SAMPLE_JPEG, sampleCardPng } from './sample-attachments'

export const DEMO_STOCK = { firstSerial: '4101026001', lastSerial: '4101026500', note: '2026年第4批预印证卡（演示）' }

export async function loadCertificateDemoData(core: Core): Promise<{ certificates: number; decisions: number; attachments: number }> {
  const { ctx } = core
  const certs = certificateRepository(ctx.db)
  const permits = permitRepository(ctx.db)
  const notifications = notificationRepository(ctx.db)
  const staff = (username: string) => ctx.repos.staff.findByUsername(username)
  const issuer = staff('fazheng')
  const supervisor = staff('shenpi')
  if (!issuer || !supervisor) return { certificates: 0, decisions: 0, attachments: 0 }

  const apps = ctx.db
    .prepare(
      `SELECT id, stage, category, application_type AS applicationType, id_number AS idNumber, name, form, submitted_at AS at
       FROM applications WHERE stage IN ('permit_approval', 'certificate', 'pickup', 'completed', 'rejected') ORDER BY id`
    )
    .all() as { id: number; stage: Stage; category: Category; applicationType: 'initial' | 'add_class'; idNumber: string; name: string; form: string; at: string }[]

  // The scans a supervisor looks at, and the photo the certificate carries.
  const store = core.services.applicationAttachments
  let attachments = 0
  for (const app of apps) {
    const files = [
      { kind: 'photo' as const, bytes: SAMPLE_JPEG, type: 'image/jpeg' as const, name: '免冠照片.jpg' },
      { kind: 'id_front' as const, bytes: sampleCardPng(app.id, [214, 232, 245]), type: 'image/png' as const, name: '身份证正面.png' },
      { kind: 'licence' as const, bytes: sampleCardPng(app.id + 2, [236, 228, 214]), type: 'image/png' as const, name: '驾驶证正副本.png' }
    ]
    for (const f of files) {
      if (store.repo.currentOfKind(app.id, f.kind)) continue
      const sha256 = createHash('sha256').update(f.bytes).digest('hex')
      const path = store.pathOf(sha256)
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, f.bytes)
      store.repo.insert({ applicationId: app.id, kind: f.kind, fileName: f.name, contentType: f.type, size: f.bytes.length, sha256, uploadedAt: app.at ?? ctx.now(), uploadedByType: 'applicant', uploadedById: null })
      attachments++
    }
  }

  return ctx.db.transaction(() => {
    const now = ctx.now()
    const rangeId = certs.insertRange({ ...DEMO_STOCK, now, by: issuer.id })
    ctx.audit.byStaff({ kind: 'staff', id: issuer.id, username: issuer.username, displayName: issuer.displayName, roles: issuer.roles }, 'certificate.stock_added', { type: 'stock_range', id: rangeId }, { ...DEMO_STOCK, size: 500 })
    certs.saveCalibration({ xMm: 0.5, yMm: -0.5, now, by: issuer.id })
    let cursor: string | null = DEMO_STOCK.firstSerial
    const take = () => {
      const r = takeSerials([{ id: rangeId, nextSerial: cursor, lastSerial: DEMO_STOCK.lastSerial }], 1)
      if (!r.ok) throw new Error('demo stock exhausted')
      const next = r.cursors.get(rangeId) ?? null
      certs.advanceRange(rangeId, cursor, next)
      cursor = next
      return r.serials[0].serial
    }

    let decisions = 0
    let certificates = 0
    let spoiledOne = false
    for (const app of apps) {
      const events = permits.events(app.id)
      const approved = events.find((e) => e.event === 'permit_approve')
      const rejected = events.find((e) => e.event === 'permit_reject')
      if (approved) {
        permits.insertDecision({ applicationId: app.id, decision: 'approve', reasons: [], note: '材料齐全，符合许可条件', batchId: null, at: approved.at, staffId: supervisor.id, staffName: supervisor.displayName })
        decisions++
      } else if (rejected) {
        permits.insertDecision({ applicationId: app.id, decision: 'reject', reasons: ['三年内发生重大以上交通责任事故（公安交管部门记录）'], note: null, batchId: null, at: rejected.at, staffId: supervisor.id, staffName: supervisor.displayName })
        decisions++
      }
      const printed = events.find((e) => e.event === 'certificate_printed')
      if (!printed) continue
      const form = JSON.parse(app.form) as { gender?: 'M' | 'F'; birthDate?: string; householdAddress?: string; licenceClasses?: string[]; vehicleClass?: string; collectMethod?: string; mailAddress?: string; currentAddress?: string }
      const issuedOn = printed.at.slice(0, 10)
      const photo = store.repo.currentOfKind(app.id, 'photo')
      const certificateId = certs.insertCert({
        applicationId: app.id,
        certificateNo: certificateNumber(app.idNumber),
        category: app.category,
        holderName: app.name,
        gender: form.gender ?? 'M',
        birthDate: form.birthDate ?? '',
        nationality: NATIONALITY,
        address: form.householdAddress ?? '',
        vehicleClasses: certificateClasses({ category: app.category, licenceClasses: form.licenceClasses ?? [], vehicleClass: form.vehicleClass, qualifying: ctx.settings.get(app.category === 'passenger' ? 'passenger.licenceClasses' : 'freight.licenceClasses') }),
        firstIssuedOn: issuedOn,
        issuedOn,
        validUntil: validUntil(issuedOn),
        issuingAuthority: ctx.settings.get('certificate.issuingAuthority'),
        photoSha256: photo?.sha256 ?? null,
        now: printed.at,
        by: issuer.id
      })
      certificates++
      const printedBy = { now: printed.at, staffId: issuer.id, staffName: issuer.displayName }
      if (!spoiledOne) {
        // One card jammed in the printer: its serial is voided and the next one printed.
        certs.insertPrint({ serial: take(), rangeId, certificateId, jobId: null, reason: 'issue', status: 'spoiled', ...printedBy, voidedAt: printed.at, voidedBy: issuer.id, voidReason: '卡纸，证卡褶皱' })
        spoiledOne = true
      }
      const serial = take()
      certs.insertPrint({ serial, rangeId, certificateId, jobId: null, reason: 'issue', status: 'printed', ...printedBy })
      certs.setSerial(certificateId, serial)
      const handed = events.find((e) => e.event === 'certificate_handed_over')
      if (handed) {
        const mail = form.collectMethod === 'mail'
        certs.insertHandover({
          certificateId,
          applicationId: app.id,
          serial,
          method: mail ? 'mail' : 'pickup',
          collector: mail ? null : 'holder',
          collectorName: mail ? null : app.name,
          collectorIdNumber: mail ? null : app.idNumber,
          idChecked: !mail,
          carrier: mail ? '中国邮政EMS' : null,
          waybillNo: mail ? `11${String(8765432100 + app.id)}` : null,
          mailAddress: mail ? (form.mailAddress ?? form.currentAddress ?? null) : null,
          note: null,
          now: handed.at,
          staffId: issuer.id,
          staffName: issuer.displayName
        })
      }
    }
    // The demo's history happened "before" this install: the SMS notifier starts after it (as the
    // migration does for a real upgrade); messages appear as soon as a clerk decides something.
    notifications.skipHistory()
    return { certificates, decisions, attachments }
  })()
}
