// The 结业证 registry: hand entry, revocation, the administrator's list, the applicant's look-up
// (查询: own valid records of one vehicle class), and what the applications and review areas
// ask of it: is a record valid for the rules, link it to the application at submission (one
// application per record, kept by the database), and what the reviewer sees.
import type { z } from 'zod'
import type { certificateFilter, certificateInput, ReviewTrainingCertificate, TrainingCertificateDetail, TrainingCertificateRow } from '../../../src-preload/contract/training'

export type { ReviewTrainingCertificate }
import { STAGE_LABELS } from '../../../src-preload/contract/vocab'
import type { CoreContext, StaffActor } from '../context'
import type { ApplicationsService } from './applications'
import { AppError, notFound } from '../errors'
import { normalizeIdNumber } from '../domain/id-number'
import { maskIdNumber } from '../domain/masking'
import { shanghaiDate } from '../domain/time'
import { completionProblems, normalizeCertificateNo, type RecordRules } from '../domain/training-certificates'
import { schoolRepository } from '../storage/repositories/schools'
import { trainingCertificateRepository, type CertificateQuery, type CertificateRecord } from '../storage/repositories/training-certificates'

export type CertificateFilter = z.output<typeof certificateFilter>
export type CertificateInput = z.output<typeof certificateInput>

/** What the applicant's form shows after 查询 (GET /api/v1/training-certificates). */
export interface ApplicantCertificate {
  id: number
  certificateNo: string
  school: string
  schoolId: number
  vehicleClass: string
  trainingStart: string
  trainingEnd: string
  issuedOn: string
  /** the caller's own open application already using this record, if any */
  usedByApplicationId: number | null
}

/** The stages in which an application that used a record gives it back. */
const RELEASING_STAGES = new Set(['withdrawn'])

export function rowOf(r: CertificateRecord): TrainingCertificateRow {
  return {
    id: r.id,
    schoolId: r.schoolId,
    schoolName: r.schoolName,
    certificateNo: r.certificateNo,
    idNumberMasked: maskIdNumber(r.idNumber),
    name: r.name,
    vehicleClass: r.vehicleClass,
    trainingStart: r.trainingStart,
    trainingEnd: r.trainingEnd,
    issuedOn: r.issuedOn,
    source: r.source,
    createdAt: r.createdAt,
    revoked: r.revokedAt !== null,
    revokedAt: r.revokedAt,
    revokedByName: r.revokedByName,
    revokeReason: r.revokeReason,
    applicationId: r.applicationId
  }
}

function detailOf(r: CertificateRecord): TrainingCertificateDetail {
  return { ...rowOf(r), idNumber: r.idNumber, createdByName: r.createdByName, importBatchId: r.importBatchId, linkedAt: r.linkedAt }
}

const usedMessage = (applicationId: number) => `该结业证已用于申请（编号 ${applicationId}），一份结业证只能用于一份申请`

/** How the list's single search box is read: an ID number, a certificate number prefix, or a name prefix. */
export function searchOf(raw: string | undefined): CertificateQuery['search'] {
  const s = raw?.trim()
  if (!s) return undefined
  if (/^\d{17}[\dXx]$/.test(s)) return { kind: 'id', value: s.toUpperCase() }
  if (/^[A-Za-z0-9\-/]+$/.test(s)) return { kind: 'no', value: normalizeCertificateNo(s) }
  return { kind: 'name', value: s }
}

