// The review desk as clerks walk it: an application submitted over the applicant API is claimed,
// its scans viewed, returned with three reasons, corrected and resubmitted by the applicant over
// HTTP, then passed through pre-review and initial review; the applicant's progress shows each step.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { SAMPLE_JPEG, sampleCardPng, samplePdf } from '../../src-main/core/demo/sample-attachments'
import { readOutbox } from '../../src-main/core/services/sms'
import { ADMIN_PASSWORD, rpc } from '../support/core'
import { loginThroughUi, SCREENSHOT_DIR, useServeAndBrowser } from '../support/browser'
import { call, fullForm, makeIdNumber, registerAndLogin, type Applicant } from '../http/applicant-support'

// --demo: the demo office (clerks yushen / chushen, password Demo2026) with a backlog in the queues.
const office = useServeAndBrowser()

// ---- what the applicant does, over HTTP ------------------------------------------------------
async function upload(a: Applicant, id: number, kind: string, bytes: Buffer, name: string, type: string) {
  const r = await call(office.serve().url, 'PUT', `/applications/${id}/attachments/${kind}`, { token: a.token, raw: bytes, headers: { 'content-type': type, 'x-file-name': encodeURIComponent(name) } })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
}

async function submitApplicationAsApplicant(seq = 37): Promise<{ a: Applicant; id: number }> {
  const server = { url: office.serve().url, core: { dataDir: office.serve().dataDir } } as Parameters<typeof registerAndLogin>[0]
  const a = await registerAndLogin(server, { idNumber: makeIdNumber('1988-08-08', 'M', seq), name: '审查测试' })
  const created = await call(office.serve().url, 'POST', '/applications', { token: a.token, body: { category: 'passenger', applicationType: 'initial', ...fullForm(a, 'passenger') } })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const id = created.body.id as number
  await upload(a, id, 'id_front', sampleCardPng(1), '身份证正面.png', 'image/png')
  await upload(a, id, 'id_back', sampleCardPng(2), '身份证反面.png', 'image/png')
  await upload(a, id, 'licence', sampleCardPng(3, [236, 228, 214]), '驾驶证.png', 'image/png')
  await upload(a, id, 'no_accident', await samplePdf('Traffic record certificate (12123)', 7), '三年无事故证明.pdf', 'application/pdf')
  await upload(a, id, 'photo', SAMPLE_JPEG, '免冠照片.jpg', 'image/jpeg')
  const submitted = await call(office.serve().url, 'POST', `/applications/${id}/submit`, { token: a.token })
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
  return { a, id }
}

async function progress(a: Applicant, id: number) {
  const r = await call(office.serve().url, 'GET', `/applications/${id}/progress`, { token: a.token })
  expect(r.status).toBe(200)
  return r.body as { trainingNo: string | null; steps: { no: string; state: string; text: string }[] }
}
const stateOf = async (a: Applicant, id: number) => Object.fromEntries((await progress(a, id)).steps.map((s) => [s.no, s.state]))

// ---- what the clerk does, in the UI -------------------------------------------------------------
async function openQueue(page: Page, user: string, desk: 'pre-review' | 'initial-review') {
  await loginThroughUi(page, office.serve().url, user, 'Demo2026')
  await page.waitForURL(new RegExp(`#/desk/${desk}`))
  await page.waitForSelector('[data-test="queue-table"] .el-table__row')
}

async function findAndOpen(page: Page, idNumber: string) {
  const search = page.locator('input[data-test="queue-search"], [data-test="queue-search"] input').first()
  await search.fill(idNumber)
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/review.queue')), search.press('Enter')])
  await expect.poll(() => page.locator('[data-test="queue-table"] .el-table__body .el-table__row').count()).toBe(1)
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/review.detail')), page.locator('[data-test="open-row"]').first().click()])
  await page.waitForSelector('[data-test="review-detail"]')
}

