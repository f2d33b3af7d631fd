// GET /api/v1/openapi.json describes every endpoint, made from the schemas that validate requests.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { APPLICANT_ROUTES } from '../../src-main/core/http/applicant'
import { testServer, type TestServer } from '../support/core'

// Generous limits: CI runs every project at once on two cores.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 })

let server: TestServer
let doc: any

beforeAll(async () => {
  server = await testServer()
  const res = await fetch(`${server.url}/api/v1/openapi.json`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('application/json')
  doc = await res.json()
})
afterAll(() => server.close())

describe('openapi.json', () => {
  it('lists every route of the route table, and the documented paths of applicant-api.md', () => {
    expect(doc.openapi).toBe('3.1.0')
    for (const r of APPLICANT_ROUTES) {
      const path = '/api/v1' + r.path.replace(/:([A-Za-z]+)/g, '{$1}')
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${path}`).toBeDefined()
    }
    const documented = [
      'post /api/v1/auth/sms-code', 'post /api/v1/auth/register', 'post /api/v1/auth/login', 'post /api/v1/auth/reset-password',
      'get /api/v1/training-schools', 'get /api/v1/exam-venues', 'post /api/v1/applications', 'get /api/v1/applications',
      'get /api/v1/applications/{id}', 'patch /api/v1/applications/{id}', 'put /api/v1/applications/{id}/attachments/{kind}',
      'post /api/v1/applications/{id}/submit', 'get /api/v1/applications/{id}/progress'
    ]
    for (const d of documented) {
      const [method, path] = d.split(' ')
      expect(doc.paths[path]?.[method], d).toBeDefined()
    }
  })

  it('documents the form from the validating schema: required fields, enums, no unknown fields', () => {
    const schema = doc.paths['/api/v1/applications'].post.requestBody.content['application/json'].schema
    expect(schema.required).toEqual(['category', 'applicationType'])
    expect(schema.additionalProperties).toBe(false)
    expect(schema.properties.category.enum).toEqual(['passenger', 'freight'])
    expect(schema.properties.birthDate.description).toBe('出生日期')
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['licenceClasses', 'collectMethod', 'mailAddress', 'trainingSchoolId', 'vehicleClass', 'trainingCertNonLocal']))
  })

  it('marks authenticated calls, the upload body, and the 422 and 429 answers', () => {
    const submit = doc.paths['/api/v1/applications/{id}/submit'].post
    expect(submit.security).toEqual([{ applicantToken: [] }])
    expect(submit.responses['422'].content['application/json'].schema.properties.error.properties.fields).toBeDefined()
    expect(doc.paths['/api/v1/auth/login'].post.security).toBeUndefined()
    expect(doc.paths['/api/v1/auth/sms-code'].post.responses['429'].headers['Retry-After']).toBeDefined()
    const put = doc.paths['/api/v1/applications/{id}/attachments/{kind}'].put
    expect(Object.keys(put.requestBody.content)).toEqual(expect.arrayContaining(['image/jpeg', 'image/png', 'application/pdf']))
    expect(put.parameters.find((p: { name: string }) => p.name === 'kind').schema.enum).toContain('old_certificate')
    const steps = doc.paths['/api/v1/applications/{id}/progress'].get.responses['200'].content['application/json'].schema.properties.steps
    expect(steps.items.properties.state.enum).toEqual(['done', 'current', 'rejected', 'pending'])
  })
})

describe('reference data for the form', () => {
  it('serves the 申请须知 from the settings and the code lists of the selects', async () => {
    server.core.ctx.settings.set('passenger.licenceClasses', ['A1', 'B1'], null)
    const notices: any = await (await fetch(`${server.url}/api/v1/application-notices`)).json()
    const passenger = notices.find((n: { category: string }) => n.category === 'passenger')
    expect(passenger.conditions[0]).toBe('取得相应的机动车驾驶证1年以上（A1、B1）')
    expect(passenger.notice).toContain('经营性道路旅客运输驾驶员应当符合下列条件')
    const freight = notices.find((n: { category: string }) => n.category === 'freight')
    expect(freight.attachments.filter((a: { applicationType: string }) => a.applicationType === 'add_class').map((a: { kind: string; required: boolean }) => `${a.kind}${a.required ? '*' : ''}`)).toEqual([
      'id_front*', 'id_back*', 'licence*', 'no_accident*', 'photo*', 'other', 'training_cert', 'other2', 'old_certificate*'
    ])
    const lists: any = await (await fetch(`${server.url}/api/v1/code-lists`)).json()
    expect(lists.ethnicity).toContainEqual({ code: '01', name: '汉族' })
    expect(lists.politicalStatus).toContainEqual({ code: '13', name: '群众' })
    expect(lists.licenceValidYears.map((x: { code: string }) => x.code)).toEqual(['6', '10', 'long'])
  })
})
