// The staff contract: every staff operation with its input schema, its output type and the roles
// allowed. The main process validates and authorises with it; the preload and the HTTP bridge
// carry it; the renderer calls it through one typed `api` object.
import { z } from 'zod'
import type { OperationName } from './operations'
import { ROLES, type DeskKey, type Role, type Stage } from './vocab'
import { reviewContract } from './review'
import { permitsContract } from './permits'
import { certificatesContract } from './certificates'
import { notificationsContract } from './notifications'
import { trainingContract } from './training'
import { dataSafetyContract } from './data-safety'
import { examsContract } from './exams'
import { reportsContract } from './reports'

export * from './operations'
export * from './vocab'
export * from './errors'

/** 'public': no session needed; 'any': any signed-in staff member; else the roles listed. */
export type Access = 'public' | 'any' | readonly Role[]

export interface OperationDef<S extends z.ZodType = z.ZodType, O = unknown, A extends Access = Access> {
  input: S
  access: A
  /** Phantom: carries the output type only; never set. */
  output?: { type: O }
}

function op<O>() {
  return <S extends z.ZodType, const A extends Access>(def: { input: S; access: A }): OperationDef<S, O, A> => def
}

const trimmed = (max: number) => z.string().trim().min(1).max(max)
const roleList = z.array(z.enum(ROLES)).min(1, '至少选择一个角色').max(ROLES.length)
const nothing = z.object({}).strict()
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')

// ---- output types -------------------------------------------------------------------------
export interface StaffMe {
  id: number
  username: string
  displayName: string
  roles: Role[]
  desks: DeskKey[]
  mustChangePassword: boolean
  idleMinutes: number
}
export interface LoginResult {
  token: string
  staff: StaffMe
}
export interface StaffRow {
  id: number
  username: string
  displayName: string
  roles: Role[]
  active: boolean
  locked: boolean
  lastLoginAt: string | null
  createdAt: string
}
export interface AuditRow {
  id: number
  at: string
  actorType: 'staff' | 'applicant' | 'system'
  actorId: number | null
  actorName: string | null
  action: string
  targetType: string | null
  targetId: string | null
  detail: unknown
  ip: string | null
}
export interface Page<T> {
  rows: T[]
  total: number
}
export type QueueCounts = Partial<Record<Stage, number>>

// ---- the operations -----------------------------------------------------------------------
export const contract = {
  'auth.login': op<LoginResult>()({
    input: z.object({ username: trimmed(32), password: z.string().min(1).max(128) }).strict(),
    access: 'public'
  }),
  'auth.logout': op<null>()({ input: nothing, access: 'any' }),
  'auth.me': op<StaffMe>()({ input: nothing, access: 'any' }),
  'auth.changePassword': op<null>()({
    input: z.object({ currentPassword: z.string().min(1).max(128), newPassword: z.string().min(1).max(128) }).strict(),
    access: 'any'
  }),
  'staff.list': op<StaffRow[]>()({
    input: z.object({ includeDisabled: z.boolean().default(true) }).strict(),
    access: ['admin']
  }),
  'staff.create': op<{ staff: StaffRow; initialPassword: string }>()({
    input: z
      .object({
        username: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为3–32位字母、数字或 _ . -'),
        displayName: trimmed(40),
        roles: roleList,
        password: z.string().max(64).optional()
      })
      .strict(),
    access: ['admin']
  }),
  'staff.update': op<StaffRow>()({
    input: z
      .object({
        id: z.number().int().positive(),
        displayName: trimmed(40).optional(),
        roles: roleList.optional(),
        active: z.boolean().optional()
      })
      .strict(),
    access: ['admin']
  }),
  'staff.resetPassword': op<{ initialPassword: string }>()({
    input: z.object({ id: z.number().int().positive() }).strict(),
    access: ['admin']
  }),
  'staff.unlock': op<StaffRow>()({
    input: z.object({ id: z.number().int().positive() }).strict(),
    access: ['admin']
  }),
  'audit.list': op<Page<AuditRow>>()({
    input: z
      .object({
        from: isoDate.optional(),
        to: isoDate.optional(),
        actorName: z.string().trim().max(40).optional(),
        action: z.string().trim().max(64).optional(),
        targetType: z.string().trim().max(40).optional(),
        targetId: z.string().trim().max(64).optional(),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(200).default(50)
      })
      .strict(),
    access: ['admin']
  }),
  'queues.counts': op<QueueCounts>()({ input: nothing, access: 'any' }),
  ...trainingContract,
  ...reviewContract,
  ...permitsContract, ...certificatesContract, ...notificationsContract,
  ...dataSafetyContract,
  ...examsContract,
  ...reportsContract
} satisfies Record<OperationName, OperationDef>

export type Contract = typeof contract
export type OpInput<K extends OperationName> = z.input<Contract[K]['input']>
export type OpParsed<K extends OperationName> = z.output<Contract[K]['input']>
export type OpOutput<K extends OperationName> = NonNullable<Contract[K]['output']>['type']
/** Public operations run without a signed-in staff member. */
export type IsPublic<K extends OperationName> = Contract[K]['access'] extends 'public' ? true : false

type Namespace<K extends string> = K extends `${infer N}.${string}` ? N : never
type Method<K extends string, N extends string> = K extends `${N}.${infer M}` ? M : never

/** The renderer's view of the contract: `api.staff.create({...})`. */
export type StaffApi = {
  [N in Namespace<OperationName>]: {
    [M in Method<OperationName, N>]: (input?: OpInput<`${N}.${M}` & OperationName>) => Promise<OpOutput<`${N}.${M}` & OperationName>>
  }
}

