// 成绩导入: template, chunked upload with progress, preview of every row, commit in one go.
import { computed, reactive, ref } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import type { ImportBatchRow, ImportCommitResult, ImportPreview } from '../../../../src-preload/contract/exams'
import { api, ApiError } from '../../api'
import { base64Chunks, saveFile } from './format'

export function useScoreImport() {
  const preview = ref<ImportPreview | null>(null)
  const result = ref<ImportCommitResult | null>(null)
  const batches = ref<ImportBatchRow[]>([])
  const filter = ref<'all' | 'ok' | 'error' | 'unchanged'>('all')
  const progress = reactive({ active: false, percent: 0, text: '' })
  const error = ref('')

  async function loadBatches() {
    batches.value = await api.scores.batches()
  }
  async function template() {
    saveFile(await api.scores.template())
  }

  async function upload(file: File) {
    error.value = ''
    preview.value = null
    result.value = null
    if (!/\.xlsx$/i.test(file.name)) {
      error.value = '请选择 Excel 工作簿（.xlsx）；.xls 或 CSV 请先另存为 .xlsx'
      return
    }
    Object.assign(progress, { active: true, percent: 0, text: '正在上传…' })
    try {
      const chunks = await base64Chunks(file)
      let uploadId: string | undefined
      for (let i = 0; i < chunks.length; i++) {
        const r = await api.scores.uploadChunk({ uploadId, fileName: file.name, data: chunks[i] })
        uploadId = r.uploadId
        progress.percent = Math.round(((i + 1) / chunks.length) * 70)
        progress.text = `正在上传 ${(r.size / 1024).toFixed(0)} KB / ${(file.size / 1024).toFixed(0)} KB`
      }
      progress.text = '正在读取并逐行校验…'
      progress.percent = 80
      preview.value = await api.scores.preview({ uploadId: uploadId! })
      progress.percent = 100
      progress.text = `校验完成：共 ${preview.value.total} 行`
      filter.value = preview.value.errors ? 'error' : 'all'
    } catch (e) {
      if (e instanceof ApiError) error.value = e.message
      else throw e
    } finally {
      setTimeout(() => (progress.active = false), 600)
    }
  }

  const committing = ref(false)
  async function commit() {
    const p = preview.value!
    try {
      await ElMessageBox.confirm(
        `将导入 ${p.ok} 行有效成绩${p.errors ? `，有错误的 ${p.errors} 行不会导入` : ''}${p.unchanged ? `，${p.unchanged} 行已导入过（不变）` : ''}。全部在一个事务中完成。`,
        '确认导入',
        { type: p.errors ? 'warning' : 'info', confirmButtonText: '导入' }
      )
    } catch {
      return
    }
    committing.value = true
    Object.assign(progress, { active: true, percent: 90, text: '正在导入…' })
    try {
      result.value = await api.scores.commit({ batchId: p.batchId! })
      progress.percent = 100
      ElMessage.success(`已导入 ${result.value.applied} 行（${result.value.scores} 个成绩），${result.value.passedBoth} 人两科均合格转入许可审批`)
      preview.value = null
      await loadBatches()
    } catch (e) {
      if (e instanceof ApiError) ElMessage.error(e.message)
      else throw e
    } finally {
      committing.value = false
      setTimeout(() => (progress.active = false), 600)
    }
  }

  const rows = computed(() => (preview.value ? (filter.value === 'all' ? preview.value.rows : preview.value.rows.filter((r) => r.status === filter.value)) : []))
  const page = ref(1)
  const pageSize = 50
  const pageRows = computed(() => rows.value.slice((page.value - 1) * pageSize, page.value * pageSize))

  return { preview, result, batches, filter, progress, error, loadBatches, template, upload, committing, commit, rows, page, pageSize, pageRows }
}
