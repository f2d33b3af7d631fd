// Turns schema failures into the error shape: 400 with every field at fault, in Chinese.
import { z } from 'zod'
import { AppError } from './errors'

z.config(z.locales.zhCN())

/** The value at `path` in `input` (undefined when any step is missing). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[k]
  }
  return v
}

/** `input`: what was parsed, so that a missing field says 必填 and a wrong one says what is wrong. */
export function fieldsOf(error: z.ZodError, input?: unknown): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    let key = issue.path.map(String).join('.') || '(body)'
    let message = issue.message
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) fields[[...issue.path.map(String), k].join('.')] = '不允许的字段'
      continue
    }
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) message = '必填'
    fields[key] ??= message
  }
  return fields
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {})
  if (!result.success) {
    const fields = fieldsOf(result.error, input ?? {})
    const names = Object.keys(fields)
    throw new AppError('invalid_input', `输入有误：${names.slice(0, 5).join('、')}${names.length > 5 ? ' 等' : ''}`, fields)
  }
  return result.data
}
