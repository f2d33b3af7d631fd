// Electron: a finished export is saved where the supervisor chooses. Thin: the core checks the
// staff session, the role and that the export is theirs (and audits the download); this file
// only asks where to save and copies the file there.
import { BrowserWindow, dialog, ipcMain, type WebContents } from 'electron'
import { copyFile } from 'node:fs/promises'
import type { Core } from '../core/create-core'
import { toErrorBody } from '../core/rpc/dispatch'
import { AppError } from '../core/errors'
import { isTrustedSender } from './trust'

export const SAVE_EXPORT_CHANNEL = 'exports:save'

export function registerExportSave(core: Core, trusted: () => WebContents | undefined, appUrl: string) {
  ipcMain.handle(SAVE_EXPORT_CHANNEL, async (event, id: unknown, token: unknown) => {
    if (!isTrustedSender(event, trusted, appUrl)) {
      core.ctx.audit.record({ actorType: 'system', action: 'access.denied', targetType: 'ipc', targetId: SAVE_EXPORT_CHANNEL, detail: { url: event.senderFrame?.url } })
      return { ok: false, status: 403, error: { code: 'forbidden', message: '拒绝来自未知页面的调用' } }
    }
    try {
      if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) throw new AppError('invalid_input', '导出任务编号无效', { id: '应为正整数' })
      const file = core.services.exports.openDownload(typeof token === 'string' ? token : undefined, id, 'ipc')
      const win = BrowserWindow.fromWebContents(event.sender)
      const options = { title: '保存导出文件', defaultPath: file.fileName, filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }] }
      const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
      if (choice.canceled || !choice.filePath) return { ok: true, data: { saved: false } }
      await copyFile(file.path, choice.filePath)
      return { ok: true, data: { saved: true, path: choice.filePath } }
    } catch (e) {
      const { status, error } = toErrorBody(e, console.error)
      return { ok: false, status, error }
    }
  })
}
