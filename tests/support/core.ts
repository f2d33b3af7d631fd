// Test support: a real core on a real SQLite file in a fresh temp folder, and a real HTTP server
// on a free loopback port. Nothing of ours is mocked.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { createCore, type Core, type CoreOptions } from '../../src-main/core/create-core'
import { createHttpServer } from '../../src-main/core/http/server'
import type { SharedClock } from '../../src-main/core/context'

export const ADMIN_PASSWORD = 'Admin2026x'

export interface TestCore extends Core {
  dispose(): void
}

export function tempDir(prefix = 'qualdesk-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export async function testCore(options: Partial<CoreOptions> = {}): Promise<TestCore> {
  const dataDir = options.dataDir ?? tempDir()
  const core = await createCore({ adminPassword: ADMIN_PASSWORD, logError: () => {}, ...options, dataDir })
  return Object.assign(core, {
    dispose() {
      core.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
}

/**
 * A controllable clock: starts at `iso` and moves only when told. Its time is kept in shared
 * memory, so that the submission writer's thread reads the same time (see context.ts' SharedClock).
 */
export function fakeClock(iso = '2026-11-25T09:00:00+08:00'): SharedClock & { advance(ms: number): void; set(next: string): void } {
  const sharedTime = new Float64Array(new SharedArrayBuffer(8))
  sharedTime[0] = new Date(iso).getTime()
  const clock = () => new Date(sharedTime[0]!)
  return Object.assign(clock, {
    sharedTime,
    advance(ms: number) {
      sharedTime[0]! += ms
    },
    set(next: string) {
      sharedTime[0] = new Date(next).getTime()
    }
  })
}

export interface TestServer {
  core: TestCore
  url: string
  close(): Promise<void>
}

export async function testServer(options: Partial<CoreOptions> = {}, staticDir?: string): Promise<TestServer> {
  const core = await testCore(options)
  const app = await createHttpServer(core, { staticDir })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return {
    core,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close()
      core.dispose()
    }
  }
}

/** Calls a staff operation the way the browser bridge does. */
export async function rpc(url: string, operation: string, body: unknown, token?: string) {
  const res = await fetch(`${url}/rpc/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
  const json = (await res.json()) as { data?: any; error?: { code: string; message: string; fields?: Record<string, string> } }
  return { status: res.status, ...json }
}
