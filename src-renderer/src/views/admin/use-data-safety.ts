// The data-safety screen's state and actions (backups, restore, doctor, start-up findings); the
// view only lays them out.
import { reactive, ref } from 'vue'
import { ElMessage } from 'element-plus'
import type { BackupConfigView, BackupRunView, DoctorReport, RestoreResult, StartupReport } from '../../../../src-preload/contract/data-safety'
import { api, ApiError } from '../../api'

export function formatBytes(n: number | null): string {
  if (n == null) return '—'
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`
  return `${(n / 1024 ** 3).toFixed(2)} GB`
}
export const formatTime = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 19) : '—')

export function useDataSafety() {
  const config = ref<BackupConfigView | null>(null)
  const form = reactive({ folder: '', keep: 14, dailyEnabled: true, dailyTime: '02:00' })
  const formErrors = ref<Record<string, string>>({})
  const runs = ref<BackupRunView[]>([])
  const startup = ref<StartupReport | null>(null)
  const doctor = ref<DoctorReport | null>(null)
  const busy = reactive({ load: false, save: false, backup: false, doctor: false, restore: false, verify: 0 })
  const restore = reactive({ visible: false, backupId: null as number | null, backupPath: '', targetDir: '', errors: {} as Record<string, string> })
  const restored = ref<RestoreResult | null>(null)

  function fail(e: unknown, into?: { value: Record<string, string> } | Record<string, string>) {
    if (!(e instanceof ApiError)) throw e
    if (into && Object.keys(e.fields).length) {
      if ('value' in into) into.value = e.fields
      else Object.assign(into, e.fields)
    }
    ElMessage.error({ message: e.message, duration: 6000 })
  }

  async function load() {
    busy.load = true
    try {
      const [c, r, s] = await Promise.all([api.dataSafety.backupConfig(), api.dataSafety.backups({ limit: 50 }), api.dataSafety.startupReport()])
      config.value = c
      Object.assign(form, { folder: c.folder, keep: c.keep, dailyEnabled: c.dailyEnabled, dailyTime: c.dailyTime })
      runs.value = r
      startup.value = s
    } finally {
      busy.load = false
    }
  }

  async function saveConfig() {
    busy.save = true
    formErrors.value = {}
    try {
      config.value = await api.dataSafety.saveBackupConfig({ ...form })
      ElMessage.success('备份设置已保存')
    } catch (e) {
      fail(e, formErrors)
    } finally {
      busy.save = false
    }
  }

  async function backupNow() {
    busy.backup = true
    try {
      const run = await api.dataSafety.backupNow()
      if (run.status === 'ok') ElMessage.success(`备份完成并已校验：${formatBytes(run.totalBytes)}`)
      else ElMessage.error({ message: `备份失败：${run.message}`, duration: 8000 })
      await load()
    } catch (e) {
      fail(e)
    } finally {
      busy.backup = false
    }
  }

  async function verify(run: BackupRunView) {
    busy.verify = run.id
    try {
      const r = await api.dataSafety.verifyBackup({ id: run.id })
      if (r.ok) ElMessage.success('校验通过：数据库完整，附件哈希一致')
      else ElMessage.error({ message: `校验未通过：${r.problems.slice(0, 3).join('；')}`, duration: 8000 })
    } catch (e) {
      fail(e)
    } finally {
      busy.verify = 0
    }
  }

  function openRestore(run?: BackupRunView) {
    Object.assign(restore, { visible: true, backupId: run?.id ?? null, backupPath: run ? '' : '', targetDir: '', errors: {} })
    restored.value = null
  }

  async function runRestore() {
    busy.restore = true
    restore.errors = {}
    try {
      restored.value = await api.dataSafety.restore({
        ...(restore.backupId ? { backupId: restore.backupId } : { backupPath: restore.backupPath }),
        targetDir: restore.targetDir
      })
    } catch (e) {
      fail(e, restore.errors)
    } finally {
      busy.restore = false
    }
  }

  async function runDoctor() {
    busy.doctor = true
    try {
      doctor.value = await api.dataSafety.doctor()
    } catch (e) {
      fail(e)
    } finally {
      busy.doctor = false
    }
  }

  return { config, form, formErrors, runs, startup, doctor, busy, restore, restored, load, saveConfig, backupNow, verify, openRestore, runRestore, runDoctor }
}
