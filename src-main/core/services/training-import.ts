// Importing a school's 结业证 spreadsheet in two steps, like the score import: preview (read the
// file once, check every row, keep the result) and commit (create every new record in one
// transaction, or none). All or nothing: a file with any row in error cannot be committed; the
// school corrects it and the whole file is imported again. Idempotent: a row already registered
// exactly so (even if revoked since) is unchanged, so the same file twice creates nothing.
import { createHash } from 'node:crypto'
import ExcelJS from 'exceljs'
import type { TrainingBatchRow, TrainingImportPreview, TrainingImportResult, TrainingImportRow } from '../../../src-preload/contract/training'
import type { CoreContext, StaffActor } from '../context'
import { AppError, notFound } from '../errors'
import { readUploadedSheet } from '../documents/xlsx-read'
import { maskIdNumber } from '../domain/masking'
import {
  compareWithRegistry,
  parseTrainingSheet,
  TRAINING_TEMPLATE_HEADER,
  type ExistingRecord,
  type ParsedCompletion,
  type RowVerdict
} from '../domain/training-certificates'
import { schoolRepository } from '../storage/repositories/schools'
import type { CertificateRecord } from '../storage/repositories/training-certificates'
import type { TrainingCertificatesService } from './training-certificates'

export const MAX_TRAINING_IMPORT_BYTES = 512 * 1024

const existingOf = (r: CertificateRecord): ExistingRecord => ({
  id: r.id,
  idNumber: r.idNumber,
  name: r.name,
  vehicleClass: r.vehicleClass,
  trainingStart: r.trainingStart,
  trainingEnd: r.trainingEnd,
  issuedOn: r.issuedOn,
  revoked: r.revokedAt !== null
})