export function trainingCertificatesService(ctx: CoreContext) {
  const repo = trainingCertificateRepository(ctx.db)
  const schools = schoolRepository(ctx.db)

  const rules = (): RecordRules => ({ freightClasses: ctx.settings.get('freight.licenceClasses'), today: shanghaiDate(ctx.clock()) })

  function load(id: number): CertificateRecord {
    const r = repo.get(id)
    if (!r) throw notFound('结业证记录')
    return r
  }

  /** The record is taken by an application that does not give it back. */
  const takenBy = (r: CertificateRecord, exceptApplicationId?: number) =>
    r.applicationId !== null && r.applicationId !== exceptApplicationId && !RELEASING_STAGES.has(r.applicationStage ?? '') ? r.applicationId : null

  return {
    repo,
    rules,

    list(filter: CertificateFilter): { rows: TrainingCertificateRow[]; total: number } {
      const { page, pageSize, search, ...rest } = filter
      const result = repo.page({ ...rest, search: searchOf(search) }, pageSize, (page - 1) * pageSize)
      return { rows: result.rows.map(rowOf), total: result.total }
    },

    /** The whole record with the full ID number: the view is recorded. */
    detail(actor: StaffActor, id: number): TrainingCertificateDetail {
      const r = load(id)
      ctx.audit.byStaff(actor, 'training.viewed', { type: 'training_certificate', id })
      return detailOf(r)
    },

    /** Hand entry (录入) of one record, with the same rules as the import. */
    create(actor: StaffActor, input: CertificateInput): TrainingCertificateDetail {
      const record = {
        idNumber: normalizeIdNumber(input.idNumber),
        name: input.name.replace(/\s/g, ''),
        vehicleClass: input.vehicleClass,
        trainingStart: input.trainingStart,
        trainingEnd: input.trainingEnd,
        issuedOn: input.issuedOn,
        certificateNo: normalizeCertificateNo(input.certificateNo)
      }
      const problems = completionProblems(record, rules())
      if (Object.keys(problems).length) {
        throw new AppError('invalid_input', `结业证记录有误：${Object.values(problems).join('；')}`, problems as Record<string, string>)
      }
      const id = ctx.db.transaction(() => {
        const school = schools.get(input.schoolId)
        if (!school) throw new AppError('invalid_input', '培训机构不存在', { schoolId: '培训机构不存在' })
        if (!school.active) throw new AppError('rule_violation', `培训机构“${school.name}”已停用，不能录入结业证`, { schoolId: '培训机构已停用' })
        const same = repo.bySchoolNo(school.id, record.certificateNo).find((e) => e.revokedAt === null)
        if (same) throw new AppError('conflict', `${school.name}的结业证编号${record.certificateNo}已登记（${same.name}）`, { certificateNo: '结业证编号已登记' })
        const newId = repo.insert({ ...record, schoolId: school.id, source: 'manual', importBatchId: null, by: actor.id, now: ctx.now() })
        ctx.audit.byStaff(actor, 'training.created', { type: 'training_certificate', id: newId }, {
          schoolId: school.id,
          certificateNo: record.certificateNo,
          idNumber: maskIdNumber(record.idNumber),
          vehicleClass: record.vehicleClass
        })
        return newId
      })()
      return detailOf(load(id))
    },

    /**
     * Revokes a record with a reason. It disappears from the applicant's look-up at once; an open
     * application that used it gets the fact in its history and is flagged in the review queue.
     */
    revoke(actor: StaffActor, input: { id: number; reason: string }): TrainingCertificateRow {
      ctx.db.transaction(() => {
        const r = load(input.id)
        const now = ctx.now()
        if (!repo.revoke(r.id, input.reason, actor.id, now)) {
          throw new AppError('conflict', `该结业证记录已于${r.revokedAt?.slice(0, 10) ?? ''}撤销`)
        }
        if (r.applicationId !== null && r.applicationStage && !['completed', 'rejected', 'withdrawn'].includes(r.applicationStage)) {
          ctx.repos.applications.insertEvent({
            applicationId: r.applicationId,
            at: now,
            event: 'training_certificate_revoked',
            fromStage: r.applicationStage,
            toStage: r.applicationStage,
            actorType: 'staff',
            actorId: actor.id,
            actorName: actor.displayName,
            detail: { certificateId: r.id, certificateNo: r.certificateNo, note: `所用结业证（${r.certificateNo}）已被撤销：${input.reason}` }
          })
        }
        ctx.audit.byStaff(actor, 'training.revoked', { type: 'training_certificate', id: r.id }, {
          reason: input.reason,
          certificateNo: r.certificateNo,
          applicationId: r.applicationId,
          applicationStage: r.applicationStage
        })
      })()
      return rowOf(load(input.id))
    },

    /**
     * 查询: the caller's own records of that class that are valid (not revoked) and not used by
     * another application. Nobody else's record is ever returned.
     */
    forApplicant(applicant: { id: number; idNumber: string }, vehicleClass: string): ApplicantCertificate[] {
      return repo
        .ofPerson(normalizeIdNumber(applicant.idNumber), vehicleClass)
        .filter((r) => r.revokedAt === null)
        .filter((r) => {
          const by = takenBy(r)
          // A record used by one of the caller's own open applications is still shown (for that form).
          return by === null || (r.applicationApplicantId === applicant.id && !['completed', 'rejected'].includes(r.applicationStage ?? ''))
        })
        .map((r) => ({
          id: r.id,
          certificateNo: r.certificateNo,
          school: r.schoolName,
          schoolId: r.schoolId,
          vehicleClass: r.vehicleClass,
          trainingStart: r.trainingStart,
          trainingEnd: r.trainingEnd,
          issuedOn: r.issuedOn,
          usedByApplicationId: takenBy(r)
        }))
    },

    /** For the form's rules (application-rules.ts): the record as they check it. */
    lookupForRules(id: number): { idNumber: string; vehicleClass: string; valid: boolean } | null {
      const r = repo.get(id)
      return r ? { idNumber: r.idNumber, vehicleClass: r.vehicleClass, valid: r.revokedAt === null } : null
    },

    /**
     * At submission, inside the submission's transaction (after the form's rules passed): links the
     * chosen local record to the application, or drops an earlier link when the applicant switched
     * to a non-local certificate or another record. 409 when another application holds the record;
     * the database's keys refuse it even if two submissions race.
     */
    linkForSubmission(applicationId: number, form: { category: string; trainingCertNonLocal?: boolean; trainingCertificateId?: number }) {
      // Only freight applications name a 结业证, and an application's category never changes:
      // a passenger application has no link to keep or drop (and no query for one).
      if (form.category !== 'freight') return
      const current = repo.ofApplication(applicationId)
      const wanted = form.trainingCertNonLocal === false && typeof form.trainingCertificateId === 'number' ? form.trainingCertificateId : null
      if (current && current.id === wanted) return
      const now = ctx.now()
      if (current) {
        repo.unlinkApplication(applicationId)
        ctx.audit.record({ actorType: 'system', action: 'training.released', targetType: 'training_certificate', targetId: current.id, detail: { applicationId, why: 'changed' } })
      }
      if (wanted === null) return
      const r = repo.get(wanted)
      if (!r) throw new AppError('rule_violation', '未查询到所选结业证，请点击“查询”重新选择', { trainingCertificateId: '结业证不存在' })
      if (r.revokedAt) throw new AppError('rule_violation', `所选结业证已撤销：${r.revokeReason}`, { trainingCertificateId: '所选结业证已失效' })
      const by = takenBy(r, applicationId)
      if (by !== null) throw new AppError('conflict', usedMessage(by), { trainingCertificateId: usedMessage(by) })
      if (r.applicationId !== null) {
        // Held by a withdrawn application: given back now.
        repo.unlinkCertificate(r.id)
        ctx.audit.record({ actorType: 'system', action: 'training.released', targetType: 'training_certificate', targetId: r.id, detail: { applicationId: r.applicationId, why: STAGE_LABELS[r.applicationStage!] } })
      }
      try {
        repo.link(r.id, applicationId, now)
      } catch (e) {
        if ((e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
          const again = repo.get(r.id)
          throw new AppError('conflict', usedMessage(again?.applicationId ?? 0), { trainingCertificateId: '该结业证已被其他申请使用' })
        }
        throw e
      }
      ctx.audit.record({ actorType: 'system', action: 'training.linked', targetType: 'training_certificate', targetId: r.id, detail: { applicationId } })
    },

    /** What the reviewer sees: a local record (valid or revoked, and whose), or a non-local scan to check. */
    forReview(app: { id: number; category: string; idNumber: string; form: { trainingCertNonLocal?: boolean; trainingCertificateId?: number; vehicleClass?: string } }): ReviewTrainingCertificate {
      if (app.category !== 'freight') return { mode: 'none', status: 'none', text: '客运申请无需结业证', record: null }
      if (app.form.trainingCertNonLocal === true) {
        return { mode: 'non_local', status: 'scan', text: '外地结业证：请核对上传的结业证原件扫描件（正反面）', record: null }
      }
      const linked = repo.ofApplication(app.id)
      const r = linked ?? (typeof app.form.trainingCertificateId === 'number' ? repo.get(app.form.trainingCertificateId) : undefined)
      if (!r) return { mode: 'local', status: 'not_found', text: '本地结业证：未找到所选记录', record: null }
      const record = {
        id: r.id,
        certificateNo: r.certificateNo,
        schoolName: r.schoolName,
        vehicleClass: r.vehicleClass,
        trainingStart: r.trainingStart,
        trainingEnd: r.trainingEnd,
        issuedOn: r.issuedOn,
        revokedAt: r.revokedAt,
        revokeReason: r.revokeReason,
        linked: !!linked
      }
      if (r.revokedAt) return { mode: 'local', status: 'revoked', text: `本地结业证已撤销（${r.revokedAt.slice(0, 10)}）：${r.revokeReason}`, record }
      if (r.idNumber !== app.idNumber) return { mode: 'local', status: 'not_found', text: '本地结业证不属于申请人', record }
      return { mode: 'local', status: 'valid', text: `本地结业证有效：${r.schoolName}，${r.vehicleClass}，编号${r.certificateNo}`, record }
    },

    /** Of these applications, those whose linked local record was revoked (the review queue's flag). */
    revokedFlags: (applicationIds: readonly number[]) => repo.revokedLinked(applicationIds)
  }
}
export type TrainingCertificatesService = ReturnType<typeof trainingCertificatesService>

/**
 * Plugs the registry into the application form (issue 3's hooks): the rules read a record's
 * validity, and submission links the record to the application (one record, one application).
 * Here rather than with the area's other services (training-services.ts) because the submission
 * writer's thread needs it too, and not the spreadsheet import's library.
 */
export function connectTrainingRegistry(services: {
  applications: { useTrainingCertificateLookup: ApplicationsService['useTrainingCertificateLookup']; useTrainingCertificateLink: ApplicationsService['useTrainingCertificateLink'] }
  trainingCertificates: TrainingCertificatesService
}) {
  const registry = services.trainingCertificates
  services.applications.useTrainingCertificateLookup((id) => registry.lookupForRules(id))
  services.applications.useTrainingCertificateLink((applicationId, form) => registry.linkForSubmission(applicationId, form))
}
