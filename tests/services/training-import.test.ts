// The 结业证 import as the administrator uses it: a school's real spreadsheet (made by LibreOffice
// headless, and by exceljs), previewed with every bad row named, committed all or nothing, and
// idempotent. Real core, real SQLite file, real soffice.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StaffActor } from '../../src-main/core/context'
import { idCheckChar } from '../../src-main/core/domain/id-number'
import { AppError } from '../../src-main/core/errors'
import { fakeClock, testCore, type TestCore } from '../support/core'
import { clerk } from './review-helpers'

function idOf(birth: string, seq: string): string {
  const first17 = `410105${birth.replaceAll('-', '')}${seq}`
  return first17 + idCheckChar(first17)
}
const LI = idOf('1985-03-12', '013')
const WANG = idOf('1990-07-01', '024')
const ZHAO = idOf('1979-11-30', '035')
const SUN = idOf('1988-02-29', '046')

const work = mkdtempSync(join(tmpdir(), 'qualdesk-training-xlsx-'))
/** A CSV turned into .xlsx by LibreOffice headless, as a school's clerk would save it. `types`: per column 1 standard, 2 text. */
function libreOfficeXlsx(name: string, csv: string, types: number[]): Buffer {
  const file = join(work, `${name}.csv`)
  writeFileSync(file, csv)
  const filter = `CSV:44,34,76,1,${types.map((t, i) => `${i + 1}/${t}`).join('/')}`
  execFileSync('soffice', [`-env:UserInstallation=file://${work}/lo-profile`, '--headless', `--infilter=${filter}`, '--convert-to', 'xlsx', '--outdir', work, file], { stdio: 'ignore', timeout: 120_000 })
  return readFileSync(join(work, `${name}.xlsx`))
}

async function exceljsXlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Sheet1')
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

let core: TestCore
let admin: StaffActor
let schoolId: number
let otherSchoolId: number
const b64 = (b: Buffer) => b.toString('base64')

beforeAll(async () => {
  core = await testCore({ clock: fakeClock('2026-11-25T09:00:00+08:00') })
  admin = await clerk(core, 'guanli', '周敏', ['admin'])
  schoolId = core.services.schools.save(admin, { name: '郑州市顺达机动车驾驶员培训学校', address: '郑州市金水区丰庆路与北三环交叉口', phone: '0371-63520188', licenceNo: '豫交运管许可郑字410100000102号', active: true }).id
  otherSchoolId = core.services.schools.save(admin, { name: '河南省交通技师学院驾驶培训中心', address: '郑州市中原区桐柏路与建设路交叉口', phone: '0371-67613300', licenceNo: '豫交运管许可郑字410100000103号', active: true }).id
})
afterAll(() => {
  core.dispose()
  rmSync(work, { recursive: true, force: true })
})

const HEADER = '结业证编号,姓名,身份证号,准驾车型,培训起始日期,培训结束日期,结业证发放日期,备注'
// Column types for LibreOffice: 结业证编号 text, 身份证号 text, 结业证发放日期 text (so it stays "2026年10月20日").
const TEXT_IDS = [2, 2, 2, 1, 1, 1, 2, 2]

const count = () => (core.ctx.db.prepare('SELECT count(*) AS n FROM training_certificates').get() as { n: number }).n

