// The renderer's composition root: Pinia, the one subscription to training events, and the app.

import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { useStudio } from './api'
import { handleMenuCommand, runMenuCommand } from './lib/menu'
import { useNavigationStore } from './stores/navigation'
import { useClassifyStore } from './stores/classify'
import { useConfigStore } from './stores/config'
import { useModelStore } from './stores/model'
import { useSettingsStore } from './stores/settings'
import { useTrainingStore } from './stores/training'
import './styles/main.css'

const app = createApp(App).use(createPinia())
const training = useTrainingStore() // after app.use(pinia), per the Pinia docs
useStudio().onTrainingEvent(training.receive) // the app's single subscription; lives as long as the window
void training.catchUp() // a window that opens or reloads mid-run shows the run so far
useStudio().onMenuCommand(runMenuCommand)
const navigation = useNavigationStore()
for (const view of ['train', 'classify', 'evaluate', 'runs', 'explore'] as const) {
  handleMenuCommand(`show-${view}`, () => navigation.show(view))
}
void useConfigStore().loadDatasetInfo()
const model = useModelStore()
handleMenuCommand('save-model', () => void model.saveModel())
handleMenuCommand('export-npz', () => void model.exportNpz())
// File › Open Images… / Load Model…: main's native dialog read the files; they go where a drop goes.
useStudio().onOpenedFiles((opened) => useClassifyStore().openFromDialog(opened))
void model.refresh()
void useSettingsStore().load() // the theme and the last edited config
app.mount('#app')
