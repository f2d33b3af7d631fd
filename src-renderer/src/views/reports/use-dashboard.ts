// The dashboard's state: the chosen range, the figures, and the list behind a clicked figure.
import { reactive, ref } from 'vue'
import type { Dashboard, DrillList } from '../../../../src-preload/contract/reports'
import { api, ApiError } from '../../api'
import type { DrillTarget } from './charts'
import { addDays, todayShanghai } from './format'

export function useDashboard() {
  const today = todayShanghai()
  const range = ref<[string, string]>([addDays(today, -29), today])
  const data = ref<Dashboard | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)

  async function load() {
    loading.value = true
    error.value = null
    try {
      data.value = await api.reports.dashboard({ from: range.value[0], to: range.value[1] })
    } catch (e) {
      error.value = e instanceof ApiError ? e.message : '统计数据加载失败'
    } finally {
      loading.value = false
    }
  }

  const drill = reactive({
    open: false,
    loading: false,
    target: null as DrillTarget | null,
    list: null as DrillList | null,
    page: 1,
    pageSize: 20,
    error: null as string | null
  })

  async function loadDrill() {
    if (!drill.target) return
    drill.loading = true
    drill.error = null
    try {
      const extra = drill.target.figure === 'passRate' ? { from: range.value[0], to: range.value[1] } : {}
      drill.list = await api.reports.drilldown({ ...drill.target, ...extra, page: drill.page, pageSize: drill.pageSize } as Parameters<typeof api.reports.drilldown>[0])
    } catch (e) {
      drill.error = e instanceof ApiError ? e.message : '明细加载失败'
    } finally {
      drill.loading = false
    }
  }

  /** Opens the list behind a figure. */
  async function open(target: DrillTarget | null) {
    if (!target) return
    drill.target = target
    drill.page = 1
    drill.list = null
    drill.open = true
    await loadDrill()
  }

  async function goTo(page: number) {
    drill.page = page
    await loadDrill()
  }

  return { range, data, loading, error, load, drill, open, goTo }
}