async function returnWithReasons(page: Page) {
  await page.keyboard.press('r')
  const dialog = page.locator('[data-test="return-dialog"]')
  await dialog.waitFor()
  await dialog.locator('[data-target="a:photo"] .el-checkbox', { hasText: '照片非白色背景' }).click()
  await dialog.locator('[data-target="a:id_front"] .el-checkbox', { hasText: '手机翻拍屏幕或纸件' }).click()
  await dialog.locator('[data-test="add-field"]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '现住地址' }).click()
  await dialog.locator('[data-target="f:currentAddress"] .el-checkbox', { hasText: '现住地址不详细' }).click()
  await expect.poll(() => dialog.locator('[data-test="return-preview"] li').count()).toBe(3)
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'review-return-dialog.png') })
  // The desk moves on by itself: the return, then the next application claimed and opened.
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/rpc/review.return')),
    page.waitForResponse((r) => r.url().endsWith('/rpc/review.detail')),
    dialog.locator('[data-test="confirm-return"]').click()
  ])
  await dialog.waitFor({ state: 'hidden' })
}

/** Keyboard only, as a clerk does it: P, (Space to confirm the no-accident proof), Enter. */
async function pass(page: Page, confirmNoAccident = false) {
  await page.keyboard.press('p')
  const dialog = page.locator('[data-test="pass-dialog"]')
  await dialog.waitFor()
  const target = confirmNoAccident ? '[data-test="no-accident"] input' : '[data-test="confirm-pass"]'
  // (a function, not a string: the page's CSP forbids eval)
  await page.waitForFunction((sel) => {
    const doc = (globalThis as unknown as { document: { activeElement: unknown; querySelector(s: string): unknown } }).document
    return doc.activeElement === doc.querySelector(sel)
  }, target)
  if (confirmNoAccident) {
    await page.keyboard.press(' ')
    await expect.poll(() => dialog.locator('[data-test="no-accident"]').getAttribute('class')).toContain('is-checked')
  }
  const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/review.pass')), page.keyboard.press('Enter')])
  expect(res.status()).toBe(200)
  return (await res.json()).data as { stage: string; trainingNo: string | null }
}

