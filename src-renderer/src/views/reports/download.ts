// How a finished export reaches the supervisor. Electron: the main process asks where to save it
// (a save dialog) and copies the file there. Browser: GET /exports/{id} with the staff token,
// saved through the browser's download.
import { ApiError } from '../../../../src-preload/contract/errors'
import { session, bridgeKind } from '../../api'

export async function downloadExport(id: number, fileName: string): Promise<string | null> {
  if (bridgeKind === 'ipc' && window.qualdesk?.saveExport) {
    const result = await window.qualdesk.saveExport(id, session.token ?? undefined)
    if (!result.ok) throw new ApiError(result.error, result.status)
    return result.data.saved ? (result.data.path ?? fileName) : null
  }
  let res: Response
  try {
    res = await fetch(`./exports/${id}`, { headers: session.token ? { Authorization: `Bearer ${session.token}` } : {} })
  } catch {
    throw new ApiError({ code: 'unavailable', message: '无法连接到 QualDesk 服务，请检查网络或服务是否已启动' }, 0)
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null
    throw new ApiError(body?.error ?? { code: 'internal', message: `下载失败（${res.status}）` }, res.status)
  }
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
  return fileName
}
