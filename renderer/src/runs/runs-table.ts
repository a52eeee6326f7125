// The runs table as plain data: its columns, how each one reads and sorts a run, and aria-sort.

import type { RunStatus, RunSummary } from '@contract'
import { describeArchitecture } from '@core/nn/architecture'
import { countParameters } from '@core/nn/shapes'
import type { OptimizerConfig } from '@core/train/config'
import { formatAccuracy, formatCount, formatRunDuration } from '@/shared/format'
import { settingValues } from './run-changes'

export type RunColumnKey =
  | 'name'
  | 'status'
  | 'startedAt'
  | 'duration'
  | 'steps'
  | 'testAccuracy'
  | 'learningRate'
  | 'batchSize'
  | 'architecture'
  | 'optimizer'

export type SortDirection = 'ascending' | 'descending'

export interface RunSort {
  readonly key: RunColumnKey
  readonly direction: SortDirection
}

export interface RunColumn {
  readonly key: RunColumnKey
  readonly label: string
  /** Right-aligned, and sorted largest first on the first click. */
  readonly numeric: boolean
  /** What the column sorts by; null sorts last in either direction. */
  readonly sortValue: (run: RunSummary) => string | number | null
  readonly text: (run: RunSummary) => string
}

export const STATUS_TEXT: Readonly<Record<RunStatus, string>> = {
  running: 'Running',
  completed: 'Completed',
  stopped: 'Stopped',
  diverged: 'Diverged',
  failed: 'Failed',
  interrupted: 'Interrupted'
}

/** "SGD, momentum 0.9", "SGD", "Adam". */
export function describeOptimizer(optimizer: OptimizerConfig): string {
  if (optimizer.kind === 'adam') return 'Adam'
  return optimizer.momentum > 0 ? `SGD, momentum ${optimizer.momentum}` : 'SGD'
}

/** The run's optimizer with any live momentum change: "SGD, momentum 0 → 0.9". */
function describeRunOptimizer(run: RunSummary): string {
  const momenta = settingValues(run, 'momentum')
  if (momenta === null || !momenta.includes('→')) return describeOptimizer(run.config.optimizer)
  return `SGD, momentum ${momenta}`
}

/** "Mar 12, 14:05" in the user's locale (24-hour: shorter, and unambiguous in a column). */
export function formatStarted(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return '—'
  return date.toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23'
  })
}

export const RUN_COLUMNS: readonly RunColumn[] = [
  {
    key: 'name',
    label: 'Name',
    numeric: false,
    sortValue: (r) => r.name.toLowerCase(),
    text: (r) => r.name
  },
  {
    key: 'status',
    label: 'Status',
    numeric: false,
    sortValue: (r) => STATUS_TEXT[r.status],
    text: (r) => STATUS_TEXT[r.status]
  },
  {
    key: 'startedAt',
    label: 'Started',
    numeric: true,
    sortValue: (r) => dateValue(r.startedAt),
    text: (r) => formatStarted(r.startedAt)
  },
  {
    key: 'duration',
    label: 'Duration',
    numeric: true,
    sortValue: (r) => r.durationSeconds,
    text: (r) => formatRunDuration(r.durationSeconds)
  },
  {
    key: 'steps',
    label: 'Steps',
    numeric: true,
    sortValue: (r) => r.steps,
    text: (r) => `${formatCount(r.steps)} / ${formatCount(r.totalSteps)}`
  },
  {
    key: 'testAccuracy',
    label: 'Test accuracy',
    numeric: true,
    sortValue: (r) => r.finalTestAccuracy,
    text: (r) => formatAccuracy(r.finalTestAccuracy)
  },
  {
    key: 'learningRate',
    label: 'LR',
    numeric: true,
    sortValue: (r) => r.config.learningRate,
    // "0.03 → 0.5" when the learning rate was changed while the run trained.
    text: (r) => settingValues(r, 'learningRate') ?? '—'
  },
  {
    key: 'batchSize',
    label: 'Batch',
    numeric: true,
    sortValue: (r) => r.config.batchSize,
    text: (r) => String(r.config.batchSize)
  },
  {
    key: 'architecture',
    label: 'Architecture',
    numeric: false,
    // Bigger networks after smaller ones; the same size by its description.
    sortValue: (r) =>
      `${String(countParameters(r.config.architecture)).padStart(12, '0')} ${describeArchitecture(r.config.architecture)}`,
    text: (r) => describeArchitecture(r.config.architecture)
  },
  {
    key: 'optimizer',
    label: 'Optimizer',
    numeric: false,
    sortValue: (r) => describeOptimizer(r.config.optimizer),
    text: describeRunOptimizer
  }
]

function dateValue(iso: string): number | null {
  const time = Date.parse(iso)
  return Number.isNaN(time) ? null : time
}

export function columnOf(key: RunColumnKey): RunColumn {
  return RUN_COLUMNS.find((column) => column.key === key)!
}

/**
 * The runs in column order, stable (ties keep their order), with runs lacking a value (a running
 * run's test accuracy) last in either direction.
 */
export function sortRuns(runs: readonly RunSummary[], sort: RunSort): RunSummary[] {
  const column = columnOf(sort.key)
  const sign = sort.direction === 'ascending' ? 1 : -1
  return runs
    .map((run, index) => ({ run, index, value: column.sortValue(run) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) {
        return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1
      }
      const order =
        typeof a.value === 'number' && typeof b.value === 'number'
          ? a.value - b.value
          : String(a.value).localeCompare(String(b.value))
      return order === 0 ? a.index - b.index : sign * order
    })
    .map((entry) => entry.run)
}

/** Clicking a header: the same column flips direction; another starts largest-first for numbers, A→Z for text. */
export function nextSort(current: RunSort, key: RunColumnKey): RunSort {
  if (current.key === key)
    return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
  return { key, direction: columnOf(key).numeric ? 'descending' : 'ascending' }
}

/** The header's aria-sort: only the sorted column says a direction. */
export function ariaSort(current: RunSort, key: RunColumnKey): SortDirection | 'none' {
  return current.key === key ? current.direction : 'none'
}

/** Newest first, as a runs list opens. */
export const DEFAULT_RUN_SORT: RunSort = { key: 'startedAt', direction: 'descending' }
