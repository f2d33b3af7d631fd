// The review desk's state, one store per queue (材料预审, 资格初审): the filters and page, the
// application open on the detail screen, its lock heartbeat, and the decisions that advance the
// queue by themselves. Views only call these actions.
import { defineStore } from 'pinia'
import { computed, nextTick, reactive, ref, shallowRef } from 'vue'
import type {
  AttachmentContent,
  AttachmentKind,
  Deficiency,
  DeficiencyReason,
  QueueRow,
  QueueStats,
  ReviewDetail,
  ReviewStage
} from '../../../src-preload/contract/review'
import { REVIEW_ROLE } from '../../../src-preload/contract/review'
import type { ApplicationType, Category } from '../../../src-preload/contract/vocab'
import { api, ApiError } from '../api'
import { useSessionStore } from './session'

export interface QueueFilters {
  category: Category | ''
  applicationType: ApplicationType | ''
  schoolId: number | null
  range: [string, string] | null
  search: string
  claim: 'all' | 'unclaimed' | 'mine'
}

const HEARTBEAT_MS = 60_000
/** The loading mask waits this long: a page answered sooner just appears. */
const MASK_AFTER_MS = 250
/** A page prefetched at boot is shown if the queue screen mounts within this time. */
const PREFETCH_FRESH_MS = 10_000

