// The preload: exposes one method per staff operation and nothing else (never ipcRenderer).
import { contextBridge, ipcRenderer } from 'electron'
import { OPERATIONS } from './contract/operations'

const rpc = Object.fromEntries(
  OPERATIONS.map((operation) => [operation, (input: unknown, token?: string) => ipcRenderer.invoke(`rpc:${operation}`, input, token)])
)

// One more method, for the reports desk: a finished export saved through the main process's save dialog.
const saveExport = (id: number, token?: string) => ipcRenderer.invoke('exports:save', id, token)

contextBridge.exposeInMainWorld('qualdesk', { bridge: 'ipc', rpc, saveExport })
