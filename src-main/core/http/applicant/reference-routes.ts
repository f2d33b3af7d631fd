// Reference data the form needs: training schools and exam venues. (The 结业证 look-up,
// GET /training-certificates, belongs to the training-certificate registry.)
import { z } from 'zod'
import codeLists from '../../../../resources/code-lists.json'
import { CATEGORIES, CATEGORY_LABELS, APPLICATION_TYPES, APPLICATION_TYPE_LABELS } from '../../../../src-preload/contract/vocab'
import { allowedAttachments, attachmentLabel, requiredAttachments } from '../../domain/application-rules'
import { route } from './route-kit'
import { schoolsResponse, venuesResponse } from './schemas'

const noticesResponse = z.array(
  z.object({
    category: z.enum(CATEGORIES),
    label: z.string(),
    licenceClasses: z.array(z.string()).describe('符合条件的准驾车型（设置）'),
    conditions: z.array(z.string()).describe('申请条件'),
    notice: z.string().describe('申请须知正文'),
    attachments: z.array(z.object({ applicationType: z.enum(APPLICATION_TYPES), kind: z.string(), label: z.string(), required: z.boolean(), note: z.string().optional() }))
  })
)
const codeListsResponse = z.object({
  ethnicity: z.array(z.object({ code: z.string(), name: z.string() })),
  education: z.array(z.object({ code: z.string(), name: z.string() })),
  politicalStatus: z.array(z.object({ code: z.string(), name: z.string() })),
  licenceClasses: z.array(z.object({ code: z.string(), name: z.string() })),
  licenceValidYears: z.array(z.object({ code: z.string(), name: z.string() })),
  applicationTypes: z.array(z.object({ code: z.string(), name: z.string() }))
})

const PREAMBLE =
  '尊敬的道路运输从业人员，为保障您的合法权益，请您在提交报名申请时所填写的个人资料真实有效，您所提供的手机号码必须为本人注册且能正常使用的电话，以便接收相关通知提醒短信；上传报名照片为近期免冠白底照片，上传资料必须使用证件扫描件，且清晰可识别（请勿使用手机翻拍图片上传）。如您提交的资料存在不实情况，所产生的后果及法律责任由您本人承担。'

const tag = '基础数据'

export const referenceRoutes = [
  route({
    method: 'GET',
    path: '/training-schools',
    tag,
    summary: '培训机构列表（启用的）',
    auth: false,
    responses: { 200: { description: '培训机构', schema: schoolsResponse } },
    handler: ({ core }) => core.services.applications.records.activeSchools()
  }),
  route({
    method: 'GET',
    path: '/exam-venues',
    tag,
    summary: '考点列表（启用的）',
    auth: false,
    responses: { 200: { description: '考点', schema: venuesResponse } },
    handler: ({ core }) => core.services.applications.records.activeVenues()
  }),
  route({
    method: 'GET',
    path: '/application-notices',
    tag,
    summary: '客货运资格申请须知（按从业类别）',
    description: '申请条件随设置（准驾车型、年龄上限、驾龄）变化；附件清单标明必传项。',
    auth: false,
    responses: { 200: { description: '申请须知', schema: noticesResponse } },
    handler: ({ core }) => {
      const { settings } = core.ctx
      const maxAge = settings.get('application.maxAge')
      const years = settings.get('passenger.minLicenceYears')
      return CATEGORIES.map((category) => {
        const classes = settings.get(category === 'passenger' ? 'passenger.licenceClasses' : 'freight.licenceClasses')
        const conditions =
          category === 'passenger'
            ? [`取得相应的机动车驾驶证${years}年以上（${classes.join('、')}）`, `年龄不超过${maxAge}周岁`, '三年内无重大以上交通责任事故', '掌握相关道路旅客运输法规、机动车维修和旅客急救基本知识', '经考试合格后，取得相应的驾驶员从业资格证件']
            : [`取得相应的机动车驾驶证（${classes.join('、')}）`, `年龄不超过${maxAge}周岁`, '三年内无重大以上交通责任事故', '经道路货物运输驾驶员从业资格培训合格，取得结业证']
        const label = CATEGORY_LABELS[category]
        return {
          category,
          label,
          licenceClasses: classes,
          conditions,
          notice: `${PREAMBLE}\n${label}应当符合下列条件：\n${conditions.map((c, i) => `${i + 1}、${c}；`).join('\n')}`,
          attachments: APPLICATION_TYPES.flatMap((applicationType) => {
            const required = new Set(requiredAttachments({ category, applicationType, trainingCertNonLocal: false }))
            return allowedAttachments(category, applicationType).map((kind) => ({
              applicationType,
              kind,
              label: attachmentLabel(kind, category),
              required: required.has(kind),
              ...(kind === 'training_cert' ? { note: '结业证为外地（结业证是否异地选“是”）时必传' } : {})
            }))
          })
        }
      })
    }
  }),
  route({
    method: 'GET',
    path: '/code-lists',
    tag,
    summary: '表单的代码表（民族、文化程度、政治面貌、准驾车型、有效期、申请类型）',
    auth: false,
    responses: { 200: { description: '代码表（国家标准）', schema: codeListsResponse } },
    handler: () => ({
      ethnicity: codeLists.ethnicity_GB3304,
      education: codeLists.education_GBT4658_top_level.map(({ code, name }) => ({ code, name })),
      politicalStatus: codeLists.political_status_GBT4762,
      licenceClasses: codeLists.driving_licence_classes,
      licenceValidYears: [
        { code: '6', name: '6年' },
        { code: '10', name: '10年' },
        { code: 'long', name: '长期' }
      ],
      applicationTypes: APPLICATION_TYPES.map((code) => ({ code, name: APPLICATION_TYPE_LABELS[code] }))
    })
  })
]