function defineReviewStore(stage: ReviewStage) {
  return defineStore(`review-${stage}`, () => {
    const session = useSessionStore()
    const canDecide = computed(() => !!session.me?.roles.includes(REVIEW_ROLE[stage]))
    const isSupervisor = computed(() => !!session.me?.roles.includes('supervisor'))

    // ---- the queue ------------------------------------------------------------------------
    const filters = reactive<QueueFilters>({ category: '', applicationType: '', schoolId: null, range: null, search: '', claim: 'all' })
    const page = ref(1)
    const pageSize = ref(20)
    const rows = ref<QueueRow[]>([])
    const hasMore = ref(false)
    const stats = ref<QueueStats | null>(null)
    const loading = ref(false)
    const error = ref<string | null>(null)
    const selected = ref(0)
    /** ms the last page took from request to data, shown for the curious and the benchmark */
    const lastLoadMs = ref<number | null>(null)
    /** of which: request → answer */
    const lastFetchMs = ref<number | null>(null)

    const filterInput = () => ({
      stage,
      category: filters.category || undefined,
      applicationType: filters.applicationType || undefined,
      schoolId: filters.schoolId ?? undefined,
      from: filters.range?.[0],
      to: filters.range?.[1],
      search: filters.search.trim() || undefined,
      claim: filters.claim
    })

    let loadSeq = 0
    /**
     * `quiet`: the periodic refresh, without the loading mask. Otherwise the mask shows only when
     * the answer is slow (a quick page must not flash it).
     */
    async function load(quiet = false) {
      const seq = ++loadSeq
      error.value = null
      const mask = quiet ? undefined : setTimeout(() => seq === loadSeq && (loading.value = true), MASK_AFTER_MS)
      const t0 = performance.now()
      try {
        const input = filterInput()
        // The page first (an index read); the counts follow without holding the page up.
        const pageCall = api.review.queue({ ...input, page: page.value, pageSize: pageSize.value })
        // A failed page reports; a failed count alone keeps the old pills.
        const statsCall = api.review.stats(input).catch(() => null)
        const result = await pageCall
        if (seq !== loadSeq) return
        lastFetchMs.value = Math.round(performance.now() - t0)
        rows.value = result.rows
        hasMore.value = result.hasMore
        selected.value = Math.min(selected.value, Math.max(0, result.rows.length - 1))
        // Request → rows patched into the DOM.
        await nextTick()
        lastLoadMs.value = Math.round(performance.now() - t0)
        const s = await statsCall
        if (seq === loadSeq && s) stats.value = s
      } catch (e) {
        if (seq !== loadSeq) return
        error.value = e instanceof ApiError ? e.message : String(e)
        rows.value = []
      } finally {
        clearTimeout(mask)
        if (seq === loadSeq) loading.value = false
      }
    }

    /**
     * The boot asks for the first page while the session check and the desk's code are still on
     * their way (router/index.ts), so the queue mounts with its rows. `takePrefetch` hands that load
     * to the screen once; a failed or old one is not reused.
     */
    let prefetched: { at: number; done: Promise<void> } | null = null
    function prefetch(): Promise<void> {
      prefetched = { at: Date.now(), done: load() }
      return prefetched.done
    }
    function takePrefetch(): Promise<void> | null {
      const p = prefetched
      prefetched = null
      return p && Date.now() - p.at < PREFETCH_FRESH_MS ? p.done.then(() => (error.value ? load() : undefined)) : null
    }
    function search() {
      page.value = 1
      selected.value = 0
      return load()
    }
    function resetFilters() {
      Object.assign(filters, { category: '', applicationType: '', schoolId: null, range: null, search: '', claim: 'all' })
      return search()
    }
    const total = computed(() => stats.value?.total ?? null)

    // ---- the open application ---------------------------------------------------------------
    const detail = ref<ReviewDetail | null>(null)
    const detailLoading = ref(false)
    const revealed = ref<{ idNumber: string; phone: string } | null>(null)
    const busy = ref(false)
    /** the attachment on the viewer, and the bytes already fetched (blob URLs), per application */
    const currentKind = ref<AttachmentKind | null>(null)
    const files = shallowRef(new Map<AttachmentKind, { url: string; content: Omit<AttachmentContent, 'dataBase64'> }>())
    const fileLoading = ref(false)
    const reasons = ref<DeficiencyReason[]>([])
    /** the counter-entry form (窗口代办) is open instead of the queue */
    const counter = ref(false)
    let heartbeat: ReturnType<typeof setInterval> | undefined
    let activeSince = 0

    function dropFiles() {
      for (const f of files.value.values()) URL.revokeObjectURL(f.url)
      files.value = new Map()
    }

    async function loadReasons() {
      if (!reasons.value.length) reasons.value = await api.review.reasons({ includeInactive: false })
    }

    /** Bumped whenever the clerk leaves a detail: a late answer must not reopen what they left. */
    let nav = 0

    async function openDetail(id: number) {
      const mine = ++nav
      detailLoading.value = true
      try {
        const d = await api.review.detail({ applicationId: id })
        if (mine !== nav) return
        if (detail.value?.id !== id) {
          dropFiles()
          revealed.value = null
          currentKind.value = d.attachments[0]?.kind ?? null
        }
        detail.value = d
        startHeartbeat()
        if (currentKind.value) void showAttachment(currentKind.value)
        void loadReasons()
      } finally {
        detailLoading.value = false
      }
    }

    /** Opens a chosen application: a clerk claims it first (409 names who holds it); a supervisor only looks. */
    async function open(id: number) {
      if (canDecide.value) {
        try {
          await api.review.claim({ applicationId: id })
        } catch (e) {
          // Someone else holds it, or separation of duties: still open it, read-only, and say why.
          if (!(e instanceof ApiError) || (e.status !== 409 && e.status !== 403)) throw e
        }
      }
      await openDetail(id)
    }

    /** Claims the next application (oldest first, within the current category/type/school filter). */
    async function claimNext(): Promise<boolean> {
      const r = await api.review.claimNext({
        stage,
        category: filters.category || undefined,
        applicationType: filters.applicationType || undefined,
        schoolId: filters.schoolId ?? undefined
      })
      if (!r) {
        closeDetail()
        return false
      }
      await openDetail(r.applicationId)
      return true
    }

    function closeDetail() {
      nav++
      stopHeartbeat()
      detail.value = null
      revealed.value = null
      dropFiles()
    }
    async function backToQueue() {
      closeDetail()
      await load()
    }

    async function showAttachment(kind: AttachmentKind) {
      currentKind.value = kind
      const d = detail.value
      if (!d || files.value.has(kind) || !d.attachments.some((a) => a.kind === kind)) return
      fileLoading.value = true
      try {
        const c = await api.review.attachment({ applicationId: d.id, kind })
        if (detail.value?.id !== d.id) return
        const bytes = Uint8Array.from(atob(c.dataBase64), (ch) => ch.charCodeAt(0))
        const url = URL.createObjectURL(new Blob([bytes], { type: c.contentType }))
        const { dataBase64: _omit, ...meta } = c
        const next = new Map(files.value)
        next.set(kind, { url, content: meta })
        files.value = next
      } finally {
        fileLoading.value = false
      }
    }

    async function reveal() {
      if (!detail.value || revealed.value) return
      revealed.value = await api.review.revealPersonal({ applicationId: detail.value.id })
    }

    /** After a decision the desk moves on by itself: the next application, or the queue when none is left. */
    async function advance(): Promise<'next' | 'empty'> {
      return (await claimNext()) ? 'next' : (await load(), 'empty')
    }

    async function pass(input: { note?: string; noAccidentConfirmed?: boolean }) {
      const d = detail.value!
      busy.value = true
      try {
        const r = await api.review.pass({ applicationId: d.id, ...input })
        return { result: r, then: await advance() }
      } finally {
        busy.value = false
      }
    }

    async function returnWith(deficiencies: Deficiency[], note?: string) {
      const d = detail.value!
      busy.value = true
      try {
        const r = await api.review.return({ applicationId: d.id, deficiencies, note })
        return { result: r, then: await advance() }
      } finally {
        busy.value = false
      }
    }

    /** Gives the open application back to the queue and takes the next one (skip). */
    async function releaseAndNext() {
      const d = detail.value
      if (d?.claim?.mine) await api.review.release({ applicationId: d.id })
      return advance()
    }

    async function release(id: number) {
      await api.review.release({ applicationId: id })
      if (detail.value?.id === id) closeDetail()
      await load()
    }

    // The lock stays while the clerk works: a heartbeat every minute, only if they did something.
    function noteActivity() {
      activeSince = Date.now()
    }
    function startHeartbeat() {
      stopHeartbeat()
      activeSince = Date.now()
      heartbeat = setInterval(async () => {
        const d = detail.value
        if (!d?.claim?.mine || Date.now() - activeSince > HEARTBEAT_MS * 2) return
        try {
          const c = await api.review.touch({ applicationId: d.id })
          if (detail.value?.id === d.id) detail.value = { ...detail.value, claim: c }
        } catch {
          // Lost the lock (expired and taken): reload to show who has it now.
          void openDetail(d.id)
        }
      }, HEARTBEAT_MS)
    }
    function stopHeartbeat() {
      clearInterval(heartbeat)
      heartbeat = undefined
    }

    return {
      stage,
      canDecide,
      isSupervisor,
      filters,
      page,
      pageSize,
      rows,
      hasMore,
      stats,
      total,
      loading,
      error,
      selected,
      lastLoadMs,
      lastFetchMs,
      load,
      prefetch,
      takePrefetch,
      search,
      resetFilters,
      detail,
      detailLoading,
      revealed,
      busy,
      currentKind,
      files,
      fileLoading,
      reasons,
      counter,
      open,
      openDetail,
      claimNext,
      closeDetail,
      backToQueue,
      showAttachment,
      reveal,
      pass,
      returnWith,
      releaseAndNext,
      release,
      noteActivity,
      stopHeartbeat
    }
  })
}

const stores = {
  pre_review: defineReviewStore('pre_review'),
  initial_review: defineReviewStore('initial_review')
}
export function useReviewStore(stage: ReviewStage) {
  return stores[stage]()
}
export type ReviewStore = ReturnType<typeof useReviewStore>
