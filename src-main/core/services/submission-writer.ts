// The submission writer: applicants' submissions are validated and written on a thread of their
// own, with a connection of its own, so that the event loop keeps reading and answering requests
// meanwhile.
//
// Why: under 50 submitting clients the event loop was busy about 95 % of the time, two thirds of
// it inside the group commit's batches (the validation and the five statements of each
// submission), while the machine's second core was 40 % idle. A request that arrived during a
// batch waited for the whole batch before it was even parsed, and then for its own. Here the main
// thread only parses, authenticates and answers; the writer runs the same group commit
// (applications-group-commit.ts: one transaction per batch, a savepoint per submission, answered
// once the WAL is on disk) with the same service code (applications.ts' submitInTransaction).
//
// What crosses threads: the actor and the application id in, the applicant's view (as the JSON
// the API sends) or the refusal out (an AppError keeps its code, message and fields). What a
// connection caches is kept right: the writer drops its settings cache when the app's connection
// has committed since its last batch (PRAGMA data_version); the app's progress cache drops each
// application the writer submitted before its caller is answered. The WAL's restarts stay as
// before: the app's checkpointer tells the writer (with the jobs) when the log is long, and the
// writer checkpoints between two of its batches.
//
// A core with an in-memory database submits on its own thread (a second connection to ":memory:"
// is another database), and so does one with an injected clock, unless it is a SharedClock
// (context.ts) whose time the writer can read.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { AppError } from '../errors'
import type { ErrorCode } from '../../../src-preload/contract/errors'
import type { FormActor } from './applications'

export interface WriterJob {
  seq: number
  actor: FormActor
  id: number
}
export type WriterError =
  | { app: true; code: ErrorCode; message: string; fields?: Record<string, string>; headers?: Record<string, string> }
  | { app: false; name: string; message: string; code?: string }
/** `json`: the applicant's view of the submitted application, serialized on the writer's thread. */
export type WriterResult = { seq: number; ok: true; json: string } | { seq: number; ok: false; error: WriterError }
export type ToWriter = { jobs: WriterJob[]; reset: boolean } | 'stop'
export type FromWriter = { ready: true } | { results: WriterResult[] } | { failed: string }

export function serializeError(e: unknown): WriterError {
  if (e instanceof AppError) return { app: true, code: e.code, message: e.message, fields: e.fields, headers: e.headers }
  const err = e as { name?: unknown; message?: unknown; code?: unknown }
  return { app: false, name: String(err?.name ?? 'Error'), message: String(err?.message ?? e), code: typeof err?.code === 'string' ? err.code : undefined }
}

export function deserializeError(e: WriterError): Error {
  if (e.app) return new AppError(e.code, e.message, e.fields, e.headers)
  return Object.assign(new Error(e.message), { name: e.name, code: e.code })
}

export interface SubmissionWriter {
  /** The writer's thread (worker_threads' threadId). */
  readonly threadId: number
  /** The applicant's view of the submitted application, as JSON. */
  submit(actor: FormActor, id: number): Promise<string>
  /** Stops the thread after the jobs it has; waits (up to 5 s) for its connection to close. */
  stop(): void
}

export interface WriterOptions {
  dbFile: string
  /** The core's clock when injected (tests): its time in shared memory. Else the writer reads the system clock. */
  sharedTime?: Float64Array
  /** Asked with each batch of jobs: should the writer checkpoint before its next batch? */
  wantsReset: () => boolean
  /** Called (on the main thread) for each application the writer submitted, before its caller is answered. */
  changed: (applicationId: number) => void
}

const here = dirname(fileURLToPath(import.meta.url))

/** The worker's code: the built file next to the bundle, or (from the sources) bundled now by rolldown. */
async function workerScript(): Promise<{ file: string } | { code: string }> {
  for (const file of [join(here, 'submission-writer-worker.js'), join(here, '..', 'submission-writer-worker.js')]) {
    if (existsSync(file)) return { file }
  }
  const source = join(here, 'submission-writer-worker.ts')
  if (!existsSync(source)) throw new Error('submission-writer-worker not found')
  return { code: await bundleFromSource(source) }
}

let bundled: Promise<string> | undefined
/** Running from the sources (vite-node: tests, benches): the worker's TypeScript bundled once per process. */
function bundleFromSource(source: string): Promise<string> {
  bundled ??= (async () => {
    const { rolldown } = await import('rolldown')
    const { createRequire } = await import('node:module')
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3')
    const build = await rolldown({
      input: source,
      platform: 'node',
      external: (id) => id.startsWith('node:') || id === 'better-sqlite3',
      logLevel: 'silent'
    })
    const { output } = await build.generate({ format: 'cjs' })
    await build.close()
    // An eval'd worker resolves modules from the working directory: name better-sqlite3 by its path.
    return output[0].code.replaceAll(`require("better-sqlite3")`, `require(${JSON.stringify(sqlite)})`)
  })()
  return bundled
}

