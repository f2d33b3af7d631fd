// Disk full and read-only data folders (issue 9): the database's and the file system's errors
// turned into the one error shape with a message a clerk or an applicant can act on. SQLite rolls
// the transaction back and attachment files are written to a temp file first, so nothing
// half-written stays behind; the caller only needs to be told why.
import { AppError } from './errors'

const FULL_SQLITE = new Set(['SQLITE_FULL'])
const FULL_FS = new Set(['ENOSPC', 'EDQUOT'])
const READONLY_FS = new Set(['EROFS', 'EACCES', 'EPERM'])

export const STORAGE_FULL_MESSAGE = '服务器存储空间已满，本次操作未保存。请联系管理员清理数据磁盘后重试。'
export const STORAGE_READONLY_MESSAGE = '数据文件夹当前为只读或没有写入权限，本次操作未保存。请联系管理员检查数据磁盘后重试。'
export const STORAGE_IO_MESSAGE = '数据磁盘读写出错，本次操作未保存。请联系管理员检查数据磁盘后重试。'

/** The AppError for a storage failure, or null when `e` is something else. */
export function storageFailure(e: unknown): AppError | null {
  if (!e || typeof e !== 'object') return null
  const code = String((e as { code?: unknown }).code ?? '')
  if (!code) return null
  if (FULL_SQLITE.has(code) || FULL_FS.has(code)) return new AppError('storage_full', STORAGE_FULL_MESSAGE)
  // SQLITE_READONLY and its extended codes (SQLITE_READONLY_DBMOVED, …), SQLITE_CANTOPEN
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || READONLY_FS.has(code)) {
    return new AppError('unavailable', STORAGE_READONLY_MESSAGE)
  }
  // SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, …: the disk refused; EIO from the file system.
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return new AppError('unavailable', STORAGE_IO_MESSAGE)
  return null
}
