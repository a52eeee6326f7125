// The renderer's composition root: Pinia, the one subscription to training events, and the app.

import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { useStudio } from './api'
import { handleMenuCommand, runMenuCommand } from './lib/menu'
import { useNavigationStore } from './stores/navigation'
import { useConfigStore } from './stores/config'
import { useModelStore } from './stores/model'
import { useSettingsStore } from './stores/settings'
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
const model = useModelStore()
handleMenuCommand('save-model', () => void model.saveModel())
handleMenuCommand('export-npz', () => void model.exportNpz())
// NOTE: a file picker needs a user gesture, which a menu command is not: the Evaluate view's model
// bar opens it when it can, else focuses its Load button.
handleMenuCommand('load-model', () => {
  navigation.show('evaluate')
  model.requestPicker()
})
void model.refresh()
void useSettingsStore().load() // the theme and the last edited config
app.mount('#app')
