// Keyboard shortcuts of a review screen. Single keys act only when the clerk is not typing in a
// field and no dialog is open (a dialog handles its own keys); Escape always reaches the screen.
import { onBeforeUnmount, onMounted, type Ref } from 'vue'

export type ShortcutMap = Record<string, (e: KeyboardEvent) => void>

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)
}

function dialogOpen(): boolean {
  // A dialog fading out (its overlay in a *-leave-active transition) no longer takes keys.
  const overlays = document.querySelectorAll<HTMLElement>('.el-overlay')
  for (const o of overlays) {
    if (o.style.display === 'none' || /leave-(active|to)/.test(o.className)) continue
    if (o.querySelector('.el-dialog, .el-message-box')) return true
  }
  return false
}

/** Key names: 'n', 'p', '/', 'ArrowDown', 'Enter', 'Escape', '[', ']', '+', '-', '0'. */
export function useShortcuts(map: ShortcutMap, enabled?: Ref<boolean>) {
  function onKey(e: KeyboardEvent) {
    if (enabled && !enabled.value) return
    if (e.ctrlKey || e.metaKey || e.altKey) return
    if (e.key !== 'Escape' && (typing(e.target) || dialogOpen())) return
    if (e.key === 'Escape' && dialogOpen()) return
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key
    const fn = map[key] ?? (key === '=' ? map['+'] : undefined)
    if (!fn) return
    e.preventDefault()
    fn(e)
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
