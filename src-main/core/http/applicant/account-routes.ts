// Accounts: SMS codes, registration, login, logout, password reset (applicant-api.md, 账户).
import { route } from './route-kit'
import { errorResponse, loginRequest, loginResponse, meResponse, registerRequest, registerResponse, resetPasswordRequest, smsCodeRequest } from './schemas'

const tag = '账户'
const err = (description: string) => ({ description, schema: errorResponse })

export const accountRoutes = [
  route({
    method: 'POST',
    path: '/auth/sms-code',
    tag,
    summary: '获取短信验证码',
    description: '验证码5分钟内有效，错误5次作废；同一手机号每分钟1条、每小时10条。找回密码的验证码只发往已注册的手机号（答复相同）。',
    auth: false,
    limit: 'auth',
    body: smsCodeRequest,
    responses: { 202: { description: '验证码已发送' }, 400: err('格式错误'), 422: err('手机号无效'), 429: err('过于频繁（含 Retry-After）') },
    handler: async ({ core, body, ip }) => {
      await core.services.applicantAccounts.requestSmsCode(body, ip)
      return { sent: true }
    }
  }),
  route({
    method: 'POST',
    path: '/auth/register',
    tag,
    summary: '注册',
    description: '身份证号须通过校验；密码6–10位字母或数字（不要输入特殊字符）。',
    auth: false,
    limit: 'auth',
    body: registerRequest,
    responses: {
      201: { description: '已注册', schema: registerResponse },
      400: err('格式错误'),
      409: err('该身份证号已注册'),
      422: err('身份证号、姓名、手机号、密码或验证码不符合要求（逐项列出）'),
      429: err('过于频繁')
    },
    handler: ({ core, body, ip }) => core.services.applicantAccounts.register(body, ip)
  }),
  route({
    method: 'POST',
    path: '/auth/login',
    tag,
    summary: '登录（用户名为身份证号）',
    description: '连续5次密码错误锁定该身份证号15分钟（429）。',
    auth: false,
    limit: 'auth',
    body: loginRequest,
    responses: { 200: { description: '登录成功', schema: loginResponse }, 400: err('格式错误'), 401: err('身份证号或密码错误'), 429: err('已锁定或过于频繁') },
    handler: ({ core, body, ip }) => core.services.applicantAccounts.login(body, ip)
  }),
  route({
    method: 'POST',
    path: '/auth/logout',
    tag,
    summary: '退出登录（令牌作废）',
    auth: true,
    limit: 'auth',
    responses: { 204: { description: '已退出' }, 401: err('未登录或登录已失效') },
    handler: ({ core, applicant, token }) => {
      core.services.applicantAccounts.logout(applicant, token)
    }
  }),
  route({
    method: 'POST',
    path: '/auth/reset-password',
    tag,
    summary: '通过注册手机号找回密码',
    description: '成功后该账户在所有设备上的登录都会失效。',
    auth: false,
    limit: 'auth',
    body: resetPasswordRequest,
    responses: { 204: { description: '密码已重设' }, 400: err('格式错误'), 422: err('手机号不符、验证码错误或新密码不符合要求'), 429: err('过于频繁') },
    handler: async ({ core, body, ip }) => {
      await core.services.applicantAccounts.resetPassword(body, ip)
    }
  }),
  route({
    method: 'GET',
    path: '/me',
    tag,
    summary: '当前登录的申请人',
    auth: true,
    responses: { 200: { description: '申请人信息', schema: meResponse }, 401: err('未登录或登录已失效') },
    handler: ({ applicant }) => ({ applicantId: applicant.id, idNumber: applicant.idNumber, name: applicant.name, phone: applicant.phone })
  })
]
