// SQLite's WAL checkpoints, off the event loop. A checkpoint copies the pages the write-ahead log
// has collected back into the database file and flushes both files to disk. Left to SQLite, it
// runs inside whichever commit takes the log past 1,000 pages, on the connection that commits:
// the event loop then waits for the copy and two fsyncs, usually 2–5 ms, and now and then 80–100
// ms when the disk is slow to flush (measured under 50 submitting clients: those stalls alone put
// the submissions' p99 over 30 ms; with no checkpoints at all it was 21–28 ms).
//
// Here a worker thread with a connection of its own runs a PASSIVE checkpoint every 100 ms.
// PASSIVE never waits for a lock and never holds up the app's connection, which keeps writing
// meanwhile. SQLite starts the log over from its beginning only when a write begins while every
// page of the log has been copied back; under steady load that moment may not come, so once the
// log passes `resetFrames` the group committer (services/applications-group-commit.ts) asks for
// a checkpoint between two of its batches and starts the next batch after it: that checkpoint has
// only the last few pages to copy, and the next batch's commit starts the log over.
//
// The app's connection keeps SQLite's own automatic checkpoint at a higher mark as a safety net:
// should the worker fall behind or stop, the log is still checkpointed, as before, only later.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Db } from './database'

/** The app connection's own mark while the worker runs (pages of 4 KB): the safety net. */
export const FALLBACK_AUTOCHECKPOINT = 20_000
/** SQLite's default, put back when the worker cannot run. */
const DEFAULT_AUTOCHECKPOINT = 1_000

// Plain CommonJS, evaluated in the worker: it runs the same way from the bundle, under vite-node
// and in the packaged app. `state[0]` becomes 1 once the worker's connection is closed.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.modulePath)
const state = new Int32Array(workerData.state)
const db = new Database(workerData.file, { fileMustExist: true })
// A tick reports the log's length only when it changed: an idle app is not woken ten times a second.
let last = -1
function checkpoint(id) {
  let log
  try { log = db.pragma('wal_checkpoint(PASSIVE)')[0].log } catch { /* busy or I/O: the next turn tries again */ }
  if (id !== null || (log !== undefined && log !== last)) parentPort.postMessage({ id, log })
  if (log !== undefined) last = log
}
const timer = setInterval(() => checkpoint(null), workerData.intervalMs)
parentPort.on('message', (m) => {
  if (m && m.cmd === 'checkpoint') return checkpoint(m.id)
  if (m !== 'stop') return
  clearInterval(timer)
  try { db.close() } finally {
    Atomics.store(state, 0, 1)
    Atomics.notify(state, 0)
    parentPort.close()
  }
})
`

function betterSqlitePath(): string | null {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3')
  } catch {
    return null
  }
}

export interface WalCheckpointer {
  /** True while the log has grown past the mark at which a write should wait for a checkpoint. */
  wantsReset(): boolean
  /** One checkpoint now, in the worker; resolves when it is done (never rejects). */
  checkpoint(): Promise<void>
  /** Stops the worker and waits (up to 5 s) until its connection is closed: call before closing the app's connection. */
  stop(): void
}

const NONE: WalCheckpointer = { wantsReset: () => false, checkpoint: () => Promise.resolve(), stop() {} }
const CHECKPOINTERS = new WeakMap<Db, WalCheckpointer>()

/** Makes `checkpointer` the one the group committer on `db` asks (the submission writer's connection: see services/submission-writer-worker.ts). */
export function useWalCheckpointer(db: Db, checkpointer: WalCheckpointer) {
  CHECKPOINTERS.set(db, checkpointer)
}

/** The checkpointer running for `db`, if any (the group committer asks it for resets). */
export function walCheckpointerOf(db: Db): WalCheckpointer {
  return CHECKPOINTERS.get(db) ?? NONE
}

/**
 * Starts checkpointing `db`'s WAL in a worker thread. For an in-memory database, or where the
 * worker cannot load better-sqlite3, SQLite's own checkpoint stays in place.
 */
export function startWalCheckpointer(db: Db, options: { intervalMs?: number; resetFrames?: number } = {}): WalCheckpointer {
  const modulePath = betterSqlitePath()
  if (db.memory || !modulePath || String(db.pragma('journal_mode', { simple: true })) !== 'wal') return NONE
  const { intervalMs = 100, resetFrames = 4_096 } = options
  const state = new Int32Array(new SharedArrayBuffer(4))
  let worker: Worker | null = null
  let frames = 0
  let nextId = 1
  const waiting = new Map<number, () => void>()
  /** No worker any more: nobody waits for it, the group committer no longer asks it. */
  const detach = () => {
    worker = null
    CHECKPOINTERS.delete(db)
    for (const resolve of waiting.values()) resolve()
    waiting.clear()
  }
  const fallBack = () => {
    detach()
    if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`)
  }
  try {
    worker = new Worker(WORKER, { eval: true, workerData: { file: db.name, modulePath, intervalMs, state: state.buffer } })
  } catch {
    fallBack()
    return NONE
  }
  db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT}`)
  worker.unref()
  worker.on('message', (m: { id: number | null; log?: number }) => {
    if (typeof m.log === 'number') frames = m.log
    if (m.id !== null) {
      waiting.get(m.id)?.()
      waiting.delete(m.id)
    }
  })
  worker.once('error', fallBack)
  worker.once('exit', () => {
    if (worker) fallBack()
  })
  const self: WalCheckpointer = {
    wantsReset: () => worker !== null && frames >= resetFrames,
    checkpoint() {
      const w = worker
      if (!w) return Promise.resolve()
      const id = nextId++
      return new Promise<void>((resolve) => {
        waiting.set(id, () => {
          // The next write starts the log over (when nothing else wrote meanwhile).
          frames = 0
          resolve()
        })
        w.postMessage({ cmd: 'checkpoint', id })
      })
    },
    stop() {
      const w = worker
      if (!w) return
      detach()
      w.postMessage('stop')
      // Synchronous on purpose: the app's connection must be the last one to close (SQLite then
      // checkpoints and removes the WAL), and closing is synchronous.
      Atomics.wait(state, 0, 0, 5000)
    }
  }
  CHECKPOINTERS.set(db, self)
  return self
}