export async function startSubmissionWriter(options: WriterOptions): Promise<SubmissionWriter> {
  const script = await workerScript()
  const state = new Int32Array(new SharedArrayBuffer(4))
  // Results come back on a port of their own, so that stop() can still read them synchronously.
  const { port1: results, port2: resultsPort } = new MessageChannel()
  const workerData = { dbFile: options.dbFile, state: state.buffer, results: resultsPort, sharedTime: options.sharedTime }
  const init = { workerData, transferList: [resultsPort] }
  const worker = 'file' in script ? new Worker(script.file, init) : new Worker(script.code, { eval: true, ...init })
  worker.unref()
  results.unref()
  await new Promise<void>((resolve, reject) => {
    const onMessage = (m: FromWriter) => {
      if ('ready' in m) resolve()
      else if ('failed' in m) reject(new Error(m.failed))
    }
    worker.on('message', onMessage)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`submission writer exited (${code})`)))
  })
  worker.removeAllListeners()

  const pending = new Map<number, { id: number; resolve: (json: string) => void; reject: (e: unknown) => void }>()
  let outbox: WriterJob[] = []
  let nextSeq = 1
  let alive = true
  const failAll = (why: string) => {
    alive = false
    for (const p of pending.values()) p.reject(new AppError('unavailable', why))
    pending.clear()
  }
  const settle = (m: FromWriter) => {
    if (!('results' in m)) return
    for (const r of m.results) {
      const p = pending.get(r.seq)
      if (!p) continue
      pending.delete(r.seq)
      if (r.ok) {
        options.changed(p.id)
        p.resolve(r.json)
      } else p.reject(deserializeError(r.error))
    }
  }
  results.on('message', settle)
  worker.once('error', () => failAll('提交服务出错，本次提交的结果未知，请刷新后查看申请状态'))
  worker.once('exit', () => failAll('提交服务已停止，本次提交的结果未知，请刷新后查看申请状态'))

  // One message per turn of the event loop: the requests read together travel together.
  const send = () => {
    const batch = outbox
    outbox = []
    if (alive) worker.postMessage({ jobs: batch, reset: options.wantsReset() } satisfies ToWriter)
  }
  return {
    threadId: worker.threadId,
    submit(actor, id) {
      if (!alive) return Promise.reject(new AppError('unavailable', '提交服务已停止，请稍后重试'))
      return new Promise<string>((resolve, reject) => {
        const seq = nextSeq++
        pending.set(seq, { id, resolve, reject })
        if (!outbox.length) setImmediate(send)
        // Only what the writer needs of the actor (an applicant's or a clerk's), as plain data.
        outbox.push({ seq, actor: { ...actor }, id })
      })
    },
    stop() {
      if (!alive) return
      if (outbox.length) send()
      alive = false
      worker.postMessage('stop' satisfies ToWriter)
      // The writer finishes the jobs it has, answers them and closes its connection.
      Atomics.wait(state, 0, 0, 5_000)
      for (let m = receiveMessageOnPort(results); m; m = receiveMessageOnPort(results)) settle(m.message as FromWriter)
      results.close()
      failAll('服务正在关闭，本次提交的结果未知，请刷新后查看申请状态')
    }
  }
}

export interface LazySubmissionWriter {
  /** The writer's thread once it runs; null before, after stop(), or when submissions fell back to this thread. */
  threadId(): number | null
  submit(actor: FormActor, id: number): Promise<string>
  /** Starts the thread now rather than at the first submission (the HTTP server does, when it listens). */
  warmUp(): Promise<void>
  stop(): void
}

/**
 * The writer, started at first use. Should the thread not start (no worker code, no better-sqlite3
 * in a worker), submissions go to `fallback` (the group commit on this thread) and the reason is logged once.
 */
export function lazySubmissionWriter(options: WriterOptions & { fallback: (actor: FormActor, id: number) => Promise<string>; logError: (e: unknown) => void }): LazySubmissionWriter {
  let starting: Promise<SubmissionWriter | null> | undefined
  let writer: SubmissionWriter | null | undefined
  let stopped = false
  const start = () =>
    (starting ??= startSubmissionWriter(options).then(
      (w) => {
        if (stopped) w.stop()
        return (writer = stopped ? null : w)
      },
      (e) => {
        options.logError(e)
        return (writer = null)
      }
    ))
  return {
    threadId: () => writer?.threadId ?? null,
    submit(actor, id) {
      if (writer) return writer.submit(actor, id)
      if (writer === null || stopped) return options.fallback(actor, id)
      return start().then((w) => (w ? w.submit(actor, id) : options.fallback(actor, id)))
    },
    warmUp: () => start().then(() => undefined),
    stop() {
      stopped = true
      writer?.stop()
      writer = null
    }
  }
}
