// How many applications wait at each stage: the menu's badges.
import type { QueueCounts } from '../../../src-preload/contract'
import type { CoreContext } from '../context'

export function queuesService(ctx: CoreContext) {
  return {
    counts(): QueueCounts {
      return Object.fromEntries(ctx.repos.applications.countByStage().map((r) => [r.stage, r.n]))
    }
  }
}
