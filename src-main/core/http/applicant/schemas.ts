// The applicant API's schemas: they validate every request and, through z.toJSONSchema, are the
// OpenAPI document. Formats are checked here (400); the form's rules at submission (422).
import { z } from 'zod'
import { APPLICATION_TYPES, CATEGORIES } from '../../../../src-preload/contract/vocab'
import { ATTACHMENT_KINDS, LICENCE_VALIDITY, type ApplicationForm } from '../../domain/application-rules'
import { STEP_NUMBERS } from '../../domain/progress'
import type { ApplicationSummary, ApplicationView, ProgressView } from '../../services/applications'

const date = (description: string) => z.iso.date({ error: '日期格式应为 YYYY-MM-DD' }).describe(description)
const text = (max: number, description: string) => z.string().max(max, `不能超过${max}个字`).describe(description)

// ---- accounts ---------------------------------------------------------------------------
export const phoneSchema = z.string().max(20).describe('手机号（11位）')
export const idNumberSchema = z.string().max(32).describe('身份证号（18位，GB 11643）')

export const smsCodeRequest = z
  .object({
    phone: phoneSchema,
    purpose: z.enum(['register', 'reset']).describe('register 注册；reset 找回密码')
  })
  .strict()

export const registerRequest = z
  .object({
    idNumber: idNumberSchema,
    name: text(60, '姓名'),
    phone: phoneSchema,
    smsCode: z.string().regex(/^\d{6}$/, '验证码为6位数字').describe('短信验证码'),
    password: z.string().max(64).describe('密码：6–10位字母或数字')
  })
  .strict()

export const loginRequest = z
  .object({
    idNumber: idNumberSchema.describe('用户名：注册的身份证号'),
    password: z.string().min(1, '请输入密码').max(64)
  })
  .strict()

export const resetPasswordRequest = z
  .object({
    idNumber: idNumberSchema,
    phone: phoneSchema,
    smsCode: z.string().regex(/^\d{6}$/, '验证码为6位数字'),
    newPassword: z.string().max(64).describe('新密码：6–10位字母或数字')
  })
  .strict()

export const registerResponse = z.object({ applicantId: z.number().int() })
export const loginResponse = z.object({
  token: z.string().describe('以 Authorization: Bearer … 发送'),
  expiresAt: z.string().describe('到期时间，ISO 8601 含 +08:00')
})
export const meResponse = z.object({
  applicantId: z.number().int(),
  idNumber: z.string(),
  name: z.string(),
  phone: z.string()
})

// ---- reference data ----------------------------------------------------------------------
export const schoolsResponse = z.array(z.object({ id: z.number().int(), name: z.string(), address: z.string(), phone: z.string() }))
export const venuesResponse = z.array(z.object({ id: z.number().int(), name: z.string(), address: z.string() }))

// ---- the form ----------------------------------------------------------------------------
const formFieldSchemas = {
  name: text(60, '姓名'),
  householdNonLocal: z.boolean().describe('户口是否异地'),
  idIssuer: text(60, '身份证发证机关'),
  idNumber: idNumberSchema,
  gender: z.enum(['M', 'F']).describe('性别：M 男，F 女'),
  birthDate: date('出生日期'),
  ethnicity: z.string().max(4).describe('民族（GB 3304 代码，如 01 汉族）'),
  education: z.string().max(4).describe('文化程度（GB/T 4658 代码）'),
  politicalStatus: z.string().max(4).describe('政治面貌（GB/T 4762 代码）'),
  priorOccupation: text(40, '岗前职业'),
  phone: phoneSchema.describe('联系电话'),
  licenceNonLocal: z.boolean().describe('驾驶证是否异地'),
  licenceIssuer: text(60, '驾驶证发证机关'),
  licenceFileNo: z.string().max(20).describe('档案编号（12位数字）'),
  licenceClasses: z.array(z.string().max(4)).max(20).describe('准驾车型（多选，如 A1、B2）'),
  licenceFirstIssued: date('初领日期'),
  licenceIssued: date('发证日期'),
  licenceValidYears: z.enum(LICENCE_VALIDITY).describe('有效期(年)：6、10 或 long（长期）'),
  householdAddress: text(120, '户籍地址'),
  currentAddress: text(120, '现住地址'),
  collectMethod: z.enum(['pickup', 'mail']).describe('领证方式：pickup 自取，mail 邮寄'),
  mailAddress: text(120, '邮寄地址（领证方式为邮寄时必填）'),
  trainingMode: z.enum(['self', 'school']).describe('培训方式：self 自主学习，school 培训机构'),
  trainingSchoolId: z.number().int().positive().describe('培训机构 id（GET /training-schools）'),
  vehicleClass: z.string().max(4).describe('货运：货运准驾车型（A1、A2、B2）'),
  trainingCertNonLocal: z.boolean().describe('货运：结业证是否异地'),
  trainingCertificateId: z.number().int().positive().describe('货运：本地结业证 id（GET /training-certificates）')
} satisfies { [K in Exclude<keyof ApplicationForm, 'category' | 'applicationType'>]: z.ZodType }

