// Applications: the form as a draft, attachments, submission (and resubmission after 补正),
// the applicant's own list, one application, its progress timeline.
import { AppError } from '../../errors'
import { route } from './route-kit'
import {
  applicationIdParams,
  applicationListResponse,
  applicationResponse,
  attachmentParams,
  attachmentResponse,
  createApplicationRequest,
  errorResponse,
  patchApplicationRequest,
  progressResponse
} from './schemas'

const tag = '从业申请'
const err = (description: string) => ({ description, schema: errorResponse })
const notYours = { 401: err('未登录或登录已失效'), 403: err('不是本人的申请'), 404: err('申请不存在') }

export const ATTACHMENT_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf', 'application/octet-stream']

export const applicationRoutes = [
  route({
    method: 'POST',
    path: '/applications',
    tag,
    summary: '新建申请（保存草稿）',
    description: '可只填一部分；同一身份证号同一从业类别只能有一份在办申请（含草稿）。',
    auth: true,
    body: createApplicationRequest,
    responses: { 201: { description: '草稿已保存', schema: applicationResponse }, 400: err('格式错误'), 401: err('未登录'), 409: err('已有在办申请') },
    handler: ({ core, applicant, body }) => core.services.applications.create(applicant, body)
  }),
  route({
    method: 'GET',
    path: '/applications',
    tag,
    summary: '本人的申请',
    auth: true,
    responses: { 200: { description: '申请列表（新的在前）', schema: applicationListResponse }, 401: err('未登录') },
    handler: ({ core, applicant }) => core.services.applications.list(applicant)
  }),
  route({
    method: 'GET',
    path: '/applications/:id',
    tag,
    summary: '一份申请（含附件信息、培训证号、退回时的补正意见）',
    auth: true,
    params: applicationIdParams,
    responses: { 200: { description: '申请', schema: applicationResponse }, ...notYours },
    handler: ({ core, applicant, params }) => core.services.applications.get(applicant, params.id)
  }),
  route({
    method: 'PATCH',
    path: '/applications/:id',
    tag,
    summary: '修改申请（草稿或退回补正时）',
    auth: true,
    params: applicationIdParams,
    body: patchApplicationRequest,
    responses: { 200: { description: '已保存', schema: applicationResponse }, 400: err('格式错误'), ...notYours, 409: err('当前状态不能修改') },
    handler: ({ core, applicant, params, body }) => core.services.applications.update(applicant, params.id, body)
  }),
  route({
    method: 'PUT',
    path: '/applications/:id/attachments/:kind',
    tag,
    summary: '上传附件（替换同类已有附件）',
    description:
      '请求体为文件本身；按文件内容识别 JPEG、PNG 或 PDF（不看扩展名和 Content-Type），不超过 attachment.maxBytes（默认 10 MB）。文件名放在 X-File-Name（可 URL 编码）。',
    auth: true,
    params: attachmentParams,
    rawBody: { contentTypes: ATTACHMENT_CONTENT_TYPES, description: 'JPEG、PNG 或 PDF 文件内容' },
    responses: {
      201: { description: '已上传', schema: attachmentResponse },
      ...notYours,
      409: err('当前状态不能上传'),
      413: err('文件过大'),
      415: err('不是 JPEG、PNG 或 PDF，或文件不完整'),
      422: err('此类申请无需该附件')
    },
    handler: async ({ core, applicant, params, body, req }) => {
      if (!body || typeof (body as NodeJS.ReadableStream).pipe !== 'function') {
        if (body === undefined || body === null) throw new AppError('invalid_input', '请上传文件内容', { [params.kind]: '请上传文件内容' })
        throw new AppError('unsupported_type', '请以文件内容作为请求体上传（不要用 JSON 或表单）', { [params.kind]: '只能上传 JPEG、PNG 或 PDF 文件' })
      }
      const declared = Number(req.headers['content-length'])
      const fileName = req.headers['x-file-name']
      return core.services.applicationAttachments.store(applicant, params.id, params.kind, body as NodeJS.ReadableStream as never, {
        fileName: typeof fileName === 'string' ? fileName : undefined,
        declaredSize: Number.isFinite(declared) ? declared : undefined
      })
    }
  }),
  route({
    method: 'GET',
    path: '/applications/:id/attachments/:kind',
    tag,
    summary: '查看本人已上传的附件',
    auth: true,
    params: attachmentParams,
    responses: { 200: { description: '文件内容（image/jpeg、image/png 或 application/pdf）' }, ...notYours },
    handler: ({ core, applicant, params, reply }) => {
      const { stream, record } = core.services.applicationAttachments.openCurrent(applicant, params.id, params.kind)
      return reply
        .type(record.contentType)
        .header('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(record.fileName)}`)
        .send(stream)
    }
  }),
  route({
    method: 'POST',
    path: '/applications/:id/submit',
    tag,
    summary: '提交申请（补正后再次提交也用此接口）',
    description: '一次检查全部规则；422 时 fields 列出每一个缺少或有误的字段和附件。',
    auth: true,
    params: applicationIdParams,
    responses: {
      200: { description: '已提交，status 为 submitted', schema: applicationResponse },
      ...notYours,
      409: err('当前状态不能提交，或已有在办申请'),
      422: err('逐项列出的问题')
    },
    handler: ({ core, applicant, params }) => core.services.applications.submitJson(applicant, params.id)
  }),
  route({
    method: 'GET',
    path: '/applications/:id/progress',
    tag,
    summary: '客货运进度查看',
    description: '客运步骤 01–08，货运 01–04、07、08；每步的状态、当前进度和时间。',
    auth: true,
    params: applicationIdParams,
    responses: { 200: { description: '进度', schema: progressResponse }, ...notYours },
    handler: ({ core, applicant, params }) =>
      core.services.applications.progressJson(
        applicant,
        params.id,
        (app) => core.services.examBookings.progressOverrides(params.id, app),
        () => core.services.examSessions.sweep()
      )
  })
]

