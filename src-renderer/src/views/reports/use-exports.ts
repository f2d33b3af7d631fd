// The exports' state: the form, the running job's progress (polled), recent exports, downloads.
import { onBeforeUnmount, reactive, ref } from 'vue'
import { ElMessage } from 'element-plus'
import type { ExportJobView, ExportKind } from '../../../../src-preload/contract/reports'
import { api, ApiError } from '../../api'
import { downloadExport } from './download'
import { addDays, todayShanghai } from './format'

export interface ExportForm {
  kind: ExportKind
  range: [string, string]
  category: '' | 'passenger' | 'freight'
  applicationType: '' | 'initial' | 'add_class'
  stage: string
  trainingSchoolId: number | ''
  sessionId: number | ''
  action: string
  masked: boolean
}

export function useExports() {
  const today = todayShanghai()
  const form = reactive<ExportForm>({
    kind: 'applications',
    range: [addDays(today, -29), today],
    category: '',
    applicationType: '',
    stage: '',
    trainingSchoolId: '',
    sessionId: '',
    action: '',
    masked: false
  })
  const fieldErrors = ref<Record<string, string>>({})
  const job = ref<ExportJobView | null>(null)
  const recent = ref<ExportJobView[]>([])
  const schools = ref<{ id: number; name: string }[]>([])
  const sessions = ref<{ id: number; label: string }[]>([])
  const starting = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined

  async function loadChoices() {
    const [s, r] = await Promise.all([api.reports.schools({}), api.reports.exports({})])
    schools.value = s
    recent.value = r
    await loadSessions()
  }
  async function loadSessions() {
    sessions.value = await api.reports.sessions({ from: addDays(form.range[0], -60), to: addDays(form.range[1], 60) })
  }

  function request() {
    const personalData = form.masked ? ('masked' as const) : ('full' as const)
    const [from, to] = form.range
    switch (form.kind) {
      case 'applications':
        return {
          kind: 'applications' as const,
          from,
          to,
          personalData,
          ...(form.category ? { category: form.category } : {}),
          ...(form.applicationType ? { applicationType: form.applicationType } : {}),
          ...(form.stage ? { stage: form.stage } : {}),
          ...(form.trainingSchoolId !== '' ? { trainingSchoolId: form.trainingSchoolId } : {})
        }
      case 'certificates':
        return { kind: 'certificates' as const, from, to, personalData }
      case 'exam_results':
        return { kind: 'exam_results' as const, sessionId: Number(form.sessionId), personalData }
      case 'fees':
        return { kind: 'fees' as const, from, to, personalData }
      case 'audit':
        return { kind: 'audit' as const, from, to, ...(form.action ? { action: form.action } : {}) }
    }
  }

  async function poll() {
    if (!job.value || job.value.status !== 'running') return
    try {
      job.value = await api.reports.exportStatus({ id: job.value.id })
    } catch (e) {
      if (e instanceof ApiError) ElMessage.error(e.message)
      return
    }
    if (job.value.status === 'running') timer = setTimeout(poll, 400)
    else {
      recent.value = await api.reports.exports({})
      if (job.value.status === 'done') ElMessage.success(`导出完成：${job.value.doneRows} 行`)
      else if (job.value.error) ElMessage.error(job.value.error)
    }
  }

  async function start() {
    fieldErrors.value = {}
    if (form.kind === 'exam_results' && form.sessionId === '') {
      fieldErrors.value = { sessionId: '请选择考试场次' }
      return
    }
    starting.value = true
    try {
      job.value = await api.reports.startExport(request())
      timer = setTimeout(poll, 200)
    } catch (e) {
      if (e instanceof ApiError) {
        fieldErrors.value = e.fields
        ElMessage.error(e.message)
      }
    } finally {
      starting.value = false
    }
  }

  async function download(j: ExportJobView) {
    try {
      const saved = await downloadExport(j.id, j.fileName ?? '导出.xlsx')
      if (saved) ElMessage.success(`已保存：${saved}`)
      recent.value = await api.reports.exports({})
    } catch (e) {
      if (e instanceof ApiError) ElMessage.error(e.message)
    }
  }

  onBeforeUnmount(() => clearTimeout(timer))

  return { form, fieldErrors, job, recent, schools, sessions, starting, loadChoices, loadSessions, start, download }
}
