// Which view the window shows, and the tabs that choose it. One place, so menus, shortcuts and drops
// can all switch views.

import { defineStore } from 'pinia'
import { ref } from 'vue'

export type ViewName = 'train' | 'classify' | 'evaluate' | 'runs' | 'explore'

export interface ViewTab {
  readonly name: ViewName
  readonly title: string
  /** What the view is for, shown as the tab's tooltip. */
  readonly description: string
}

export const VIEW_TABS: readonly ViewTab[] = [
  {
    name: 'train',
    title: 'Train',
    description: 'Edit hyperparameters, train, and watch loss, accuracy and weights live'
  },
  {
    name: 'classify',
    title: 'Classify',
    description: 'Drop, paste, open or draw digits and see what the network reads'
  },
  {
    name: 'evaluate',
    title: 'Evaluate',
    description: 'Test accuracy, confusion matrix, mistakes and saliency maps'
  },
  {
    name: 'runs',
    title: 'Runs',
    description: 'Every run recorded: compare curves and configs, export metrics'
  },
  {
    name: 'explore',
    title: 'Explore',
    description: 'Step through backpropagation number by number'
  }
]

export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<ViewName>('train')

  function show(name: ViewName): void {
    view.value = name
  }

  return { view, show }
})
