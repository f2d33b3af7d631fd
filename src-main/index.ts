// The Electron shell: thin. Everything that matters is in ./core and runs without Electron.
import { app, BrowserWindow, dialog } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createCore, resolveDataDir, type Core } from './core/create-core'
import { createHttpServer } from './core/http/server'
import { hardenApp } from './electron/security'
import { registerIpc } from './electron/ipc'
import { electronPrinter } from './electron/printing'
import { registerExportSave } from './electron/exports'
import { createMainWindow } from './electron/window'
import { startBackupScheduler } from './core/services/backups-scheduler'
import { SERVER_JS_FLAGS } from './core/js-flags'

// Before the app is ready: V8 reads its heap flags once, at start-up.
app.commandLine.appendSwitch('js-flags', SERVER_JS_FLAGS.join(' '))

let win: BrowserWindow | undefined

async function start() {
  if (!app.requestSingleInstanceLock()) return app.quit()
  await app.whenReady()
  const appUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(__dirname, '../renderer/index.html')).href
  hardenApp(appUrl)
  let core: Core
  try {
    core = await createCore({
      dataDir: resolveDataDir(app.getPath('userData')),
      adminPassword: process.env.QUALDESK_ADMIN_PASSWORD || undefined
    })
  } catch (e) {
    dialog.showErrorBox('QualDesk 无法启动', (e as Error).message)
    return app.exit(2)
  }
  if (core.createdAdmin?.password) {
    await dialog.showMessageBox({
      type: 'info',
      title: '已创建管理员账户',
      message: `用户名：${core.createdAdmin.username}\n一次性密码：${core.createdAdmin.password}\n\n此密码只显示这一次，请记下；首次登录后须修改。`
    })
  }
  // The applicant app's API (and browser mode for other desks) from the same core.
  const http = await createHttpServer(core, { staticDir: join(__dirname, '../renderer') })
  await http.listen({ host: process.env.QUALDESK_HOST ?? '127.0.0.1', port: Number(process.env.QUALDESK_PORT ?? 8310) })

  registerIpc(core, () => win?.webContents, appUrl)
  core.services.certificates.usePrinter(electronPrinter(() => win?.webContents))
  registerExportSave(core, () => win?.webContents, appUrl)
  const scheduler = startBackupScheduler(core)
  win = createMainWindow(appUrl)
  app.on('second-instance', () => win?.focus())
  app.on('window-all-closed', async () => {
    scheduler.stop()
    await http.close()
    core.close()
    app.quit()
  })
}

void start()
