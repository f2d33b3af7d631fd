// Printing certificates in the desktop app: the printers the system knows, and a print job's PDF
// sent to one of them — through the system print dialog, or silently to the chosen printer.
// Thin on purpose: the PDF is made, recorded and kept by the core (services/certificates.ts); this
// only hands the file to Chromium's printing. It cannot run under plain Node (tests, `serve`),
// where the desk opens the PDF in the browser for printing instead.
import { BrowserWindow, type WebContents } from 'electron'
import { pathToFileURL } from 'node:url'
import type { PrinterPort } from '../core/services/certificates'

/** How long Chromium's PDF viewer gets to lay out the pages before printing. */
const LAYOUT_MS = 800

export function electronPrinter(contents: () => WebContents | undefined): PrinterPort {
  return {
    async printers() {
      const wc = contents()
      if (!wc) return []
      const list = await wc.getPrintersAsync()
      return list.map((p) => ({
        name: p.name,
        // The default printer is flagged in the platform options (CUPS, Windows).
        isDefault: (p.options as Record<string, unknown> | undefined)?.['is-default'] === 'true' || (p as { isDefault?: boolean }).isDefault === true
      }))
    },

    async print(file, options) {
      const win = new BrowserWindow({
        show: false,
        width: 900,
        height: 1200,
        webPreferences: { plugins: true, sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false }
      })
      try {
        await win.loadURL(pathToFileURL(file).href)
        await new Promise((r) => setTimeout(r, LAYOUT_MS))
        return await new Promise<{ sent: boolean; message: string }>((resolve) => {
          win.webContents.print(
            { silent: options.silent, deviceName: options.printerName, printBackground: true, margins: { marginType: 'none' } },
            (success, reason) =>
              resolve(success ? { sent: true, message: options.silent ? `已送打印机 ${options.printerName ?? ''}`.trim() : '已送打印机' } : { sent: false, message: `打印未完成：${reason === 'cancelled' ? '已取消' : reason}` })
          )
        })
      } finally {
        win.destroy()
      }
    }
  }
}
