// A freight application end to end in Chromium against the real `serve` process: the administrator
// adds a training school and imports its LibreOffice-made 结业证 list (preview, then commit); the
// applicant (over the applicant API, as the app does) finds the record with 查询 and submits; the
// clerks pass 材料预审 and 资格初审 in the review desk, seeing the local record valid; the
// supervisor approves in the permits desk, the issuer prints and records the pickup in the
// certificates desk; the timeline shows only 01–04, 07, 08.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { SAMPLE_JPEG, sampleCardPng, samplePdf } from '../../src-main/core/demo/sample-attachments'
import { ADMIN_PASSWORD, rpc } from '../support/core'
import { launchBrowser, loginThroughUi, SCREENSHOT_DIR, startServe, type ServeProcess } from '../support/browser'
import { call, fullForm, makeIdNumber, registerAndLogin, type Applicant } from '../http/applicant-support'

let serve: ServeProcess
let browser: Browser
const work = mkdtempSync(join(tmpdir(), 'qualdesk-freight-e2e-'))
const PASSWORD = 'Clerk2026x'
const tokens: Record<string, string> = {}

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  serve = await startServe()
  browser = await launchBrowser()
  const admin = await rpc(serve.url, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })
  tokens.admin = admin.data.token
  // The office's clerks, each with a password of their own (the first login's change done over RPC).
  for (const [username, displayName, role] of [
    ['yushen', '王晓梅', 'pre_reviewer'],
    ['chushen', '李建国', 'initial_reviewer'],
    ['shenpi', '陈志强', 'supervisor'],
    ['fazheng', '刘芳', 'issuer']
  ]) {
    const created = await rpc(serve.url, 'staff.create', { username, displayName, roles: [role] }, tokens.admin)
    const first = await rpc(serve.url, 'auth.login', { username, password: created.data.initialPassword })
    await rpc(serve.url, 'auth.changePassword', { currentPassword: created.data.initialPassword, newPassword: PASSWORD }, first.data.token)
    tokens[username] = (await rpc(serve.url, 'auth.login', { username, password: PASSWORD })).data.token
  }
})
afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  rmSync(work, { recursive: true, force: true })
})

/** The school's list as its clerk saves it from LibreOffice (ID and certificate numbers as text). */
function schoolSpreadsheet(rows: string[]): string {
  const csv = join(work, 'jieye.csv')
  writeFileSync(csv, ['身份证号,姓名,准驾车型,培训起始日期,培训结束日期,结业证发放日期,结业证编号', ...rows].join('\n'))
  execFileSync('soffice', [`-env:UserInstallation=file://${work}/lo-profile`, '--headless', '--infilter=CSV:44,34,76,1,1/2/2/2/3/2/4/1/5/1/6/2/7/2', '--convert-to', 'xlsx', '--outdir', work, csv], { stdio: 'ignore', timeout: 120_000 })
  return join(work, 'jieye.xlsx')
}

async function openDesk(page: Page, user: string, desk: string) {
  await loginThroughUi(page, serve.url, user, user === 'admin' ? ADMIN_PASSWORD : PASSWORD)
  await page.waitForURL(new RegExp(`#/desk/${desk}`))
}

async function findAndOpen(page: Page, idNumber: string) {
  // A fresh office: the applicant's row is found by the masked ID number the queue shows.
  const row = page.locator('[data-test="queue-table"] .el-table__body .el-table__row', { hasText: `410***********${idNumber.slice(-4)}` })
  await row.waitFor()
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/review.detail')), row.locator('[data-test="open-row"]').click()])
  await page.waitForSelector('[data-test="review-detail"]')
}

async function pass(page: Page, confirmNoAccident = false) {
  await page.keyboard.press('p')
  const dialog = page.locator('[data-test="pass-dialog"]')
  await dialog.waitFor()
  if (confirmNoAccident) await dialog.locator('[data-test="no-accident"]').click()
  const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/review.pass')), dialog.locator('[data-test="confirm-pass"]').click()])
  expect(res.status()).toBe(200)
  return (await res.json()).data as { stage: string; trainingNo: string | null }
}

