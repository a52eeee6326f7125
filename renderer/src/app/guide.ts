// The first-steps guide for a learner who has never trained a network: train one, draw a digit for it,
// see why it read the digit so. Which step is next follows from what the learner has done. Pure data.

export type GuideStepId = 'train' | 'draw' | 'explain'

export interface GuideStep {
  readonly id: GuideStepId
  /** The chip's short name. */
  readonly title: string
  /** One sentence: what the step is and why. */
  readonly sentence: string
  /** The button that does it, or goes where it is done. */
  readonly action: string
}

export const GUIDE_STEPS: readonly GuideStep[] = [
  {
    id: 'train',
    title: 'Train',
    sentence: 'Train a small network on 3 200 handwritten digits and watch its weights take shape.',
    action: 'Train the network'
  },
  {
    id: 'draw',
    title: 'Draw',
    sentence: 'Draw a digit of your own and see which of the ten the network reads.',
    action: 'Draw a digit'
  },
  {
    id: 'explain',
    title: 'See why',
    sentence: 'See which of your pixels pushed the network towards its answer.',
    action: 'Show why'
  }
]

/** What the learner has done so far, read from the stores. */
export interface GuideProgress {
  /** A run has trained at least one batch. */
  readonly trained: boolean
  /** Classify has read an image of the learner's (drawn, dropped or pasted). */
  readonly drew: boolean
  /** Evaluate has shown the saliency of such an image. */
  readonly explained: boolean
}

export type GuideStepState = 'done' | 'current' | 'later'

/** Each step's state: done ones, the first not done (the current one), and those after it. */
export function guideStates(progress: GuideProgress): Record<GuideStepId, GuideStepState> {
  const done: Record<GuideStepId, boolean> = {
    train: progress.trained,
    draw: progress.drew,
    explain: progress.explained
  }
  const current = GUIDE_STEPS.find((step) => !done[step.id])?.id ?? null
  return {
    train: done.train ? 'done' : current === 'train' ? 'current' : 'later',
    draw: done.draw ? 'done' : current === 'draw' ? 'current' : 'later',
    explain: done.explain ? 'done' : current === 'explain' ? 'current' : 'later'
  }
}
