// Data safety in the demo (issue 9): one verified daily backup in <data folder>/backups, so a
// newcomer opening 系统管理 → 数据安全 sees a backup listed with its size and verification.
import type { Core } from '../create-core'

export async function loadDataSafetyDemo(core: Core): Promise<void> {
  await core.services.backups.run('daily')
}
