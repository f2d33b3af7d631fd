// The 结业证 import on a large school list: 10,000 rows (about the most a school's file holds; the
// RPC body limit allows ~512 KB of .xlsx). Measures preview (read + check every row against the
// registry + keep the batch), commit (10,000 inserts in one transaction), the same file again
// (everything unchanged), and the applicant's 查询 over a registry of that size.
// Target: preview and commit each under 3 s. Baseline in the same run: reading the file alone.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { createCore } from '../src-main/core/create-core'
import { readSheet } from '../src-main/core/documents/xlsx-read'
import { idCheckChar } from '../src-main/core/domain/id-number'

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000)
const f = (ms: number) => `${ms.toFixed(0)} ms`

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'qualdesk-bench-training-'))
  try {
    const core = await createCore({ dataDir, adminPassword: 'Bench2026x', clock: () => new Date('2026-11-25T09:00:00+08:00'), logError: () => {} })
    await core.services.staffAccounts.create(null, { username: 'guanli', displayName: '周敏', roles: ['admin'], password: 'Bench2026x' })
    const { token } = await core.services.staffAuth.login({ username: 'guanli', password: 'Bench2026x' })
    const admin = core.services.staffAuth.authenticate(token)
    const school = core.services.schools.save(admin, { name: '郑州市顺达机动车驾驶员培训学校', address: '郑州市金水区丰庆路与北三环交叉口', phone: '0371-63520188', licenceNo: '豫交运管许可郑字410100000102号', active: true })

    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('结业证')
    ws.addRow(['身份证号', '姓名', '准驾车型', '培训起始日期', '培训结束日期', '结业证发放日期', '结业证编号'])
    const ids: string[] = []
    for (let i = 0; i < ROWS; i++) {
      const first17 = `410105${1970 + (i % 30)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`
      const id = first17 + idCheckChar(first17)
      ids.push(id)
      ws.addRow([id, '张伟', ['A1', 'A2', 'B2'][i % 3], '2026-08-03', '2026-09-18', '2026-09-25', `SD-${String(i).padStart(6, '0')}`])
    }
    const file = Buffer.from(await wb.xlsx.writeBuffer())
    const data = file.toString('base64')
    console.log(`file: ${ROWS} rows, ${(file.length / 1024).toFixed(0)} KB (${(data.length / 1024).toFixed(0)} KB base64)`)

    let t = performance.now()
    await readSheet(file)
    const readMs = performance.now() - t
    t = performance.now()
    const p = await core.services.trainingImport.preview(admin, { schoolId: school.id, fileName: 'big.xlsx', data })
    const previewMs = performance.now() - t
    t = performance.now()
    const c = core.services.trainingImport.commit(admin, p.batchId!)
    const commitMs = performance.now() - t
    t = performance.now()
    const again = await core.services.trainingImport.preview(admin, { schoolId: school.id, fileName: 'big.xlsx', data })
    const againMs = performance.now() - t
    t = performance.now()
    const n = 2000
    for (let i = 0; i < n; i++) core.services.trainingCertificates.forApplicant({ id: 1, idNumber: ids[(i * 7) % ids.length] }, 'B2')
    const lookupUs = ((performance.now() - t) / n) * 1000

    console.log(`baseline  read the .xlsx only         ${f(readMs)}`)
    console.log(`preview   read + check + keep batch   ${f(previewMs)}  (${p.newRows} new, ${p.errors} errors)   target < 3000 ms  ${previewMs < 3000 ? 'OK' : 'MISSED'}`)
    console.log(`commit    ${c.created} inserts, one tx     ${f(commitMs)}   target < 3000 ms  ${commitMs < 3000 ? 'OK' : 'MISSED'}`)
    console.log(`again     same file, all unchanged     ${f(againMs)}  (${again.unchanged} unchanged, ${again.newRows} new)`)
    console.log(`查询      one applicant's look-up      ${lookupUs.toFixed(0)} µs (registry of ${ROWS})`)
    core.close()
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
main().catch((e) => {
  console.error(e)
  process.exit(1)
})
