// The 系统管理 desk's training tabs: schools, the 结业证 registry (list, hand entry, revoke, full
// view) and the import (template, preview of every row, commit all or nothing). Views stay thin.
import { computed, reactive, ref } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import type {
  SchoolRow,
  TrainingBatchRow,
  TrainingCertificateDetail,
  TrainingCertificateRow,
  TrainingImportPreview
} from '../../../../src-preload/contract/training'
import { api, ApiError } from '../../api'
import { saveFile } from '../exams/format'

/** 2026-11-25T09:30:00+08:00 → 2026-11-25 09:30 */
export const time = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—')

function report(e: unknown, fields?: { value: Record<string, string> }) {
  if (!(e instanceof ApiError)) throw e
  if (fields) fields.value = e.fields
  if (!fields || !Object.keys(e.fields).length) ElMessage.error(e.message)
  else ElMessage.error(e.message)
}

// ---- schools ---------------------------------------------------------------------------------
export function useSchools() {
  const rows = ref<SchoolRow[]>([])
  const loading = ref(false)
  const editing = ref<null | { id?: number; name: string; address: string; phone: string; licenceNo: string; active: boolean }>(null)
  const errors = ref<Record<string, string>>({})
  const saving = ref(false)

  async function load() {
    loading.value = true
    try {
      rows.value = await api.schools.list({})
    } finally {
      loading.value = false
    }
  }
  function startCreate() {
    errors.value = {}
    editing.value = { name: '', address: '', phone: '', licenceNo: '', active: true }
  }
  function startEdit(s: SchoolRow) {
    errors.value = {}
    editing.value = { id: s.id, name: s.name, address: s.address, phone: s.phone, licenceNo: s.licenceNo, active: s.active }
  }
  async function save() {
    saving.value = true
    errors.value = {}
    try {
      await api.schools.save({ ...editing.value! })
      ElMessage.success(editing.value!.id ? '已保存' : '已新增培训机构')
      editing.value = null
      await load()
    } catch (e) {
      report(e, errors)
    } finally {
      saving.value = false
    }
  }
  async function toggle(s: SchoolRow) {
    const verb = s.active ? '停用' : '启用'
    try {
      await ElMessageBox.confirm(
        s.active ? `停用后，申请人不能再选择“${s.name}”，也不能再导入该机构的结业证；已登记的结业证仍然有效。` : `启用“${s.name}”？`,
        `${verb}培训机构`,
        { type: 'warning', confirmButtonText: verb }
      )
    } catch {
      return
    }
    try {
      await api.schools.save({ id: s.id, name: s.name, address: s.address, phone: s.phone, licenceNo: s.licenceNo, active: !s.active })
      ElMessage.success(`已${verb}`)
      await load()
    } catch (e) {
      report(e)
    }
  }
  return { rows, loading, editing, errors, saving, load, startCreate, startEdit, save, toggle }
}

// ---- the registry ----------------------------------------------------------------------------
export type StatusFilter = '' | 'valid' | 'revoked' | 'used' | 'unused'

export function useCertificates() {
  const rows = ref<TrainingCertificateRow[]>([])
  const total = ref(0)
  const loading = ref(false)
  const filter = reactive({ schoolId: undefined as number | undefined, vehicleClass: '' as '' | 'A1' | 'A2' | 'B2', status: '' as StatusFilter, search: '', page: 1, pageSize: 20 })
  const detail = ref<TrainingCertificateDetail | null>(null)
  const entry = ref<null | { schoolId?: number; idNumber: string; name: string; vehicleClass: 'A1' | 'A2' | 'B2'; trainingStart: string; trainingEnd: string; issuedOn: string; certificateNo: string }>(null)
  const entryErrors = ref<Record<string, string>>({})
  const revoking = ref<null | { row: TrainingCertificateRow; reason: string; error: string }>(null)
  const busy = ref(false)

  async function load() {
    loading.value = true
    try {
      const r = await api.training.list({
        schoolId: filter.schoolId || undefined,
        vehicleClass: filter.vehicleClass || undefined,
        status: filter.status || undefined,
        search: filter.search.trim() || undefined,
        page: filter.page,
        pageSize: filter.pageSize
      })
      rows.value = r.rows
      total.value = r.total
    } catch (e) {
      report(e)
    } finally {
      loading.value = false
    }
  }
  function search() {
    filter.page = 1
    return load()
  }
  async function open(row: TrainingCertificateRow) {
    try {
      detail.value = await api.training.detail({ id: row.id })
    } catch (e) {
      report(e)
    }
  }
  function startEntry(schoolId?: number) {
    entryErrors.value = {}
    entry.value = { schoolId, idNumber: '', name: '', vehicleClass: 'B2', trainingStart: '', trainingEnd: '', issuedOn: '', certificateNo: '' }
  }
  async function saveEntry() {
    const e = entry.value!
    if (!e.schoolId) {
      entryErrors.value = { schoolId: '请选择培训机构' }
      return
    }
    busy.value = true
    entryErrors.value = {}
    try {
      const saved = await api.training.create({ ...e, schoolId: e.schoolId })
      ElMessage.success(`已录入结业证 ${saved.certificateNo}`)
      entry.value = null
      await search()
    } catch (err) {
      report(err, entryErrors)
    } finally {
      busy.value = false
    }
  }
  function startRevoke(row: TrainingCertificateRow) {
    revoking.value = { row, reason: '', error: '' }
  }
  async function confirmRevoke() {
    const r = revoking.value!
    busy.value = true
    try {
      await api.training.revoke({ id: r.row.id, reason: r.reason })
      ElMessage.success(`已撤销结业证 ${r.row.certificateNo}${r.row.applicationId ? `；申请 ${r.row.applicationId} 将在审查队列中标记` : ''}`)
      revoking.value = null
      detail.value = null
      await load()
    } catch (e) {
      if (e instanceof ApiError) r.error = e.fields.reason ?? e.message
      else throw e
    } finally {
      busy.value = false
    }
  }
  return { rows, total, loading, filter, detail, entry, entryErrors, revoking, busy, load, search, open, startEntry, saveEntry, startRevoke, confirmRevoke }
}

