// Reference data the form needs: training schools and exam venues. (The 结业证 look-up,
// GET /training-certificates, belongs to the training-certificate registry.)
import { route } from './route-kit'
import { schoolsResponse, venuesResponse } from './schemas'

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
  })
]
