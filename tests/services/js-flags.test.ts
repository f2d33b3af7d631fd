// The V8 flags of the process that serves the applicant API are written in two places that
// cannot import each other: src-main/core/js-flags.ts (Electron, the benches, the e2e servers)
// and package.json's scripts. This keeps them the same, and checks that V8 takes each of them.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SERVER_JS_FLAGS } from '../../src-main/core/js-flags'

/** Churn that keeps ~200,000 objects alive between scavenges, as a busy batch does. */
const churn = (n: number) => `let keep = []; for (let i = 0; i < ${n}; i++) { keep.push({ a: i, b: 'x' + i }); if (keep.length > 200000) keep = [] }`

const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }

describe('the server process V8 flags', () => {
  it.each(['serve', 'demo'])('npm run %s starts node with exactly the flags of js-flags.ts', (script) => {
    const m = /&& node (.*?)\s*out\/main\/cli\.js/.exec(pkg.scripts[script]!)
    expect(m, pkg.scripts[script]).not.toBeNull()
    expect(m![1]!.split(/\s+/).filter(Boolean)).toEqual([...SERVER_JS_FLAGS])
  })

  it('V8 takes them: the young generation stays at half its default size under churn', () => {
    const script = `${churn(6e6)}
      console.log(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20)`
    const newSpaceMb = (flags: readonly string[]) => {
      const r = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' })
      expect(r.status, r.stderr).toBe(0)
      return Number(r.stdout.trim())
    }
    // The churn fills 16 MB semi-spaces (the default on a 64-bit machine with memory to spare)…
    expect(newSpaceMb(['--max-semi-space-size=16'])).toBe(32)
    // …and the server's flags hold them at 8 MB.
    expect(newSpaceMb(SERVER_JS_FLAGS)).toBe(16)
  })

  it('V8 takes them: scavenges get no help from background threads', () => {
    // --trace-gc-nvp prints each scavenge's time on helper threads (background.scavenge.parallel).
    const helped = (flags: readonly string[]) => {
      const r = spawnSync(process.execPath, [...flags, '--trace-gc-nvp', '-e', churn(3e6)], { encoding: 'utf8' })
      expect(r.status, r.stderr).toBe(0)
      const times = [...r.stdout.matchAll(/gc=s .*?background\.scavenge\.parallel=([0-9.]+)/g)].map((m) => Number(m[1]))
      expect(times.length).toBeGreaterThan(3)
      return times.reduce((a, b) => a + b, 0)
    }
    // By default V8's helpers share the scavenges' work…
    expect(helped(['--max-semi-space-size=8'])).toBeGreaterThan(0)
    // …with the server's flags the scavenging thread does it alone.
    expect(helped(SERVER_JS_FLAGS)).toBe(0)
  })
})
