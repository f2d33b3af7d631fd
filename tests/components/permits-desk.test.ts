// The 许可审批 desk's pieces against a real server: the reject dialog insists on a reason and
// hands over every one; the desk lists the queue with masked ID numbers and its countdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import RejectDialog from '../../src-renderer/src/views/permits/reject-dialog.vue'
import PermitsDesk from '../../src-renderer/src/views/permits/permits-desk.vue'
import { session } from '../../src-renderer/src/api'
import { testServer, type TestServer } from '../support/core'
import { seedApplication, supervisor } from '../services/permits-support'

let server: TestServer
beforeAll(async () => {
  server = await testServer()
  server.core.services.notifications.stop()
  ;(window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(`${server.url}/`)
})
afterAll(async () => server.close())

async function until(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('reject dialog', () => {
  it('refuses to confirm without a reason, then hands over every reason given', async () => {
    const wrapper = mount(RejectDialog, { props: { modelValue: false, count: 2, busy: false }, attachTo: document.body })
    await wrapper.setProps({ modelValue: true })
    await flushPromises()
    const confirm = () => (document.querySelector('[data-test="confirm-reject"]') as HTMLButtonElement).click()
    confirm()
    await flushPromises()
    expect(document.body.textContent).toContain('请至少填写一条不予许可的理由')
    expect(wrapper.emitted('confirm')).toBeUndefined()
    // a common reason, then one typed in
    ;[...document.querySelectorAll('.common .el-button')][0].dispatchEvent(new MouseEvent('click', { bubbles: true }))
    await flushPromises()
    ;[...document.querySelectorAll('button')].find((b) => b.textContent?.includes('增加一条理由'))!.click()
    await flushPromises()
    const second = document.querySelector('[data-test="reason-1"]') as HTMLInputElement
    second.value = '驾驶证档案信息与申请不符'
    second.dispatchEvent(new Event('input'))
    await flushPromises()
    confirm()
    await flushPromises()
    expect(wrapper.emitted('confirm')![0]).toEqual([['三年内发生重大以上交通责任事故', '驾驶证档案信息与申请不符'], ''])
    wrapper.unmount()
  })
})

describe('permits desk', () => {
  it('lists the applications waiting for approval with masked ID numbers and the countdown', async () => {
    const boss = await supervisor(server.core)
    const a = seedApplication(server.core, { name: '测试甲' })
    session.set(boss.token)
    setActivePinia(createPinia())
    const wrapper = mount(PermitsDesk, { attachTo: document.body })
    await until(() => wrapper.text().includes('测试甲'))
    const text = wrapper.text()
    expect(text).toContain('测试甲')
    expect(text).toContain(`${a.idNumber.slice(0, 3)}***********${a.idNumber.slice(-4)}`)
    expect(text).not.toContain(a.idNumber)
    expect(text).toMatch(/剩余\d个工作日/)
    wrapper.unmount()
    session.set(null)
  })
})
