// What each export looks like: its sheets, Chinese headers, widths and how each raw value from
// the SQL (storage/repositories/reports-exports.ts, same column order) becomes a cell.
import {
  APPLICATION_TYPE_LABELS,
  AUDIT_ACTION_LABELS,
  CATEGORY_LABELS,
  STAGE_LABELS,
  type ApplicationType,
  type Category,
  type Stage
} from '../../../src-preload/contract/vocab'
import type { XlsxColumn, XlsxSheet } from '../documents/xlsx-export'
import { maskIdNumber, maskPhone } from '../domain/masking'

type Map = ((v: unknown) => unknown) | null
export interface SheetColumn extends XlsxColumn {
  map?: Map
}

const label = (labels: Record<string, string>) => (v: unknown) => (v == null ? null : (labels[String(v)] ?? String(v)))
const GENDER = label({ M: '男', F: '女' })
const TRAINING_MODE = label({ self: '自主学习', school: '培训机构' })
const COLLECT = label({ pickup: '自取', mail: '邮寄' })
const SUBJECT = label({ theory: '理论', practical: '实操' })
const OUTCOME = label({ passed: '合格', failed: '不合格', no_show: '缺考' })
const BOOKING = label({ booked: '已预约', present: '已到场', scored: '已出成绩', no_show: '失约', cancelled: '已取消', released: '场次取消' })
const PROVIDER = label({ wechat: '微信支付', counter: '窗口缴费' })
const PAY_KIND = label({ payment: '缴费', refund: '退款' })
const CERT_STATUS = label({ active: '有效', superseded: '已换发', revoked: '已注销' })
const ACTOR_TYPE = label({ staff: '工作人员', applicant: '申请人', system: '系统' })
const STAGE = label(STAGE_LABELS as Record<Stage, string>)
const CATEGORY = label(CATEGORY_LABELS as Record<Category, string>)
const APP_TYPE = label(APPLICATION_TYPE_LABELS as Record<ApplicationType, string>)
/** '["A1","B1"]' → 'A1、B1' */
const CLASSES = (v: unknown) => {
  if (v == null) return null
  try {
    const xs = JSON.parse(String(v)) as unknown
    return Array.isArray(xs) ? xs.join('、') : String(v)
  } catch {
    return String(v)
  }
}

export type PersonalData = 'full' | 'masked'
const idCol = (p: PersonalData): SheetColumn => ({ header: '身份证号', kind: 'text', width: 21, map: p === 'masked' ? (v) => (v == null ? null : maskIdNumber(String(v))) : null })
const phoneCol = (p: PersonalData): SheetColumn => ({ header: '联系电话', kind: 'text', width: 14, map: p === 'masked' ? (v) => (v == null ? null : maskPhone(String(v))) : null })

export function applicationColumns(p: PersonalData): SheetColumn[] {
  return [
    { header: '申请编号', kind: 'int', width: 10 },
    { header: '培训证号', kind: 'text', width: 13 },
    { header: '姓名', kind: 'text', width: 10 },
    idCol(p),
    { header: '性别', kind: 'text', width: 6, map: GENDER },
    { header: '出生日期', kind: 'date', width: 12 },
    phoneCol(p),
    { header: '从业类别', kind: 'text', width: 28, map: CATEGORY },
    { header: '申请类型', kind: 'text', width: 9, map: APP_TYPE },
    { header: '准驾车型', kind: 'text', width: 10, map: CLASSES },
    { header: '培训方式', kind: 'text', width: 10, map: TRAINING_MODE },
    { header: '培训学校', kind: 'text', width: 34 },
    { header: '当前状态', kind: 'text', width: 12, map: STAGE },
    { header: '提交时间', kind: 'datetime', width: 20 },
    { header: '提交次数', kind: 'int', width: 9 },
    { header: '进入当前状态时间', kind: 'datetime', width: 20 },
    { header: '领证方式', kind: 'text', width: 9, map: COLLECT },
    { header: '现住地址', kind: 'text', width: 40 }
  ]
}

