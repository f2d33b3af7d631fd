// The 考务管理 desk's state and actions: sessions, the roster of the open session, attendance.
import { computed, reactive, ref } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import type { ExamSessionView, RosterEntry } from '../../../../src-preload/contract/exams'
import { api, ApiError } from '../../api'
import { at, openPdf, saveFile, todayShanghai } from './format'

export function useExamSessions() {
  const sessions = ref<ExamSessionView[]>([])
  const venues = ref<{ id: number; name: string; address: string }[]>([])
  const loading = ref(false)
  const range = ref<[string, string] | null>(null)
  const errors = ref<Record<string, string>>({})

  async function load() {
    loading.value = true
    try {
      sessions.value = await api.exams.sessions(range.value ? { from: range.value[0], to: range.value[1] } : {})
    } finally {
      loading.value = false
    }
  }
  async function init() {
    venues.value = await api.exams.venues()
    await load()
  }

  // ---- create ----------------------------------------------------------------------------
  const draft = ref<null | { venueId: number | null; name: string; date: string; start: string; end: string; subjects: 'theory' | 'practical' | 'both'; capacity: number; opensDate: string; closesDate: string }>(null)
  function startCreate() {
    errors.value = {}
    const d = new Date(Date.now() + 8 * 3600_000)
    const plus = (n: number) => new Date(d.getTime() + n * 86400_000).toISOString().slice(0, 10)
    draft.value = { venueId: venues.value[0]?.id ?? null, name: '', date: plus(7), start: '09:00', end: '11:00', subjects: 'both', capacity: 30, opensDate: todayShanghai(), closesDate: plus(6) }
  }
  const saving = ref(false)
  async function create() {
    const d = draft.value!
    saving.value = true
    errors.value = {}
    try {
      await api.exams.createSession({
        venueId: d.venueId ?? 0,
        name: d.name || undefined,
        date: d.date,
        start: d.start,
        end: d.end,
        subjects: d.subjects,
        capacity: d.capacity,
        bookingOpensAt: at(d.opensDate, '00:00'),
        bookingClosesAt: at(d.closesDate, '17:00')
      })
      ElMessage.success('场次已创建')
      draft.value = null
      await load()
    } catch (e) {
      if (e instanceof ApiError) {
        errors.value = e.fields
        ElMessage.error(e.message)
      } else throw e
    } finally {
      saving.value = false
    }
  }

  async function editCapacity(s: ExamSessionView) {
    try {
      const { value } = await ElMessageBox.prompt(`当前已预约 ${s.booked} 人，计划人数不能少于已预约人数。`, `修改计划人数：${s.name}`, {
        inputValue: String(s.capacity),
        inputPattern: /^\d{1,4}$/,
        inputErrorMessage: '请输入整数'
      })
      await api.exams.setCapacity({ sessionId: s.id, capacity: Number(value) })
      ElMessage.success('计划人数已修改')
      await load()
    } catch (e) {
      if (e instanceof ApiError) ElMessage.error(e.message)
    }
  }

  async function cancel(s: ExamSessionView) {
    try {
      const { value } = await ElMessageBox.prompt(`取消后该场次 ${s.booked} 名考生的预约将被释放，并短信通知考生重新预约；考试次数不受影响。`, `取消场次：${s.name}`, {
        inputPlaceholder: '取消原因（将告知考生）',
        inputValidator: (v) => (v && v.trim().length >= 2 ? true : '请填写取消原因'),
        confirmButtonText: '确定取消场次',
        type: 'warning'
      })
      const r = await api.exams.cancelSession({ sessionId: s.id, reason: value.trim() })
      ElMessage.success(`场次已取消，已释放 ${r.released} 个预约并通知考生`)
      await load()
    } catch (e) {
      if (e instanceof ApiError) ElMessage.error(e.message)
    }
  }

  // ---- roster ----------------------------------------------------------------------------
  const roster = reactive<{ open: boolean; session: ExamSessionView | null; entries: RosterEntry[]; loading: boolean }>({ open: false, session: null, entries: [], loading: false })
  async function openRoster(s: ExamSessionView) {
    roster.open = true
    roster.session = s
    await reloadRoster()
  }
  async function reloadRoster() {
    if (!roster.session) return
    roster.loading = true
    try {
      const r = await api.exams.roster({ sessionId: roster.session.id })
      roster.session = r.session
      roster.entries = r.entries
    } finally {
      roster.loading = false
    }
  }
  async function mark(e: RosterEntry, present: boolean) {
    try {
      if (!present) {
        await ElMessageBox.confirm(`确定将 ${e.name} 登记为失约？失约将扣除所约科目各一次考试机会并释放预约。`, '登记失约', { type: 'warning' })
      }
      await api.exams.markAttendance({ bookingId: e.bookingId, present })
      await reloadRoster()
    } catch (err) {
      if (err instanceof ApiError) ElMessage.error(err.message)
    }
  }
  async function closeSession() {
    const s = roster.session!
    const waiting = roster.entries.filter((e) => e.status === 'booked').length
    try {
      await ElMessageBox.confirm(`结束场次后，未登记到场的 ${waiting} 名考生将按失约处理（各扣除一次考试机会）。`, '结束场次', { type: 'warning', confirmButtonText: '结束场次' })
      const r = await api.exams.closeSession({ sessionId: s.id })
      ElMessage.success(`场次已结束，失约 ${r.noShows} 人`)
      await reloadRoster()
      await load()
    } catch (err) {
      if (err instanceof ApiError) ElMessage.error(err.message)
    }
  }
  const exporting = ref<'' | 'pdf' | 'xlsx'>('')
  async function exportRoster(format: 'pdf' | 'xlsx') {
    exporting.value = format
    try {
      const file = await api.exams.exportRoster({ sessionId: roster.session!.id, format })
      if (format === 'pdf') openPdf(file)
      else saveFile(file)
    } catch (e) {
      if (e instanceof ApiError) ElMessage.error(e.message)
    } finally {
      exporting.value = ''
    }
  }
  const rosterCounts = computed(() => ({
    total: roster.entries.length,
    present: roster.entries.filter((e) => e.status === 'present' || e.status === 'scored').length,
    noShow: roster.entries.filter((e) => e.status === 'no_show').length,
    waiting: roster.entries.filter((e) => e.status === 'booked').length
  }))

  return { sessions, venues, loading, range, errors, load, init, draft, startCreate, saving, create, editCapacity, cancel, roster, openRoster, reloadRoster, mark, closeSession, exporting, exportRoster, rosterCounts }
}
