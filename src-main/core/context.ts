// What every service is built from: the database, its repositories, the clock and the two
// services every use case needs (audit, settings).
import type { Role } from '../../src-preload/contract/vocab'
import type { Db } from './storage/database'
import { toShanghaiIso } from './domain/time'
import { auditRepository, type AuditEntry } from './storage/repositories/audit'
import { staffRepository } from './storage/repositories/staff'
import { staffSessionRepository } from './storage/repositories/staff-sessions'
import { settingsRepository } from './storage/repositories/settings'
import { applicationRepository } from './storage/repositories/applications'
import { referenceDataRepository } from './storage/repositories/reference-data'
import { SETTING_DEFAULTS, type SettingKey, type SettingValue } from './domain/settings'

/** The signed-in staff member a staff operation runs for. */
export interface StaffActor {
  kind: 'staff'
  id: number
  username: string
  displayName: string
  roles: Role[]
  ip?: string
}

export type Clock = () => Date

/** A clock other threads can read too (the submission writer's): its time, in ms since the epoch, in shared memory. */
export interface SharedClock extends Clock {
  readonly sharedTime: Float64Array
}

export function isSharedClock(clock: Clock): clock is SharedClock {
  return (clock as Partial<SharedClock>).sharedTime?.buffer instanceof SharedArrayBuffer
}

export function createContext(db: Db, clock: Clock) {
  const repos = {
    staff: staffRepository(db),
    staffSessions: staffSessionRepository(db),
    audit: auditRepository(db),
    settings: settingsRepository(db),
    applications: applicationRepository(db),
    referenceData: referenceDataRepository(db)
  }
  const now = () => toShanghaiIso(clock())

  let settingsCache: Map<string, unknown> | undefined
  const settings = {
    get<K extends SettingKey>(key: K): SettingValue<K> {
      settingsCache ??= repos.settings.all()
      return (settingsCache.has(key) ? settingsCache.get(key) : SETTING_DEFAULTS[key]) as SettingValue<K>
    },
    set<K extends SettingKey>(key: K, value: SettingValue<K>, by: number | null) {
      repos.settings.set(key, value, now(), by)
      settingsCache = undefined
    },
    /** Reads the settings again on next use: another connection may have changed them. */
    forget() {
      settingsCache = undefined
    }
  }

  const audit = {
    record(entry: Omit<AuditEntry, 'at'>) {
      repos.audit.append({ ...entry, at: now() })
    },
    /** Shorthand for what a staff member did. */
    byStaff(actor: StaffActor, action: string, target?: { type: string; id: string | number }, detail?: unknown) {
      repos.audit.append({
        at: now(),
        actorType: 'staff',
        actorId: actor.id,
        actorName: actor.displayName,
        action,
        targetType: target?.type,
        targetId: target?.id,
        detail,
        ip: actor.ip
      })
    }
  }

  return { db, clock, now, repos, settings, audit }
}
export type CoreContext = ReturnType<typeof createContext>