async function submitFreightAsApplicant(a: Applicant, recordId: number) {
  const created = await call(serve.url, 'POST', '/applications', {
    token: a.token,
    body: { category: 'freight', applicationType: 'initial', ...fullForm(a, 'freight', { trainingCertNonLocal: false, trainingCertificateId: recordId }) }
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const id = created.body.id as number
  const pdf = await samplePdf('No accident record', 3)
  for (const [i, kind] of ['id_front', 'id_back', 'licence', 'no_accident', 'photo'].entries()) {
    const [bytes, name, type] = kind === 'photo' ? [SAMPLE_JPEG, '免冠照片.jpg', 'image/jpeg'] : kind === 'no_accident' ? [pdf, '三年无事故证明.pdf', 'application/pdf'] : [sampleCardPng(i + 1), `${kind}.png`, 'image/png']
    const r = await call(serve.url, 'PUT', `/applications/${id}/attachments/${kind}`, { token: a.token, raw: bytes, headers: { 'content-type': type, 'x-file-name': encodeURIComponent(name) } })
    expect(r.status, JSON.stringify(r.body)).toBe(201)
  }
  const submitted = await call(serve.url, 'POST', `/applications/${id}/submit`, { token: a.token })
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
  return id
}

const steps = async (a: Applicant, id: number) =>
  ((await call(serve.url, 'GET', `/applications/${id}/progress`, { token: a.token })).body.steps as { no: string; state: string }[]).map((s) => `${s.no}:${s.state}`)

describe('a freight application, end to end', () => {
  it('school and 结业证 import in 系统管理, 查询 and submission in the app, both reviews, approval, printing and pickup', async () => {
    const server = { url: serve.url, core: { dataDir: serve.dataDir } } as Parameters<typeof registerAndLogin>[0]
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1987-03-09', 'M', 51), name: '郭振华' })
    const other = makeIdNumber('1990-10-10', 'M', 52)

    // 系统管理 → 培训机构: the administrator adds the school.
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await openDesk(page, 'admin', 'admin')
    await page.locator('.el-tabs__item', { hasText: '培训机构' }).click()
    await page.locator('[data-test="create-school"]').click()
    await page.locator('input[name="school-name"]').fill('郑州市顺达机动车驾驶员培训学校')
    await page.locator('input[name="school-address"]').fill('郑州市金水区丰庆路与北三环交叉口')
    await page.locator('input[name="school-phone"]').fill('0371-63520188')
    await page.locator('input[name="school-licence"]').fill('豫交运管许可郑字410100000102号')
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/schools.save') && r.status() === 200), page.locator('[data-test="save-school"]').click()])
    await expect.poll(() => page.locator('[data-test="schools-table"]').innerText()).toContain('郑州市顺达机动车驾驶员培训学校')

    // 结业证导入: the school's LibreOffice list, one row wrong: previewed, refused as a whole.
    await page.locator('.el-tabs__item', { hasText: '结业证导入' }).click()
    await page.locator('[data-test="import-school"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '郑州市顺达机动车驾驶员培训学校' }).click()
    const bad = schoolSpreadsheet([`${a.idNumber},郭振华,Ｂ２,2026-08-03,2026-09-18,2026年9月25日,SD-2026-0701`, `${other},吴涛,C1,2026-08-03,2026-09-18,2026-09-25,SD-2026-0702`])
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/training.importPreview')), page.locator('[data-test="file-input"]').setInputFiles(bad)])
    await expect.poll(() => page.locator('[data-test="import-summary"]').innerText()).toContain('错误 1')
    expect(await page.locator('[data-test="preview-table"]').innerText()).toContain('准驾车型：准驾车型“C1”不是货运准驾车型')
    expect(await page.locator('[data-test="commit-import"]').isDisabled()).toBe(true)
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'freight-import-errors.png') })

    // Corrected: both rows new; committed in one go.
    const good = schoolSpreadsheet([`${a.idNumber},郭振华,Ｂ２,2026-08-03,2026-09-18,2026年9月25日,SD-2026-0701`, `${other},吴涛,B2,2026-08-03,2026-09-18,2026-09-25,SD-2026-0702`])
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/training.importPreview')), page.locator('[data-test="file-input"]').setInputFiles(good)])
    await expect.poll(() => page.locator('[data-test="import-summary"]').innerText()).toContain('新增 2')
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'freight-import-preview.png') })
    await page.locator('[data-test="commit-import"]').click()
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/rpc/training.importCommit') && r.status() === 200),
      page.locator('.el-message-box__btns .el-button--primary').click()
    ])
    await expect.poll(() => page.locator('[data-test="batches-table"]').innerText()).toContain('已导入，新增 2')

    // The same file again changes nothing.
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/training.importPreview')), page.locator('[data-test="file-input"]').setInputFiles(good)])
    await expect.poll(() => page.locator('[data-test="import-summary"]').innerText()).toContain('已登记 2')
    expect(await page.locator('[data-test="import-summary"]').innerText()).toContain('新增 0')

    // 结业证登记 lists them, ID numbers masked.
    await page.locator('.el-tabs__item', { hasText: '结业证登记' }).click()
    await expect.poll(() => page.locator('[data-test="certificates-table"]').innerText()).toContain('SD-2026-0701')
    expect(await page.locator('[data-test="certificates-table"]').innerText()).toContain(`410***********${a.idNumber.slice(-4)}`)
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'freight-registry.png') })
    await page.close()

    // The applicant: 查询 finds the own record (and not the other person's), picks it, submits.
    const found = await call(serve.url, 'GET', '/training-certificates?vehicleClass=B2', { token: a.token })
    expect(found.body).toMatchObject([{ certificateNo: 'SD-2026-0701', school: '郑州市顺达机动车驾驶员培训学校', trainingStart: '2026-08-03', trainingEnd: '2026-09-18', issuedOn: '2026-09-25' }])
    const id = await submitFreightAsApplicant(a, found.body[0].id)
    expect(await steps(a, id)).toEqual(['01:done', '02:done', '03:current', '04:pending', '07:pending', '08:pending'])

    // 材料预审 in the review desk: the 结业证 section says local and valid.
    const p1 = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await openDesk(p1, 'yushen', 'pre-review')
    await findAndOpen(p1, a.idNumber)
    await expect.poll(() => p1.locator('[data-test="training-certificate"]').innerText()).toContain('本地·有效')
    expect(await p1.locator('[data-test="training-certificate"]').innerText()).toContain('SD-2026-0701')
    await expect.poll(() => p1.locator('[data-test="checks"]').innerText()).toContain('全部通过')
    await p1.screenshot({ path: join(SCREENSHOT_DIR, 'freight-review-detail.png') })
    expect((await pass(p1)).stage).toBe('initial_review')
    await p1.close()

    // 资格初审: straight on to 许可审批 — no fee, no exam.
    const p2 = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await openDesk(p2, 'chushen', 'initial-review')
    await findAndOpen(p2, a.idNumber)
    const accepted = await pass(p2, true)
    expect(accepted.stage).toBe('permit_approval')
    await p2.close()
    expect(await steps(a, id)).toEqual(['01:done', '02:done', '03:done', '04:done', '07:current', '08:pending'])

    // 许可审批 in the permits desk.
    const boss = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await loginThroughUi(boss, serve.url, 'shenpi', PASSWORD)
    await boss.locator('[data-test="current-user"]').waitFor()
    await boss.goto(`${serve.url}/#/desk/permits`)
    const permitRow = boss.locator('[data-test="permit-queue"] .el-table__body .el-table__row', { hasText: a.name })
    await permitRow.waitFor()
    await permitRow.locator('.el-button.is-link').first().click()
    const permit = boss.locator('[data-test="permit-detail"]')
    await permit.getByText('审批要点').waitFor()
    const approved = boss.waitForResponse((r) => r.url().endsWith('/rpc/permits.approve'))
    await permit.locator('[data-test="detail-approve"]').click()
    await boss.locator('.el-message-box input').fill('材料齐全，本地结业证有效')
    await boss.locator('.el-message-box .el-button--primary').click()
    expect((await approved).status()).toBe(200)
    await boss.close()
    expect(await steps(a, id)).toEqual(['01:done', '02:done', '03:done', '04:done', '07:done', '08:current'])

    // 证件打印: the issuer prints the card, then records the holder collecting it.
    expect((await rpc(serve.url, 'certificates.addStock', { firstSerial: '4101000001', lastSerial: '4101000010', note: '测试证卡' }, tokens.fazheng)).status).toBe(200)
    const clerkPage = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await loginThroughUi(clerkPage, serve.url, 'fazheng', PASSWORD)
    await clerkPage.locator('[data-test="current-user"]').waitFor()
    await clerkPage.goto(`${serve.url}/#/desk/certificates`)
    const printRow = clerkPage.locator('[data-test="queue-to_print"] .el-table__body .el-table__row', { hasText: a.name })
    await printRow.waitFor()
    await printRow.locator('.el-checkbox').click()
    const started = clerkPage.waitForResponse((r) => r.url().endsWith('/rpc/certificates.print'))
    await clerkPage.locator('[data-test="print-selected"]').click()
    expect((await started).status()).toBe(200)
    const job = clerkPage.locator('[data-test="print-job"]')
    await job.locator('[data-test="print-status"]', { hasText: '已生成 1 张证件' }).waitFor()
    await job.locator('.el-dialog__headerbtn').click()
    await clerkPage.getByRole('tab', { name: '待领证' }).click()
    const pickupRow = clerkPage.locator('[data-test="queue-to_hand_over"] .el-table__body .el-table__row', { hasText: a.name })
    await pickupRow.waitFor()
    await pickupRow.locator('[data-test="handover"]').click()
    const handover = clerkPage.locator('[data-test="handover-dialog"]')
    await handover.getByText('窗口领取').click()
    await handover.locator('input[name="collectorIdNumber"]').fill(a.idNumber)
    await handover.locator('.el-checkbox').click()
    const handed = clerkPage.waitForResponse((r) => r.url().endsWith('/rpc/certificates.handOver'))
    await handover.locator('[data-test="confirm-handover"]').click()
    expect((await handed).status()).toBe(200)
    await clerkPage.getByText('已登记领证，申请已办结').waitFor()
    await clerkPage.close()

    // The applicant's timeline: only 01–04, 07, 08, all passed.
    expect(await steps(a, id)).toEqual(['01:done', '02:done', '03:done', '04:done', '07:done', '08:done'])
    // The record is used: 查询 no longer offers it; the registry shows which application.
    expect((await call(serve.url, 'GET', '/training-certificates?vehicleClass=B2', { token: a.token })).body).toEqual([])
    const listed = await rpc(serve.url, 'training.list', { search: 'SD-2026-0701' }, tokens.admin)
    expect(listed.data.rows[0].applicationId).toBe(id)
  })
})

