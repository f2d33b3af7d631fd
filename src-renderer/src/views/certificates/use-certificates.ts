// The 证件打印 desk's lists: applications to print (待制证) and cards to hand over (待领证).
import { reactive, ref } from 'vue'
import { ElMessage } from 'element-plus'
import type { CertificateQueueRow, PrintLayout } from '../../../../src-preload/contract/certificates'
import type { Category } from '../../../../src-preload/contract/vocab'
import { api, ApiError } from '../../api'

export function useCertificateQueue(view: 'to_print' | 'to_hand_over') {
  const filter = reactive({ category: '' as Category | '', query: '' })
  const page = reactive({ page: 1, pageSize: 50 })
  const rows = ref<CertificateQueueRow[]>([])
  const total = ref(0)
  const loading = ref(false)
  const selected = ref<CertificateQueueRow[]>([])

  async function load() {
    loading.value = true
    try {
      const r = await api.certificates.queue({ view, category: filter.category || undefined, query: filter.query || undefined, page: page.page, pageSize: page.pageSize })
      rows.value = r.rows
      total.value = r.total
    } catch (e) {
      fail(e)
    } finally {
      loading.value = false
    }
  }
  return { view, filter, page, rows, total, loading, selected, load }
}

export function fail(e: unknown) {
  ElMessage.error(e instanceof ApiError ? e.message : String(e))
}

export const layoutChoice = ref<PrintLayout>('full')

export const dateTime = (at: string | null | undefined) => (at ? at.replace('T', ' ').slice(0, 16) : '—')

export const CARRIERS = ['中国邮政EMS', '顺丰速运', '京东物流', '中通快递', '圆通速递']
