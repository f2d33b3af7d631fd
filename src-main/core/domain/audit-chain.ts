// The audit log's hash chain (审计日志防篡改链): each entry's hash covers its own content and the
// previous entry's hash, so editing or deleting an entry breaks every hash after it. Pure: no I/O.
import { createHash } from 'node:crypto'

/** The previous hash of the very first entry. */
export const GENESIS_HASH = '0'.repeat(64)

/** An entry as stored (detail is the stored JSON text, not the parsed value). */
export interface ChainEntry {
  id: number
  at: string
  actorType: string
  actorId: number | null
  actorName: string | null
  action: string
  targetType: string | null
  targetId: string | null
  detail: string | null
  ip: string | null
}

/** sha256 over a canonical JSON array of the entry's fields and the previous hash. */
export function hashEntry(prevHash: string, e: ChainEntry): string {
  const canonical = JSON.stringify([
    'qualdesk-audit-v1',
    prevHash,
    e.id,
    e.at,
    e.actorType,
    e.actorId ?? null,
    e.actorName ?? null,
    e.action,
    e.targetType ?? null,
    e.targetId ?? null,
    e.detail ?? null,
    e.ip ?? null
  ])
  return createHash('sha256').update(canonical, 'utf8').digest('hex')
}

export interface ChainedEntry extends ChainEntry {
  prevHash: string | null
  hash: string | null
}

export type ChainProblem =
  | { kind: 'unsealed'; id: number }
  | { kind: 'gap'; afterId: number; id: number }
  | { kind: 'broken_link'; id: number }
  | { kind: 'edited'; id: number }

export interface ChainCursor {
  lastId: number
  lastHash: string
}

/**
 * Checks entries in id order, continuing from `cursor` (the last checked entry), so a long log
 * can be walked in pages. Returns the problems found and the new cursor.
 */
export function verifyChain(entries: Iterable<ChainedEntry>, cursor: ChainCursor = { lastId: 0, lastHash: GENESIS_HASH }) {
  const problems: ChainProblem[] = []
  let { lastId, lastHash } = cursor
  let count = 0
  for (const e of entries) {
    count++
    if (e.hash == null || e.prevHash == null) {
      problems.push({ kind: 'unsealed', id: e.id })
      lastId = e.id
      lastHash = GENESIS_HASH
      continue
    }
    // Ids are assigned one after another (the repository writes id = last + 1): a hole is a deletion.
    if (e.id !== lastId + 1) problems.push({ kind: 'gap', afterId: lastId, id: e.id })
    if (e.prevHash !== lastHash) problems.push({ kind: 'broken_link', id: e.id })
    if (hashEntry(e.prevHash, e) !== e.hash) problems.push({ kind: 'edited', id: e.id })
    lastId = e.id
    lastHash = e.hash
  }
  return { problems, cursor: { lastId, lastHash }, count }
}

/** How the doctor and the restore name a problem, in Chinese. */
export function describeChainProblem(p: ChainProblem): string {
  switch (p.kind) {
    case 'unsealed':
      return `审计记录 #${p.id} 没有哈希（未封存）`
    case 'gap':
      return `审计记录 #${p.afterId} 与 #${p.id} 之间缺少记录（被删除）`
    case 'broken_link':
      return `审计记录 #${p.id} 与前一条记录的哈希不衔接（前面的记录被删除或修改）`
    case 'edited':
      return `审计记录 #${p.id} 的内容与其哈希不符（记录被修改）`
  }
}
