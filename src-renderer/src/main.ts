import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import './styles.css'
import App from './app.vue'
import { router, warmUp } from './router'
import { session } from './api'
import { useSessionStore } from './stores/session'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(router)

session.onLost((error) => {
  useSessionStore(pinia).lost(error.message)
  void router.replace({ name: 'login' })
})

warmUp(location.hash.slice(1) || '/', !!session.token)
app.mount('#app')
