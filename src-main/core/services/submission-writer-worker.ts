// The submission writer's thread (see submission-writer.ts): a connection of its own to the data
// folder's database, the applications service on it, and its group committer. Jobs come in
// batches from the main thread; each is answered (on the results port) once its batch is on disk.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads'
import { createContext } from '../context'
import { openDatabase, type Db } from '../storage/connection'
import { FALLBACK_AUTOCHECKPOINT, useWalCheckpointer } from '../storage/wal-checkpointer'
import { applicationsService } from './applications'
import { connectTrainingRegistry, trainingCertificatesService } from './training-certificates'
import { serializeError, type FromWriter, type ToWriter, type WriterResult } from './submission-writer'

const { dbFile, state, results, sharedTime } = workerData as { dbFile: string; state: SharedArrayBuffer; results: MessagePort; sharedTime?: Float64Array }
const port = parentPort!

function start() {
  const db = openDatabase(dbFile)
  try {
    serve(db)
  } catch (e) {
    db.close() // a writer that cannot start leaves no connection open
    throw e
  }
}

function serve(db: Db) {
  // The app's checkpointer thread copies the log back; this connection's own checkpoint is the late safety net, as on the app's.
  db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT}`)
  // The core's injected clock (tests), read from shared memory; else the system's.
  const ctx = createContext(db, sharedTime ? () => new Date(sharedTime[0]!) : () => new Date())
  const applications = applicationsService(ctx)
  connectTrainingRegistry({ applications, trainingCertificates: trainingCertificatesService(ctx) })

  // The log's restart between two batches, when the app's checkpointer says the log is long: at
  // most every 200 ms, since it learns of the restart only at its next look.
  let resetWanted = false
  let lastReset = 0
  useWalCheckpointer(db, {
    wantsReset: () => resetWanted && Date.now() - lastReset >= 200,
    checkpoint() {
      try {
        db.pragma('wal_checkpoint(PASSIVE)')
      } catch {
        // busy or I/O: the next batch goes on; the app's checkpointer tries again
      }
      resetWanted = false
      lastReset = Date.now()
      return Promise.resolve()
    },
    stop() {}
  })

  const dataVersionOf = db.prepare<[], number>('PRAGMA data_version').pluck()
  let dataVersion = dataVersionOf.get()
  let out: WriterResult[] = []
  const answer = (r: WriterResult) => {
    if (!out.length) {
      queueMicrotask(() => {
        results.postMessage({ results: out } satisfies FromWriter)
        out = []
      })
    }
    out.push(r)
  }
  let inFlight = 0
  let stopping = false
  const finish = () => {
    db.close()
    Atomics.store(new Int32Array(state), 0, 1)
    Atomics.notify(new Int32Array(state), 0)
    port.close()
  }
  function receive(m: ToWriter) {
    if (m === 'stop') {
      stopping = true
      if (!inFlight) finish()
      return
    }
    if (m.reset) resetWanted = true
    // The app's connection committed since the last batch: a setting may have changed.
    const v = dataVersionOf.get()
    if (v !== dataVersion) {
      dataVersion = v
      ctx.settings.forget()
    }
    for (const job of m.jobs) {
      inFlight++
      applications
        .submitHereJson(job.actor, job.id)
        .then(
          (json) => answer({ seq: job.seq, ok: true, json }),
          (e) => answer({ seq: job.seq, ok: false, error: serializeError(e) })
        )
        .finally(() => {
          if (--inFlight === 0 && stopping) queueMicrotask(finish)
        })
    }
  }
  port.on('message', receive)
}

try {
  start()
  port.postMessage({ ready: true } satisfies FromWriter)
} catch (e) {
  port.postMessage({ failed: (e as Error).message } satisfies FromWriter)
}
