// End-to-end support: the real `serve` process (built app, real data folder, real port) and
// Debian's Chromium driven by playwright-core. No Chromium → the tests fail, loudly.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import { ADMIN_PASSWORD, tempDir } from './core'
import { SERVER_JS_FLAGS } from '../../src-main/core/js-flags'

const ROOT = resolve(__dirname, '../..')
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[]

export function chromiumPath(): string {
  const found = CANDIDATES.find((p) => existsSync(p))
  if (!found) {
    throw new Error(
      `End-to-end tests need Chromium and none was found (looked at ${CANDIDATES.join(', ')}). ` +
        'Install it with `apt-get install -y chromium fonts-noto-cjk`, or set CHROMIUM_PATH.'
    )
  }
  return found
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN']
  })
}

export interface ServeProcess {
  url: string
  dataDir: string
  output: () => string
  stop(): Promise<void>
}

/** Starts the built app's `serve` on a free loopback port with a fresh data folder. */
export async function startServe(env: Record<string, string> = {}, args: string[] = []): Promise<ServeProcess> {
  const cli = join(ROOT, 'out/main/cli.js')
  if (!existsSync(cli) || !existsSync(join(ROOT, 'out/renderer/index.html'))) {
    throw new Error('The app is not built: run `npm run build` first (`npm test` does).')
  }
  const dataDir = env.QUALDESK_DATA_DIR ?? tempDir('qualdesk-e2e-')
  const child: ChildProcess = spawn(process.execPath, [...SERVER_JS_FLAGS, cli, 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, QUALDESK_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env, QUALDESK_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 20 s:\n${out}`)), 20_000)
    child.stdout!.on('data', () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolveUrl(m[1])
      }
    })
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)))
  })
  return {
    url,
    dataDir,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      if (!env.QUALDESK_DATA_DIR) rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** Where E2E screenshots go, to be looked at by a person. */
export const SCREENSHOT_DIR = join(ROOT, 'test-results')

export async function loginThroughUi(page: Page, url: string, username: string, password: string) {
  await page.goto(`${url}/#/login`)
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(password)
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/auth.login')), page.getByRole('button', { name: '登录' }).click()])
}

/**
 * For a test file: one `serve` process (the demo office unless other `args` are given) and one
 * Chromium, started before its tests and stopped after them. Read them through the getters.
 */
export function useServeAndBrowser(env: Record<string, string> = {}, args: string[] = ['--demo']): { serve: () => ServeProcess; browser: () => Browser } {
  let serve: ServeProcess | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true })
    serve = await startServe(env, args)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await serve?.stop()
  })
  return { serve: () => serve!, browser: () => browser! }
}
