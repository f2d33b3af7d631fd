import type { OperationName, RpcEnvelope } from './contract'

declare global {
  interface Window {
    /** Present only inside the Electron window (see src-preload/index.ts). */
    qualdesk?: {
      bridge: 'ipc'
      rpc: Record<OperationName, (input: unknown, token?: string) => Promise<RpcEnvelope<unknown>>>
    }
  }
}
export {}
