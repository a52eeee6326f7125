// A diverged run in words, from the host's data (core/train/divergence.ts says when a run diverged).

import type { Divergence } from '@contract'

const CAUSE = 'the learning rate is too high for this network'

/** "The loss exploded at step 4: the learning rate is too high for this network". */
export function divergenceMessage(divergence: Divergence): string {
  const what = divergence.kind === 'exploded' ? 'exploded' : 'became infinite or NaN'
  return `The loss ${what} at step ${divergence.step}: ${CAUSE}`
}

/** What a chart writes at the step: "loss exploded", "loss NaN". */
export function divergenceMarkerLabel(divergence: Divergence): string {
  return divergence.kind === 'exploded' ? 'loss exploded' : 'loss NaN'
}
