// The first-steps guide's state and actions, read from and done through the stores: whether it shows,
// which step is next, and what each step's button does (go to the view where it happens, and do it).

import { computed, nextTick } from 'vue'
import { useClassifyStore } from '@/classify/classify-store'
import { useEvaluationStore } from '@/evaluate/evaluation-store'
import { useNavigationStore } from '@/shared/navigation-store'
import { useTrainingStore } from '@/train/training-store'
import { useRunControls } from '@/train/useRunControls'
import { useSettingsStore } from './settings-store'
import { guideStates, type GuideStepId } from './guide'

export function useGuide() {
  const settings = useSettingsStore()
  const training = useTrainingStore()
  const classify = useClassifyStore()
  const evaluation = useEvaluationStore()
  const navigation = useNavigationStore()
  const run = useRunControls()

  /** The learner's own image Classify has read (the drawing first), if any. */
  const ownImage = computed(() => {
    const item = classify.drawing?.stage === 'ready' ? classify.drawing : classify.selected
    return item?.stage === 'ready' && item.input ? { name: item.name, input: item.input } : null
  })

  // NOTE: hidden until the settings say whether it was dismissed, so it never flashes and goes.
  const visible = computed(() => settings.status !== 'loading' && !settings.guideDismissed)
  const states = computed(() =>
    guideStates({
      // NOTE: done once a run has ended, so the next step does not call while the weights form.
      trained: training.step > 0 && !training.isBusy,
      drew: ownImage.value !== null,
      explained:
        evaluation.saliencySubject?.source.kind === 'pixels' &&
        evaluation.saliencyStatus === 'ready'
    })
  )

  async function act(step: GuideStepId): Promise<void> {
    switch (step) {
      case 'train':
        navigation.show('train')
        if (!training.isBusy) await run.toggle()
        break
      case 'draw':
        navigation.show('classify')
        await nextTick()
        document.querySelector<HTMLElement>('[data-testid="draw-pad"]')?.focus()
        break
      case 'explain':
        navigation.show('evaluate')
        if (ownImage.value) await evaluation.explainOwnImage(ownImage.value)
        break
    }
  }

  return { visible, states, act, dismiss: () => void settings.dismissGuide() }
}
