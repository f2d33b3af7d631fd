// 许可发证: issuing and printing certificates, reprints and replacements, spoiled prints, card stock,
// the 套打 calibration, pickup and mailing, verification.
//
// A print job is planned (serials reserved on paper only), rendered to a PDF outside any
// transaction (with a progress count the desk polls), and then committed in ONE transaction:
// certificates, serials, the job, the stage change and the audit entries — or nothing, when the
// stock or the applications changed in the meantime. The PDF file is named only after the commit.
import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type {
  CertificateDetail,
  CertificateQueueRow,
  CertificateRow,
  PdfFile,
  PrintJobStatus,
  PrintLayout,
  StockRangeView
} from '../../../src-preload/contract/certificates'
import type { Category } from '../../../src-preload/contract/vocab'
import type { CoreContext, StaffActor } from '../context'
import { AppError, notFound } from '../errors'
import { maskIdNumber, maskPhone } from '../domain/masking'
import { normalizeIdNumber, parseIdNumber } from '../domain/id-number'
import {
  certificateClasses,
  certificateNumber,
  maskName,
  NATIONALITY,
  rangeSize,
  remainingInRange,
  renewalStatus,
  stockRangeProblems,
  takeSerials,
  validUntil,
  verdictOf,
  VERDICT_TEXT,
  verificationUrl,
  type CertificateCard,
  type VerifyVerdict
} from '../domain/certificates'
import { renderCertificates, sampleCard, warmUpCertificates, type CertificatePageInput } from '../documents/certificate-pdf'
import { certificateRepository, type CertificateRecord } from '../storage/repositories/certificates'
import { permitRepository, type PermitApplicationRow } from '../storage/repositories/permits'
import { fireEvent } from './permits-workflow'
import type { NotificationsService } from './notifications'

/** The Electron shell's printing (src-main/electron/printing.ts); absent in browser mode and tests. */
export interface PrinterPort {
  printers(): Promise<{ name: string; isDefault: boolean }[]>
  print(file: string, options: { printerName?: string; silent: boolean }): Promise<{ sent: boolean; message: string }>
}

type JobKind = PrintJobStatus['kind']

interface PlanItem {
  applicationId: number
  name: string
  card: CertificateCard
  photoSha256: string | null
  rangeId: number
  /** issue: the certificate to create */
  newCertificate?: Omit<CertificateRecord, 'id' | 'status' | 'currentSerial' | 'supersededBy' | 'createdAt'>
  /** add-class: the earlier active certificate this one supersedes */
  supersedes?: number
  /** reprint/replacement/spoiled: the existing certificate and the print it voids */
  certificateId?: number
  voids?: { printId: number; status: 'spoiled' | 'superseded'; reason: string }
  stageFrom?: 'certificate'
}

interface Plan {
  kind: JobKind
  layout: PrintLayout
  items: PlanItem[]
  cursors: { rangeId: number; expected: string | null; next: string | null }[]
  offsets: { xMm: number; yMm: number } | null
  note?: string
}

interface Job extends PrintJobStatus {
  file: string | null
  promise: Promise<void>
}

const MAX_JOBS_KEPT = 50
/** A print job's PDF (photos, ID numbers) is kept for reprinting from the dialog, then removed; the database keeps the record. */
const PDF_KEEP_MS = 3 * 86400_000