// soffice takes a few seconds per file (more when the machine is busy).
describe('a LibreOffice-made file', { timeout: 90_000 }, () => {
  it('previews every row: rich text and text dates, full-width class, Excel dates; bad rows named by row and column; nothing committed while any row is wrong', async () => {
    const file = libreOfficeXlsx(
      'mixed',
      [
        HEADER,
        `SD-2026-0001,李强,${LI},B2,2026-09-01,2026-10-15,2026年10月20日,A证 ok`,
        `SD-2026-0002,王芳,${WANG},Ｂ２,2026-09-02,2026-10-16,2026-10-21,`,
        `SD-2026-0003,赵六,${ZHAO},C1,2026-09-02,2026-10-16,2026-10-21,`,
        `SD-2026-0004,孙七,${SUN},A2,2026-10-20,2026-10-16,2026-10-21,`,
        ''
      ].join('\n'),
      TEXT_IDS
    )
    const before = count()
    const p = await core.services.trainingImport.preview(admin, { schoolId, fileName: '顺达11月结业名单.xlsx', data: b64(file) })
    expect(p.fileErrors).toEqual([])
    expect([p.total, p.newRows, p.unchanged, p.errors, p.canCommit]).toEqual([4, 2, 0, 2, false])
    expect(p.rows.map((r) => [r.row, r.status, r.name, r.vehicleClass, r.issuedOn, r.errors.map((e) => `${e.column}：${e.reason}`).join('；')])).toEqual([
      [2, 'new', '李强', 'B2', '2026-10-20', ''],
      [3, 'new', '王芳', 'B2', '2026-10-21', ''],
      [4, 'error', '赵六', 'C1', '', '准驾车型：准驾车型“C1”不是货运准驾车型（只能是 A1、A2、B2）'],
      [5, 'error', '孙七', 'A2', '', '培训结束日期：培训结束日期不能早于培训起始日期']
    ])
    // The list shows ID numbers masked.
    expect(p.rows[0].idNumberMasked).toBe(`410***********${LI.slice(-4)}`)
    await expect(async () => core.services.trainingImport.commit(admin, p.batchId!)).rejects.toThrow('该文件有2行错误：须全部改正后整份重新导入')
    expect(count()).toBe(before)
  })

  it('commits a corrected file whole; the same file again changes nothing', async () => {
    const csv = [
      HEADER,
      `SD-2026-0001,李强,${LI},B2,2026-09-01,2026-10-15,2026年10月20日,A证 ok`,
      `SD-2026-0002,王芳,${WANG},Ｂ２,2026-09-02,2026-10-16,2026-10-21,`,
      `SD-2026-0003,赵六,${ZHAO},A1,2026-09-02,2026-10-16,2026-10-21,`,
      `SD-2026-0004,孙七,${SUN},A2,2026-10-10,2026-10-16,2026-10-21,`
    ].join('\n')
    const file = libreOfficeXlsx('fixed', csv, TEXT_IDS)
    const before = count()
    const p = await core.services.trainingImport.preview(admin, { schoolId, fileName: 'fixed.xlsx', data: b64(file) })
    expect([p.newRows, p.errors, p.canCommit]).toEqual([4, 0, true])
    expect(core.services.trainingImport.commit(admin, p.batchId!)).toEqual({ batchId: p.batchId, created: 4, unchanged: 0 })
    expect(count()).toBe(before + 4)
    const snapshot = JSON.stringify(core.ctx.db.prepare('SELECT * FROM training_certificates ORDER BY id').all())

    const again = await core.services.trainingImport.preview(admin, { schoolId, fileName: 'fixed.xlsx', data: b64(file) })
    expect([again.newRows, again.unchanged, again.errors, again.canCommit]).toEqual([0, 4, 0, true])
    expect(again.committedBefore).toBe('2026-11-25T09:00:00+08:00')
    expect(again.rows.every((r) => r.note === '已登记，无变化')).toBe(true)
    expect(core.services.trainingImport.commit(admin, again.batchId!)).toEqual({ batchId: again.batchId, created: 0, unchanged: 4 })
    expect(JSON.stringify(core.ctx.db.prepare('SELECT * FROM training_certificates ORDER BY id').all())).toBe(snapshot)
    // A committed batch cannot be committed twice.
    expect(() => core.services.trainingImport.commit(admin, p.batchId!)).toThrow('该批次已经导入过')

    const li = core.services.trainingCertificates.list({ search: 'SD-2026-0001', page: 1, pageSize: 20 }).rows
    expect(li).toMatchObject([{ name: '李强', vehicleClass: 'B2', trainingStart: '2026-09-01', trainingEnd: '2026-10-15', issuedOn: '2026-10-20', source: 'import', revoked: false }])
  })

  it('refuses each row whose 18-digit ID number was typed into a number cell (precision lost)', async () => {
    const file = libreOfficeXlsx('numbers', [HEADER, `SD-2026-0101,钱八,${LI},B2,2026-09-01,2026-10-15,2026-10-20,`, `SD-2026-0102,周九,${ZHAO},B2,2026-09-01,2026-10-15,2026-10-20,`, `SD-2026-0103,吴十,${WANG},B2,2026-09-01,2026-10-15,2026-10-20,`].join('\n'), [2, 2, 1, 1, 1, 1, 1, 2])
    const p = await core.services.trainingImport.preview(admin, { schoolId, fileName: 'numbers.xlsx', data: b64(file) })
    // An ID number ending in X stays text (LibreOffice cannot read it as a number), so that row is fine.
    expect(p.rows.map((r) => [r.row, r.status, r.errors[0]?.column])).toEqual([
      [2, 'error', '身份证号'],
      [3, 'error', '身份证号'],
      [4, 'new', undefined]
    ])
    expect(p.rows[0].errors[0].reason).toContain('精度丢失')
  })
})

