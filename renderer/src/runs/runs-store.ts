// The run history: every recorded run (sortable), the runs chosen for comparison with their colours
// and full records, the two runs whose configs are diffed, and rename / delete / CSV export.

import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef, watch } from 'vue'
import {
  timeTravelBudgetProblem,
  type RunRecord,
  type RunSummary,
  type TimeTravelUsage
} from '@contract'
import { useStudio } from '@/shared/api'
import { saveTextFile } from '@/shared/download'
import { assignTones, MAX_COMPARED_RUNS, type CompareEntry } from './run-curves'
import type { RunTone } from '@/shared/charts/chart-lines'
import { DEFAULT_RUN_SORT, nextSort, sortRuns, type RunColumnKey, type RunSort } from './runs-table'
import { openInTrainProblem } from './open-in-train'
import { useTrainingStore } from '@/train/training-store'

export type RunsStatus = 'idle' | 'loading' | 'ready' | 'failed'

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** What makes a cached record out of date: a running run gains steps, then ends. */
function recordKey(run: RunSummary): string {
  return `${run.status}:${run.steps}:${run.name}:${run.finalTestAccuracy}`
}

export const useRunsStore = defineStore('runs', () => {
  const training = useTrainingStore()
  const runs = shallowRef<readonly RunSummary[]>([])
  const status = ref<RunsStatus>('idle')
  const error = shallowRef<string | null>(null)
  const sort = shallowRef<RunSort>(DEFAULT_RUN_SORT)
  /** Compared runs, in the order chosen. */
  const selected = shallowRef<readonly string[]>([])
  const tones = shallowRef<ReadonlyMap<string, RunTone>>(new Map())
  /** Full records of compared runs, with the summary key they were read at. */
  const records = shallowRef<ReadonlyMap<string, { key: string; record: RunRecord }>>(new Map())
  /** The two runs whose configs are diffed; null = the first two compared (or listed) runs. */
  const diffChoice = shallowRef<readonly [string | null, string | null]>([null, null])

  /** What runs' checkpoint files (time-travel data) take on disk, or null before it is read. */
  const timeTravel = shallowRef<TimeTravelUsage | null>(null)
  /** Why the disk budget typed in was not taken (the settings' own sentence), or null. */
  const budgetError = shallowRef<string | null>(null)
  /** The runs whose time-travel data is on disk (they open in Train), or null before it is read. */
  const withTimeTravel = shallowRef<ReadonlySet<string> | null>(null)

  const sorted = computed(() => sortRuns(runs.value, sort.value))
  const byId = computed(() => new Map(runs.value.map((run) => [run.id, run])))
  /** Why each run that cannot be opened in Train cannot (by id); the others are absent. */
  const openProblems = computed(() => {
    const problems = new Map<string, string>()
    for (const run of runs.value) {
      const problem = openInTrainProblem(run, withTimeTravel.value, training.runId)
      if (problem) problems.set(run.id, problem)
    }
    return problems
  })
  const canSelectMore = computed(() => selected.value.length < MAX_COMPARED_RUNS)
  const compared = computed<CompareEntry[]>(() =>
    selected.value.flatMap((id) => {
      const entry = records.value.get(id)
      const tone = tones.value.get(id)
      return entry && tone ? [{ record: entry.record, tone }] : []
    })
  )
  const diffPair = computed<[RunSummary, RunSummary] | null>(() => {
    const defaults = [...selected.value, ...sorted.value.map((run) => run.id)].filter(
      (id, i, all) => all.indexOf(id) === i
    )
    const [a, b] = diffChoice.value
    const first = (a && byId.value.get(a)) || byId.value.get(defaults[0] ?? '')
    const second =
      (b && byId.value.get(b)) || byId.value.get(defaults.find((id) => id !== first?.id) ?? '')
    return first && second ? [first, second] : null
  })

  async function refresh(): Promise<void> {
    if (status.value !== 'ready') status.value = 'loading' // a refresh of a shown list keeps it shown
    try {
      runs.value = markRaw(await useStudio().listRuns())
      status.value = 'ready'
      error.value = null
      const present = new Set(runs.value.map((run) => run.id))
      setSelected(selected.value.filter((id) => present.has(id)))
      await loadRecords()
      void refreshUsage()
      void refreshOpenable()
    } catch (err) {
      status.value = 'failed'
      error.value = `Could not read the run history: ${messageOf(err)}`
    }
  }

  /** Reads the records of compared runs that are missing or out of date. */
  async function loadRecords(): Promise<void> {
    const wanted = selected.value
      .map((id) => byId.value.get(id))
      .filter((run): run is RunSummary => run !== undefined)
    const stale = wanted.filter((run) => records.value.get(run.id)?.key !== recordKey(run))
    if (stale.length === 0) return
    try {
      const loaded = await Promise.all(
        stale.map(async (run) => ({
          key: recordKey(run),
          record: markRaw(await useStudio().getRun(run.id))
        }))
      )
      const next = new Map(records.value)
      for (const entry of loaded) next.set(entry.record.id, entry)
      records.value = next
    } catch (err) {
      error.value = `Could not read a run's metrics: ${messageOf(err)}`
    }
  }

  function setSelected(ids: readonly string[]): void {
    selected.value = ids
    tones.value = assignTones(ids, tones.value)
  }

  /** Adds a run to the comparison (up to MAX_COMPARED_RUNS) or takes it out. */
  async function toggleSelected(id: string): Promise<void> {
    if (selected.value.includes(id)) setSelected(selected.value.filter((other) => other !== id))
    else if (canSelectMore.value) setSelected([...selected.value, id])
    await loadRecords()
  }

  function sortBy(key: RunColumnKey): void {
    sort.value = nextSort(sort.value, key)
  }

  function chooseDiff(side: 0 | 1, id: string): void {
    const next: [string | null, string | null] = [...diffChoice.value]
    next[side] = id
    diffChoice.value = next
  }

  async function act(action: () => Promise<void>): Promise<boolean> {
    error.value = null
    try {
      await action()
      return true
    } catch (err) {
      error.value = messageOf(err)
      return false
    }
  }

  function rename(id: string, name: string): Promise<boolean> {
    const trimmed = name.trim()
    if (trimmed === '' || trimmed === byId.value.get(id)?.name) return Promise.resolve(true)
    return act(async () => {
      await useStudio().renameRun(id, trimmed)
      await refresh()
    })
  }

  function remove(id: string): Promise<boolean> {
    return act(async () => {
      await useStudio().deleteRun(id)
      setSelected(selected.value.filter((other) => other !== id))
      await refresh()
    })
  }

  /** Pins or unpins a run's time-travel data (RunSummary.pinned); unpinned, the budget may thin it at
   *  once, so the list and the usage are read again. */
  function setPinned(id: string, pinned: boolean): Promise<boolean> {
    return act(async () => {
      await useStudio().pinRun(id, pinned)
      await refresh()
    })
  }

  /** The run's metrics, one row per step, as a CSV download. */
  function exportCsv(id: string): Promise<boolean> {
    return act(async () => saveTextFile(await useStudio().exportRunCsv(id)))
  }

  function dismissError(): void {
    error.value = null
  }

  // A run that starts appears in the list; one that ends gets its final numbers.
  watch(
    () => training.status,
    (now, before) => {
      const ended =
        now === 'finished' || now === 'stopped' || now === 'diverged' || now === 'failed'
      if (ended || before === 'starting') void refresh()
    }
  )

  /** Reads what the time-travel data takes; a failure only leaves the line out. */
  async function refreshUsage(): Promise<void> {
    try {
      timeTravel.value = await useStudio().getTimeTravelUsage()
    } catch {
      timeTravel.value = null // NOTE: the run list is what matters here; the line is a detail
    }
  }

  /** Reads which runs have time-travel data; a failure lets every run try (and explain) opening. */
  async function refreshOpenable(): Promise<void> {
    try {
      withTimeTravel.value = new Set(await useStudio().listTimeTravelRuns())
    } catch {
      withTimeTravel.value = null
    }
  }

  /** Deletes every run's checkpoints but pinned runs' (the records stay): frees the disk, ends
   *  scrubbing of the other old runs. */
  async function clearTimeTravel(): Promise<void> {
    try {
      await useStudio().clearTimeTravel()
      await refreshUsage()
      await refreshOpenable()
    } catch (err) {
      error.value = `Could not clear the time-travel data: ${messageOf(err)}`
    }
  }

  /**
   * Sets the disk budget of every run's time-travel data (Settings.timeTravelBudgetMB). The host then
   * deletes the oldest runs' checkpoints beyond it, so the usage and the list are read again.
   */
  async function setTimeTravelBudget(mb: number): Promise<void> {
    const problem = timeTravelBudgetProblem(mb)
    budgetError.value = problem && `Disk budget ${problem}`
    if (problem !== null) return
    try {
      await useStudio().updateSettings({ timeTravelBudgetMB: mb })
      await refresh()
    } catch (err) {
      budgetError.value = `Could not change the disk budget: ${messageOf(err)}`
    }
  }

  return {
    runs,
    timeTravel,
    openProblems,
    clearTimeTravel,
    budgetError,
    setTimeTravelBudget,
    status,
    error,
    sort,
    sorted,
    selected,
    tones,
    compared,
    diffPair,
    canSelectMore,
    refresh,
    toggleSelected,
    sortBy,
    chooseDiff,
    rename,
    setPinned,
    remove,
    exportCsv,
    dismissError
  }
})
