// The group committer (services/applications-group-commit.ts) on a real WAL database file. The WAL
// flush is the one part replaced: a flush the test lets finish when it chooses, to see what the
// callers are told while a batch is on its way to the disk.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { groupCommitter } from '../../src-main/core/services/applications-group-commit'
import { openDatabase, type Db } from '../../src-main/core/storage/database'

let dir: string | undefined
let db: Db | undefined
afterEach(() => {
  db?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  db = dir = undefined
})

function setUp() {
  dir = mkdtempSync(join(tmpdir(), 'qualdesk-gc-'))
  db = openDatabase(join(dir, 'qualdesk.db'))
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)')
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
  const rows = () => (db!.prepare('SELECT v FROM t ORDER BY id').all() as { v: string }[]).map((r) => r.v)
  // Flushes wait for the test: `flushes[i].finish()` (or `.fail()`) ends the i-th one.
  const flushes: { finish: () => void; fail: (e: Error) => void; rowsAtStart: string[] }[] = []
  const flushWal = () =>
    new Promise<void>((resolve, reject) => {
      flushes.push({ finish: resolve, fail: reject, rowsAtStart: rows() })
    })
  const commit = groupCommitter(db, { flushWal })
  return { commit, insert, rows, flushes }
}

/** Settled state of a promise after the event loop has had its turns. */
async function states(ps: Promise<unknown>[]) {
  const s: string[] = ps.map(() => 'pending')
  ps.forEach((p, i) => p.then(() => (s[i] = 'saved'), (e) => (s[i] = `refused: ${(e as Error).message}`)))
  await new Promise((r) => setTimeout(r, 20))
  return s
}

describe('group commit', () => {
  it('commits what arrives together in one transaction; a job that throws is refused alone', async () => {
    const { commit, insert, rows, flushes } = setUp()
    const answers = [
      commit(() => insert.run('a')),
      commit(() => {
        insert.run('b')
        throw new Error('b is wrong')
      }),
      commit(() => insert.run('c')),
      commit(() => insert.run('a')) // UNIQUE: refused, the others stay
    ]
    expect(await states(answers)).toEqual(['pending', 'pending', 'pending', 'pending'])
    expect(flushes).toHaveLength(1) // one transaction, one flush
    expect(flushes[0].rowsAtStart).toEqual(['a', 'c'])
    flushes[0].finish()
    const s = await states(answers)
    expect(s[0]).toBe('saved')
    expect(s[1]).toBe('refused: b is wrong')
    expect(s[2]).toBe('saved')
    expect(s[3]).toMatch(/^refused: UNIQUE constraint failed/)
    expect(rows()).toEqual(['a', 'c'])
  })

  it('keeps the jobs that arrive during a flush until it is done, then commits them together', async () => {
    const { commit, insert, rows, flushes } = setUp()
    const first = [commit(() => insert.run('1a')), commit(() => insert.run('1b'))]
    await states(first)
    expect(flushes).toHaveLength(1)

    // Arriving while the first batch is on its way to the disk: not run yet (one flush at a time,
    // and nothing is written while it is on its way).
    const second = [commit(() => insert.run('2a'))]
    await states(second)
    const third = [commit(() => insert.run('3a'))]
    expect(await states([...first, ...second, ...third])).toEqual(['pending', 'pending', 'pending', 'pending'])
    expect(rows()).toEqual(['1a', '1b'])

    flushes[0].finish()
    expect(await states([...first, ...second, ...third])).toEqual(['saved', 'saved', 'pending', 'pending'])
    // The two that waited went in together: one transaction, one flush.
    expect(flushes).toHaveLength(2)
    expect(flushes[1].rowsAtStart).toEqual(['1a', '1b', '2a', '3a'])
    flushes[1].finish()
    expect(await states([...second, ...third])).toEqual(['saved', 'saved'])
  })

  it('a failed flush tells its batch the disk failed; the batches after it go on', async () => {
    const { commit, insert, flushes } = setUp()
    const first = commit(() => insert.run('x'))
    await states([first])
    const second = commit(() => insert.run('y'))
    await states([second])
    flushes[0].fail(new Error('EIO: i/o error, fdatasync'))
    expect(await states([first, second])).toEqual(['refused: EIO: i/o error, fdatasync', 'pending'])
    expect(flushes).toHaveLength(2) // the next batch went on
    flushes[1].finish()
    expect(await states([second])).toEqual(['saved'])
  })

  it('answers a batch in which every job was refused without waiting for a flush', async () => {
    const { commit, flushes } = setUp()
    const refused = commit(() => {
      throw new Error('不符合条件')
    })
    expect(await states([refused])).toEqual(['refused: 不符合条件'])
    expect(flushes).toHaveLength(0)
  })
})
