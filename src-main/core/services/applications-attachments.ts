// Attachment files: JPEG, PNG or PDF recognised by their bytes, at most `attachment.maxBytes`,
// stored once by SHA-256 under <dataDir>/attachments/ab/abcdef…. The bytes are written to a temp
// file, flushed and renamed into place before the database transaction; a replaced file is
// removed only after the transaction commits and only when nothing names it any more; a failed
// upload leaves no row and no file.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, type ReadStream } from 'node:fs'
import { mkdir, open, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { STAGE_LABELS, type Stage } from '../../../src-preload/contract/vocab'
import type { CoreContext } from '../context'
import type { Db } from '../storage/database'
import { AppError } from '../errors'
import { allowedAttachments, attachmentLabel, type AttachmentKind } from '../domain/application-rules'
import { attachmentRepository, type AttachmentContentType, type AttachmentRecord } from '../storage/repositories/attachments'
import { dataDirOf } from './applicant-accounts'
import type { ApplicationsService, FormActor } from './applications'
import { storageFailure } from '../storage-errors'

const EDITABLE: readonly Stage[] = ['draft', 'returned']

/** Bytes of an upload held in memory before they are written (see store). */
const BUFFERED = 1024 * 1024

/** Folders already made: made once, not asked for again on every upload. */
const KNOWN_DIRS = new WeakMap<Db, { ensure(dir: string): Promise<void> }>()
function knownDirsOf(db: Db) {
  let k = KNOWN_DIRS.get(db)
  if (!k) {
    const made = new Set<string>()
    k = {
      async ensure(dir: string) {
        if (made.has(dir)) return
        await mkdir(dir, { recursive: true })
        made.add(dir)
      }
    }
    KNOWN_DIRS.set(db, k)
  }
  return k
}

// One set of files in flight per database, whichever service instance writes them.
const PENDING = new WeakMap<Db, Map<string, number>>()
function pendingOf(db: Db): Map<string, number> {
  let m = PENDING.get(db)
  if (!m) PENDING.set(db, (m = new Map()))
  return m
}

/** What the first bytes (and the last ones, for completeness) say a file is. */
export function sniffFile(head: Buffer, tail: Buffer): { type: AttachmentContentType } | { problem: string } | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    // A JPEG ends with the EOI marker FF D9 (scanners may pad a few bytes after it).
    const t = tail.subarray(Math.max(0, tail.length - 64))
    for (let i = t.length - 2; i >= 0; i--) if (t[i] === 0xff && t[i + 1] === 0xd9) return { type: 'image/jpeg' }
    return { problem: 'JPEG 图片不完整（文件已损坏或未上传完整）' }
  }
  const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (head.length >= 8 && PNG.every((b, i) => head[i] === b)) {
    // IHDR first, IEND (with its fixed CRC) last.
    const ihdr = head.length >= 16 && head.toString('latin1', 12, 16) === 'IHDR'
    const iend = tail.length >= 12 && tail.toString('latin1', tail.length - 8, tail.length - 4) === 'IEND'
    return ihdr && iend ? { type: 'image/png' } : { problem: 'PNG 图片不完整（文件已损坏或未上传完整）' }
  }
  if (head.length >= 5 && head.toString('latin1', 0, 5) === '%PDF-') {
    return tail.toString('latin1').includes('%%EOF') ? { type: 'application/pdf' } : { problem: 'PDF 文件不完整（文件已损坏或未上传完整）' }
  }
  return null
}

const EXT: Record<AttachmentContentType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' }

/** A safe display name: no path, no control characters, at most 100 characters. */
export function cleanFileName(raw: string | undefined, kind: AttachmentKind, type: AttachmentContentType): string {
  let name = raw ?? ''
  if (/%[0-9A-Fa-f]{2}/.test(name)) {
    try {
      name = decodeURIComponent(name)
    } catch {
      /* keep it as sent */
    }
  }
  name = name
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
    .trim()
  if (!name || name === '.' || name === '..') name = `${kind}.${EXT[type]}`
  return [...name].slice(0, 100).join('')
}

export interface StoredAttachment {
  kind: AttachmentKind
  fileName: string
  contentType: AttachmentContentType
  size: number
  sha256: string
}