describe('the registry keeps its records straight', () => {
  it('does not bring a revoked record back when the same file is imported again', async () => {
    const file = await exceljsXlsx([
      ['身份证号', '姓名', '准驾车型', '培训起始日期', '培训结束日期', '结业证发放日期', '结业证编号'],
      [LI, '李强', 'A2', '2026-08-01', '2026-09-15', '2026-09-20', 'JS-001']
    ])
    const p = await core.services.trainingImport.preview(admin, { schoolId: otherSchoolId, fileName: 'js.xlsx', data: b64(file) })
    core.services.trainingImport.commit(admin, p.batchId!)
    const rec = core.services.trainingCertificates.list({ search: 'JS-001', page: 1, pageSize: 5 }).rows[0]
    const revoked = core.services.trainingCertificates.revoke(admin, { id: rec.id, reason: '培训学时不足，学校申请撤销' })
    expect(revoked).toMatchObject({ revoked: true, revokeReason: '培训学时不足，学校申请撤销', revokedByName: '周敏' })
    expect(() => core.services.trainingCertificates.revoke(admin, { id: rec.id, reason: '再次撤销' })).toThrow('已于2026-11-25撤销')

    const again = await core.services.trainingImport.preview(admin, { schoolId: otherSchoolId, fileName: 'js.xlsx', data: b64(file) })
    expect(again.rows[0]).toMatchObject({ status: 'unchanged', note: '已登记（该记录已撤销，不会恢复）' })
    core.services.trainingImport.commit(admin, again.batchId!)
    expect(core.services.trainingCertificates.list({ search: 'JS-001', page: 1, pageSize: 5 }).rows.map((r) => r.revoked)).toEqual([true])
    const audit = core.ctx.db.prepare("SELECT detail FROM audit_log WHERE action = 'training.revoked'").all() as { detail: string }[]
    expect(JSON.parse(audit[0].detail)).toMatchObject({ reason: '培训学时不足，学校申请撤销', certificateNo: 'JS-001' })
  })

  it('is all or nothing: when the registry changed after the preview, the commit creates none of the rows', async () => {
    const file = await exceljsXlsx([
      ['身份证号', '姓名', '准驾车型', '培训起始日期', '培训结束日期', '结业证发放日期', '结业证编号'],
      [WANG, '王芳', 'A1', '2026-08-01', '2026-09-15', '2026-09-20', 'JS-101'],
      [ZHAO, '赵六', 'A1', '2026-08-01', '2026-09-15', '2026-09-20', 'JS-102']
    ])
    const p = await core.services.trainingImport.preview(admin, { schoolId: otherSchoolId, fileName: 'js2.xlsx', data: b64(file) })
    expect(p.newRows).toBe(2)
    // Meanwhile a clerk enters JS-102 by hand with another person's data.
    core.services.trainingCertificates.create(admin, { schoolId: otherSchoolId, idNumber: SUN, name: '孙七', vehicleClass: 'A1', trainingStart: '2026-08-01', trainingEnd: '2026-09-15', issuedOn: '2026-09-20', certificateNo: 'JS-102' })
    const before = count()
    expect(() => core.services.trainingImport.commit(admin, p.batchId!)).toThrow(/第3行：结业证编号JS-102已登记.*整份文件未导入/)
    expect(count()).toBe(before)
    expect(core.services.trainingCertificates.list({ search: 'JS-101', page: 1, pageSize: 5 }).total).toBe(0)
  })

  it('refuses a file that is not an .xlsx, or lacks a column, naming the problem', async () => {
    await expect(core.services.trainingImport.preview(admin, { schoolId, fileName: 'a.csv', data: b64(Buffer.from(`${HEADER}\n`)) })).rejects.toMatchObject({ code: 'unsupported_type' })
    const p = await core.services.trainingImport.preview(admin, { schoolId, fileName: 'b.xlsx', data: b64(await exceljsXlsx([['身份证号', '姓名', '车型']])) })
    expect(p.batchId).toBeNull()
    expect(p.fileErrors[0]).toContain('表头缺少列：培训起始日期、培训结束日期、结业证发放日期、结业证编号')
  })

  it('hand entry checks every field and refuses a number already registered at that school', () => {
    try {
      core.services.trainingCertificates.create(admin, { schoolId, idNumber: '410105198503120000', name: '李1', vehicleClass: 'B2', trainingStart: '2026-10-01', trainingEnd: '2026-09-01', issuedOn: '2027-01-01', certificateNo: 'X1' })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(AppError)
      expect((e as AppError).fields).toEqual({
        idNumber: '身份证号校验位不正确',
        name: '姓名只能包含汉字（少数民族姓名可用“·”分隔），不能含数字、空格或符号',
        trainingEnd: '培训结束日期不能早于培训起始日期',
        issuedOn: '结业证发放日期不能晚于今天'
      })
    }
    expect(() =>
      core.services.trainingCertificates.create(admin, { schoolId, idNumber: SUN, name: '孙七', vehicleClass: 'B2', trainingStart: '2026-09-01', trainingEnd: '2026-10-15', issuedOn: '2026-10-20', certificateNo: 'sd-2026-0001' })
    ).toThrow('郑州市顺达机动车驾驶员培训学校的结业证编号SD-2026-0001已登记（李强）')
  })

  it('keeps one record to one application in the database itself', () => {
    const rec = core.services.trainingCertificates.list({ search: 'SD-2026-0002', page: 1, pageSize: 5 }).rows[0]
    const { repo } = core.services.trainingCertificates
    const app = (n: number) =>
      core.ctx.repos.applications.insert({ applicantId: null, category: 'freight', applicationType: 'initial', stage: 'pre_review', idNumber: WANG, name: '王芳', phone: null, trainingSchoolId: null, trainingNo: null, form: { n }, submittedAt: null, stageEnteredAt: core.ctx.now(), enteredByStaff: null, now: core.ctx.now() })
    const a1 = app(1)
    const a2 = app(2)
    repo.link(rec.id, a1, core.ctx.now())
    expect(() => repo.link(rec.id, a2, core.ctx.now())).toThrow(/UNIQUE|PRIMARY KEY/)
    // The service says so in words: 409 with the field.
    try {
      core.services.trainingCertificates.linkForSubmission(a2, { category: 'freight', trainingCertNonLocal: false, trainingCertificateId: rec.id })
      expect.unreachable()
    } catch (e) {
      expect((e as AppError).status).toBe(409)
      expect((e as AppError).message).toBe(`该结业证已用于申请（编号 ${a1}），一份结业证只能用于一份申请`)
      expect(Object.keys((e as AppError).fields!)).toEqual(['trainingCertificateId'])
    }
    // Withdrawn (no route does this yet: set directly), the first application gives the record back.
    core.ctx.db.prepare("UPDATE applications SET stage = 'withdrawn' WHERE id = ?").run(a1)
    core.services.trainingCertificates.linkForSubmission(a2, { category: 'freight', trainingCertNonLocal: false, trainingCertificateId: rec.id })
    expect(repo.get(rec.id)?.applicationId).toBe(a2)
    // Switching to a non-local certificate drops the link.
    core.services.trainingCertificates.linkForSubmission(a2, { category: 'freight', trainingCertNonLocal: true, trainingCertificateId: rec.id })
    expect(repo.get(rec.id)?.applicationId).toBeNull()
  })
})