describe('a record entered by hand and revoked during review', () => {
  it('is entered in 结业证登记, used by an application, revoked with a reason; the review queue flags it and the detail says why', async () => {
    const server = { url: serve.url, core: { dataDir: serve.dataDir } } as Parameters<typeof registerAndLogin>[0]
    const a = await registerAndLogin(server, { idNumber: makeIdNumber('1984-06-21', 'M', 53), name: '韩卫东' })

    // 结业证登记 → 手工录入.
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await openDesk(page, 'admin', 'admin')
    await page.locator('.el-tabs__item', { hasText: '结业证登记' }).click()
    await page.locator('[data-test="enter-certificate"]').click()
    const form = page.locator('[data-test="certificate-form"]')
    await form.locator('.el-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '郑州市顺达机动车驾驶员培训学校' }).click()
    await page.locator('input[name="entry-id-number"]').fill(a.idNumber)
    await page.locator('input[name="entry-name"]').fill('韩卫东')
    for (const [name, date] of [['entry-start', '2026-08-10'], ['entry-end', '2026-09-20'], ['entry-issued', '2026-09-28']]) {
      const input = page.locator(`input[name="${name}"]`)
      await input.fill(date)
      await input.press('Enter')
    }
    await page.locator('input[name="entry-no"]').fill('SD-2026-0801')
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/training.create') && r.status() === 200), page.locator('[data-test="save-certificate"]').click()])
    await expect.poll(() => page.locator('[data-test="certificates-table"]').innerText()).toContain('SD-2026-0801')

    // The applicant uses it.
    const found = await call(serve.url, 'GET', '/training-certificates?vehicleClass=B2', { token: a.token })
    expect(found.body.map((r: { certificateNo: string }) => r.certificateNo)).toEqual(['SD-2026-0801'])
    const id = await submitFreightAsApplicant(a, found.body[0].id)

    // The school reports a mistake: the administrator revokes it with the reason.
    const search = page.locator('input[name="training-search"]')
    await search.fill('SD-2026-0801')
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/training.list')), search.press('Enter')])
    await expect.poll(() => page.locator('[data-test="certificates-table"]').innerText()).toContain(`已用于申请 ${id}`)
    await page.locator('[data-test="revoke-SD-2026-0801"]').click()
    await page.locator('textarea[name="revoke-reason"]').fill('培训机构复核：实操学时不足')
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/training.revoke') && r.status() === 200), page.locator('[data-test="confirm-revoke"]').click()])
    await expect.poll(() => page.locator('[data-test="certificates-table"]').innerText()).toContain('已撤销')
    await page.close()

    // 材料预审: the queue flags the application; the detail says why and the check fails.
    const p1 = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await openDesk(p1, 'yushen', 'pre-review')
    const row = p1.locator('[data-test="queue-table"] .el-table__body .el-table__row', { hasText: `410***********${a.idNumber.slice(-4)}` })
    await row.waitFor()
    expect(await row.locator('[data-test="cert-revoked"]').innerText()).toBe('结业证已撤销')
    await p1.locator('[data-test="queue-table"] .el-loading-mask').waitFor({ state: 'detached' }).catch(() => {})
    await p1.screenshot({ path: join(SCREENSHOT_DIR, 'freight-queue-revoked.png') })
    await Promise.all([p1.waitForResponse((r) => r.url().endsWith('/rpc/review.detail')), row.locator('[data-test="open-row"]').click()])
    await expect.poll(() => p1.locator('[data-test="training-certificate"]').innerText()).toContain('本地·已撤销')
    expect(await p1.locator('[data-test="training-certificate"]').innerText()).toContain('培训机构复核：实操学时不足')
    expect(await p1.locator('[data-test="checks"]').innerText()).toContain('所选结业证已失效')
    await p1.screenshot({ path: join(SCREENSHOT_DIR, 'freight-review-revoked.png') })
    await p1.close()
  })
})
