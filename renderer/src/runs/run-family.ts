// The runs as a family tree: each fork listed right under the run it continues (in the table's order
// among its siblings), indented by its depth, with its parent's name and fork step to show.

import type { RunSummary } from '@contract'

export interface FamilyRow {
  readonly run: RunSummary
  /** 0 for a run started from fresh weights (or whose parent is gone), 1 for its forks, … */
  readonly depth: number
  /** "fork at step N of <parent>" (the step first: a narrow column cuts the name), or null for a root. */
  readonly forkNote: string | null
}

/** `runs` (already sorted) with every fork moved under its parent; a fork of a deleted run is a root. */
export function familyRows(runs: readonly RunSummary[]): FamilyRow[] {
  const byId = new Map(runs.map((run) => [run.id, run]))
  const children = new Map<string, RunSummary[]>()
  const roots: RunSummary[] = []
  for (const run of runs) {
    const parent = run.parent && byId.get(run.parent.runId)
    if (parent) children.set(parent.id, [...(children.get(parent.id) ?? []), run])
    else roots.push(run)
  }
  const rows: FamilyRow[] = []
  const visit = (run: RunSummary, depth: number): void => {
    const parent = run.parent && byId.get(run.parent.runId)
    const forkNote = run.parent
      ? `fork at step ${run.parent.step.toLocaleString('en-US')} of ${parent ? parent.name : 'a deleted run'}`
      : null
    rows.push({ run, depth, forkNote })
    for (const child of children.get(run.id) ?? []) visit(child, depth + 1)
  }
  for (const root of roots) visit(root, 0)
  return rows
}
