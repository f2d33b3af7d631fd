// The administrator creates a clerk in the real UI; the clerk logs in and sees only their desk.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { ADMIN_PASSWORD } from '../support/core'
import { launchBrowser, loginThroughUi, SCREENSHOT_DIR, startServe, type ServeProcess } from '../support/browser'

let serve: ServeProcess
let browser: Browser

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  serve = await startServe()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

async function menuEntries(page: Page) {
  return page.locator('.el-menu-item').allInnerTexts().then((xs) => xs.map((x) => x.replace(/\d+$/, '').trim()))
}

describe('staff accounts, end to end', () => {
  it('shows a wrong password on the login page', async () => {
    const page = await browser.newPage()
    await loginThroughUi(page, serve.url, 'admin', 'not-the-password')
    await expect.poll(() => page.locator('[data-test="login-error"]').innerText()).toContain('用户名或密码错误')
    await page.close()
  })

  it('administrator creates a pre-review clerk; the clerk sees only 材料预审', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 800 } })
    await loginThroughUi(page, serve.url, 'admin', ADMIN_PASSWORD)
    await page.waitForURL(/#\/desk\/admin/)
    expect(await menuEntries(page)).toEqual(['系统管理'])
    await expect.poll(() => page.locator('[data-test="current-user"]').innerText()).toContain('系统管理员')

    await page.locator('[data-test="create-staff"]').click()
    await page.locator('input[name="new-username"]').fill('yushen1')
    await page.locator('input[name="new-display-name"]').fill('王晓梅')
    await page.locator('[data-test="role-options"]').getByText('预审员').click()
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/rpc/staff.create') && r.status() === 200),
      page.locator('[data-test="save-staff"]').click()
    ])
    const password = (await page.locator('[data-test="issued-password"]').innerText()).trim()
    expect(password).toMatch(/^[A-Za-z0-9]{12}$/)
    await page.getByRole('button', { name: '我已记下' }).click()
    await expect.poll(() => page.locator('[data-test="staff-table"]').innerText()).toContain('王晓梅')
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'admin-staff-accounts.png') })
    await page.locator('[data-test="logout"]').click()
    await page.waitForURL(/#\/login/)

    await loginThroughUi(page, serve.url, 'yushen1', password)
    // A generated password must be changed before anything else.
    const dialog = page.getByRole('dialog', { name: '首次登录，请修改密码' })
    await dialog.waitFor()
    await dialog.locator('input[name="currentPassword"]').fill(password)
    await dialog.locator('input[name="newPassword"]').fill('Yushen2026')
    await dialog.locator('input[name="confirm"]').fill('Yushen2026')
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/rpc/auth.changePassword') && r.status() === 200),
      dialog.locator('[data-test="save-password"]').click()
    ])
    await dialog.waitFor({ state: 'hidden' })
    await page.waitForURL(/#\/desk\/pre-review/)
    expect(await menuEntries(page)).toEqual(['材料预审'])
    await expect.poll(() => page.locator('[data-test="current-user"]').innerText()).toBe('王晓梅（预审员）')
    // A desk the clerk does not have is not reachable by typing its address either.
    await page.goto(`${serve.url}/#/desk/admin`)
    await page.waitForURL(/#\/desk\/pre-review/)
    await page.locator('.el-overlay').first().waitFor({ state: 'hidden' })
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'clerk-shell.png') })
    await page.close()
  })
})