export function trainingImportService(ctx: CoreContext, registry: TrainingCertificatesService) {
  const { repo } = registry
  const schools = schoolRepository(ctx.db)

  function activeSchool(schoolId: number) {
    const school = schools.get(schoolId)
    if (!school) throw new AppError('invalid_input', '培训机构不存在', { schoolId: '培训机构不存在' })
    if (!school.active) throw new AppError('rule_violation', `培训机构“${school.name}”已停用，不能导入结业证`, { schoolId: '培训机构已停用' })
    return school
  }

  const verdictOf = (schoolId: number, r: ParsedCompletion): RowVerdict => compareWithRegistry(r, repo.bySchoolNo(schoolId, r.certificateNo).map(existingOf))

  async function preview(actor: StaffActor, input: { schoolId: number; fileName: string; data: string }): Promise<TrainingImportPreview> {
    const school = activeSchool(input.schoolId)
    const buffer = Buffer.from(input.data, 'base64')
    const sheet = await readUploadedSheet(buffer, MAX_TRAINING_IMPORT_BYTES)
    const parsed = parseTrainingSheet(sheet, registry.rules())
    const base = { schoolId: school.id, schoolName: school.name, fileName: input.fileName }
    if (parsed.fileErrors.length) {
      return { ...base, batchId: null, fileErrors: parsed.fileErrors, total: 0, newRows: 0, unchanged: 0, errors: 0, canCommit: false, committedBefore: null, rows: [] }
    }
    const sha256 = createHash('sha256').update(buffer).digest('hex')
    return ctx.db.transaction(() => {
      const rows: TrainingImportRow[] = []
      const toCreate: ParsedCompletion[] = []
      const byRow = new Map<number, { column: string; reason: string }[]>()
      for (const e of parsed.errors) (byRow.get(e.row) ?? byRow.set(e.row, []).get(e.row)!).push({ column: e.column, reason: e.reason })
      for (const [row, errors] of byRow) {
        // What the refused row said, so the clerk can tell the school whose row it was (ID masked).
        const said = parsed.refused[row] ?? { name: '', idText: '', vehicleClass: '', certificateNo: '' }
        const idNumberMasked = said.idText.length >= 8 ? maskIdNumber(said.idText) : said.idText
        rows.push({ row, status: 'error', idNumberMasked, name: said.name, vehicleClass: said.vehicleClass, certificateNo: said.certificateNo, trainingStart: '', trainingEnd: '', issuedOn: '', errors, note: null })
      }
      for (const p of parsed.rows) {
        const v = verdictOf(school.id, p)
        const shown = {
          row: p.row,
          idNumberMasked: maskIdNumber(p.idNumber),
          name: p.name,
          vehicleClass: p.vehicleClass,
          certificateNo: p.certificateNo,
          trainingStart: p.trainingStart,
          trainingEnd: p.trainingEnd,
          issuedOn: p.issuedOn
        }
        if (v.status === 'new') {
          toCreate.push(p)
          rows.push({ ...shown, status: 'new', errors: [], note: null })
        } else if (v.status === 'unchanged') {
          rows.push({ ...shown, status: 'unchanged', errors: [], note: v.revoked ? '已登记（该记录已撤销，不会恢复）' : '已登记，无变化' })
        } else {
          rows.push({ ...shown, status: 'error', errors: v.errors.map((e) => ({ column: e.column, reason: e.reason })), note: null })
        }
      }
      rows.sort((a, b) => a.row - b.row)
      const newRows = toCreate.length
      const errors = rows.filter((r) => r.status === 'error').length
      const unchanged = rows.length - newRows - errors
      const batchId = repo.insertBatch({ schoolId: school.id, fileName: input.fileName, sha256, total: rows.length, newRows, unchanged, errors, rows: toCreate, by: actor.id, now: ctx.now() })
      ctx.audit.byStaff(actor, 'training.import_previewed', { type: 'training_import', id: batchId }, { schoolId: school.id, fileName: input.fileName, sha256, total: rows.length, newRows, unchanged, errors })
      return {
        ...base,
        batchId,
        fileErrors: [],
        total: rows.length,
        newRows,
        unchanged,
        errors,
        canCommit: errors === 0 && rows.length > 0,
        committedBefore: repo.committedWithSha(sha256, school.id)?.committedAt ?? null,
        rows
      }
    })()
  }

  function commit(actor: StaffActor, batchId: number): TrainingImportResult {
    return ctx.db.transaction(() => {
      const batch = repo.batch(batchId)
      if (!batch) throw notFound('导入批次')
      if (batch.status === 'committed') throw new AppError('conflict', '该批次已经导入过')
      if (batch.status !== 'previewed') throw new AppError('conflict', '该批次已放弃，请重新上传预览')
      if (batch.errorRows > 0) {
        throw new AppError('rule_violation', `该文件有${batch.errorRows}行错误：须全部改正后整份重新导入（全部导入或全部不导入）`, { file: `${batch.errorRows}行错误` })
      }
      activeSchool(batch.schoolId)
      const rows = JSON.parse(batch.rows) as ParsedCompletion[]
      const now = ctx.now()
      let created = 0
      let unchanged = batch.unchangedRows
      for (const r of rows) {
        // Checked again inside the transaction: a record registered since the preview is seen here.
        const v = verdictOf(batch.schoolId, r)
        if (v.status === 'unchanged') {
          unchanged++
          continue
        }
        if (v.status === 'error') {
          // Nothing of the batch is kept: the transaction rolls back every record created above.
          throw new AppError('conflict', `第${r.row}行：${v.errors[0].reason}。预览后登记情况已变化，整份文件未导入，请重新上传预览`)
        }
        repo.insert({ ...r, schoolId: batch.schoolId, source: 'import', importBatchId: batchId, by: actor.id, now })
        created++
      }
      repo.commitBatch(batchId, created, actor.id, now)
      ctx.audit.byStaff(actor, 'training.imported', { type: 'training_import', id: batchId }, { schoolId: batch.schoolId, fileName: batch.fileName, created, unchanged })
      return { batchId, created, unchanged }
    })()
  }

  function discard(actor: StaffActor, batchId: number) {
    ctx.db.transaction(() => {
      const batch = repo.batch(batchId)
      if (!batch) throw notFound('导入批次')
      if (!repo.discardBatch(batchId)) throw new AppError('conflict', batch.status === 'committed' ? '该批次已经导入，不能放弃' : '该批次已放弃')
      ctx.audit.byStaff(actor, 'training.import_discarded', { type: 'training_import', id: batchId }, { fileName: batch.fileName })
    })()
  }

  function batches(): TrainingBatchRow[] {
    return repo.recentBatches().map(({ rows: _rows, sha256: _sha, schoolId: _s, createdBy: _c, ...b }) => b)
  }

  /** The template the schools fill in: the ID number and certificate number columns are text. */
  async function template(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook()
    wb.creator = 'QualDesk'
    const ws = wb.addWorksheet('结业证')
    ws.columns = TRAINING_TEMPLATE_HEADER.map((h, i) => ({ header: h, key: `c${i}`, width: [22, 10, 10, 14, 14, 16, 18][i] }))
    for (const c of [1, 4, 5, 6, 7]) ws.getColumn(c).numFmt = '@'
    ws.getRow(1).font = { bold: true }
    ws.addRow(['410105199001011234', '张三', 'B2', '2026-09-01', '2026-10-15', '2026-10-20', 'JY2026000123'])
    ws.getRow(2).font = { color: { argb: 'FF909399' }, italic: true }
    const notes = wb.addWorksheet('填写说明')
    for (const l of [
      '1. 第一行为表头，列的顺序可以调整，可以有其他列。',
      '2. 身份证号、结业证编号必须为文本格式，否则末尾几位会丢失；本模板已设置为文本。',
      '3. 准驾车型只能是 A1、A2 或 B2；日期格式 YYYY-MM-DD（也可用 Excel 日期）。',
      '4. 导入为“整份导入”：任何一行有错误，整份文件都不会导入，请按提示改正后重新上传。',
      '5. 同一文件重复导入不会产生重复记录。导入前请删除示例行。'
    ])
      notes.addRow([l])
    notes.getColumn(1).width = 90
    return Buffer.from(await wb.xlsx.writeBuffer())
  }

  return { preview, commit, discard, batches, template }
}
export type TrainingImportService = ReturnType<typeof trainingImportService>
