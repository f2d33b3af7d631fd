// The login screen against a real server: the component's fetch goes over loopback HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import LoginView from '../../src-renderer/src/views/login-view.vue'
import { useSessionStore } from '../../src-renderer/src/stores/session'
import { ADMIN_PASSWORD, testServer, type TestServer } from '../support/core'

let server: TestServer
beforeAll(async () => {
  server = await testServer()
  ;(window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(`${server.url}/`)
})
afterAll(async () => server.close())

async function mountLogin() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: { template: '<div/>' } }, { path: '/login', component: LoginView }] })
  await router.push('/login')
  const wrapper = mount(LoginView, { global: { plugins: [pinia, router] }, attachTo: document.body })
  return { wrapper, router }
}

async function until(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('login view', () => {
  it('asks for both fields before calling the server', async () => {
    const { wrapper } = await mountLogin()
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-test="login-error"]').text()).toContain('请输入用户名和密码')
    wrapper.unmount()
  })

  it('shows the server’s reason for a wrong password and clears the password field', async () => {
    const { wrapper } = await mountLogin()
    await wrapper.find('input[name="username"]').setValue('admin')
    await wrapper.find('input[name="password"]').setValue('wrong-one')
    await wrapper.find('form').trigger('submit')
    await until(() => wrapper.find('[data-test="login-error"]').exists() && wrapper.find('[data-test="login-error"]').text().includes('用户名或密码错误'))
    expect(wrapper.find('[data-test="login-error"]').text()).toContain('用户名或密码错误')
    expect((wrapper.find('input[name="password"]').element as HTMLInputElement).value).toBe('')
    wrapper.unmount()
  })

  it('signs in and goes to the shell', async () => {
    const { wrapper, router } = await mountLogin()
    await wrapper.find('input[name="username"]').setValue('admin')
    await wrapper.find('input[name="password"]').setValue(ADMIN_PASSWORD)
    await wrapper.find('form').trigger('submit')
    const store = useSessionStore()
    await until(() => router.currentRoute.value.path === '/')
    expect(router.currentRoute.value.path).toBe('/')
    expect(store.me).toMatchObject({ username: 'admin', desks: ['admin'] })
    wrapper.unmount()
  })
})