describe('training schools', () => {
  it('are kept by the administrator: unique names, checked fields, deactivation stops imports', async () => {
    expect(() => core.services.schools.save(admin, { name: '郑州市顺达机动车驾驶员培训学校', address: '郑州市金水区某路1号', phone: '0371-63520188', licenceNo: 'XK-0001', active: true })).toThrow('已有名为“郑州市顺达机动车驾驶员培训学校”的培训机构')
    const s = core.services.schools.save(admin, { name: '郑州宇通客车驾驶培训学校', address: '郑州市管城回族区宇通路6号', phone: '0371-66718899', licenceNo: '豫交运管许可郑字410100000105号', active: true })
    const off = core.services.schools.save(admin, { ...s, active: false })
    expect(off.active).toBe(false)
    expect(core.services.schools.list().find((x) => x.id === s.id)?.active).toBe(false)
    await expect(core.services.trainingImport.preview(admin, { schoolId: s.id, fileName: 'x.xlsx', data: b64(await exceljsXlsx([['身份证号']])) })).rejects.toThrow('已停用，不能导入结业证')
    // The applicant API lists only active schools.
    expect(core.services.applications.records.activeSchools().map((x) => x.name)).not.toContain('郑州宇通客车驾驶培训学校')
    const audit = core.ctx.db.prepare("SELECT detail FROM audit_log WHERE action = 'school.updated' ORDER BY id DESC LIMIT 1").get() as { detail: string }
    expect(JSON.parse(audit.detail)).toEqual({ changed: { active: { from: true, to: false } } })
  })
})

describe('a long list with many different names', { timeout: 30_000 }, () => {
  it('reads every Chinese name intact (no character garbled at a chunk boundary)', async () => {
    const SUR = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'
    const GIV = '伟芳娜英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华志海燕国庆红梅卫东振晓文博子豪浩然雪俊鹏飞金龙永春生'
    const rows: unknown[][] = [['身份证号', '姓名', '准驾车型', '培训起始日期', '培训结束日期', '结业证发放日期', '结业证编号']]
    for (let i = 0; i < 4000; i++) {
      const first17 = `410105${1970 + (i % 30)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`
      rows.push([first17 + idCheckChar(first17), SUR[i % SUR.length] + GIV[Math.floor(i / SUR.length) % GIV.length] + GIV[(i * 7) % GIV.length], 'B2', '2026-08-03', '2026-09-18', '2026-09-25', `LONG-${i}`])
    }
    const p = await core.services.trainingImport.preview(admin, { schoolId: otherSchoolId, fileName: 'long.xlsx', data: b64(await exceljsXlsx(rows)) })
    expect(p.errors).toBe(0)
    expect(p.newRows).toBe(4000)
    expect(p.rows.map((r) => r.name)).toEqual(rows.slice(1).map((r) => r[1]))
  })
})
