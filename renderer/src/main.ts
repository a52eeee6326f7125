// The renderer's composition root: Pinia, the one connection to what the host pushes, and the app.

import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { useStudio } from '@/shared/api'
import { connectHost } from '@/app/host-events'
import { usePredictorStore } from '@/classify/predictor-store'
import { useConfigStore } from '@/train/config-store'
import { useModelStore } from '@/shared/model/model-store'
import { useSettingsStore } from '@/app/settings-store'
import { useTrainingStore } from '@/train/training-store'
import { useHealthStore } from '@/train/health/health-store'
import './styles/main.css'

const app = createApp(App).use(createPinia())
connectHost(useStudio()) // after app.use(pinia), per the Pinia docs: the handlers use the stores
void useTrainingStore().catchUp() // a window that opens or reloads mid-run shows the run so far
void useHealthStore().catchUp() // and its health
void useConfigStore().loadDatasetInfo()
void useModelStore().refresh()
void useSettingsStore().load() // the theme and the last edited config
usePredictorStore() // Classify's predictions follow the weights from the start, whichever view shows
app.mount('#app')
