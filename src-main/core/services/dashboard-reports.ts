// The supervisors' desk (统计报表) as the core registers it: the dashboard and the exports.
import type { CoreContext } from '../context'
import { dashboardService } from './dashboard'
import { exportsService } from './exports'
import { staffAuthService } from './staff-auth'

export function reportServices(ctx: CoreContext) {
  return {
    dashboard: dashboardService(ctx),
    // Downloads come by HTTP route or Electron dialog, outside the dispatcher: they check the session themselves.
    exports: exportsService(ctx, staffAuthService(ctx))
  }
}
