import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  test: {
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
