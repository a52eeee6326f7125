// Whether a run can be opened in Train to scrub and fork (Runs' "Open in Train"), and why not when it
// cannot: its time-travel data (its checkpoint file) is gone or was never written.

import type { RunSummary } from '@contract'

/**
 * Why `run` cannot be opened in Train, or null when it can. `withTimeTravel`: the runs whose
 * checkpoint files are on disk (null: not known yet, so opening is tried and explains itself);
 * `onScreen`: the run Train shows now (the one going, or just ended), which is always there to see.
 */
export function openInTrainProblem(
  run: RunSummary,
  withTimeTravel: ReadonlySet<string> | null,
  onScreen: string | null
): string | null {
  if (run.id === onScreen || withTimeTravel === null || withTimeTravel.has(run.id)) return null
  if (run.status === 'running') return null // NOTE: its first save is on its way; Train shows it
  if (run.timeTravelDropped)
    return 'Its time-travel data was deleted to keep within the disk budget: only its charts remain.'
  return (
    'It has no time-travel data (cleared, or never written: recorded before runs kept ' +
    'checkpoints, or a net too big for them): only its charts remain.'
  )
}
