// Printed and exported exam documents: the session roster (考生名册) as PDF and as Excel with the
// applicants' photos for the identity check at the door, and the day's payment reconciliation.
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import ExcelJS from 'exceljs'
import { PDFDocument, rgb, type PDFImage, type PDFFont, type PDFPage } from 'pdf-lib'
import type { CoreContext, StaffActor } from '../context'
import { embedChineseFont, fitSize, mm, selectFont } from '../documents/chinese-font'
import { SUBJECT_LABELS } from '../domain/attempts'
import { yuan } from '../domain/fees'
import { toShanghaiIso } from '../domain/time'
import type { ExamSessionsService } from './exam-sessions'
import type { PaymentsService } from './payments'
import { BOOKING_STATUS_LABELS } from './exam-sessions'
import type { FileDownload } from '../../../src-preload/contract/exams'

export type { FileDownload } from '../../../src-preload/contract/exams'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const ORDER_STATUS_TEXT: Record<string, string> = { pending: '待支付', paid: '已支付', expired: '已过期', duplicate: '重复缴费待退款', refunded: '已退款' }

type Photo = { bytes: Buffer; kind: 'jpeg' | 'png' } | null

export function examDocumentsService(ctx: CoreContext, sessions: ExamSessionsService, payments: PaymentsService) {
  const attachmentsRoot = join(dirname(ctx.db.name), 'attachments')

  async function photo(sha256: string | null): Promise<Photo> {
    if (!sha256 || !/^[0-9a-f]{64}$/.test(sha256)) return null
    try {
      const bytes = await readFile(join(attachmentsRoot, sha256.slice(0, 2), sha256))
      if (bytes[0] === 0xff && bytes[1] === 0xd8) return { bytes, kind: 'jpeg' }
      if (bytes[0] === 0x89 && bytes[1] === 0x50) return { bytes, kind: 'png' }
      return null // a PDF scan cannot be placed as a picture
    } catch {
      return null
    }
  }

  async function rosterPdf(actor: StaffActor, sessionId: number): Promise<FileDownload> {
    const { session: s, rows } = sessions.rosterForExport(actor, sessionId, 'pdf')
    const photos = await Promise.all(rows.map((r) => photo(r.photoSha256)))
    const doc = await PDFDocument.create()
    doc.setTitle(`考生名册 ${s.name}`)
    doc.setCreator('QualDesk')
    const font = await embedChineseFont(doc)
    const bold = await embedChineseFont(doc, 'bold')
    const W = mm(210)
    const H = mm(297)
    const left = mm(12)
    const cols = [
      { title: '序号', w: mm(10) },
      { title: '照片', w: mm(20) },
      { title: '姓名', w: mm(22) },
      { title: '身份证号', w: mm(42) },
      { title: '培训证号', w: mm(26) },
      { title: '科目', w: mm(18) },
      { title: '状态', w: mm(16) },
      { title: '考生签名', w: mm(32) }
    ]
    const rowH = mm(26)
    const headH = mm(8)
    const grey = rgb(0.55, 0.55, 0.55)
    let page: PDFPage
    let y = 0
    let pageNo = 0
    const embedded = new Map<number, PDFImage>()
    // selectFont once per change, then draw without the font option (see documents/chinese-font.ts)
    const text = (p: PDFPage, t: string, x: number, yy: number, size: number, f: PDFFont = font, maxW?: number) => {
      selectFont(p, f)
      p.drawText(t, { x, y: yy, size: maxW ? fitSize(f, t, size, maxW) : size })
    }

    const newPage = () => {
      page = doc.addPage([W, H])
      pageNo++
      y = H - mm(14)
      text(page, '道路运输从业资格考试 考生名册', left, y, 15, bold)
      y -= mm(7)
      text(page, `场次：${s.name}    考点：${s.venue}（${s.venueAddress}）`, left, y, 9, font, W - 2 * left)
      y -= mm(5)
      text(page, `日期：${s.date} ${s.start}–${s.end}    科目：${s.subjectsLabel}    计划人数：${s.capacity}    已预约：${rows.length}    打印：${toShanghaiIso(ctx.clock()).slice(0, 16).replace('T', ' ')} ${actor.displayName}`, left, y, 9, font, W - 2 * left)
      y -= mm(4)
      let x = left
      page.drawRectangle({ x: left, y: y - headH, width: cols.reduce((n, c) => n + c.w, 0), height: headH, color: rgb(0.93, 0.94, 0.96) })
      for (const c of cols) {
        text(page, c.title, x + mm(1.5), y - headH + mm(2.5), 9, bold)
        x += c.w
      }
      y -= headH
      selectFont(page, font)
      page.drawText(`第 ${pageNo} 页`, { x: W / 2 - mm(5), y: mm(8), size: 8, color: grey })
    }
    newPage()
    for (let i = 0; i < rows.length; i++) {
      if (y - rowH < mm(16)) newPage()
      const r = rows[i]
      const top = y
      let x = left
      const mid = top - rowH / 2 - mm(1.5)
      text(page!, String(i + 1), x + mm(2), mid, 9)
      x += cols[0].w
      const ph = photos[i]
      if (ph) {
        let img = embedded.get(i)
        if (!img) {
          img = ph.kind === 'jpeg' ? await doc.embedJpg(ph.bytes) : await doc.embedPng(ph.bytes)
          embedded.set(i, img)
        }
        const maxW = cols[1].w - mm(3)
        const maxH = rowH - mm(3)
        const scale = Math.min(maxW / img.width, maxH / img.height)
        page!.drawImage(img, { x: x + mm(1.5), y: top - mm(1.5) - img.height * scale, width: img.width * scale, height: img.height * scale })
      } else {
        selectFont(page!, font)
        page!.drawText('无照片', { x: x + mm(3), y: mid, size: 8, color: grey })
      }
      x += cols[1].w
      text(page!, r.name, x + mm(1.5), mid, 11, bold, cols[2].w - mm(3))
      x += cols[2].w
      text(page!, r.idNumber, x + mm(1.5), mid, 9.5, font, cols[3].w - mm(3))
      x += cols[3].w
      text(page!, r.trainingNo ?? '—', x + mm(1.5), mid, 9, font, cols[4].w - mm(3))
      x += cols[4].w
      text(page!, r.subjects.map((sub) => SUBJECT_LABELS[sub]).join('、'), x + mm(1.5), mid, 9, font, cols[5].w - mm(3))
      x += cols[5].w
      text(page!, BOOKING_STATUS_LABELS[r.status], x + mm(1.5), mid, 9, font, cols[6].w - mm(3))
      y -= rowH
      page!.drawLine({ start: { x: left, y }, end: { x: left + cols.reduce((n, c) => n + c.w, 0), y }, thickness: 0.5, color: rgb(0.8, 0.8, 0.8) })
    }
    if (!rows.length) text(page!, '（本场次暂无考生）', left, y - mm(8), 10)
    const bytes = await doc.save()
    return { fileName: `考生名册_${s.date}_${s.id}.pdf`, mimeType: 'application/pdf', data: Buffer.from(bytes).toString('base64') }
  }

  async function rosterXlsx(actor: StaffActor, sessionId: number): Promise<FileDownload> {
    const { session: s, rows } = sessions.rosterForExport(actor, sessionId, 'xlsx')
    const photos = await Promise.all(rows.map((r) => photo(r.photoSha256)))
    const wb = new ExcelJS.Workbook()
    wb.creator = 'QualDesk'
    const ws = wb.addWorksheet('考生名册', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } })
    ws.mergeCells('A1:I1')
    ws.getCell('A1').value = `考生名册：${s.name}（${s.venue}，${s.date} ${s.start}–${s.end}，${s.subjectsLabel}）`
    ws.getCell('A1').font = { bold: true, size: 13 }
    const header = ['序号', '照片', '姓名', '身份证号', '培训证号', '联系电话', '科目', '状态', '考生签名']
    ws.addRow(header)
    ws.getRow(2).font = { bold: true }
    ws.columns.forEach((c, i) => (c.width = [6, 12, 10, 22, 14, 14, 10, 10, 16][i]))
    ws.getColumn(4).numFmt = '@'
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]
      const row = ws.addRow([i + 1, '', r.name, r.idNumber, r.trainingNo ?? '', r.phone ?? '', r.subjects.map((sub) => SUBJECT_LABELS[sub]).join('、'), BOOKING_STATUS_LABELS[r.status], ''])
      row.height = 80
      row.alignment = { vertical: 'middle' }
      const ph = photos[i]
      if (ph) {
        const imageId = wb.addImage({ buffer: ph.bytes as unknown as ExcelJS.Buffer, extension: ph.kind })
        ws.addImage(imageId, { tl: { col: 1.1, row: row.number - 1 + 0.05 }, ext: { width: 72, height: 100 }, editAs: 'oneCell' })
      } else row.getCell(2).value = '无照片'
    }
    const buf = Buffer.from(await wb.xlsx.writeBuffer())
    return { fileName: `考生名册_${s.date}_${s.id}.xlsx`, mimeType: XLSX, data: buf.toString('base64') }
  }

  async function reconciliationXlsx(actor: StaffActor, date: string): Promise<FileDownload> {
    const r = payments.reconciliation(date)
    ctx.audit.byStaff(actor, 'payment.reconciliation_exported', { type: 'reconciliation', id: date }, { totals: r.totals })
    const wb = new ExcelJS.Workbook()
    wb.creator = 'QualDesk'
    const sum = wb.addWorksheet('汇总')
    sum.addRow([`考试费对账单 ${date}`]).font = { bold: true, size: 13 }
    sum.addRow(['支付方式', '当日新建订单', '收款笔数', '收款金额(元)', '退款笔数', '退款金额(元)', '净额(元)']).font = { bold: true }
    for (const p of r.providers) sum.addRow([p.label, p.ordersCreated, p.paidCount, Number(yuan(p.paidFen)), p.refundCount, Number(yuan(p.refundFen)), Number(yuan(p.netFen))])
    sum.addRow(['合计', '', r.totals.paidCount, Number(yuan(r.totals.paidFen)), r.totals.refundCount, Number(yuan(r.totals.refundFen)), Number(yuan(r.totals.netFen))]).font = { bold: true }
    sum.columns.forEach((c) => (c.width = 16))
    const mv = wb.addWorksheet('明细')
    mv.addRow(['时间', '类型', '支付方式', '金额(元)', '交易号/收据号', '订单号', '订单状态', '申请编号', '姓名', '身份证号', '经办人']).font = { bold: true }
    for (const m of r.movements) {
      mv.addRow([m.at.replace('T', ' ').slice(0, 19), m.kind === 'payment' ? '收款' : '退款', m.provider === 'wechat' ? '微信支付' : '窗口缴费', Number(yuan(m.amountFen)), m.providerRef, m.orderId, ORDER_STATUS_TEXT[m.orderStatus] ?? m.orderStatus, m.applicationId, m.name, m.idNumber, m.staffName ?? ''])
    }
    mv.columns.forEach((c, i) => (c.width = [20, 8, 10, 10, 30, 26, 14, 10, 10, 22, 10][i]))
    const ref = wb.addWorksheet('待退款')
    ref.addRow(['订单号', '申请编号', '姓名', '身份证号', '金额(元)', '支付时间', '支付方式']).font = { bold: true }
    for (const a of r.awaitingRefund) ref.addRow([a.orderId, a.applicationId, a.name, a.idNumber, Number(yuan(a.amountFen)), a.paidAt?.replace('T', ' ').slice(0, 19) ?? '', a.provider === 'wechat' ? '微信支付' : '窗口缴费'])
    ref.columns.forEach((c) => (c.width = 20))
    const buf = Buffer.from(await wb.xlsx.writeBuffer())
    return { fileName: `考试费对账单_${date}.xlsx`, mimeType: XLSX, data: buf.toString('base64') }
  }

  return { rosterPdf, rosterXlsx, reconciliationXlsx }
}