describe('the review desk, end to end', () => {
  it('claims, views the scans, returns with three reasons, takes the correction, and passes both reviews', async () => {
    const { a, id } = await submitApplicationAsApplicant()
    expect(await stateOf(a, id)).toMatchObject({ '02': 'done', '03': 'current' })

    // 材料预审: 王晓梅 finds it, opens (claims) it, looks at the scans.
    const page = await office.browser().newPage({ viewport: { width: 1440, height: 900 } })
    await openQueue(page, 'yushen', 'pre-review')
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'review-queue.png') })
    await findAndOpen(page, a.idNumber)
    await expect.poll(() => page.locator('[data-test="detail-name"]').innerText()).toBe('审查测试')
    expect(await page.locator('[data-test="detail-id"]').innerText()).toBe(`410***********${a.idNumber.slice(-4)}`)
    const img = page.locator('[data-test="attachment-image"]')
    await img.waitFor()
    await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(320)
    await page.locator('[data-test="zoom-in"]').click()
    await page.locator('[data-test="rotate"]').click()
    await page.locator('[data-kind="no_accident"]').click()
    await page.locator('[data-test="pdf-frame"]').waitFor()
    await page.locator('[data-kind="photo"]').click()
    await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(90)
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/review.revealPersonal')), page.keyboard.press('v')])
    await expect.poll(() => page.locator('[data-test="detail-id"]').innerText()).toBe(a.idNumber)
    await expect.poll(() => page.locator('[data-test="checks"]').innerText()).toContain('全部通过')
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'review-detail.png') })

    await returnWithReasons(page)
    // The applicant's step 03 turns red with the three reasons, and an SMS went out.
    const red = (await progress(a, id)).steps.find((s) => s.no === '03')!
    expect(red.state).toBe('rejected')
    expect(red.text).toContain('近期免冠照片：照片非白色背景')
    expect(red.text).toContain('身份证原件正面：手机翻拍屏幕或纸件，不是扫描件')
    expect(red.text).toContain('现住地址：现住地址不详细')
    const sms = (await readOutbox(office.serve().dataDir)).filter((m) => m.to === a.phone)
    expect(sms[sms.length - 1].text).toContain('需补正以下3项')

    // The applicant corrects the address and the photo, and submits again over HTTP.
    expect((await call(office.serve().url, 'PATCH', `/applications/${id}`, { token: a.token, body: { currentAddress: '河南省郑州市经开区航海东路1296号院2号楼3单元501室' } })).status).toBe(200)
    await upload(a, id, 'photo', sampleCardPng(9, [255, 255, 255]), '白底照片.png', 'image/png')
    await upload(a, id, 'id_front', sampleCardPng(11), '身份证正面-扫描.png', 'image/png')
    expect((await call(office.serve().url, 'POST', `/applications/${id}/submit`, { token: a.token })).status).toBe(200)
    expect(await stateOf(a, id)).toMatchObject({ '03': 'current' })

    // Back in the queue, the clerk finds the resubmission, sees what was asked last time, passes it.
    await page.keyboard.press('Escape')
    await page.waitForSelector('[data-test="review-queue"]')
    await findAndOpen(page, a.idNumber)
    await expect.poll(() => page.locator('[data-test="last-deficiencies"]').innerText()).toContain('现住地址不详细')
    expect((await pass(page)).stage).toBe('initial_review')
    expect(await stateOf(a, id)).toMatchObject({ '03': 'done', '04': 'current' })
    await page.close()

    // 资格初审 by another clerk (separation of duties): passes with the no-accident proof confirmed.
    const page2 = await office.browser().newPage({ viewport: { width: 1440, height: 900 } })
    await openQueue(page2, 'chushen', 'initial-review')
    await findAndOpen(page2, a.idNumber)
    await expect.poll(() => page2.locator('[data-test="history"]').innerText()).toContain('材料预审退回补正')
    const result = await pass(page2, true)
    expect(result.stage).toBe('fee_payment')
    expect(result.trainingNo).toMatch(/^2026\d{6}$/)
    await page2.close()

    const final = await progress(a, id)
    expect(final.trainingNo).toBe(result.trainingNo)
    expect(Object.fromEntries(final.steps.map((s) => [s.no, s.state]))).toMatchObject({ '01': 'done', '02': 'done', '03': 'done', '04': 'done', '05': 'current' })

    // Every decision and every view of personal data is in the audit log.
    const admin = await rpc(office.serve().url, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    const audit = await rpc(office.serve().url, 'audit.list', { targetId: String(id), pageSize: 200 }, admin.data.token)
    const actions = (audit.data.rows as { action: string }[]).map((r) => r.action)
    for (const action of ['review.attachment_viewed', 'pii.viewed', 'review.returned', 'review.passed']) expect(actions).toContain(action)
    expect(actions.filter((x) => x === 'review.passed')).toHaveLength(2)
  })

  it('filters with the controls that stand in until used: category by pointer, date range, page size by keyboard', async () => {
    const page = await office.browser().newPage({ viewport: { width: 1440, height: 900 } })
    await openQueue(page, 'yushen', 'pre-review')
    const rows = page.locator('[data-test="queue-table"] .el-table__body .el-table__row')
    const queueCall = () => page.waitForResponse((r) => r.url().endsWith('/rpc/review.queue'))
    const cells = async (col: number) => rows.evaluateAll((trs, c) => trs.map((tr) => (tr.children[c] as unknown as { innerText: string }).innerText.trim()), col)

    // 从业类别: the stand-in becomes the real select, opens, and the choice filters the queue.
    await page.locator('[data-test="filter-category"]').click()
    const freight = page.locator('.el-select-dropdown__item:visible', { hasText: '货运' })
    await freight.waitFor()
    const [byCategory] = await Promise.all([queueCall(), freight.click()])
    expect(JSON.parse(byCategory.request().postData() ?? '{}')).toMatchObject({ category: 'freight' })
    await expect.poll(async () => [...new Set(await cells(5))]).toEqual(['货运'])

    // 提交日期: the picker opens on the first click; a typed range filters by submission day.
    await page.locator('[data-test="date-range-idle"]').click()
    await page.locator('.el-date-range-picker').waitFor()
    const [from, to] = ['2026-11-01', '2099-12-31']
    const inputs = page.locator('.el-range-editor input.el-range-input')
    await inputs.nth(0).fill(from)
    await inputs.nth(1).fill(to)
    const [byDate] = await Promise.all([queueCall(), inputs.nth(1).press('Enter')])
    expect(JSON.parse(byDate.request().postData() ?? '{}')).toMatchObject({ category: 'freight', from, to })
    await expect.poll(async () => (await cells(2)).filter((at) => at.slice(0, 10) < from)).toEqual([])
    expect(await rows.count()).toBeGreaterThan(0)

    // 每页条数, from the keyboard: Tab reaches the stand-in, which turns into the real select.
    await page.locator('[data-test="page-size"] .el-select__wrapper').focus()
    await page.keyboard.press('Enter')
    const fifty = page.locator('.el-select-dropdown__item:visible', { hasText: '50条/页' })
    await fifty.waitFor()
    const [bySize] = await Promise.all([queueCall(), fifty.click()])
    expect(JSON.parse(bySize.request().postData() ?? '{}')).toMatchObject({ pageSize: 50 })
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'review-queue-filters.png') })
    await page.close()
  })

  it('lets a supervisor look at the queue and release a clerk’s lock, without deciding', async () => {
    const { a, id } = await submitApplicationAsApplicant(38)
    // 王晓梅 holds it (claimed, then left on her screen).
    const clerk = await rpc(office.serve().url, 'auth.login', { username: 'yushen', password: 'Demo2026' })
    expect((await rpc(office.serve().url, 'review.claim', { applicationId: id }, clerk.data.token)).status).toBe(200)

    // 陈志强 lands on his own desk; the review queues are in his menu too.
    const page = await office.browser().newPage({ viewport: { width: 1440, height: 900 } })
    await loginThroughUi(page, office.serve().url, 'shenpi', 'Demo2026')
    await page.waitForURL(/#\/desk\/permits/)
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/review.queue')), page.locator('[data-desk="pre-review"]').click()])
    await page.waitForSelector('[data-test="queue-table"] .el-table__body .el-table__row')
    expect(await page.locator('[data-test="claim-next"]').count()).toBe(0)
    const search = page.locator('input[data-test="queue-search"], [data-test="queue-search"] input').first()
    await search.fill(a.idNumber)
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/review.queue')), search.press('Enter')])
    const row = page.locator('[data-test="queue-table"] .el-table__body .el-table__row')
    await expect.poll(() => row.count()).toBe(1)
    await expect.poll(() => row.innerText()).toContain('王晓梅 审查中')
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'review-queue-supervisor.png') })
    const [released] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/review.release')), row.locator('[data-test="release"]').click()])
    expect(released.status()).toBe(200)
    await expect.poll(() => row.innerText()).toContain('待领取')
    // He may open it to look (查看), with no pass or return.
    expect(await row.locator('[data-test="open-row"]').innerText()).toBe('查看')
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/review.detail')), row.locator('[data-test="open-row"]').click()])
    await page.waitForSelector('[data-test="review-detail"]')
    await expect.poll(() => page.locator('[data-test="detail-name"]').innerText()).toBe('审查测试')
    expect(await page.locator('[data-test="pass"], [data-test="return"]').count()).toBe(0)
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'review-detail-supervisor.png') })
    await page.close()

    // The clerk can claim it again; the release is in the audit log under the supervisor's name.
    expect((await rpc(office.serve().url, 'review.claim', { applicationId: id }, clerk.data.token)).status).toBe(200)
    const admin = await rpc(office.serve().url, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    const audit = await rpc(office.serve().url, 'audit.list', { targetId: String(id), pageSize: 200 }, admin.data.token)
    expect((audit.data.rows as { action: string; actorName: string }[]).find((r) => r.action === 'review.lock_released')).toMatchObject({ actorName: '陈志强' })
  })
})
