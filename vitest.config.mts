import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

export default defineConfig({
  // The same on-demand Element Plus resolution as the app build, so components mount as in the app.
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver({ importStyle: false })], dts: false })],
  test: {
    // The JSON report lets CI print one plain closing line of counts.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      {
        extends: true,
        test: { name: 'domain', include: ['tests/domain/**/*.test.ts'], environment: 'node' }
      },
      {
        extends: true,
        test: { name: 'services', include: ['tests/services/**/*.test.ts', 'tests/http/**/*.test.ts'], environment: 'node' }
      },
      {
        extends: true,
        test: { name: 'components', include: ['tests/components/**/*.test.ts'], environment: 'happy-dom' }
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false
        }
      }
    ]
  }
})
