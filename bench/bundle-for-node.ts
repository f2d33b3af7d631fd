// Bench code bundled as the app's main process is built (Vite SSR build: CommonJS, dependencies
// left to require()), so that a bench measures built code rather than modules vite-node transforms
// on the fly in the same process. The bundle goes under node_modules/.cache, where its require()
// finds node_modules.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Bundles `inputs` (output name → source file) into `node_modules/.cache/<cacheName>/<name>.js`; returns that folder. */
export async function bundleForNode(cacheName: string, inputs: Record<string, string>): Promise<string> {
  const outDir = join(ROOT, 'node_modules', '.cache', cacheName)
  await build({
    configFile: false,
    logLevel: 'warn',
    root: ROOT,
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      reportCompressedSize: false,
      rollupOptions: { input: inputs, output: { format: 'cjs', entryFileNames: '[name].js' } }
    }
  })
  return outDir
}
