// electron-vite builds the three processes: main (the Electron shell and the plain-Node CLI),
// preload (sandboxed, bundled) and renderer (vite.config.ts, shared with browser mode).
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import renderer from './vite.config'

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // Only the sources' fallback bundles the writer's worker with it (submission-writer.ts): the
        // built app has the worker's file, and the bundler (a dev dependency) stays out of the build.
        external: ['rolldown'],
        input: {
          index: resolve(__dirname, 'src-main/index.ts'),
          cli: resolve(__dirname, 'src-main/cli.ts'),
          // The applicants' submissions' thread (src-main/core/services/submission-writer.ts)
          'submission-writer-worker': resolve(__dirname, 'src-main/core/services/submission-writer-worker.ts')
        }
      }
    }
  },
  preload: {
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src-preload/index.ts') } }
    }
  },
  renderer
})
