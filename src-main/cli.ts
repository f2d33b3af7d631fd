// Command-line entry under plain Node: `serve` (browser mode + applicant API), `demo`,
// `restore PATH [--to DIR]` and `doctor`.
import { existsSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { createCore, resolveDataDir, type Core } from './core/create-core'
import { createHttpServer } from './core/http/server'
import { MigrationError } from './core/storage/database'
import { DEMO_STAFF, DEMO_STAFF_PASSWORD, loadDemoData } from './core/demo/demo-data'
import { startBackupScheduler } from './core/services/backups-scheduler'
import { doctorCommand, restoreCommand } from './core/services/doctor-cli'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const flag = (name: string) => process.argv.includes(`--${name}`)

function announceAdmin(core: Core) {
  if (!core.createdAdmin) return
  const { username, password } = core.createdAdmin
  console.log('')
  console.log('  已创建管理员账户 (administrator created)')
  console.log(`    用户名 username: ${username}`)
  if (password) {
    console.log(`    一次性密码 one-time password: ${password}`)
    console.log('    此密码只显示这一次，首次登录后须修改。 Shown once; change it at first login.')
  } else {
    console.log('    密码来自 QUALDESK_ADMIN_PASSWORD (password from QUALDESK_ADMIN_PASSWORD)')
  }
  console.log('')
}

async function serve(core: Core) {
  const host = arg('host') ?? process.env.QUALDESK_HOST ?? '127.0.0.1'
  const port = Number(arg('port') ?? process.env.QUALDESK_PORT ?? 8310)
  const staticDir = resolve(__dirname, '../renderer')
  const app = await createHttpServer(core, { staticDir })
  const address = await app.listen({ host, port })
  console.log(`QualDesk 浏览器模式已启动: ${address.replace('[::1]', 'localhost')}`)
  console.log(`  data folder: ${core.dataDir}`)
  for (const m of core.startup.messages) console.log(`  启动检查：${m}`)
  const scheduler = startBackupScheduler(core)
  const stop = async () => {
    scheduler.stop()
    await app.close()
    core.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

async function main() {
  const command = process.argv[2] ?? 'serve'
  if (command === 'restore') process.exit(await restoreCommand(process.argv.slice(3)))
  if (command === 'doctor') process.exit(await doctorCommand(process.argv.slice(3)))
  // `demo`: a throw-away demo folder, recreated each time. `serve --demo`: the normal data folder,
  // filled only when it has no applications yet.
  const demoFolder = command === 'demo' && !process.env.QUALDESK_DATA_DIR
  const demo = command === 'demo' || flag('demo')
  const dataDir = resolveDataDir(demoFolder ? './.qualdesk-demo' : './.qualdesk-data')
  if (demoFolder && existsSync(dataDir)) {
    // The default demo folder holds nothing but a demo: start it afresh each time.
    rmSync(dataDir, { recursive: true, force: true })
  }
  let core: Core
  try {
    core = await createCore({ dataDir, adminPassword: process.env.QUALDESK_ADMIN_PASSWORD || undefined })
  } catch (e) {
    if (e instanceof MigrationError) {
      console.error(`无法启动 QualDesk：${e.message}`)
      process.exit(2)
    }
    throw e
  }
  announceAdmin(core)
  if (demo) {
    if (core.ctx.repos.applications.count() > 0) {
      console.error(`数据文件夹 ${dataDir} 中已有申请数据，演示数据只载入到空的数据文件夹。`)
      process.exit(2)
    }
    const r = await loadDemoData(core)
    console.log(`已载入演示数据：${r.applications} 份申请，${r.staff} 个员工账户（密码均为 ${DEMO_STAFF_PASSWORD}）：`)
    for (const s of DEMO_STAFF) console.log(`    ${s.username.padEnd(8)} ${s.displayName}`)
  }
  if (command === 'serve' || command === 'demo') await serve(core)
  else {
    console.error(`unknown command: ${command} (serve | demo | restore | doctor)`)
    process.exit(2)
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})

