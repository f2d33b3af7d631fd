// Training schools (培训机构): the administrator keeps the list the applicant API serves
// (GET /training-schools lists the active ones) and the freight registry imports against.
import type { z } from 'zod'
import type { SchoolRow } from '../../../src-preload/contract/training'
import type { schoolInput } from '../../../src-preload/contract/training'
import type { CoreContext, StaffActor } from '../context'
import { AppError, notFound } from '../errors'
import { schoolRepository, type SchoolRecord } from '../storage/repositories/schools'

export type SchoolInput = z.output<typeof schoolInput>

const row = (s: SchoolRecord): SchoolRow => ({ ...s })

export function schoolsService(ctx: CoreContext) {
  const repo = schoolRepository(ctx.db)

  return {
    list: (): SchoolRow[] => repo.list().map(row),

    get(id: number): SchoolRecord {
      const s = repo.get(id)
      if (!s) throw notFound('培训机构')
      return s
    },

    /** Creates (no id) or updates a school; names are unique. */
    save(actor: StaffActor, input: SchoolInput): SchoolRow {
      return ctx.db.transaction(() => {
        const now = ctx.now()
        const fields = { name: input.name, address: input.address, phone: input.phone, licenceNo: input.licenceNo, active: input.active }
        const sameName = repo.idByName(input.name)
        if (sameName !== undefined && sameName !== input.id) {
          throw new AppError('conflict', `已有名为“${input.name}”的培训机构`, { name: '机构名称已存在' })
        }
        if (input.id === undefined) {
          const id = repo.insert(fields, actor.id, now)
          ctx.audit.byStaff(actor, 'school.created', { type: 'training_school', id }, fields)
          return row(repo.get(id)!)
        }
        const before = repo.get(input.id)
        if (!before) throw notFound('培训机构')
        repo.update(input.id, fields, actor.id, now)
        const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter((k) => before[k] !== fields[k])
        ctx.audit.byStaff(actor, 'school.updated', { type: 'training_school', id: input.id }, {
          changed: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: fields[k] }]))
        })
        return row(repo.get(input.id)!)
      })()
    }
  }
}
export type SchoolsService = ReturnType<typeof schoolsService>