export function certificatesService(ctx: CoreContext, notifications?: NotificationsService) {
  const repo = certificateRepository(ctx.db)
  const apps = permitRepository(ctx.db)
  const dataDir = dirname(ctx.db.name)
  const jobsDir = join(dataDir, 'print-jobs')
  const jobs = new Map<string, Job>()
  let printer: PrinterPort | null = null
  const today = () => ctx.now().slice(0, 10)

  // ---- helpers ------------------------------------------------------------------------------
  const photoPath = (sha: string) => join(dataDir, 'attachments', sha.slice(0, 2), sha)
  const verifyBase = () => ctx.settings.get('certificate.verifyBaseUrl')

  function formOf(app: PermitApplicationRow) {
    return JSON.parse(app.form) as {
      gender?: 'M' | 'F'
      birthDate?: string
      householdAddress?: string
      currentAddress?: string
      licenceClasses?: string[]
      vehicleClass?: string
      collectMethod?: 'pickup' | 'mail'
      mailAddress?: string
    }
  }

  function cardOf(c: Omit<CertificateRecord, 'id' | 'status' | 'currentSerial' | 'supersededBy' | 'createdAt'>, serial: string): CertificateCard {
    return {
      certificateNo: c.certificateNo,
      serial,
      name: c.holderName,
      gender: c.gender,
      birthDate: c.birthDate,
      nationality: c.nationality,
      address: c.address,
      category: c.category,
      vehicleClasses: c.vehicleClasses,
      firstIssuedOn: c.firstIssuedOn,
      issuedOn: c.issuedOn,
      validUntil: c.validUntil,
      issuingAuthority: c.issuingAuthority,
      verifyUrl: verificationUrl(verifyBase(), c.certificateNo, serial)
    }
  }

  function reserveSerials(count: number) {
    const ranges = repo.openRanges()
    const taken = takeSerials(
      ranges.map((r) => ({ id: r.id, nextSerial: r.nextSerial, lastSerial: r.lastSerial })),
      count
    )
    if (!taken.ok) {
      throw new AppError('conflict', `证卡库存不足：需要${count}张，剩余${taken.available}张。请先录入新的证卡编号段。`)
    }
    const cursors = [...taken.cursors].map(([rangeId, next]) => ({ rangeId, expected: ranges.find((r) => r.id === rangeId)!.nextSerial, next }))
    return { serials: taken.serials, cursors }
  }

  /** The certificate an approved application gets (number, classes, dates, authority, photo). */
  function newCertificateFor(app: PermitApplicationRow) {
    const form = formOf(app)
    const id = parseIdNumber(app.idNumber)
    const number = certificateNumber(app.idNumber)
    const earlier = repo.activeByNo(number, app.category)
    const qualifying = ctx.settings.get(app.category === 'passenger' ? 'passenger.licenceClasses' : 'freight.licenceClasses')
    const issuedOn = today()
    const photo = repo.photoOf(app.id)
    const cert = {
      applicationId: app.id,
      certificateNo: number,
      category: app.category,
      holderName: app.name,
      gender: (form.gender ?? (id.ok ? id.gender : 'M')) as 'M' | 'F',
      birthDate: form.birthDate ?? (id.ok ? id.birthDate : ''),
      nationality: NATIONALITY,
      address: form.householdAddress ?? form.currentAddress ?? '',
      vehicleClasses: certificateClasses({
        category: app.category,
        licenceClasses: form.licenceClasses ?? [],
        vehicleClass: form.vehicleClass,
        qualifying,
        earlier: app.applicationType === 'add_class' ? earlier?.vehicleClasses : undefined
      }),
      // 增驾 keeps the first issue date of the certificate it extends.
      firstIssuedOn: earlier?.firstIssuedOn ?? issuedOn,
      issuedOn,
      validUntil: validUntil(issuedOn),
      issuingAuthority: ctx.settings.get('certificate.issuingAuthority'),
      photoSha256: photo && photo.contentType !== 'application/pdf' ? photo.sha256 : null
    }
    return { cert, supersedes: earlier?.id }
  }

  // ---- jobs -----------------------------------------------------------------------------------
  function statusOf(job: Job): PrintJobStatus {
    const { file: _f, promise: _p, ...status } = job
    return { ...status, items: [...status.items] }
  }

  function startJob(actor: StaffActor, plan: Plan): PrintJobStatus {
    const jobId = randomUUID()
    const job: Job = {
      jobId,
      state: 'rendering',
      done: 0,
      total: plan.items.length,
      kind: plan.kind,
      layout: plan.layout,
      error: null,
      printJobId: null,
      fileName: null,
      items: [],
      file: null,
      promise: Promise.resolve()
    }
    jobs.set(jobId, job)
    if (jobs.size > MAX_JOBS_KEPT) jobs.delete(jobs.keys().next().value!)
    job.promise = runJob(actor, plan, job).catch((e: unknown) => {
      job.state = 'failed'
      job.error = e instanceof AppError ? e.message : '生成证件PDF时出错，请重试或联系管理员'
      if (!(e instanceof AppError)) ctx.audit.record({ actorType: 'system', action: 'certificate.print_failed', detail: { jobId, error: String((e as Error)?.message ?? e) } })
    })
    return statusOf(job)
  }

  async function runJob(actor: StaffActor, plan: Plan, job: Job) {
    // Photos are read before rendering; a missing file prints the empty photo box.
    const photos = new Map<string, Uint8Array | null>()
    for (const it of plan.items) {
      if (!it.photoSha256 || photos.has(it.photoSha256)) continue
      photos.set(it.photoSha256, await readFile(photoPath(it.photoSha256)).then((b) => new Uint8Array(b)).catch(() => null))
    }
    const pages: CertificatePageInput[] = plan.items.map((it) => ({ card: it.card, photo: it.photoSha256 ? photos.get(it.photoSha256) : null, photoKey: it.photoSha256 }))
    const pdf = await renderCertificates(pages, {
      layout: plan.layout,
      offsets: plan.offsets ?? undefined,
      onPage: (done) => (job.done = done),
      yieldEvery: 10
    })
    const sha = createHash('sha256').update(pdf).digest('hex')
    await mkdir(jobsDir, { recursive: true })
    const tmp = join(jobsDir, `${job.jobId}.pdf.tmp`)
    await writeFile(tmp, pdf)
    let committed: { printJobId: number; fileName: string; items: PrintJobStatus['items'] }
    try {
      committed = commit(actor, plan, sha)
    } catch (e) {
      await rm(tmp, { force: true })
      throw e
    }
    const file = join(jobsDir, committed.fileName)
    await rename(tmp, file)
    Object.assign(job, { state: 'ready', done: plan.items.length, printJobId: committed.printJobId, fileName: committed.fileName, items: committed.items, file })
    notifications?.kick()
    void removeOldPdfs()
  }

  async function removeOldPdfs() {
    try {
      const cutoff = Date.now() - PDF_KEEP_MS
      for (const name of await readdir(jobsDir)) {
        const path = join(jobsDir, name)
        if ((await stat(path)).mtimeMs < cutoff) await rm(path, { force: true })
      }
    } catch {
      /* best effort: a file left behind is removed next time */
    }
  }

  const commit = (actor: StaffActor, plan: Plan, sha: string) =>
    ctx.db.transaction(() => {
      const now = ctx.now()
      for (const c of plan.cursors) {
        if (!repo.advanceRange(c.rangeId, c.expected, c.next)) {
          throw new AppError('conflict', '证卡编号已被另一个打印任务使用，请重新打印（本次未占用任何编号）')
        }
      }
      const stamp = now.slice(0, 10).replaceAll('-', '')
      const fileName = `${stamp}-${plan.kind}-${randomUUID().slice(0, 8)}.pdf`
      const printJobId = repo.insertJob({ kind: plan.kind, layout: plan.layout, pages: plan.items.length, fileName, fileSha256: sha, offsets: plan.offsets, now, staffId: actor.id, staffName: actor.displayName })
      const items: PrintJobStatus['items'] = []
      for (const it of plan.items) {
        let certificateId = it.certificateId
        if (it.newCertificate) {
          const app = apps.byId(it.applicationId)
          if (!app || app.stage !== 'certificate') throw new AppError('conflict', `${it.name}的申请已不在“待制证”状态，请刷新后重试（本次未打印任何证件）`)
          if (repo.certByApp(app.id)) throw new AppError('conflict', `${it.name}的证件已制作，请使用重新打印`)
          if (it.supersedes) repo.supersede(it.supersedes)
          certificateId = repo.insertCert({ ...it.newCertificate, now, by: actor.id })
          if (it.supersedes) repo.linkSuperseded(it.supersedes, certificateId)
        }
        if (it.voids) {
          if (!repo.voidPrint(it.voids.printId, it.voids.status, it.voids.reason, now, actor.id)) {
            throw new AppError('conflict', '要作废的证卡已不是在用状态，请刷新后重试')
          }
        }
        const printId = repo.insertPrint({
          serial: it.card.serial,
          rangeId: it.rangeId,
          certificateId: certificateId!,
          jobId: printJobId,
          reason: plan.kind,
          status: 'printed',
          now,
          staffId: actor.id,
          staffName: actor.displayName
        })
        repo.setSerial(certificateId!, it.card.serial)
        const auditDetail = { certificateNo: maskIdNumber(it.card.certificateNo), serial: it.card.serial, printJobId, voided: it.voids ? { printId: it.voids.printId, reason: it.voids.reason } : undefined, note: plan.note }
        if (it.stageFrom) {
          const app = apps.byId(it.applicationId)!
          fireEvent(ctx, apps, app, 'certificate_printed', actor, { serial: it.card.serial, certificateId, layout: plan.layout }, { action: 'certificate.printed', detail: auditDetail })
        } else {
          ctx.audit.byStaff(actor, `certificate.${plan.kind === 'spoiled_retry' ? 'spoiled' : plan.kind === 'replacement' ? 'replaced' : 'reprinted'}`, { type: 'certificate', id: certificateId! }, auditDetail)
          apps.insertEvent({
            applicationId: it.applicationId,
            at: now,
            event: `certificate_${plan.kind}`,
            fromStage: null,
            toStage: null,
            actorType: 'staff',
            actorId: actor.id,
            actorName: actor.displayName,
            detail: { serial: it.card.serial, voided: it.voids?.reason, note: plan.note }
          })
        }
        items.push({ applicationId: it.applicationId, certificateId: certificateId!, printId, name: it.name, serial: it.card.serial })
      }
      return { printJobId, fileName, items }
    })()

  function jobOf(jobId: string): Job {
    const job = jobs.get(jobId)
    if (!job) throw new AppError('not_found', '打印任务不存在或已过期，请重新打印')
    return job
  }

  function overlayOffsets(layout: PrintLayout) {
    if (layout !== 'overlay') return null
    const c = repo.calibration()
    return { xMm: c?.xMm ?? 0, yMm: c?.yMm ?? 0 }
  }

  // ---- operations -------------------------------------------------------------------------------
  function print(actor: StaffActor, input: { applicationIds: number[]; layout: PrintLayout }): PrintJobStatus {
    const ids = [...new Set(input.applicationIds)]
    const rows = ids.map((id) => {
      const app = apps.byId(id)
      if (!app) throw new AppError('not_found', `申请 ${id} 不存在`)
      if (app.stage !== 'certificate') throw new AppError('conflict', `${app.name}的申请当前不在“待制证”状态，不能制证`)
      return app
    })
    const { serials, cursors } = reserveSerials(rows.length)
    const items: PlanItem[] = rows.map((app, i) => {
      const { cert, supersedes } = newCertificateFor(app)
      return {
        applicationId: app.id,
        name: app.name,
        card: cardOf(cert, serials[i].serial),
        photoSha256: cert.photoSha256,
        rangeId: serials[i].rangeId,
        newCertificate: cert,
        supersedes,
        stageFrom: 'certificate'
      }
    })
    return startJob(actor, { kind: 'issue', layout: input.layout, items, cursors, offsets: overlayOffsets(input.layout) })
  }

  function reprintPlan(actor: StaffActor, cert: CertificateRecord, kind: 'reprint' | 'replacement' | 'spoiled_retry', layout: PrintLayout, voids: PlanItem['voids'], note: string) {
    if (cert.status !== 'active') throw new AppError('conflict', '该证件已不是有效状态，不能重新打印')
    const { serials, cursors } = reserveSerials(1)
    const item: PlanItem = {
      applicationId: cert.applicationId,
      name: cert.holderName,
      card: cardOf(cert, serials[0].serial),
      photoSha256: cert.photoSha256,
      rangeId: serials[0].rangeId,
      certificateId: cert.id,
      voids
    }
    return startJob(actor, { kind, layout, items: [item], cursors, offsets: overlayOffsets(layout), note })
  }

  function reprint(actor: StaffActor, input: { certificateId: number; reason: 'reprint' | 'replacement'; note: string; layout: PrintLayout }) {
    const cert = repo.certById(input.certificateId)
    if (!cert) throw notFound('证件')
    const current = cert.currentSerial ? repo.printBySerial(cert.currentSerial) : undefined
    const voids = current && current.status === 'printed' ? { printId: current.id, status: 'superseded' as const, reason: `${input.reason === 'replacement' ? '补发' : '重新打印'}：${input.note}` } : undefined
    return reprintPlan(actor, cert, input.reason, input.layout, voids, input.note)
  }

  function spoil(actor: StaffActor, input: { printId: number; reason: string; layout: PrintLayout }) {
    const p = repo.printById(input.printId)
    if (!p || !p.certificateId) throw notFound('打印记录')
    if (p.status !== 'printed') throw new AppError('conflict', `编号 ${p.serial} 已作废，不能再次登记印废`)
    const cert = repo.certById(p.certificateId)!
    if (cert.currentSerial !== p.serial) throw new AppError('conflict', `编号 ${p.serial} 不是该证件当前的证卡`)
    if (repo.handoversOfCert(cert.id).some((h) => h.serial === p.serial)) throw new AppError('conflict', `编号 ${p.serial} 的证卡已发出，不能登记为印废；如需换证请使用补发`)
    return reprintPlan(actor, cert, 'spoiled_retry', input.layout, { printId: p.id, status: 'spoiled', reason: input.reason }, input.reason)
  }

  function voidBlanks(actor: StaffActor, input: { count: number; reason: string }) {
    const { serials, cursors } = reserveSerials(input.count)
    ctx.db.transaction(() => {
      const now = ctx.now()
      for (const c of cursors) if (!repo.advanceRange(c.rangeId, c.expected, c.next)) throw new AppError('conflict', '证卡编号刚被占用，请重试')
      for (const s of serials) {
        repo.insertPrint({ serial: s.serial, rangeId: s.rangeId, certificateId: null, jobId: null, reason: 'blank_void', status: 'voided', now, staffId: actor.id, staffName: actor.displayName, voidedAt: now, voidedBy: actor.id, voidReason: input.reason })
      }
      ctx.audit.byStaff(actor, 'certificate.blanks_voided', { type: 'serial', id: serials[0].serial }, { serials: serials.map((s) => s.serial), reason: input.reason })
    })()
    return { serials: serials.map((s) => s.serial) }
  }

  function handOver(
    actor: StaffActor,
    input:
      | { method: 'pickup'; applicationId: number; collector: 'holder' | 'agent'; collectorName: string; collectorIdNumber: string; idChecked: true; note?: string }
      | { method: 'mail'; applicationId: number; carrier: string; waybillNo: string; note?: string }
  ) {
    const app = apps.byId(input.applicationId)
    if (!app) throw notFound('申请')
    if (app.stage !== 'pickup') throw new AppError('conflict', `申请当前状态不是“待领证”，不能登记领证`)
    const cert = repo.certByApp(app.id)
    const current = cert?.currentSerial ? repo.printBySerial(cert.currentSerial) : undefined
    if (!cert || !current || current.status !== 'printed') throw new AppError('conflict', '该申请没有可发放的证卡，请先打印证件')
    const fields: Record<string, string> = {}
    let collectorIdNumber: string | null = null
    if (input.method === 'pickup') {
      collectorIdNumber = normalizeIdNumber(input.collectorIdNumber)
      const check = parseIdNumber(collectorIdNumber)
      if (!check.ok) fields.collectorIdNumber = check.reason
      else if (input.collector === 'holder') {
        if (collectorIdNumber !== normalizeIdNumber(app.idNumber)) fields.collectorIdNumber = '与持证人身份证号不一致；如非本人领取，请选择“代领”'
        if (input.collectorName !== app.name) fields.collectorName = '与持证人姓名不一致'
      } else if (collectorIdNumber === normalizeIdNumber(app.idNumber)) fields.collector = '领取人是持证人本人，请选择“本人领取”'
    }
    if (Object.keys(fields).length) throw new AppError('rule_violation', Object.values(fields).join('；'), fields)
    const form = formOf(app)
    const stage = ctx.db.transaction(() => {
      const now = ctx.now()
      repo.insertHandover({
        certificateId: cert.id,
        applicationId: app.id,
        serial: current.serial,
        method: input.method,
        collector: input.method === 'pickup' ? input.collector : null,
        collectorName: input.method === 'pickup' ? input.collectorName : null,
        collectorIdNumber,
        idChecked: input.method === 'pickup',
        carrier: input.method === 'mail' ? input.carrier : null,
        waybillNo: input.method === 'mail' ? input.waybillNo : null,
        mailAddress: input.method === 'mail' ? (form.mailAddress ?? form.currentAddress ?? null) : null,
        note: input.note ?? null,
        now,
        staffId: actor.id,
        staffName: actor.displayName
      })
      const detail =
        input.method === 'pickup'
          ? { method: 'pickup', collector: input.collector, collectorName: input.collectorName, collectorIdNumber: maskIdNumber(collectorIdNumber!), serial: current.serial }
          : { method: 'mail', carrier: input.carrier, waybillNo: input.waybillNo, serial: current.serial }
      return fireEvent(ctx, apps, app, 'certificate_handed_over', actor, detail, { action: 'certificate.handed_over', detail: { ...detail, note: input.note } })
    })()
    notifications?.kick()
    return { applicationId: app.id, stage }
  }

  let warmed = false
  function queue(input: { view: 'to_print' | 'to_hand_over'; category?: Category; query?: string; page: number; pageSize: number }) {
    // The clerk opened the desk: get the fonts ready so that the first print is as quick as the next.
    if (!warmed) {
      warmed = true
      setTimeout(() => void warmUpCertificates().catch(() => (warmed = false)), 50).unref?.()
    }
    const stage = input.view === 'to_print' ? 'certificate' : 'pickup'
    const { rows, total } = apps.page({ stage, category: input.category, query: input.query, limit: input.pageSize, offset: (input.page - 1) * input.pageSize })
    const certs = new Map(repo.certsByApps(rows.map((r) => r.id)).map((c) => [c.applicationId, c]))
    const out: CertificateQueueRow[] = rows.map((r) => {
      const form = formOf(r)
      const cert = certs.get(r.id)
      const current = cert?.currentSerial ? repo.printBySerial(cert.currentSerial) : undefined
      const photo = repo.photoOf(r.id)
      return {
        applicationId: r.id,
        stage: r.stage,
        name: r.name,
        idNumber: maskIdNumber(r.idNumber),
        phone: r.phone ? maskPhone(r.phone) : null,
        category: r.category,
        trainingNo: r.trainingNo,
        collectMethod: form.collectMethod === 'mail' ? 'mail' : 'pickup',
        mailAddress: form.collectMethod === 'mail' ? maskAddress(form.mailAddress ?? form.currentAddress ?? '') : null,
        waitingSince: r.stageEnteredAt,
        hasPhoto: !!photo && photo.contentType !== 'application/pdf',
        certificate: cert ? { id: cert.id, serial: cert.currentSerial, printId: current?.id ?? null, validUntil: cert.validUntil } : null
      }
    })
    return { rows: out, total }
  }

  function toRow(c: CertificateRecord): CertificateRow {
    return {
      id: c.id,
      applicationId: c.applicationId,
      certificateNo: maskIdNumber(c.certificateNo),
      holderName: c.holderName,
      category: c.category,
      vehicleClasses: c.vehicleClasses,
      issuedOn: c.issuedOn,
      validUntil: c.validUntil,
      status: c.status,
      currentSerial: c.currentSerial,
      renewal: renewalStatus(c.validUntil, today())
    }
  }

  function search(input: { query?: string }): CertificateRow[] {
    const q = input.query?.trim()
    const list = q ? repo.search(/^\d{17}[\dxX]$/.test(q) ? q.toUpperCase() : q) : repo.recent(50)
    return list.map(toRow)
  }

  function detail(actor: StaffActor, input: { certificateId: number }): CertificateDetail {
    const c = repo.certById(input.certificateId)
    if (!c) throw notFound('证件')
    ctx.audit.byStaff(actor, 'certificate.viewed', { type: 'certificate', id: c.id })
    return {
      ...toRow(c),
      certificateNo: c.certificateNo,
      gender: c.gender,
      birthDate: c.birthDate,
      nationality: c.nationality,
      address: c.address,
      firstIssuedOn: c.firstIssuedOn,
      issuingAuthority: c.issuingAuthority,
      verifyUrl: c.currentSerial ? verificationUrl(verifyBase(), c.certificateNo, c.currentSerial) : null,
      prints: repo.printsOfCert(c.id).map((p) => ({ id: p.id, serial: p.serial, reason: p.reason, status: p.status, printedAt: p.printedAt, printedByName: p.printedByName, voidedAt: p.voidedAt, voidReason: p.voidReason, jobId: p.jobId })),
      handovers: repo.handoversOfCert(c.id).map((h) => ({
        method: h.method,
        collector: h.collector,
        collectorName: h.collectorName,
        collectorIdNumber: h.collectorIdNumber,
        idChecked: h.idChecked,
        carrier: h.carrier,
        waybillNo: h.waybillNo,
        handedOverAt: h.handedOverAt,
        handedOverByName: h.handedOverByName,
        serial: h.serial
      }))
    }
  }

  function stock() {
    const used = repo.usedInRanges()
    const ranges: StockRangeView[] = repo.ranges().map((r) => {
      const u = used.filter((x) => x.rangeId === r.id)
      const printed = u.filter((x) => x.status === 'printed' || x.status === 'superseded').reduce((a, x) => a + x.n, 0)
      const voided = u.filter((x) => x.status === 'spoiled' || x.status === 'voided').reduce((a, x) => a + x.n, 0)
      return {
        id: r.id,
        firstSerial: r.firstSerial,
        lastSerial: r.lastSerial,
        nextSerial: r.nextSerial,
        size: rangeSize(r.firstSerial, r.lastSerial),
        remaining: remainingInRange({ id: r.id, nextSerial: r.nextSerial, lastSerial: r.lastSerial }),
        printed,
        voided,
        note: r.note,
        createdAt: r.createdAt
      }
    })
    const recent = repo.recentPrints(30).map((p) => ({ serial: p.serial, status: p.status, reason: p.reason, holderName: p.holderName, printedAt: p.printedAt, voidReason: p.voidReason }))
    return { ranges, remaining: ranges.reduce((a, r) => a + r.remaining, 0), recent }
  }

  function addStock(actor: StaffActor, input: { firstSerial: string; lastSerial: string; note?: string }): StockRangeView {
    const id = ctx.db.transaction(() => {
      const existing = repo.ranges().map((r) => ({ first: r.firstSerial, last: r.lastSerial }))
      const problems = stockRangeProblems(input.firstSerial, input.lastSerial, existing)
      if (Object.keys(problems).length) throw new AppError('rule_violation', Object.values(problems).join('；'), problems)
      const id = repo.insertRange({ firstSerial: input.firstSerial, lastSerial: input.lastSerial, note: input.note || null, now: ctx.now(), by: actor.id })
      ctx.audit.byStaff(actor, 'certificate.stock_added', { type: 'stock_range', id }, { firstSerial: input.firstSerial, lastSerial: input.lastSerial, size: rangeSize(input.firstSerial, input.lastSerial), note: input.note })
      return id
    })()
    return stock().ranges.find((r) => r.id === id)!
  }

  function calibration() {
    const c = repo.calibration()
    return { xMm: c?.xMm ?? 0, yMm: c?.yMm ?? 0, updatedAt: c?.updatedAt ?? null }
  }

  function saveCalibration(actor: StaffActor, input: { xMm: number; yMm: number }) {
    const round = (v: number) => Math.round(v * 10) / 10
    const before = calibration()
    ctx.db.transaction(() => {
      repo.saveCalibration({ xMm: round(input.xMm), yMm: round(input.yMm), now: ctx.now(), by: actor.id })
      ctx.audit.byStaff(actor, 'certificate.calibration_saved', { type: 'print_calibration', id: 'default' }, { before: { xMm: before.xMm, yMm: before.yMm }, after: { xMm: round(input.xMm), yMm: round(input.yMm) } })
    })()
    return calibration()
  }

  async function testPrint(input: { xMm: number; yMm: number; layout: PrintLayout }): Promise<PdfFile> {
    const card = sampleCard(verifyBase(), ctx.settings.get('certificate.issuingAuthority'), today())
    const pdf = await renderCertificates([{ card }], {
      layout: input.layout,
      offsets: { xMm: input.xMm, yMm: input.yMm },
      showStock: input.layout === 'overlay',
      watermark: '测试样张 不是有效证件'
    })
    return { fileName: `套打校准样张-${input.xMm}_${input.yMm}.pdf`, base64: Buffer.from(pdf).toString('base64') }
  }

  async function jobPdf(actor: StaffActor, input: { jobId: string }): Promise<PdfFile> {
    const job = jobOf(input.jobId)
    if (job.state !== 'ready' || !job.file) throw new AppError('conflict', job.state === 'failed' ? (job.error ?? '打印任务失败') : '证件PDF尚在生成中')
    const bytes = await readFile(job.file).catch(() => {
      throw new AppError('not_found', '该打印任务的PDF已按期清理；如需再次打印，请使用重新打印')
    })
    ctx.audit.byStaff(actor, 'certificate.pdf_opened', { type: 'print_job', id: job.printJobId! }, { pages: job.total })
    return { fileName: job.fileName!, base64: bytes.toString('base64') }
  }

  async function sendToPrinter(actor: StaffActor, input: { jobId: string; printerName?: string; silent: boolean }) {
    const job = jobOf(input.jobId)
    if (job.state !== 'ready' || !job.file) throw new AppError('conflict', '证件PDF尚未生成，不能送打印机')
    if (!printer) return { sent: false, message: '浏览器模式：请在打开的PDF中使用浏览器的打印功能' }
    const r = await printer.print(job.file, { printerName: input.printerName, silent: input.silent })
    ctx.audit.byStaff(actor, 'certificate.sent_to_printer', { type: 'print_job', id: job.printJobId! }, { printer: input.printerName ?? '(默认)', silent: input.silent, sent: r.sent, message: r.message })
    return r
  }

  /** GET /api/v1/certificates/verify: no more than the card shows (and the name masked). */
  function verify(input: { no: string; serial: string }) {
    const no = certificateNumber(input.no)
    const print = repo.printBySerial(input.serial)
    const cert = print?.certificateId ? repo.certById(print.certificateId) : undefined
    const verdict: VerifyVerdict = verdictOf(print, cert, no, today())
    if (verdict === 'not_found' || !cert) return { valid: false, verdict, message: VERDICT_TEXT[verdict] }
    return {
      valid: verdict === 'valid',
      verdict,
      message: VERDICT_TEXT[verdict],
      certificate: {
        certificateNo: maskIdNumber(cert.certificateNo),
        serial: input.serial,
        holderName: maskName(cert.holderName),
        category: cert.category,
        vehicleClasses: cert.vehicleClasses,
        issuedOn: cert.issuedOn,
        validUntil: cert.validUntil,
        issuingAuthority: cert.issuingAuthority
      }
    }
  }

  return {
    queue,
    print,
    job: (input: { jobId: string }) => statusOf(jobOf(input.jobId)),
    /** Waits until the job is rendered and committed (or failed): tests, benchmarks, the CLI. */
    async waitForJob(jobId: string): Promise<PrintJobStatus> {
      const job = jobOf(jobId)
      await job.promise
      return statusOf(job)
    },
    jobFile: (jobId: string) => jobOf(jobId).file,
    jobPdf,
    reprint,
    spoil,
    voidBlanks,
    handOver,
    search,
    detail,
    stock,
    addStock,
    calibration,
    saveCalibration,
    testPrint,
    verify,
    usePrinter(port: PrinterPort | null) {
      printer = port
    },
    async printers() {
      return printer ? { available: true, printers: await printer.printers() } : { available: false, printers: [] }
    },
    sendToPrinter
  }
}
export type CertificatesService = ReturnType<typeof certificatesService>

function maskAddress(address: string): string {
  const chars = [...address]
  return chars.length <= 8 ? address : chars.slice(0, 8).join('') + '****'
}
