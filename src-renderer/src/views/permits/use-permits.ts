// The 许可审批 desk's state: the queue (filters, selection), the open application, decisions.
import { reactive, ref } from 'vue'
import { ElMessage } from 'element-plus'
import type { PermitDecisionResult, PermitDetail, PermitQueueRow } from '../../../../src-preload/contract/permits'
import type { Category } from '../../../../src-preload/contract/vocab'
import { api, ApiError } from '../../api'

export function usePermits() {
  const filter = reactive({ category: '' as Category | '', query: '' })
  const page = reactive({ page: 1, pageSize: 50 })
  const rows = ref<PermitQueueRow[]>([])
  const total = ref(0)
  const overdue = ref(0)
  const loading = ref(false)
  const selected = ref<PermitQueueRow[]>([])
  const detail = ref<PermitDetail | null>(null)
  const busy = ref(false)

  function fail(e: unknown) {
    ElMessage.error(e instanceof ApiError ? e.message : String(e))
  }

  async function load() {
    loading.value = true
    try {
      const r = await api.permits.queue({ category: filter.category || undefined, query: filter.query || undefined, page: page.page, pageSize: page.pageSize })
      rows.value = r.rows
      total.value = r.total
      overdue.value = r.overdue
    } catch (e) {
      fail(e)
    } finally {
      loading.value = false
    }
  }

  async function open(applicationId: number) {
    try {
      detail.value = await api.permits.detail({ applicationId })
    } catch (e) {
      fail(e)
    }
  }

  function report(r: PermitDecisionResult, verb: string) {
    if (r.done.length) ElMessage.success(`已${verb} ${r.done.length} 份申请`)
    if (r.failed.length) ElMessage.warning(`${r.failed.length} 份未处理：${r.failed.map((f) => f.reason).join('；')}`)
  }

  async function approve(applicationIds: number[], note?: string) {
    busy.value = true
    try {
      report(await api.permits.approve({ applicationIds, note: note || undefined }), '批准')
      detail.value = null
      selected.value = []
      await load()
      return true
    } catch (e) {
      fail(e)
      return false
    } finally {
      busy.value = false
    }
  }

  async function reject(applicationIds: number[], reasons: string[], note?: string) {
    busy.value = true
    try {
      report(await api.permits.reject({ applicationIds, reasons, note: note || undefined }), '作出不予许可决定')
      detail.value = null
      selected.value = []
      await load()
      return true
    } catch (e) {
      fail(e)
      return false
    } finally {
      busy.value = false
    }
  }

  async function attachment(applicationId: number, attachmentId: number) {
    try {
      return await api.permits.attachment({ applicationId, attachmentId })
    } catch (e) {
      fail(e)
      return null
    }
  }

  return { filter, page, rows, total, overdue, loading, selected, detail, busy, load, open, approve, reject, attachment }
}
export type PermitsDesk = ReturnType<typeof usePermits>

export const COUNTDOWN_TAG = { ok: 'success', due_soon: 'warning', due_today: 'warning', overdue: 'danger' } as const

export const dateTime = (at: string | null | undefined) => (at ? at.replace('T', ' ').slice(0, 16) : '—')
export const yuan = (fen: number) => (fen / 100).toFixed(2)

/** Common reasons for 不予许可 the supervisor can pick (free text is allowed too). */
export const COMMON_REJECT_REASONS = [
  '三年内发生重大以上交通责任事故',
  '驾驶证被吊销、注销或记满12分',
  '考试成绩已超过1年有效期',
  '申请材料与事实不符（提供虚假材料）',
  '年龄超过60周岁',
  '驾驶证初领日期不满1年'
]
