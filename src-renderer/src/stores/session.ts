import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { StaffMe } from '../../../src-preload/contract'
import type { DeskKey } from '../../../src-preload/contract/vocab'
import { api, session as bridgeSession } from '../api'

export const useSessionStore = defineStore('session', () => {
  const me = ref<StaffMe | null>(null)
  /** Why the last session ended, shown on the login page. */
  const endedBecause = ref<string | null>(null)

  const signedIn = computed(() => me.value !== null)
  const desks = computed<DeskKey[]>(() => me.value?.desks ?? [])

  async function login(username: string, password: string) {
    const result = await api.auth.login({ username, password })
    bridgeSession.set(result.token)
    me.value = result.staff
    endedBecause.value = null
  }

  /** On start: resume a session this tab still holds. */
  async function resume(): Promise<boolean> {
    if (!bridgeSession.token) return false
    try {
      me.value = await api.auth.me()
      return true
    } catch {
      bridgeSession.set(null)
      return false
    }
  }

  async function logout() {
    try {
      await api.auth.logout()
    } finally {
      bridgeSession.set(null)
      me.value = null
    }
  }

  function lost(reason: string) {
    bridgeSession.set(null)
    me.value = null
    endedBecause.value = reason
  }

  function passwordChanged() {
    if (me.value) me.value = { ...me.value, mustChangePassword: false }
  }

  return { me, endedBecause, signedIn, desks, login, resume, logout, lost, passwordChanged }
})
