// 结业证登记 against a real server: the list shows ID numbers masked and each record's state; 查看
// shows the full number; 撤销 insists on a reason and then marks the record revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import CertificatesPanel from '../../src-renderer/src/views/training/certificates-panel.vue'
import { session } from '../../src-renderer/src/api'
import { idCheckChar } from '../../src-main/core/domain/id-number'
import { ADMIN_PASSWORD, fakeClock, testServer, type TestServer } from '../support/core'

let server: TestServer
const first17 = '41010519850312013'
const ID = first17 + idCheckChar(first17)

beforeAll(async () => {
  server = await testServer({ clock: fakeClock('2026-11-25T09:00:00+08:00') })
  ;(window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(`${server.url}/`)
  const { token, staff } = await server.core.services.staffAuth.login({ username: 'admin', password: ADMIN_PASSWORD })
  session.set(token)
  const admin = server.core.services.staffAuth.authenticate(token)
  expect(staff.roles).toContain('admin')
  const school = server.core.services.schools.save(admin, { name: '郑州市乐学学车机动车驾驶员培训有限公司', address: '郑州市经济技术开发区四港联动大道', phone: '0371-65814555', licenceNo: '豫交运管许可郑字410100000101号', active: true })
  server.core.services.trainingCertificates.create(admin, { schoolId: school.id, idNumber: ID, name: '李强', vehicleClass: 'B2', trainingStart: '2026-08-03', trainingEnd: '2026-09-18', issuedOn: '2026-09-25', certificateNo: 'LX-0001' })
})
afterAll(async () => {
  session.set(null)
  await server.close()
})

async function until(check: () => boolean) {
  for (let i = 0; i < 150 && !check(); i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('结业证登记', () => {
  it('lists, shows the full record, and revokes only with a reason', async () => {
    setActivePinia(createPinia())
    const wrapper = mount(CertificatesPanel, { attachTo: document.body })
    await until(() => wrapper.find('[data-test="certificates-table"]').text().includes('LX-0001'))
    const table = wrapper.find('[data-test="certificates-table"]').text()
    expect(table).toContain(`410***********${ID.slice(-4)}`)
    expect(table).not.toContain(ID)
    expect(table).toContain('有效')

    // 撤销 without a proper reason: the field says what is missing, nothing changes.
    await wrapper.find('[data-test="revoke-LX-0001"]').trigger('click')
    await until(() => !!document.querySelector('textarea[name="revoke-reason"]'))
    const reason = document.querySelector('textarea[name="revoke-reason"]') as HTMLTextAreaElement
    reason.value = '错'
    reason.dispatchEvent(new Event('input'))
    ;(document.querySelector('[data-test="confirm-revoke"]') as HTMLButtonElement).click()
    await until(() => document.body.textContent!.includes('请填写撤销原因（至少2个字）'))
    expect(document.body.textContent).toContain('请填写撤销原因（至少2个字）')
    expect(server.core.services.trainingCertificates.list({ page: 1, pageSize: 5 }).rows[0].revoked).toBe(false)

    reason.value = '学校上报有误'
    reason.dispatchEvent(new Event('input'))
    ;(document.querySelector('[data-test="confirm-revoke"]') as HTMLButtonElement).click()
    await until(() => wrapper.find('[data-test="certificates-table"]').text().includes('已撤销'))
    expect(wrapper.find('[data-test="certificates-table"]').text()).toContain('学校上报有误')
    expect(server.core.services.trainingCertificates.list({ page: 1, pageSize: 5 }).rows[0]).toMatchObject({ revoked: true, revokeReason: '学校上报有误' })
    wrapper.unmount()
  })
})