export function certificateColumns(p: PersonalData): SheetColumn[] {
  return [
    { ...idCol(p), header: '证件号码' },
    { header: '印刷编号', kind: 'text', width: 13 },
    { header: '姓名', kind: 'text', width: 10 },
    { header: '性别', kind: 'text', width: 6, map: GENDER },
    { header: '出生日期', kind: 'date', width: 12 },
    { header: '国籍', kind: 'text', width: 8 },
    { header: '住址', kind: 'text', width: 40, map: p === 'masked' ? (v) => (v == null ? null : String(v).slice(0, 9) + '****') : null },
    { header: '从业资格类别', kind: 'text', width: 28, map: CATEGORY },
    { header: '准驾车型', kind: 'text', width: 10, map: CLASSES },
    { header: '初次领证日期', kind: 'date', width: 13 },
    { header: '发证日期', kind: 'date', width: 12 },
    { header: '有效期至', kind: 'date', width: 12 },
    { header: '发证机关', kind: 'text', width: 20 },
    { header: '证件状态', kind: 'text', width: 9, map: CERT_STATUS },
    { header: '申请编号', kind: 'int', width: 10 },
    { header: '培训证号', kind: 'text', width: 13 },
    { header: '领取方式', kind: 'text', width: 9, map: COLLECT },
    { header: '领取/寄出时间', kind: 'datetime', width: 20 },
    { header: '经办人', kind: 'text', width: 10 }
  ]
}

export function examResultColumns(p: PersonalData): SheetColumn[] {
  return [
    { header: '考试日期', kind: 'date', width: 12 },
    { header: '考点', kind: 'text', width: 24 },
    { header: '时间', kind: 'text', width: 12 },
    { header: '姓名', kind: 'text', width: 10 },
    idCol(p),
    { header: '培训证号', kind: 'text', width: 13 },
    { header: '培训学校', kind: 'text', width: 34 },
    { header: '预约理论', kind: 'text', width: 9, map: (v) => (v ? '是' : '否') },
    { header: '预约实操', kind: 'text', width: 9, map: (v) => (v ? '是' : '否') },
    { header: '预约状态', kind: 'text', width: 10, map: BOOKING },
    { header: '理论成绩', kind: 'int', width: 9 },
    { header: '理论结果', kind: 'text', width: 9, map: OUTCOME },
    { header: '实操成绩', kind: 'int', width: 9 },
    { header: '实操结果', kind: 'text', width: 9, map: OUTCOME },
    { header: '预约编号', kind: 'int', width: 10 }
  ]
}

export const FEES_DAILY_COLUMNS: SheetColumn[] = [
  { header: '日期', kind: 'date', width: 12 },
  { header: '缴费笔数', kind: 'int', width: 10 },
  { header: '缴费金额', kind: 'money', width: 14 },
  { header: '退款笔数', kind: 'int', width: 10 },
  { header: '退款金额', kind: 'money', width: 14 },
  { header: '净收入', kind: 'money', width: 14 }
]

export function feeColumns(p: PersonalData): SheetColumn[] {
  return [
    { header: '日期', kind: 'date', width: 12 },
    { header: '时间', kind: 'datetime', width: 20 },
    { header: '类型', kind: 'text', width: 7, map: PAY_KIND },
    { header: '渠道', kind: 'text', width: 10, map: PROVIDER },
    { header: '金额', kind: 'money', width: 12 },
    { header: '交易/退款流水号', kind: 'text', width: 30 },
    { header: '订单号', kind: 'text', width: 24 },
    { header: '收据号', kind: 'text', width: 14 },
    { header: '申请编号', kind: 'int', width: 10 },
    { header: '姓名', kind: 'text', width: 10 },
    idCol(p),
    { header: '经办人', kind: 'text', width: 10 }
  ]
}

export function auditColumns(labels: Record<string, string> = AUDIT_ACTION_LABELS): SheetColumn[] {
  return [
    { header: '编号', kind: 'int', width: 9 },
    { header: '时间', kind: 'datetime', width: 20 },
    { header: '操作人类型', kind: 'text', width: 11, map: ACTOR_TYPE },
    { header: '操作人', kind: 'text', width: 12 },
    { header: '操作', kind: 'text', width: 22, map: label(labels) },
    { header: '操作代码', kind: 'text', width: 26 },
    { header: '对象类型', kind: 'text', width: 12 },
    { header: '对象编号', kind: 'text', width: 12 },
    { header: '详情', kind: 'text', width: 60 },
    { header: 'IP地址', kind: 'text', width: 15 }
  ]
}

/** A sheet whose rows are mapped lazily, one at a time, from the SQL's raw arrays. */
export function sheet(name: string, columns: SheetColumn[], raw: Iterable<unknown[]>): XlsxSheet {
  const maps = columns.map((c) => c.map ?? null)
  const mapped = maps.some((m) => m)
  return {
    name,
    columns,
    rows: mapped
      ? (function* () {
          for (const r of raw) {
            for (let i = 0; i < maps.length; i++) {
              const m = maps[i]
              if (m) r[i] = m(r[i])
            }
            yield r
          }
        })()
      : raw
  }
}

export { SUBJECT }
