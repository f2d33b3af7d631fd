// Runs every benchmark in bench/ (files named *.bench.ts) one after another with vite-node, which
// understands the same TypeScript and Vite features as the app build. Each prints its own figures.
import { readdirSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .sort()
let failed = 0
for (const f of files) {
  console.log(`\n=== ${f}`)
  const r = spawnSync(process.execPath, [join(here, '../node_modules/vite-node/dist/cli.mjs'), join(here, f)], { stdio: 'inherit' })
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
