// A print job as the clerk follows it: progress while the PDF is made, then the PDF opened for
// printing (browser mode) or sent to a printer (desktop app).
import { onUnmounted, ref } from 'vue'
import { ElMessage } from 'element-plus'
import type { PdfFile, PrintJobStatus } from '../../../../src-preload/contract/certificates'
import { api, ApiError, bridgeKind } from '../../api'

export function pdfUrl(file: PdfFile): string {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))
  return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }))
}

export function usePrintJob(onDone: () => void) {
  const job = ref<PrintJobStatus | null>(null)
  const pdf = ref<{ url: string; fileName: string } | null>(null)
  const printers = ref<{ name: string; isDefault: boolean }[]>([])
  const printerName = ref('')
  const silent = ref(false)
  const sending = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined

  const percent = () => (job.value && job.value.total ? Math.round((job.value.done / job.value.total) * 100) : 0)

  async function follow(started: PrintJobStatus) {
    job.value = started
    clearPdf()
    const poll = async () => {
      try {
        job.value = await api.certificates.job({ jobId: started.jobId })
      } catch (e) {
        ElMessage.error(e instanceof ApiError ? e.message : String(e))
        return
      }
      if (job.value.state === 'rendering') {
        timer = setTimeout(poll, 200)
        return
      }
      onDone()
      if (job.value.state === 'ready') await ready()
    }
    timer = setTimeout(poll, 100)
  }

  async function ready() {
    if (bridgeKind === 'ipc') {
      const p = await api.certificates.printers()
      printers.value = p.printers
      printerName.value = p.printers.find((x) => x.isDefault)?.name ?? p.printers[0]?.name ?? ''
    }
    // In the browser (and as a preview in the desktop app) the PDF opens here for printing.
    const file = await api.certificates.jobPdf({ jobId: job.value!.jobId })
    pdf.value = { url: pdfUrl(file), fileName: file.fileName }
  }

  async function sendToPrinter() {
    if (!job.value) return
    sending.value = true
    try {
      const r = await api.certificates.sendToPrinter({ jobId: job.value.jobId, printerName: printerName.value || undefined, silent: silent.value })
      if (r.sent) ElMessage.success(r.message)
      else ElMessage.warning(r.message)
    } catch (e) {
      ElMessage.error(e instanceof ApiError ? e.message : String(e))
    } finally {
      sending.value = false
    }
  }

  function clearPdf() {
    if (pdf.value) URL.revokeObjectURL(pdf.value.url)
    pdf.value = null
  }
  function close() {
    clearTimeout(timer)
    clearPdf()
    job.value = null
  }
  onUnmounted(close)

  return { job, pdf, printers, printerName, silent, sending, percent, follow, sendToPrinter, close, desktop: bridgeKind === 'ipc' }
}
export type PrintJobHandle = ReturnType<typeof usePrintJob>
