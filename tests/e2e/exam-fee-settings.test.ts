// The administrator changes an exam fee in 系统管理 → 考试收费 in Chromium; the core then charges it.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, rpc } from '../support/core'
import { loginThroughUi, SCREENSHOT_DIR, useServeAndBrowser } from '../support/browser'

const office = useServeAndBrowser({}, [])

describe('exam fee settings', () => {
  it('shows the fees in yuan, saves a change (25.50 included) and the core keeps it in fen', async () => {
    const page = await office.browser().newPage({ viewport: { width: 1280, height: 800 } })
    await loginThroughUi(page, office.serve().url, 'admin', ADMIN_PASSWORD)
    await page.getByRole('tab', { name: '考试收费' }).click()
    const theory = page.locator('[data-test="fee-theory"] input')
    await expect.poll(() => theory.inputValue()).toBe('51.00')
    expect(await page.locator('[data-test="fee-total"]').innerText()).toBe('¥133.00')
    expect(await page.locator('[data-test="fee-theory-retake"] input').inputValue()).toBe('25.50')

    await theory.fill('60')
    await theory.blur()
    await expect.poll(() => page.locator('[data-test="fee-total"]').innerText()).toBe('¥142.00')
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/exams.saveFeeSettings') && r.status() === 200), page.locator('[data-test="save-exam-settings"]').click()])
    await page.getByText('考试设置已保存').waitFor()
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exam-fee-settings.png') })

    const token = (await rpc(office.serve().url, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })).data.token
    const saved = await rpc(office.serve().url, 'exams.feeSettings', {}, token)
    expect(saved.data).toEqual({ theoryFen: 6000, practicalFen: 8200, theoryRetakeFen: 2550, practicalRetakeFen: 4100, passMark: 80 })
    await page.close()
  })
})
