import { createRouter, createWebHashHistory } from 'vue-router'
import { DESKS, type DeskKey } from '../../../src-preload/contract/vocab'
import { useSessionStore } from '../stores/session'

const deskViews: Record<DeskKey, () => Promise<unknown>> = {
  'pre-review': () => import('../views/review/review-desk.vue'),
  'initial-review': () => import('../views/review/review-desk.vue'),
  exams: () => import('../views/exams/exams-desk.vue'),
  scores: () => import('../views/exams/scores-desk.vue'),
  permits: () => import('../views/permits/permits-desk.vue'),
  certificates: () => import('../views/certificates/certificates-desk.vue'),
  reports: () => import('../views/reports/reports-desk.vue'),
  admin: () => import('../views/desks/admin-desk.vue')
}

export const router = createRouter({
  // Hash history: the same URLs work from file:// in Electron and from the server in a browser.
  history: createWebHashHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('../views/login-view.vue'), meta: { public: true } },
    {
      path: '/',
      component: () => import('../views/shell-layout.vue'),
      children: [
        { path: '', name: 'home', component: { render: () => null } },
        ...DESKS.map((d) => ({ path: `desk/${d.key}`, name: d.key, component: deskViews[d.key], meta: { desk: d.key } }))
      ]
    },
    { path: '/:rest(.*)', redirect: '/' }
  ]
})

let resumed = false
router.beforeEach(async (to) => {
  const store = useSessionStore()
  if (!resumed) {
    resumed = true
    await store.resume()
  }
  if (to.meta.public) return store.signedIn ? { path: '/' } : true
  if (!store.signedIn) return { name: 'login' }
  const desk = to.meta.desk as DeskKey | undefined
  if (!desk || !store.desks.includes(desk)) {
    const first = store.desks[0]
    return first ? { name: first } : to.name === 'home' ? true : { name: 'home' }
  }
  return true
})
