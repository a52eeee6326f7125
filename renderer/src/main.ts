// The renderer's composition root: Pinia, the one subscription to training events, and the app.

import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { useStudio } from './api'
import { handleMenuCommand, runMenuCommand } from './lib/menu'
import { useNavigationStore } from './stores/navigation'
import { useConfigStore } from './stores/config'
import { useTrainingStore } from './stores/training'
import './styles/main.css'

const app = createApp(App).use(createPinia())
const training = useTrainingStore() // after app.use(pinia), per the Pinia docs
useStudio().onTrainingEvent(training.receive) // the app's single subscription; lives as long as the window
useStudio().onMenuCommand(runMenuCommand)
const navigation = useNavigationStore()
for (const view of ['train', 'classify', 'evaluate', 'runs', 'explore'] as const) {
  handleMenuCommand(`show-${view}`, () => navigation.show(view))
}
void useConfigStore().loadDatasetInfo()
app.mount('#app')
