// Opening a connection to the data folder's database, with the settings every connection uses.
// Kept apart from database.ts (the migrations, bundled by Vite) so that the submission writer's
// worker (services/submission-writer-worker.ts) can open its own connection with the same code.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export type Db = Database.Database

export function openDatabase(file: string): Db {
  mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  // FULL: a commit is on disk before we acknowledge it, so a power cut loses nothing acknowledged.
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // Statement journals (the pages one statement changes inside a transaction, kept so that the
  // statement alone can be undone) in memory instead of a temp file: with the review queues'
  // indexes an UPDATE of an application changes some twenty pages, and writing each to a temp
  // file cost more than the update itself (76 -> 29 µs per submission's UPDATE, measured).
  // Nothing durable is kept there; the WAL still holds every commit.
  db.pragma('temp_store = MEMORY')
  immediateByDefault(db)
  return db
}

/**
 * `db.transaction(fn)()` begins IMMEDIATE (takes the write lock at BEGIN, waiting for it up to
 * busy_timeout) instead of DEFERRED. Two connections write to the database: the app's and the
 * submission writer's. A deferred transaction that reads and then writes fails at once with
 * SQLITE_BUSY if the other connection committed in between (its snapshot is stale, and waiting
 * cannot help); an immediate one cannot be overtaken. `.deferred()` stays available for a
 * transaction that only reads. Nested calls are savepoints whatever the variant.
 */
function immediateByDefault(db: Db) {
  const transaction = db.transaction.bind(db)
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    const tx = transaction(fn)
    const run = (...args: never[]) => tx.immediate(...args)
    return Object.assign(run, { default: run, deferred: tx.deferred, immediate: tx.immediate, exclusive: tx.exclusive })
  }) as Db['transaction']
}
