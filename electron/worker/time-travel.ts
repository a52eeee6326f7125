// The worker's half of time travel: the current run's checkpoints (kept as it trains, within a memory
// budget, and saved beside its run record as they change), the network at any step of a run (the
// nearest checkpoint replayed: exact, runs are deterministic), and the state a fork starts from.

import {
  appendChanges,
  type CheckpointFile,
  type CheckpointPolicy,
  CheckpointStore,
  classify,
  ConfigError,
  createTrainer,
  type Dataset,
  evaluateOnEngine,
  firstLayerSnapshot,
  replayInto,
  type SettingChange,
  type StepTrainer,
  takeFirst,
  type TrainConfig,
  type TrainerState
} from '../../core'
import {
  SCRUB_TEST_IMAGES,
  StudioError,
  type FeatureMapsResult,
  type NetworkAtStep,
  type RunPoint
} from '../contract'
import { STUDIO_CHECKPOINT_BUDGET, type CheckpointFiles } from '../files/checkpoint-files'
import type { DatasetPair } from '../files/datasets'
import { UserFileError } from '../files/user-file'
import { CheckpointSaver } from './checkpoint-saver'
import { featureMapsOf, summarize } from './model-views'
import type { InspectedImage } from './test-images'

/** One run's checkpoints as it trains, saved beside its record as they change (CheckpointSaver). */
export class RunCheckpoints {
  /** Null once a single state outgrew the budget: the run trains on, without time travel. */
  private store: CheckpointStore | null
  /** The run's live changes of its learning rate and momentum, which a replay makes again. */
  private changes: SettingChange[] = []
  /** How many times the kept states or changes changed (a save is due only after a change). */
  private version = 0
  /** Null: kept in memory only. */
  readonly saver: CheckpointSaver | null

  constructor(
    readonly runId: string,
    readonly config: TrainConfig,
    start = 0,
    policy: Omit<CheckpointPolicy, 'start'> = { every: 1, budgetBytes: STUDIO_CHECKPOINT_BUDGET },
    files: CheckpointFiles | null = null
  ) {
    this.store = new CheckpointStore({ ...policy, start })
    this.saver = files
      ? new CheckpointSaver(files, runId, () => ({ file: this.file, version: this.version }))
      : null
  }

  /** Keeps the trainer's state when the schedule wants its step, and saves when a save is due (call
   *  between steps). */
  keep(trainer: StepTrainer): void {
    if (this.store?.wants(trainer.stepsCompleted)) {
      try {
        this.store.add(trainer.captureState())
        this.version++
      } catch (error) {
        if (!(error instanceof RangeError)) throw error
        this.store = null // NOTE: a net whose one state exceeds the budget: no time travel, no failure
      }
    }
    this.saver?.saveIfDue()
  }

  /** Logs live changes (see liveChanges) with the run's checkpoints, and saves when a save is due. */
  noteChanges(changes: readonly SettingChange[]): void {
    if (changes.length === 0) return
    this.changes = appendChanges(this.changes, changes)
    this.version++
    this.saver?.saveIfDue()
  }

  /** Bytes the kept states hold (within the budget). */
  get bytes(): number {
    return this.store?.bytes ?? 0
  }

  get file(): CheckpointFile {
    return { config: this.config, states: this.store?.states ?? [], changes: this.changes }
  }
}

/** The probe digits: the first test image of each class, in class order. */
function probeIndices(test: Dataset): number[] {
  const firstOf = new Map<number, number>()
  for (let i = 0; i < test.count && firstOf.size < 10; i++)
    if (!firstOf.has(test.labels[i])) firstOf.set(test.labels[i], i)
  return [...firstOf.entries()].sort(([a], [b]) => a - b).map(([, index]) => index)
}

/** The runs' checkpoints the worker can reach: the latest run's in memory, the others on disk. */
export class TimeTravel {
  private latest: RunCheckpoints | null = null
  /** The last file read from disk (scrubbing reads the same run again and again). */
  private loaded: { runId: string; file: CheckpointFile } | null = null
  /** The trainer the replays run in, kept for the next scrub of the same run. */
  private replay: { runId: string; trainer: StepTrainer } | null = null
  private readonly probes: readonly number[]
  private readonly scrubTest: Dataset

  /** `files`: where run records live, or null (tests, a host without a data folder): memory only. */
  constructor(
    private readonly data: DatasetPair,
    private readonly files: CheckpointFiles | null
  ) {
    this.probes = probeIndices(data.test)
    this.scrubTest = takeFirst(data.test, SCRUB_TEST_IMAGES)
  }

  /**
   * Starts keeping a new run's checkpoints (a fork's from its first step).
   * PERF: at most ~256 captures before thinning (every ⌈steps / 256⌉ steps): a capture copies the data
   * order (240 KB for MNIST), which would double the step time of a small net captured at every step.
   */
  begin(runId: string, config: TrainConfig, start: number, totalSteps: number): RunCheckpoints {
    const every = Math.max(1, Math.ceil((totalSteps - start) / 256))
    this.latest = new RunCheckpoints(
      runId,
      config,
      start,
      { every, budgetBytes: STUDIO_CHECKPOINT_BUDGET },
      this.files
    )
    return this.latest
  }

