// The review queue with 200,000 applications (100,000 waiting for pre-review): the first page of
// filtered queues and searches by ID-number prefix, name and phone in the service (median of 100
// calls; target < 2 ms), the counts behind the badges (target < 20 ms), EXPLAIN QUERY PLAN of
// each (no full scan), and the queue page in Chromium (target < 300 ms). Baseline in the same
// run: a bare indexed page read with a prepared statement.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createCore } from '../src-main/core/create-core'
import { idCheckChar } from '../src-main/core/domain/id-number'
import { toShanghaiIso } from '../src-main/core/domain/time'
import type { QueueFilterInput } from '../src-preload/contract/review'
import type { Stage } from '../src-preload/contract/vocab'

const TOTAL = Number(process.env.BENCH_APPLICATIONS ?? 200_000)
const CALLS = 100
const NOW = new Date('2026-11-25T10:00:00+08:00')
const ROOT = resolve(__dirname, '..')

function rand(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0
    return seed / 2 ** 32
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
function time(fn: () => unknown, n = CALLS) {
  fn() // warm: prepares the statement of this shape once
  const xs: number[] = []
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint()
    fn()
    xs.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  return { median: median(xs), p95: [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] }
}
const fmt = (ms: number) => `${ms.toFixed(3)} ms`

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'qualdesk-bench-review-'))
  const core = await createCore({ dataDir, adminPassword: 'Bench2026x', clock: () => NOW, logError: () => {} })
  const { ctx } = core
  try {
    // ---- 200,000 applications ------------------------------------------------------------------
    const t0 = Date.now()
    const r = rand(4242)
    const schools = Array.from({ length: 40 }, (_, i) =>
      ctx.repos.referenceData.insertSchool({ name: `郑州市第${i + 1}机动车驾驶员培训学校`, address: '郑州市', phone: '0371-60000000', licenceNo: `L${i}` }, ctx.now())
    )
    const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶'
    const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '建华', '志强']
    const REGIONS = ['410102', '410103', '410104', '410105', '410106', '410108', '410122', '410181', '410182', '410183', '410184', '410185']
    const stageOf = (i: number): Stage => (i % 2 === 0 ? 'pre_review' : i % 20 < 7 ? 'initial_review' : (['fee_payment', 'exam', 'permit_approval', 'completed', 'returned'] as Stage[])[i % 5])
    let sampleId = ''
    let sampleName = ''
    let samplePhone = ''
    const form = { householdNonLocal: false, idIssuer: '郑州市公安局', gender: 'M', ethnicity: '01', licenceClasses: ['A1'], trainingMode: 'self' }
    ctx.db.transaction(() => {
      for (let i = 0; i < TOTAL; i++) {
        const birth = new Date(Date.UTC(1966 + Math.floor(r() * 34), Math.floor(r() * 12), 1 + Math.floor(r() * 28))).toISOString().slice(0, 10)
        const first17 = `${REGIONS[i % REGIONS.length]}${birth.replaceAll('-', '')}${String(i % 100).padStart(2, '0')}${i % 10}`
        const idNumber = first17 + idCheckChar(first17)
        const name = SURNAMES[Math.floor(r() * SURNAMES.length)] + GIVEN[Math.floor(r() * GIVEN.length)]
        const phone = `1${[38, 39, 58, 59, 86, 87, 37, 77][i % 8]}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`
        const submittedAt = toShanghaiIso(new Date(NOW.getTime() - Math.floor(r() * 400 * 86400_000)))
        const stage = stageOf(i)
        if (i === 123_456) [sampleId, sampleName, samplePhone] = [idNumber, name, phone]
        ctx.repos.applications.insert({
          applicantId: null,
          category: r() < 0.55 ? 'passenger' : 'freight',
          applicationType: r() < 0.85 ? 'initial' : 'add_class',
          stage,
          idNumber,
          name,
          phone,
          trainingSchoolId: r() < 0.7 ? schools[Math.floor(r() * schools.length)] : null,
          trainingNo: null,
          form,
          submittedAt,
          stageEnteredAt: submittedAt,
          enteredByStaff: null,
          now: submittedAt
        })
      }
    })()
    const count = (sql: string) => (ctx.db.prepare(sql).get() as { n: number }).n
    const waiting = count(`SELECT count(*) AS n FROM applications WHERE stage = 'pre_review'`)
    console.log(`${TOTAL.toLocaleString()} applications (${waiting.toLocaleString()} waiting for pre-review, ${count(`SELECT count(*) AS n FROM applications WHERE stage = 'initial_review'`).toLocaleString()} for initial review) inserted in ${((Date.now() - t0) / 1000).toFixed(1)} s`)

    // Clerks, and some of them holding locks.
    const clerks: ReturnType<typeof core.services.staffAuth.authenticate>[] = []
    for (let i = 0; i < 12; i++) {
      await core.services.staffAccounts.create(null, { username: `clerk${i}`, displayName: `审查员${i}`, roles: ['pre_reviewer'], password: 'Clerk2026x' })
      const { token } = await core.services.staffAuth.login({ username: `clerk${i}`, password: 'Clerk2026x' })
      clerks.push(core.services.staffAuth.authenticate(token))
    }
    for (const c of clerks) core.services.review.queue.claimNext(c, { stage: 'pre_review' })
    const clerk = clerks[0]

    // ---- the service --------------------------------------------------------------------------
    const base: QueueFilterInput = { stage: 'pre_review', claim: 'all' }
    const school = schools[7]
    const cases: [string, QueueFilterInput][] = [
      ['queue, no filter', base],
      ['filter: freight', { ...base, category: 'freight' }],
      ['filter: freight + 增驾', { ...base, category: 'freight', applicationType: 'add_class' }],
      ['filter: 增驾 only', { ...base, applicationType: 'add_class' }],
      ['filter: one school', { ...base, schoolId: school }],
      ['filter: passenger + last 30 days', { ...base, category: 'passenger', from: '2026-10-26', to: '2026-11-25' }],
      ['filter: unclaimed', { ...base, claim: 'unclaimed' }],
      [`search: ID prefix ${sampleId.slice(0, 10)}`, { ...base, search: sampleId.slice(0, 10) }],
      [`search: ID prefix ${sampleId.slice(0, 14)}`, { ...base, search: sampleId.slice(0, 14) }],
      ['search: full ID number', { ...base, search: sampleId }],
      [`search: name ${sampleName}`, { ...base, search: sampleName }],
      ['search: phone (11 digits)', { ...base, search: samplePhone }]
    ]
    const bare = ctx.db.prepare(`SELECT id FROM applications WHERE stage = 'pre_review' AND stage <> 'draft' ORDER BY submitted_at, id LIMIT 20`)
    const baseline = time(() => bare.all())
    console.log(`\nbaseline: bare indexed page read (prepared SELECT … LIMIT 20): median ${fmt(baseline.median)}`)
    console.log('\nfirst page (20 rows) through the service, median of 100 calls  [target < 2 ms]')
    let worst = 0
    for (const [label, f] of cases) {
      const t = time(() => core.services.review.queue.page(clerk, { ...f, page: 1, pageSize: 20 }))
      worst = Math.max(worst, t.median)
      const rows = core.services.review.queue.page(clerk, { ...f, page: 1, pageSize: 20 }).rows.length
      console.log(`  ${label.padEnd(44)} median ${fmt(t.median)}  p95 ${fmt(t.p95)}  (${rows} rows)  ${t.median < 2 ? 'OK' : 'OVER'}`)
    }
    const deep = time(() => core.services.review.queue.page(clerk, { ...base, page: 2500, pageSize: 20 }), 20)
    console.log(`  ${'page 2,500 (offset 49,980), no filter'.padEnd(44)} median ${fmt(deep.median)}  (deep paging by OFFSET; for information)`)

    console.log('\ncounts, median of 100 calls  [target < 20 ms]')
    const stats = time(() => core.services.review.queue.stats(clerk, base))
    console.log(`  review.stats (waiting, filtered total, overdue, mine)   median ${fmt(stats.median)}  ${stats.median < 20 ? 'OK' : 'OVER'}`)
    const statsF = time(() => core.services.review.queue.stats(clerk, { ...base, category: 'freight', applicationType: 'add_class' }))
    console.log(`  review.stats with a filter (freight + 增驾)              median ${fmt(statsF.median)}  ${statsF.median < 20 ? 'OK' : 'OVER'}`)
    const badges = time(() => core.services.queues.counts())
    console.log(`  queues.counts (menu badges, all stages)                 median ${fmt(badges.median)}  ${badges.median < 20 ? 'OK' : 'OVER'}`)
    const claim = time(() => {
      const got = core.services.review.queue.claimNext(clerks[1], { stage: 'pre_review', category: 'freight' })
      core.services.review.queue.release(clerks[1], { applicationId: got!.applicationId })
    })
    console.log(`  claim next + release (one write transaction each)       median ${fmt(claim.median)}`)

    // ---- EXPLAIN QUERY PLAN -----------------------------------------------------------------------
    console.log('\nEXPLAIN QUERY PLAN')
    const repo = core.services.review.kit.repo
    const q = (f: QueueFilterInput, search?: { kind: 'id' | 'name' | 'phone'; value: string }) => ({
      stage: f.stage,
      category: f.category,
      applicationType: f.applicationType,
      schoolId: f.schoolId,
      fromAt: f.from ? `${f.from}T00:00:00+08:00` : undefined,
      toAt: f.to ? `${f.to}T00:00:00+08:00` : undefined,
      search,
      claim: f.claim,
      staffId: clerk.id,
      expiredAtMs: NOW.getTime() - 30 * 60_000
    })
    const plans: [string, { detail: string }[]][] = [
      ['page, no filter', repo.explainPage(q(base), 21, 0)],
      ['page, freight + 增驾', repo.explainPage(q({ ...base, category: 'freight', applicationType: 'add_class' }), 21, 0)],
      ['page, 增驾 only', repo.explainPage(q({ ...base, applicationType: 'add_class' }), 21, 0)],
      ['page, one school', repo.explainPage(q({ ...base, schoolId: school }), 21, 0)],
      ['page, passenger + date range', repo.explainPage(q({ ...base, category: 'passenger', from: '2026-10-26', to: '2026-11-26' }), 21, 0)],
      ['page, unclaimed', repo.explainPage(q({ ...base, claim: 'unclaimed' }), 21, 0)],
      ['page, ID prefix', repo.explainPage(q(base, { kind: 'id', value: sampleId.slice(0, 10) }), 21, 0)],
      ['page, name prefix', repo.explainPage(q(base, { kind: 'name', value: sampleName }), 21, 0)],
      ['page, phone', repo.explainPage(q(base, { kind: 'phone', value: samplePhone }), 21, 0)],
      ['count, freight + 增驾', repo.explainCount(q({ ...base, category: 'freight', applicationType: 'add_class' }))],
      ['count, overdue', repo.explainStageCountBefore('pre_review', '2026-11-18T00:00:00+08:00')]
    ]
    let scans = 0
    for (const [label, plan] of plans) {
      console.log(`  ${label}:`)
      for (const p of plan) {
        const full = /^SCAN (a|applications)\b(?! USING)/.test(p.detail)
        if (full) scans++
        console.log(`      ${p.detail}${full ? '   <-- FULL SCAN' : ''}`)
      }
    }
    console.log(scans ? `  ${scans} full table scan(s)` : '  no full table scan of applications in any plan')

    // ---- Chromium -----------------------------------------------------------------------------------
    core.close()
    await chromiumPage(dataDir)
    console.log(`\nworst first-page median ${fmt(worst)} (target < 2 ms): ${worst < 2 ? 'OK' : 'OVER'}`)
  } finally {
    try {
      core.close()
    } catch {
      /* closed already */
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
}

interface Waterfall {
  documentMs: number
  scripts: number
  scriptBytes: number
  styles: number
  styleBytes: number
  lastAssetMs: number
  calls: { name: string; start: number; end: number }[]
}
/** Runs in the page: the load's resource timings (scripts, stylesheets, RPCs). */
function waterfallOf(): Waterfall {
  type Entry = { name: string; initiatorType: string; startTime: number; responseEnd: number; decodedBodySize: number }
  const perf = (globalThis as unknown as { performance: { getEntriesByType(t: string): Entry[] } }).performance
  const res = perf.getEntriesByType('resource')
  const assets = res.filter((r) => r.initiatorType !== 'fetch' && /\.(js|css)$/.test(r.name))
  const of = (ext: string) => assets.filter((r) => r.name.endsWith(ext))
  const sum = (xs: Entry[]) => xs.reduce((n, r) => n + r.decodedBodySize, 0)
  return {
    documentMs: Math.round(perf.getEntriesByType('navigation')[0]?.responseEnd ?? 0),
    scripts: of('.js').length,
    scriptBytes: sum(of('.js')),
    styles: of('.css').length,
    styleBytes: sum(of('.css')),
    lastAssetMs: Math.round(Math.max(0, ...assets.map((r) => r.responseEnd))),
    calls: res
      .filter((r) => r.name.includes('/rpc/'))
      .map((r) => ({ name: r.name.slice(r.name.lastIndexOf('/') + 1), start: Math.round(r.startTime), end: Math.round(r.responseEnd) }))
  }
}

/** The queue page in the real UI: `serve` on the benchmark's data folder, Debian's Chromium. */
async function chromiumPage(dataDir: string) {
  const cli = join(ROOT, 'out/main/cli.js')
  if (!existsSync(cli) || !existsSync('/usr/bin/chromium')) {
    console.log('\nChromium: skipped (run `npm run build` first; needs /usr/bin/chromium)')
    return
  }
  const { chromium } = await import('playwright-core')
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], { env: { ...process.env, QUALDESK_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not start:\n${out}`)), 30_000)
    child.stdout!.on('data', () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        ok(m[1])
      }
    })
  })
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--lang=zh-CN'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.goto(`${url}/#/login`)
    await page.locator('input[name="username"]').fill('clerk3')
    await page.locator('input[name="password"]').fill('Clerk2026x')
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForSelector('[data-test="queue-table"] .el-table__body .el-table__row')
    // A fresh load of the desk with the session already held: navigation start → rows on screen.
    const loads: number[] = []
    const waterfalls: Waterfall[] = []
    for (let i = 0; i < 5; i++) {
      await page.reload()
      await page.waitForSelector('[data-test="queue-table"] .el-table__body .el-table__row')
      loads.push(await page.evaluate(() => performance.now()))
      // (read after the figure is taken: what the load fetched, and when)
      waterfalls.push(await page.evaluate(waterfallOf))
    }
    // Paging with the keyboard (→): the request sent → the new rows patched into the DOM, as the page itself measures it.
    const pages: number[] = []
    const fetches: number[] = []
    for (let i = 0; i < 10; i++) {
      const firstRow = () => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('.el-table__body .el-table__row')?.textContent ?? null
      const before = await page.evaluate(firstRow)
      await Promise.all([page.waitForResponse((r) => r.url().endsWith('/rpc/review.queue')), page.keyboard.press('ArrowRight')])
      await page.waitForFunction((b) => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document
        return doc.querySelector('.el-table__body .el-table__row')?.textContent !== b
      }, before)
      await page.waitForTimeout(50)
      pages.push(Number((await page.locator('[data-test="load-ms"]').innerText()).replace(/\D/g, '')))
      fetches.push(Number(await page.locator('[data-test="load-ms"]').getAttribute('data-fetch-ms')))
    }
    console.log(`\nChromium (${TOTAL.toLocaleString()} applications)  [target < 300 ms]`)
    console.log(`  desk loaded (navigation start → first page of rows on screen): median ${median(loads).toFixed(0)} ms  (${loads.map((x) => x.toFixed(0)).join(', ')})`)
    const w = waterfalls[loads.indexOf(median(loads))]
    console.log(`    that load: document ${w.documentMs} ms; ${w.scripts} scripts (${(w.scriptBytes / 1024).toFixed(0)} KiB), ${w.styles} stylesheets (${(w.styleBytes / 1024).toFixed(0)} KiB), the last one in at ${w.lastAssetMs} ms`)
    console.log(`    calls (start → end, ms): ${w.calls.map((c) => `${c.name} ${c.start}→${c.end}`).join(', ')}`)
    console.log(`  next page (→ key): request → rows in the DOM: median ${median(pages).toFixed(0)} ms  (${pages.join(', ')})`)
    console.log(`    of which request → answer (HTTP + service + JSON): median ${median(fetches).toFixed(0)} ms  (${fetches.join(', ')})`)
    console.log(`  (machine load average now: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores)`)
  } finally {
    await browser.close()
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
