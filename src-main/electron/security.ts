// Electron's security checklist, in one place: no navigation away, no new windows, no
// permissions, and IPC only from our own page.
import { app, session } from 'electron'
import { sameDocument } from './trust'

export function hardenApp(appUrl: string) {
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!sameDocument(url, appUrl)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!sameDocument(url, appUrl)) event.preventDefault()
    })
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
}
