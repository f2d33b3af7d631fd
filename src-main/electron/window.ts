import { BrowserWindow } from 'electron'
import { join } from 'node:path'
import { secureWebPreferences } from './trust'

export function createMainWindow(appUrl: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1100,
    minHeight: 700,
    title: 'QualDesk 从业资格业务系统',
    show: false,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(join(__dirname, '../preload/index.js'))
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(appUrl)
  return win
}
