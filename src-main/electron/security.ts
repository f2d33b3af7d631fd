// Electron's security checklist, in one place: no navigation away, no new windows, no
// permissions, and IPC only from our own page.
import { app, session, type IpcMainInvokeEvent, type WebContents } from 'electron'

/** Is this IPC call from our own window's top frame, showing our own page? */
export function isTrustedSender(event: IpcMainInvokeEvent, trusted: () => WebContents | undefined, appUrl: string): boolean {
  const frame = event.senderFrame
  if (!frame || event.sender !== trusted() || frame !== event.sender.mainFrame) return false
  return sameDocument(frame.url, appUrl)
}

function sameDocument(url: string, appUrl: string): boolean {
  try {
    const a = new URL(url)
    const b = new URL(appUrl)
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname
  } catch {
    return false
  }
}

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
