// The review desk (材料预审, 资格初审) as one entry of buildServices: queue and claims,
// decisions, and the administrator's checklist and calendar, sharing one repository.
import type { CoreContext } from '../context'
import { reviewConfigService } from './review-config'
import { reviewDecisionsService } from './review-decisions'
import { reviewKit, type ReviewDeps } from './review-kit'
import { reviewQueueService } from './review-queue'

export function reviewDeskService(ctx: CoreContext, deps: ReviewDeps = {}) {
  const kit = reviewKit(ctx, deps)
  return {
    kit,
    queue: reviewQueueService(kit),
    decisions: reviewDecisionsService(kit),
    config: reviewConfigService(kit)
  }
}
export type ReviewDeskService = ReturnType<typeof reviewDeskService>
