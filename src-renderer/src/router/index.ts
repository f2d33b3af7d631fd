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

/** What a desk can ask for before its screen mounts: a review desk's first page of the queue. */
const deskPrefetch: Partial<Record<DeskKey, () => Promise<unknown>>> = {
  'pre-review': () => import('../stores/review').then((m) => m.useReviewStore('pre_review').prefetch()),
  'initial-review': () => import('../stores/review').then((m) => m.useReviewStore('initial_review').prefetch())
}

/**
 * A fresh load starts the first screen's work side by side: the session check (the guard below),
 * the route's code and, with a session held, its first data. One after another they were three
 * round trips before a row showed. The server checks the session on the prefetch as on any call.
 */
export function warmUp(path: string, hasSession: boolean) {
  const to = router.resolve(path)
  for (const record of to.matched) {
    const load = record.components?.default
    if (typeof load === 'function') void (load as () => Promise<unknown>)().catch(() => {})
  }
  const desk = to.meta.desk as DeskKey | undefined
  const prefetch = hasSession && desk ? deskPrefetch[desk] : undefined
  if (prefetch) firstData = { desk: desk!, data: prefetch().catch(() => {}) }
}

/**
 * The first screen waits (briefly) for its prefetched data, so that it mounts once, with its rows,
 * instead of mounting empty and rendering again when they come. Only the boot's navigation.
 */
const FIRST_DATA_WAIT_MS = 200
let firstData: { desk: DeskKey; data: Promise<unknown> } | null = null
router.beforeResolve(async (to) => {
  const first = firstData
  firstData = null
  // Only for the desk it was fetched for: a boot redirected elsewhere (no session, no access) does not wait.
  if (first && to.meta.desk === first.desk) await Promise.race([first.data, new Promise((r) => setTimeout(r, FIRST_DATA_WAIT_MS))])
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
