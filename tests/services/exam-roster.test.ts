// The printed roster (考生名册) as a clerk would check it: the PDF's text names every candidate with
// the full ID number, Chinese renders in an embedded font, the photo is on the page; the Excel
// export has a row and a picture per candidate; both exports are in the audit log.
import { afterEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { fakeClock, testCore, type TestCore } from '../support/core'
import { examClerk, openSession, seedExamApplicant } from './exam-support'

let core: TestCore
const dirs: string[] = []
afterEach(() => {
  core?.dispose()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function addPhoto(applicationId: number) {
  const bytes = readFileSync(join(__dirname, '../fixtures/certificates-photo.jpg'))
  const sha = createHash('sha256').update(bytes).digest('hex')
  mkdirSync(join(core.dataDir, 'attachments', sha.slice(0, 2)), { recursive: true })
  writeFileSync(join(core.dataDir, 'attachments', sha.slice(0, 2), sha), bytes)
  core.ctx.db
    .prepare(`INSERT INTO attachments (application_id, kind, file_name, content_type, size, sha256, uploaded_at, uploaded_by_type) VALUES (?, 'photo', '照片.jpg', 'image/jpeg', ?, ?, ?, 'applicant')`)
    .run(applicationId, bytes.length, sha, core.ctx.now())
}

describe('the session roster', () => {
  it('prints as a PDF with names, full ID numbers and photos, and exports to Excel with pictures', async () => {
    core = await testCore({ clock: fakeClock() })
    const clerk = await examClerk(core)
    const s = openSession(core, clerk, { subjects: 'both' })
    const people = ['欧阳明远', '李娜'].map((name, i) => {
      const a = seedExamApplicant(core, { name })
      core.services.payments.recordCounterPayment(clerk, { applicationId: a.applicationId, method: 'cash', receiptNo: `RS${i}001`, amountFen: 13300 })
      core.services.examBookings.book(a.applicationId, s.id, clerk)
      return a
    })
    addPhoto(people[0].applicationId)
    expect(core.services.examSessions.roster(s.id).entries.map((e) => [e.name, e.hasPhoto, e.idNumberMasked])).toEqual([
      ['欧阳明远', true, expect.stringMatching(/^410\*{11}\w{4}$/)],
      ['李娜', false, expect.stringMatching(/^410\*{11}\w{4}$/)]
    ])

    const pdf = await core.services.examDocuments.rosterPdf(clerk, s.id)
    expect(pdf.fileName).toBe(`考生名册_${s.date}_${s.id}.pdf`)
    const dir = mkdtempSync(join(tmpdir(), 'qualdesk-roster-'))
    dirs.push(dir)
    const file = join(dir, 'roster.pdf')
    writeFileSync(file, Buffer.from(pdf.data, 'base64'))
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    for (const p of people) {
      expect(text).toContain(p.name)
      expect(text).toContain(p.idNumber)
    }
    expect(text).toContain('道路运输从业资格考试 考生名册')
    expect(text).toContain('无照片')
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
    expect(fonts).toMatch(/\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes/)
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2)
    expect(images).toHaveLength(1)
    expect(Buffer.from(pdf.data, 'base64').length).toBeLessThan(300_000)

    const xlsx = await core.services.examDocuments.rosterXlsx(clerk, s.id)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(xlsx.data, 'base64') as never)
    const ws = wb.worksheets[0]
    expect(ws.getRow(3).getCell(3).text).toBe('欧阳明远')
    expect(ws.getRow(3).getCell(4).text).toBe(people[0].idNumber)
    expect(ws.getRow(4).getCell(2).text).toBe('无照片')
    expect(ws.getImages()).toHaveLength(1)

    const exported = core.services.auditLog.list({ action: 'exam.roster_exported', page: 1, pageSize: 10 }).rows.map((r) => (r.detail as { format: string }).format)
    expect(exported.sort()).toEqual(['pdf', 'xlsx'])
  })
})
