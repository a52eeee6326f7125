// The renderer's composition root: Pinia, the one subscription to training events, and the app.

import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { useStudio } from '@/shared/api'
import { handleMenuCommand, runMenuCommand } from '@/app/menu'
import { useNavigationStore } from '@/app/navigation-store'
import { useClassifyStore } from '@/classify/classify-store'
import { useConfigStore } from '@/train/config-store'
import { useModelStore } from '@/shared/model/model-store'
import { useSettingsStore } from '@/app/settings-store'
import { useTrainingStore } from '@/train/training-store'
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
