// GET /api/v1/certificates/verify?no=…&serial=… — what the certificate's QR code opens. Public
// (no token), rate-limited per address like /auth/*, and it reveals no more than the printed card:
// the verdict, the category, classes, dates and authority, with the holder's name and number masked.
import { z } from 'zod'
import { route } from './route-kit'

const tag = '证件核验'

const query = z
  .object({
    no: z.string().trim().regex(/^\d{17}[\dXx]$/, '证号应为18位身份证号'),
    serial: z.string().trim().regex(/^\d{10}$/, '证卡编号应为10位数字')
  })
  .strict()

const answer = z.object({
  valid: z.boolean(),
  verdict: z.enum(['valid', 'expired', 'voided', 'superseded', 'revoked', 'not_found']),
  message: z.string(),
  certificate: z
    .object({
      certificateNo: z.string(),
      serial: z.string(),
      holderName: z.string(),
      category: z.enum(['passenger', 'freight']),
      vehicleClasses: z.array(z.string()),
      issuedOn: z.string(),
      validUntil: z.string(),
      issuingAuthority: z.string()
    })
    .optional()
})

export const certificateRoutes = [
  route({
    method: 'GET',
    path: '/certificates/verify',
    tag,
    summary: '核验从业资格证（证件二维码）',
    description: '按证号（身份证号）与证卡编号核验证件是否有效；姓名与证号以脱敏形式返回。作废、补发或重新打印后的旧证卡编号返回 voided。',
    auth: false,
    limit: 'auth',
    query,
    responses: { 200: { description: '核验结果', schema: answer } },
    handler: ({ core, query: q }) => core.services.certificates.verify(q)
  })
]
