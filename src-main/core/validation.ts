// Turns schema failures into the error shape: 400 with every field at fault, in Chinese.
import { z } from 'zod'
import { AppError } from './errors'

z.config(z.locales.zhCN())

/**
 * The fields at fault, one message each. A missing field says 必填 and a wrong one says what is
 * wrong: the error must come from a parse with `reportInput: true` (zod 4 leaves the value at
 * fault out of its issues otherwise), as `parseInput` does.
 */
export function fieldsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    let key = issue.path.map(String).join('.') || '(body)'
    let message = issue.message
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) fields[[...issue.path.map(String), k].join('.')] = '不允许的字段'
      continue
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) message = '必填'
    fields[key] ??= message
  }
  return fields
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {}, { reportInput: true })
  if (!result.success) {
    const fields = fieldsOf(result.error)
    const names = Object.keys(fields)
    throw new AppError('invalid_input', `输入有误：${names.slice(0, 5).join('、')}${names.length > 5 ? ' 等' : ''}`, fields)
  }
  return result.data
}
