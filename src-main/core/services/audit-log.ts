// The administrator's view of the append-only audit log.
import type { AuditRow, Page } from '../../../src-preload/contract'
import type { CoreContext } from '../context'

/** The Shanghai day `date` starts at, as stored. */
const startOf = (date: string) => `${date}T00:00:00+08:00`

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

export function auditLogService(ctx: CoreContext) {
  function list(input: {
    from?: string
    to?: string
    actorName?: string
    action?: string
    targetType?: string
    targetId?: string
    page: number
    pageSize: number
  }): Page<AuditRow> {
    return ctx.repos.audit.page(
      {
        fromAt: input.from ? startOf(input.from) : undefined,
        toAt: input.to ? startOf(nextDay(input.to)) : undefined,
        actorName: input.actorName,
        action: input.action,
        targetType: input.targetType,
        targetId: input.targetId
      },
      input.pageSize,
      (input.page - 1) * input.pageSize
    )
  }
  return { list }
}
