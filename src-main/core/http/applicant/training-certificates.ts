// 查询 on the freight form: the caller's own valid local 结业证 records of one vehicle class.
// Nobody else's record is ever returned, whatever the query says; revoked records and records
// already used by another application are not shown.
import { z } from 'zod'
import { route } from './route-kit'

const vehicleClass = z
  .string({ error: '请选择货运准驾车型' })
  .trim()
  .toUpperCase()
  .pipe(z.enum(['A1', 'A2', 'B2'], { error: '货运准驾车型只能是 A1、A2 或 B2' }))
  .describe('货运准驾车型：A1、A2 或 B2')

export const trainingCertificatesResponse = z.array(
  z.object({
    id: z.number().int().describe('结业证记录 id（申请表的 trainingCertificateId）'),
    certificateNo: z.string().describe('结业证编号'),
    school: z.string().describe('培训学校'),
    schoolId: z.number().int(),
    vehicleClass: z.string().describe('准驾车型'),
    trainingStart: z.string().describe('培训起始日期 YYYY-MM-DD'),
    trainingEnd: z.string().describe('培训结束日期 YYYY-MM-DD'),
    issuedOn: z.string().describe('结业证发放日期 YYYY-MM-DD'),
    usedByApplicationId: z.number().int().nullable().describe('已被本人的哪份在办申请使用（null：未使用）')
  })
)

export const trainingCertificateRoutes = [
  route({
    method: 'GET',
    path: '/training-certificates',
    tag: '货运结业证',
    summary: '查询本人有效的本地结业证',
    description: '按登录账户的身份证号和所选准驾车型查询郑州本地培训机构上报的结业证。只返回本人的、未撤销且未被其他申请使用的记录；无效结业证不显示。',
    auth: true,
    query: z.object({ vehicleClass }).strict(),
    responses: {
      200: { description: '本人有效的结业证（可能为空）', schema: trainingCertificatesResponse },
      400: { description: '准驾车型无效' },
      401: { description: '未登录或登录已过期' }
    },
    handler: ({ core, applicant, query }) => core.services.trainingCertificates.forApplicant(applicant, query.vehicleClass)
  })
]