type FieldName = keyof typeof formFieldSchemas
const nullableFields = Object.fromEntries(
  Object.entries(formFieldSchemas).map(([k, s]) => [k, s.nullable().optional().describe(s.description ?? k)])
) as { [K in FieldName]: z.ZodOptional<z.ZodNullable<(typeof formFieldSchemas)[K]>> }

const optionalFields = Object.fromEntries(Object.entries(formFieldSchemas).map(([k, s]) => [k, s.optional().describe(s.description ?? k)])) as {
  [K in FieldName]: z.ZodOptional<(typeof formFieldSchemas)[K]>
}

export const categorySchema = z.enum(CATEGORIES).describe('从业类别：passenger 客运，freight 货运')
export const applicationTypeSchema = z.enum(APPLICATION_TYPES).describe('申请类型：initial 初领，add_class 增驾')

export const createApplicationRequest = z
  .object({ category: categorySchema, applicationType: applicationTypeSchema, ...nullableFields })
  .strict()
  .describe('申请表（可只填一部分，保存为草稿）；category 与 applicationType 必填')

export const patchApplicationRequest = z
  .object({ applicationType: applicationTypeSchema.optional(), ...nullableFields })
  .strict()
  .describe('修改的字段；null 清除该字段。从业类别不能修改。')

export const applicationIdParams = z.object({ id: z.coerce.number().int().positive().max(2 ** 31).describe('申请 id') }).strict()
export const attachmentKindSchema = z
  .enum(ATTACHMENT_KINDS)
  .describe('id_front 身份证正面, id_back 身份证反面, licence 驾驶证, no_accident 三年无事故证明, photo 免冠照片, other 其他材料, training_cert 结业证, other2 其它材料二, old_certificate 原资格证')
export const attachmentParams = z.object({ id: applicationIdParams.shape.id, kind: attachmentKindSchema }).strict()

// ---- answers ---------------------------------------------------------------------------
export const attachmentResponse = z.object({
  kind: attachmentKindSchema,
  fileName: z.string(),
  contentType: z.enum(['image/jpeg', 'image/png', 'application/pdf']),
  size: z.number().int(),
  sha256: z.string().describe('小写十六进制')
})
const attachmentView = attachmentResponse.extend({ label: z.string(), uploadedAt: z.string() })
const deficiency = z.object({
  field: z.string().optional(),
  attachment: z.string().optional(),
  label: z.string(),
  reason: z.string()
})
const statusFields = {
  id: z.number().int(),
  status: z.string().describe('draft, submitted, initial_review, returned, fee_payment, exam, permit_approval, approved, ready_for_pickup, completed, rejected, withdrawn'),
  statusText: z.string(),
  category: categorySchema,
  categoryLabel: z.string(),
  applicationType: applicationTypeSchema,
  trainingNo: z.string().nullable().describe('培训证号（受理后分配）'),
  submittedAt: z.string().nullable(),
  updatedAt: z.string()
}
export const applicationResponse = z.object({
  ...statusFields,
  ...optionalFields,
  submissionCount: z.number().int().describe('已提交次数（补正后重新提交会增加）'),
  createdAt: z.string(),
  attachments: z.array(attachmentView),
  deficiencies: z.array(deficiency).optional().describe('退回补正时：一次性告知的全部问题')
})
export const applicationListResponse = z.array(
  z.object({ ...statusFields, name: z.string() })
)
export const progressResponse = z.object({
  applicationId: z.number().int(),
  name: z.string(),
  idNumber: z.string(),
  trainingNo: z.string().nullable(),
  category: categorySchema,
  categoryLabel: z.string(),
  status: z.string(),
  statusText: z.string(),
  steps: z.array(
    z.object({
      no: z.enum(STEP_NUMBERS),
      name: z.string(),
      state: z.enum(['done', 'current', 'rejected', 'pending']).describe('done 绿色，rejected 红色，current 进行中，pending 灰色'),
      text: z.string().describe('当前进度'),
      at: z.string().nullable().describe('时间；null 显示“未知”'),
      deficiencies: z.array(deficiency).optional()
    })
  )
})

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().describe('中文说明'),
    fields: z.record(z.string(), z.string()).optional().describe('按表单字段或附件类型列出的问题')
  })
})

// The documented answers are the services' outputs: keep them in step at compile time.
type Assert<T extends true> = T
export type _ViewsMatchDocs = Assert<
  ProgressView extends z.infer<typeof progressResponse> ? (ApplicationSummary extends z.infer<typeof applicationListResponse>[number] ? true : false) : false
>
export type _ApplicationMatchesDocs = Assert<ApplicationView extends z.infer<typeof applicationResponse> ? true : false>
