// The supervisors' desk (统计报表): dashboard, the list behind each figure, export jobs.
import type { HandlerMap } from './handlers'

export const reportsHandlers: HandlerMap<
  | 'reports.dashboard'
  | 'reports.drilldown'
  | 'reports.schools'
  | 'reports.sessions'
  | 'reports.startExport'
  | 'reports.exportStatus'
  | 'reports.exports'
> = {
  'reports.dashboard': (s, input, call) => s.dashboard.dashboard(call.actor, input),
  'reports.drilldown': (s, input, call) => s.dashboard.drilldown(call.actor, input),
  'reports.schools': (s) => s.dashboard.schools(),
  'reports.sessions': (s, input, call) => s.dashboard.sessions(call.actor, input),
  'reports.startExport': (s, input, call) => s.exports.start(call.actor, input),
  'reports.exportStatus': (s, input, call) => s.exports.status(call.actor, input.id),
  'reports.exports': (s, _input, call) => s.exports.list(call.actor)
}
