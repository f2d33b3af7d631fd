// The Electron shell's checks that can run without Electron: which IPC senders are trusted and
// the window's web preferences.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isTrustedSender, sameDocument, secureWebPreferences } from '../../src-main/electron/trust'
import { CSP } from '../../src-main/core/http/server'

const APP = 'file:///opt/QualDesk/resources/app.asar/out/renderer/index.html'

function fakeContents(url: string) {
  const mainFrame = { url }
  return { mainFrame } as unknown as Electron.WebContents
}

describe('IPC sender check', () => {
  const ours = fakeContents(`${APP}#/desk/admin`)
  it('trusts our own window on any route of our page', () => {
    expect(isTrustedSender({ sender: ours, senderFrame: ours.mainFrame }, () => ours, APP)).toBe(true)
  })
  it('refuses another window, a sub-frame, and another page', () => {
    const other = fakeContents(`${APP}#/`)
    expect(isTrustedSender({ sender: other, senderFrame: other.mainFrame }, () => ours, APP)).toBe(false)
    const iframe = { url: `${APP}#/` } as Electron.WebFrameMain
    expect(isTrustedSender({ sender: ours, senderFrame: iframe }, () => ours, APP)).toBe(false)
    const navigated = fakeContents('https://evil.example/index.html')
    expect(isTrustedSender({ sender: navigated, senderFrame: navigated.mainFrame }, () => navigated, APP)).toBe(false)
    expect(isTrustedSender({ sender: ours, senderFrame: null }, () => ours, APP)).toBe(false)
  })
  it('compares whole documents, not prefixes', () => {
    expect(sameDocument('file:///opt/QualDesk/resources/app.asar/out/renderer/index.html.evil', APP)).toBe(false)
    expect(sameDocument('not a url', APP)).toBe(false)
    expect(sameDocument('http://localhost:5173/#/login', 'http://localhost:5173/')).toBe(true)
    expect(sameDocument('http://localhost:5174/', 'http://localhost:5173/')).toBe(false)
  })
})

describe('window and page hardening', () => {
  it('isolates and sandboxes the renderer without Node', () => {
    expect(secureWebPreferences('/p.js')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false
    })
  })
  it('ships a strict CSP in the page itself and in browser mode', () => {
    const html = readFileSync('src-renderer/index.html', 'utf8')
    const meta = /Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1]
    for (const csp of [meta, CSP]) {
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("default-src 'self'")
      expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/)
    }
  })
  it('exposes one preload method per operation and never ipcRenderer itself', () => {
    const preload = readFileSync('src-preload/index.ts', 'utf8')
    expect(preload).toContain("exposeInMainWorld('qualdesk'")
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/)
  })
})
