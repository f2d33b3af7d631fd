// The staff UI's Vite config. `electron-vite` (electron.vite.config.mts) uses it for the renderer
// of the desktop app; browser mode serves the very same build from out/renderer.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

export default defineConfig({
  root: resolve(__dirname, 'src-renderer'),
  // Relative asset URLs: the same build loads from file:// (Electron) and from / (browser mode).
  base: './',
  plugins: [
    vue(),
    // Element Plus components and their styles are imported on demand, per component used.
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false })
  ],
  build: {
    outDir: resolve(__dirname, 'out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') }
  }
})
