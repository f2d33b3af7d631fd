// The dashboard's charts: ECharts modules registered on demand (only what is drawn is bundled),
// and one pure option builder per figure. Each data item carries what its click opens.
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { BarChart, FunnelChart, LineChart } from 'echarts/charts'
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import type { Dashboard } from '../../../../src-preload/contract/reports'
import { percent, yuan } from './format'

use([CanvasRenderer, FunnelChart, BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent])

/** What a click on a chart item opens (the list behind the figure). */
export type DrillTarget =
  | { figure: 'stage'; stage: string }
  | { figure: 'submitted' | 'issued' | 'fees'; date: string }
  | { figure: 'overdue'; desk: string }
  | { figure: 'passRate'; subject?: 'theory' | 'practical'; schoolId?: number }
  | { figure: 'session'; sessionId: number }

const COLORS = ['#2f6fdb', '#20a47b', '#f0a020', '#d9534f', '#7b61c9', '#3bb4c1', '#8a9bb0', '#c0732b']
const short = (date: string) => date.slice(5)
const base = { color: COLORS, textStyle: { fontFamily: 'Noto Sans CJK SC, Microsoft YaHei, sans-serif' }, animationDuration: 300 }

export function funnelOption(d: Dashboard) {
  return {
    ...base,
    tooltip: { trigger: 'item', formatter: '{b}：{c} 件' },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: '8%',
        width: '84%',
        top: 8,
        bottom: 8,
        minSize: '18%',
        gap: 2,
        label: { show: true, position: 'inside', formatter: '{b}  {c}', color: '#fff', fontSize: 12 },
        data: d.funnel.map((f, i) => ({ name: f.label, value: f.count, drill: { figure: 'stage', stage: f.stage }, itemStyle: { color: COLORS[i % COLORS.length] } }))
      }
    ]
  }
}

export function perDayOption(d: Dashboard) {
  return {
    ...base,
    tooltip: { trigger: 'axis' },
    legend: { data: ['提交', '发证'], top: 0 },
    grid: { left: 40, right: 16, top: 32, bottom: d.perDay.length > 31 ? 48 : 24 },
    xAxis: { type: 'category', data: d.perDay.map((x) => short(x.date)) },
    yAxis: { type: 'value', minInterval: 1 },
    dataZoom: d.perDay.length > 31 ? [{ type: 'slider', height: 16, bottom: 4 }] : [],
    series: [
      { name: '提交', type: 'bar', data: d.perDay.map((x) => ({ value: x.submitted, drill: { figure: 'submitted', date: x.date } })) },
      { name: '发证', type: 'bar', data: d.perDay.map((x) => ({ value: x.issued, drill: { figure: 'issued', date: x.date } })) }
    ]
  }
}

export function overdueOption(d: Dashboard) {
  return {
    ...base,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: ['待办', '超期'], top: 0 },
    grid: { left: 72, right: 24, top: 32, bottom: 8, containLabel: false },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: d.overdue.map((o) => o.label) },
    series: [
      { name: '待办', type: 'bar', itemStyle: { color: '#b8c7dd' }, data: d.overdue.map((o) => ({ value: o.waiting, drill: { figure: 'overdue', desk: o.desk } })) },
      {
        name: '超期',
        type: 'bar',
        itemStyle: { color: '#d9534f' },
        label: { show: true, position: 'right', formatter: (p: { value: number }) => (p.value ? String(p.value) : '') },
        data: d.overdue.map((o) => ({ value: o.overdue, drill: { figure: 'overdue', desk: o.desk } }))
      }
    ]
  }
}

export function passRateOption(d: Dashboard) {
  const schools = d.schools
  const pct = (r: { rate: number | null }) => (r.rate == null ? null : Math.round(r.rate * 1000) / 10)
  return {
    ...base,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number | null) => (v == null ? '无人参考' : `${v}%`)
    },
    legend: { data: ['理论', '实操'], top: 0 },
    grid: { left: 40, right: 16, top: 44, bottom: 56 },
    xAxis: {
      type: 'category',
      data: ['全部', ...schools.map((s) => s.school)],
      axisLabel: { interval: 0, width: 90, overflow: 'truncate', rotate: schools.length > 3 ? 20 : 0 }
    },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: (['theory', 'practical'] as const).map((subject) => ({
      name: subject === 'theory' ? '理论' : '实操',
      type: 'bar',
      label: { show: true, position: 'top', formatter: (p: { value: number | null }) => (p.value == null ? '' : `${p.value}%`), fontSize: 11 },
      data: [
        { value: pct(d.passRates[subject]), drill: { figure: 'passRate', subject } },
        ...schools.map((s) => ({ value: pct(s[subject]), drill: { figure: 'passRate', subject, schoolId: s.schoolId } }))
      ]
    }))
  }
}

export function sessionsOption(d: Dashboard) {
  return {
    ...base,
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number }) => {
        const s = d.sessions[p.dataIndex]
        return `${s.date} ${s.start} ${s.venue}<br/>${s.subjects}：已预约 ${s.booked} / 计划 ${s.capacity}（${percent(s.rate)}）`
      }
    },
    grid: { left: 40, right: 16, top: 16, bottom: d.sessions.length > 20 ? 48 : 24 },
    xAxis: { type: 'category', data: d.sessions.map((s) => `${short(s.date)} ${s.venue.replace('郑州', '').slice(0, 4)}`), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    dataZoom: d.sessions.length > 20 ? [{ type: 'slider', height: 16, bottom: 4 }] : [],
    series: [
      {
        name: '满员率',
        type: 'bar',
        data: d.sessions.map((s) => ({
          value: Math.round(s.rate * 1000) / 10,
          drill: { figure: 'session', sessionId: s.sessionId },
          itemStyle: { color: s.rate >= 0.9 ? '#d9534f' : s.rate >= 0.6 ? '#f0a020' : '#20a47b' }
        }))
      }
    ]
  }
}

export function feesOption(d: Dashboard) {
  return {
    ...base,
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => yuan(Math.round(v * 100)) },
    legend: { data: ['收款', '退款', '净额'], top: 0 },
    grid: { left: 64, right: 16, top: 32, bottom: d.fees.length > 31 ? 48 : 24 },
    xAxis: { type: 'category', data: d.fees.map((f) => short(f.date)) },
    yAxis: { type: 'value', axisLabel: { formatter: '¥{value}' } },
    dataZoom: d.fees.length > 31 ? [{ type: 'slider', height: 16, bottom: 4 }] : [],
    series: [
      { name: '收款', type: 'bar', stack: 'money', data: d.fees.map((f) => ({ value: f.paidFen / 100, drill: { figure: 'fees', date: f.date } })) },
      { name: '退款', type: 'bar', stack: 'money', itemStyle: { color: '#d9534f' }, data: d.fees.map((f) => ({ value: -f.refundFen / 100, drill: { figure: 'fees', date: f.date } })) },
      { name: '净额', type: 'line', itemStyle: { color: '#7b61c9' }, data: d.fees.map((f) => ({ value: f.netFen / 100, drill: { figure: 'fees', date: f.date } })) }
    ]
  }
}

/** The drill target of a clicked chart item (ECharts passes the item's data). */
export function drillOf(params: { data?: unknown }): DrillTarget | null {
  const data = params.data as { drill?: DrillTarget } | undefined
  return data?.drill ?? null
}
