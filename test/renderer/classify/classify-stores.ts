// A fresh set of the Classify view's stores for each test (classify-store.test.ts, classify-predictor.test.ts),
// wired as in the window, against the fakes of classify-fakes.ts (which the test files hand to vi.mock).

import { createPinia, setActivePinia } from 'pinia'
import { vi } from 'vitest'
import { useClassifyStore } from '@/classify/classify-store'
import { useDrawingStore } from '@/classify/drawing-store'
import { useOpenFilesStore } from '@/classify/open-files-store'
import { usePredictorStore } from '@/classify/predictor-store'
import { useNavigationStore } from '@/shared/navigation-store'
import { decoded, oneHot, studio } from './classify-fakes'

export interface ClassifyStores {
  readonly classify: ReturnType<typeof useClassifyStore>
  readonly files: ReturnType<typeof useOpenFilesStore>
  readonly pad: ReturnType<typeof useDrawingStore>
  readonly predictor: ReturnType<typeof usePredictorStore>
}

/** New stores, no mock calls, no decoded images; every prediction a confident 7, no model yet, the Train view shown. */
export function freshClassifyStores(): ClassifyStores {
  setActivePinia(createPinia())
  vi.clearAllMocks()
  // As in the window (main.ts), the predictor follows the weights from the start.
  const predictor = usePredictorStore()
  const classify = useClassifyStore()
  const files = useOpenFilesStore()
  const pad = useDrawingStore()
  decoded.clear()
  studio.predict.mockImplementation(async () => oneHot(7))
  studio.getModel.mockResolvedValue(null)
  useNavigationStore().show('train')
  return { classify, files, pad, predictor }
}