// ---- the import ------------------------------------------------------------------------------
async function toBase64(file: Blob): Promise<string> {
  const buf = new Uint8Array(await file.arrayBuffer())
  let bin = ''
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000))
  return btoa(bin)
}

export function useTrainingImport() {
  const schoolId = ref<number | undefined>()
  const preview = ref<TrainingImportPreview | null>(null)
  const batches = ref<TrainingBatchRow[]>([])
  const show = ref<'all' | 'new' | 'unchanged' | 'error'>('all')
  const reading = ref(false)
  const committing = ref(false)
  const error = ref('')

  const shownRows = computed(() => (preview.value?.rows ?? []).filter((r) => show.value === 'all' || r.status === show.value))

  async function loadBatches() {
    batches.value = await api.training.batches({})
  }
  async function template() {
    try {
      saveFile(await api.training.template({}))
    } catch (e) {
      report(e)
    }
  }
  async function choose(file: File) {
    error.value = ''
    // A new file replaces the preview on screen: its batch is given up, not left "previewed".
    const previous = preview.value?.batchId
    if (previous) await api.training.importDiscard({ batchId: previous }).catch(() => {})
    preview.value = null
    if (!schoolId.value) {
      error.value = '请先选择上报结业证的培训机构'
      return
    }
    if (!/\.xlsx$/i.test(file.name)) {
      error.value = '请选择 Excel 工作簿（.xlsx）；.xls 或 CSV 请先用 Excel/WPS/LibreOffice 另存为 .xlsx'
      return
    }
    if (file.size > 512 * 1024) {
      error.value = '文件过大（上限 512 KB，约一万行），请分成几个文件导入'
      return
    }
    reading.value = true
    try {
      preview.value = await api.training.importPreview({ schoolId: schoolId.value, fileName: file.name, data: await toBase64(file) })
      show.value = preview.value.errors ? 'error' : 'all'
      await loadBatches()
    } catch (e) {
      if (e instanceof ApiError) error.value = e.message
      else throw e
    } finally {
      reading.value = false
    }
  }
  async function commit() {
    const p = preview.value!
    try {
      await ElMessageBox.confirm(
        `将为“${p.schoolName}”新增 ${p.newRows} 条结业证记录${p.unchanged ? `，${p.unchanged} 行已登记（不变）` : ''}。整份文件在一个事务中导入：全部成功或全部不导入。`,
        '确认导入',
        { type: 'info', confirmButtonText: '导入' }
      )
    } catch {
      return
    }
    committing.value = true
    try {
      const r = await api.training.importCommit({ batchId: p.batchId! })
      ElMessage.success(`已导入：新增 ${r.created} 条，${r.unchanged} 条已登记未变`)
      preview.value = null
      await loadBatches()
    } catch (e) {
      report(e)
    } finally {
      committing.value = false
    }
  }
  async function discard() {
    const p = preview.value
    if (p?.batchId) {
      try {
        await api.training.importDiscard({ batchId: p.batchId })
      } catch (e) {
        report(e)
      }
    }
    preview.value = null
    await loadBatches()
  }
  return { schoolId, preview, batches, show, shownRows, reading, committing, error, loadBatches, template, choose, commit, discard }
}
