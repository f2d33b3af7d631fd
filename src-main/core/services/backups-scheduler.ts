// The daily automatic backup: started by `serve` and the Electron shell (never by tests unless
// they ask). Checks once a minute whether today's backup is due; a backup missed while the app
// was off runs at the next start.
import type { Core } from '../create-core'

export interface BackupScheduler {
  stop(): void
  /** one check now (the timer's body), for tests */
  tick(): Promise<void>
}

export function startBackupScheduler(core: Core, log: (line: string) => void = console.log, everyMs = 60_000): BackupScheduler {
  const { backups } = core.services
  let busy = false
  async function tick() {
    if (busy || backups.isRunning() || !backups.dailyDue()) return
    busy = true
    try {
      const r = await backups.run('daily')
      log(r.status === 'ok' ? `每日自动备份完成：${r.path}` : `每日自动备份失败：${r.message}`)
    } catch (e) {
      log(`每日自动备份未能开始：${(e as Error).message}`)
    } finally {
      busy = false
    }
  }
  const first = setTimeout(() => void tick(), 5_000)
  const timer = setInterval(() => void tick(), everyMs)
  first.unref()
  timer.unref()
  return {
    stop() {
      clearTimeout(first)
      clearInterval(timer)
    },
    tick
  }
}
