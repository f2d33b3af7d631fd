// The counter (窗口业务): find an applicant, take the exam fee in cash or by card with a receipt
// number, book or cancel a session for them.
import { reactive, ref } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import type { ExamApplicantView, ExamSessionView } from '../../../../src-preload/contract/exams'
import { api, ApiError } from '../../api'
import { money } from './format'

export function useExamCounter() {
  const query = ref('')
  const found = ref<ExamApplicantView | null>(null)
  const error = ref('')
  const loading = ref(false)
  const sessions = ref<ExamSessionView[]>([])

  async function find() {
    error.value = ''
    loading.value = true
    try {
      found.value = await api.exams.findApplicant({ query: query.value })
      sessions.value = (await api.exams.sessions({})).filter((s) => s.status === 'open' && s.booked < s.capacity)
    } catch (e) {
      found.value = null
      if (e instanceof ApiError) error.value = e.message
      else throw e
    } finally {
      loading.value = false
    }
  }
  async function refresh() {
    if (!found.value) return
    found.value = await api.exams.findApplicant({ query: String(found.value.applicationId) })
    sessions.value = (await api.exams.sessions({})).filter((s) => s.status === 'open' && s.booked < s.capacity)
  }

  const pay = reactive({ open: false, method: 'cash' as 'cash' | 'card', receiptNo: '', amountYuan: '', errors: {} as Record<string, string>, saving: false })
  function startPay() {
    Object.assign(pay, { open: true, method: 'cash', receiptNo: '', amountYuan: '', errors: {}, saving: false })
  }
  async function submitPay() {
    const f = found.value!
    pay.saving = true
    pay.errors = {}
    try {
      const amountFen = Math.round(Number(pay.amountYuan) * 100)
      if (!Number.isFinite(amountFen) || amountFen <= 0) {
        pay.errors = { amountFen: '请输入实收金额（元）' }
        return
      }
      await api.exams.counterPayment({ applicationId: f.applicationId, method: pay.method, receiptNo: pay.receiptNo.trim(), amountFen })
      ElMessage.success(`已收款 ${money(amountFen)}，已入账`)
      pay.open = false
      await refresh()
    } catch (e) {
      if (e instanceof ApiError) {
        pay.errors = e.fields
        ElMessage.error(e.message)
      } else throw e
    } finally {
      pay.saving = false
    }
  }

  const bookSessionId = ref<number | null>(null)
  async function book() {
    try {
      await api.exams.counterBook({ applicationId: found.value!.applicationId, sessionId: bookSessionId.value ?? 0 })
      ElMessage.success('预约成功，已短信通知考生')
      bookSessionId.value = null
      await refresh()
    } catch (e) {
      if (e instanceof ApiError) ElMessage.error(e.message)
    }
  }
  async function cancelBooking(bookingId: number) {
    try {
      await ElMessageBox.confirm('确定取消该预约？', '取消预约', { type: 'warning' })
      await api.exams.counterCancelBooking({ applicationId: found.value!.applicationId, bookingId })
      ElMessage.success('预约已取消')
      await refresh()
    } catch (e) {
      if (e instanceof ApiError) ElMessage.error(e.message)
    }
  }
  return { query, found, error, loading, sessions, find, pay, startPay, submitPay, bookSessionId, book, cancelBooking }
}