export function applicationAttachmentsService(ctx: CoreContext, applications: ApplicationsService) {
  const repo = attachmentRepository(ctx.db)
  const root = join(dataDirOf(ctx), 'attachments')
  const tmpDir = join(root, 'tmp')
  const dirs = knownDirsOf(ctx.db)
  /** Files being written or committed right now: never removed by another request's clean-up. */
  const pending = pendingOf(ctx.db)
  const hold = (sha: string) => pending.set(sha, (pending.get(sha) ?? 0) + 1)
  const release = (sha: string) => {
    const n = (pending.get(sha) ?? 1) - 1
    if (n <= 0) pending.delete(sha)
    else pending.set(sha, n)
  }

  /** Where the file of this hash lives. */
  const pathOf = (sha256: string) => join(root, sha256.slice(0, 2), sha256)

  async function removeIfUnused(sha256: string) {
    if (pending.has(sha256) || repo.isReferenced(sha256)) return
    await rm(pathOf(sha256), { force: true })
  }

  /** Who may upload now; checked before a byte is read and again inside the transaction. */
  function checkWritable(actor: FormActor, applicationId: number, kind: AttachmentKind, anyStage = false) {
    const r = applications.load(actor, applicationId)
    if (!anyStage && !EDITABLE.includes(r.stage)) {
      throw new AppError('conflict', `申请当前状态为“${STAGE_LABELS[r.stage]}”，只有草稿或退回补正的申请可以上传材料`)
    }
    if (!allowedAttachments(r.category, r.applicationType).includes(kind)) {
      const label = attachmentLabel(kind, r.category)
      throw new AppError('rule_violation', `此类申请无需上传“${label}”`, { [kind]: `此类申请无需上传“${label}”` })
    }
    return r
  }

  /**
   * Streams `body` into the store and makes it the application's current `kind`. `declaredSize`
   * (Content-Length) lets an oversized upload be refused before it is read.
   */
  async function store(
    actor: FormActor,
    applicationId: number,
    kind: AttachmentKind,
    body: Readable | Buffer,
    /** anyStage: demo data and imports attach files to applications already under review */
    meta: { fileName?: string; declaredSize?: number; anyStage?: boolean }
  ): Promise<StoredAttachment> {
    checkWritable(actor, applicationId, kind, meta.anyStage)
    const maxBytes = ctx.settings.get('attachment.maxBytes')
    const tooLarge = () => new AppError('too_large', `文件不能超过${Math.round(maxBytes / 1024 / 1024)}MB`, { [kind]: `文件不能超过${Math.round(maxBytes / 1024 / 1024)}MB` })
    if (meta.declaredSize !== undefined && meta.declaredSize > maxBytes) throw tooLarge()

    await dirs.ensure(tmpDir)
    const tmp = join(tmpDir, `${randomBytes(12).toString('hex')}.part`)
    const hash = createHash('sha256')
    let size = 0
    let head: Buffer = Buffer.alloc(0)
    let tail: Buffer = Buffer.alloc(0)
    // Up to BUFFERED bytes are kept and written in one call (a scan is a few hundred KB): each
    // file-system call is a trip to libuv's thread pool, and under load those trips cost more than
    // the writing. A larger file is streamed to disk as it comes.
    let held: Buffer[] = []
    let heldBytes = 0
    let fh: FileHandle | undefined
    let sha256: string
    try {
      // destroyOnReturn: false keeps the socket when we stop early, so the refusal still reaches the client.
      const source: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(body) ? [body] : body.iterator({ destroyOnReturn: false })
      for await (const chunk of source) {
        size += chunk.length
        if (size > maxBytes) throw tooLarge()
        if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)])
        tail = chunk.length >= 1024 ? chunk.subarray(-1024) : Buffer.concat([tail, chunk]).subarray(-1024)
        hash.update(chunk)
        held.push(chunk)
        heldBytes += chunk.length
        if (heldBytes > BUFFERED) {
          fh ??= await open(tmp, 'wx')
          await fh.writev(held)
          held = []
          heldBytes = 0
        }
      }
      if (size === 0) throw new AppError('invalid_input', '文件内容为空', { [kind]: '文件内容为空' })
      fh ??= await open(tmp, 'wx')
      if (held.length) await fh.writev(held)
      await fh.sync()
      await fh.close()
      fh = undefined
      sha256 = hash.digest('hex')
    } catch (e) {
      if (fh) {
        await fh.close().catch(() => undefined)
        await unlink(tmp).catch(() => undefined)
      }
      if (!Buffer.isBuffer(body)) body.resume()
      if (e instanceof AppError) throw e
      // A full or read-only disk is the office's problem (507/503), not the applicant's upload.
      throw storageFailure(e) ?? new AppError('invalid_input', '文件上传中断，请重新上传', { [kind]: '文件上传中断，请重新上传' })
    }

    const sniffed = sniffFile(head, tail)
    if (!sniffed || 'problem' in sniffed) {
      await unlink(tmp).catch(() => undefined)
      const message = sniffed ? sniffed.problem : '只能上传 JPEG、PNG 图片或 PDF 文件（按文件内容识别，不看扩展名）'
      throw new AppError('unsupported_type', message, { [kind]: message })
    }
    if (kind === 'photo' && sniffed.type === 'application/pdf') {
      await unlink(tmp).catch(() => undefined)
      throw new AppError('unsupported_type', '近期免冠照片须为 JPEG 或 PNG 图片', { photo: '近期免冠照片须为 JPEG 或 PNG 图片' })
    }

    // Into place, under its hash: once per content.
    hold(sha256)
    const finalPath = pathOf(sha256)
    let created = false
    try {
      const exists = await stat(finalPath).then(
        (s) => s.size === size,
        () => false
      )
      if (exists) await unlink(tmp)
      else {
        const dir = join(root, sha256.slice(0, 2))
        await dirs.ensure(dir)
        await rename(tmp, finalPath)
        created = true
        await syncDir(dir)
      }
    } catch (e) {
      release(sha256)
      await unlink(tmp).catch(() => undefined)
      throw e
    }

    const stored: StoredAttachment = {
      kind,
      fileName: cleanFileName(meta.fileName, kind, sniffed.type),
      contentType: sniffed.type,
      size,
      sha256
    }
    let dropped: AttachmentRecord | undefined
    try {
      // Shares a commit (and its flush to disk) with the other uploads and submissions of this moment.
      await applications.commitGrouped(() => {
        const r = checkWritable(actor, applicationId, kind, meta.anyStage)
        const now = ctx.now()
        const old = repo.currentOfKind(applicationId, kind)
        if (old) {
          // A file that was part of a submission stays in its history; a draft's is simply replaced.
          if (r.submissionCount > 0) repo.markReplaced(old.id, now)
          else {
            repo.remove(old.id)
            dropped = old
          }
        }
        repo.insert({
          applicationId,
          ...stored,
          uploadedAt: now,
          uploadedByType: actor.kind,
          uploadedById: actor.id
        })
        applications.records.touch(applicationId, now)
      })
    } catch (e) {
      release(sha256)
      if (created) await removeIfUnused(sha256)
      throw e
    }
    release(sha256)
    if (dropped && dropped.sha256 !== sha256) await removeIfUnused(dropped.sha256)
    return stored
  }

  /** Opens an attachment's bytes for streaming (the review desk, the applicant's own view). */
  function open_(row: AttachmentRecord): { stream: ReadStream; record: AttachmentRecord } {
    return { stream: createReadStream(pathOf(row.sha256)), record: row }
  }

  return {
    store,
    pathOf,
    /** The current file of a kind, checked against the actor (applicants: their own only). */
    openCurrent(actor: FormActor, applicationId: number, kind: AttachmentKind) {
      applications.load(actor, applicationId)
      const row = repo.currentOfKind(applicationId, kind)
      if (!row) throw new AppError('not_found', '该材料尚未上传')
      return open_(row)
    },
    /** Any attachment row by id (also a replaced one from a submission's history), for staff. */
    openById(attachmentId: number) {
      const row = repo.byId(attachmentId)
      if (!row) throw new AppError('not_found', '附件不存在')
      return open_(row)
    },
    repo
  }
}
export type ApplicationAttachmentsService = ReturnType<typeof applicationAttachmentsService>

async function syncDir(dir: string) {
  // Makes the rename itself durable; some file systems refuse fsync on a directory: that is fine.
  try {
    const fh = await open(dir, 'r')
    try {
      await fh.sync()
    } finally {
      await fh.close()
    }
  } catch {
    /* best effort */
  }
}
