import type { OperationName, RpcEnvelope } from './contract'

declare global {
  interface Window {
    /** Present only inside the Electron window (see src-preload/index.ts). */
    qualdesk?: {
      bridge: 'ipc'
      rpc: Record<OperationName, (input: unknown, token?: string) => Promise<RpcEnvelope<unknown>>>
      /** Saves a finished export where the user chooses (a save dialog); see src-main/electron/exports.ts. */
      saveExport?: (id: number, token?: string) => Promise<RpcEnvelope<{ saved: boolean; path?: string }>>
    }
  }
}
export {}
