// The IPC bridge: one channel per staff operation, each handed to the core's dispatcher after
// the sender is checked. The preload exposes one method per channel.
import { ipcMain, type WebContents } from 'electron'
import { OPERATIONS } from '../../src-preload/contract/operations'
import type { Core } from '../core/create-core'
import { isTrustedSender } from './trust'

export const channelOf = (operation: string) => `rpc:${operation}`

export function registerIpc(core: Core, trusted: () => WebContents | undefined, appUrl: string) {
  for (const operation of OPERATIONS) {
    ipcMain.handle(channelOf(operation), async (event, input: unknown, token: unknown) => {
      if (!isTrustedSender(event, trusted, appUrl)) {
        core.ctx.audit.record({ actorType: 'system', action: 'access.denied', targetType: 'ipc', targetId: operation, detail: { url: event.senderFrame?.url } })
        return { ok: false, status: 403, error: { code: 'forbidden', message: '拒绝来自未知页面的调用' } }
      }
      return core.dispatch(operation, input, { token: typeof token === 'string' ? token : undefined, ip: 'ipc' })
    })
  }
}