  /** The network after `point.step` steps of the run: nearest checkpoint, replayed (see NetworkAtStep). */
  async networkAt(point: RunPoint, liveSteps: number | null): Promise<NetworkAtStep> {
    const { trainer, replayedSteps } = await this.trainerAt(point, liveSteps)
    const model = trainer.model
    const probes = this.probes.map((index) => {
      const { inputSize } = this.data.test
      const pixels = this.data.test.pixels.slice(index * inputSize, (index + 1) * inputSize)
      const { probabilities, predicted } = classify(
        model,
        Float32Array.from(pixels, (b) => b / 255)
      )
      return {
        index,
        label: this.data.test.labels[index],
        predicted,
        confidence: probabilities[predicted],
        pixels
      }
    })
    return {
      ...point,
      totalSteps: trainer.totalSteps,
      weights: firstLayerSnapshot(model, point.step),
      probes,
      evaluation: summarize(evaluateOnEngine(model, this.scrubTest)),
      replayedSteps
    }
  }

  /**
   * What the network after `point.step` steps makes of one image: a conv net's feature maps (none for
   * a dense net) and its prediction.
   * PERF: the window asks for these right after networkAt of the same step, so the replay trainer is
   * usually there already: it is used as it is (a LeNet replay of hundreds of steps is not redone).
   */
  async featureMapsAt(
    point: RunPoint,
    liveSteps: number | null,
    image: InspectedImage
  ): Promise<FeatureMapsResult> {
    const kept = this.replay?.runId === point.runId ? this.replay.trainer : null
    const trainer =
      kept?.stepsCompleted === point.step ? kept : (await this.trainerAt(point, liveSteps)).trainer
    return featureMapsOf(trainer.model, image, point.step)
  }

  /** The state after `point.step` steps of the run, to start a fork from (the parent's config too). */
  async stateAt(point: RunPoint): Promise<{ parent: TrainConfig; state: TrainerState }> {
    const { trainer } = await this.trainerAt(point, null)
    return { parent: trainer.config, state: trainer.captureState() }
  }

  /**
   * A trainer put at `point` by replay. `liveSteps`: the steps the run in progress has trained, when
   * `point` is of that run (no later step exists yet).
   */
  private async trainerAt(
    point: RunPoint,
    liveSteps: number | null
  ): Promise<{ trainer: StepTrainer; replayedSteps: number }> {
    const file = await this.checkpointsOf(point.runId)
    const first = file.states[0]
    if (liveSteps !== null && point.step > liveSteps)
      throw new StudioError({
        code: 'invalid-request',
        field: 'point.step',
        message: `point.step: the run has trained ${liveSteps} steps so far, not ${point.step}`
      })
    if (point.step < first.step)
      throw new StudioError({
        code: 'invalid-request',
        field: 'point.step',
        message: `point.step: this run starts at step ${first.step} (it is a fork: scrub its parent before that)`
      })
    if (this.replay?.runId !== point.runId)
      this.replay = {
        runId: point.runId,
        trainer: createTrainer(file.config, this.data.train, first.engine)
      }
    const trainer = this.replay.trainer
    try {
      const replayedSteps = replayInto(trainer, file.states, point.step, file.changes)
      return { trainer, replayedSteps }
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      throw new StudioError({
        code: 'invalid-request',
        field: 'point.step',
        message: error.message
      })
    }
  }

  /** The run's checkpoints: in memory for the latest run, else read (and validated) from its file. */
  private async checkpointsOf(runId: string): Promise<CheckpointFile> {
    if (this.latest?.runId === runId && this.latest.file.states.length > 0) return this.latest.file
    if (this.loaded?.runId === runId) return this.loaded.file
    const noData = (why: string): StudioError =>
      new StudioError({
        code: 'run-file',
        message: `run ${runId} has no time-travel data (${why}): only its chart can be shown`
      })
    if (!this.files) throw noData('no checkpoints were kept')
    let file: CheckpointFile
    try {
      file = await this.files.read(runId)
    } catch (error) {
      if (error instanceof UserFileError && error.problem.kind === 'missing')
        throw noData('recorded before checkpoints were kept, or cleared')
      throw new StudioError({
        code: 'run-file',
        message: `run ${runId}: its checkpoint file cannot be used: ${(error as Error).message}`
      })
    }
    if (file.states.length === 0) throw noData('its checkpoint file is empty')
    this.loaded = { runId, file }
    return file
  }
}

/** What a fork keeps from its parent: the net and its data order. The rest (the optimizer, whose state
 *  switchOptimizer maps, learning rate, its decay, momentum, weight decay, epochs) may change. */
const KEPT_BY_FORKS = [
  'architecture',
  'init',
  'batchSize',
  'batchCount',
  'seed',
  'augmentation'
] as const satisfies readonly (keyof TrainConfig)[]

/** Throws ConfigError (naming the field) when `child` changes what a fork must keep from `parent`. */
export function checkForkConfig(parent: TrainConfig, child: TrainConfig): void {
  for (const key of KEPT_BY_FORKS)
    if (JSON.stringify(parent[key]) !== JSON.stringify(child[key]))
      throw new ConfigError(key, `a fork continues its parent's run, so it keeps its ${key}`)
}
