// Pure parts of the Electron security checklist, kept free of runtime `electron` imports so the
// tests can check them under plain Node.
import type { IpcMainInvokeEvent, WebContents, WebPreferences } from 'electron'

/** Same scheme, host and path: our one page, whatever its #hash route. */
export function sameDocument(url: string, appUrl: string): boolean {
  try {
    const a = new URL(url)
    const b = new URL(appUrl)
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname
  } catch {
    return false
  }
}

/** Is this IPC call from our own window's top frame, showing our own page? */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  trusted: () => WebContents | undefined,
  appUrl: string
): boolean {
  const frame = event.senderFrame
  if (!frame || event.sender !== trusted() || frame !== event.sender.mainFrame) return false
  return sameDocument(frame.url, appUrl)
}

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    // Chromium's own PDF viewer, for scans and certificate print previews (blob: URLs of our page).
    plugins: true,
    spellcheck: false
  }
}
