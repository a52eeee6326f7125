// --checkpoint-every, --checkpoint-dir, --checkpoint-budget and --resume-from: a CLI run keeps
// checkpoints (core/train/checkpoints.ts) in a checkpoint file, and a new run forks from any step of one.

import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'
import {
  CheckpointStore,
  DEFAULT_CHECKPOINT_BUDGET,
  replayInto,
  switchOptimizer,
  type SettingChange,
  type StepTrainer,
  type TrainConfig,
  type TrainerState
} from '../../core'
import { CHECKPOINT_BUDGET_LIMIT, CheckpointFiles } from '../files/checkpoint-files'
import { defaultDataDir } from '../files/data-dir'
import { numberFlag, stringFlag, type ParsedArgs } from './args'
import { UsageError } from './errors'

export const CHECKPOINT_FLAGS = {
  'checkpoint-every': 'string',
  'checkpoint-dir': 'string',
  'checkpoint-budget': 'string',
  'resume-from': 'string'
} as const

export const CHECKPOINT_USAGE = `  --checkpoint-every N   keep the trainer's whole state every N steps (sparser as the budget fills: the
                         spacing doubles), in <dir>/<run id>.checkpoints; a fork can start from any step
  --checkpoint-dir DIR   where checkpoint files are (default: the data folder's runs/)
  --checkpoint-budget MB the most the checkpoints may hold (default ${DEFAULT_CHECKPOINT_BUDGET / 2 ** 20} MB)
  --resume-from RUN:STEP fork: go on from step STEP of run RUN (a run id in the checkpoint folder, or a
                         .checkpoints file) with its settings, changed by any flags given; exact`

/** The checkpoint folder: --checkpoint-dir, else <data folder>/runs (beside the studio's run records). */
export function checkpointFiles(args: ParsedArgs): CheckpointFiles {
  const dir = stringFlag(args, 'checkpoint-dir')
  return new CheckpointFiles(dir ? resolve(dir) : join(defaultDataDir(), 'runs'))
}

/** A run recording checkpoints: its id, its store and where it is written. */
export interface Checkpointing {
  readonly id: string
  readonly store: CheckpointStore
  readonly files: CheckpointFiles
}

/** The checkpointing --checkpoint-every asks for, or null without it. */
export function checkpointingFromFlags(args: ParsedArgs): Checkpointing | null {
  const every = numberFlag(args, 'checkpoint-every')
  if (every === undefined) return null
  if (!Number.isInteger(every) || every < 1)
    throw new UsageError(`--checkpoint-every: a whole number of steps ≥ 1, got ${every}`)
  const megabytes = numberFlag(args, 'checkpoint-budget') ?? DEFAULT_CHECKPOINT_BUDGET / 2 ** 20
  const budgetBytes = Math.floor(megabytes * 2 ** 20)
  if (!(budgetBytes > 0 && budgetBytes <= CHECKPOINT_BUDGET_LIMIT))
    throw new UsageError(
      `--checkpoint-budget: from 1 to ${CHECKPOINT_BUDGET_LIMIT / 2 ** 20} MB, got ${megabytes}`
    )
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')
  const id = `cli-${stamp}-${randomBytes(3).toString('hex')}`
  return { id, store: new CheckpointStore({ every, budgetBytes }), files: checkpointFiles(args) }
}

/** Keeps the trainer's state when the store wants this step. */
export function keepCheckpoint(checkpointing: Checkpointing | null, trainer: StepTrainer): void {
  if (checkpointing?.store.wants(trainer.stepsCompleted))
    checkpointing.store.add(trainer.captureState())
}

/** Writes the kept checkpoints (atomically: a crash leaves the previous file whole). */
export async function writeCheckpoints(
  checkpointing: Checkpointing,
  config: TrainConfig
): Promise<string> {
  const { files, id, store } = checkpointing
  await files.write(id, { config, states: store.states })
  return files.path(id)
}

/** Where --resume-from points: the run's config and the nearest checkpoint at or before the step. */
export interface ResumePoint {
  readonly run: string
  readonly step: number
  readonly config: TrainConfig
  readonly nearest: TrainerState
  /** The parent run's live changes of its learning rate and momentum (the replay makes them again). */
  readonly changes: readonly SettingChange[]
}

/** Reads the checkpoint --resume-from RUN:STEP names, or null without the flag. */
export async function resumePointFromFlags(args: ParsedArgs): Promise<ResumePoint | null> {
  const value = stringFlag(args, 'resume-from')
  if (value === undefined) return null
  if (stringFlag(args, 'preset') !== undefined)
    throw new UsageError(
      '--resume-from takes the run’s own settings; --preset cannot be combined with it'
    )
  const match = /^(.+):(\d+)$/.exec(value)
  if (!match)
    throw new UsageError(
      `--resume-from: RUN:STEP, e.g. cli-20261207-101500-a1b2c3:400, got "${value}"`
    )
  const [, run, stepText] = match
  const step = Number(stepText)
  const file = run.endsWith('.checkpoints')
    ? new CheckpointFiles(resolve(run, '..'))
    : checkpointFiles(args)
  const id = run.endsWith('.checkpoints')
    ? run.replace(/^.*[\\/]/, '').slice(0, -'.checkpoints'.length)
    : run
  let checkpoints
  try {
    checkpoints = await file.read(id)
  } catch (error) {
    throw new UsageError(`--resume-from: ${error instanceof Error ? error.message : String(error)}`)
  }
  const nearest = [...checkpoints.states].reverse().find((state) => state.step <= step)
  if (!nearest)
    throw new UsageError(`--resume-from: run ${run} has no checkpoint at or before step ${step}`)
  const changes = checkpoints.changes ?? []
  return { run, step, config: checkpoints.config, nearest, changes }
}

/**
 * Puts a fresh trainer at the resume point: the nearest checkpoint replayed to the step (exact, with
 * the parent's live changes where it made them) in `parent`, a trainer of the parent run's own config; then its state, with the optimizer's state mapped
 * when the flags changed the optimizer (switchOptimizer), and the hyperparameters the flags changed
 * (the learning rate and momentum a checkpoint holds are the run's at that step; a flag given wins).
 * NOTE: replayed in the parent's trainer, not this one: the steps before the fork are the parent's,
 * with its optimizer and weight decay.
 */
export function resumeTrainer(
  trainer: StepTrainer,
  point: ResumePoint,
  args: ParsedArgs,
  config: TrainConfig,
  parent: StepTrainer
): void {
  if (point.step > Math.min(trainer.totalSteps, parent.totalSteps))
    throw new UsageError(
      `--resume-from: step ${point.step} is past this run's ${trainer.totalSteps} steps`
    )
  replayInto(parent, [point.nearest], point.step, point.changes)
  trainer.restoreState(
    switchOptimizer(parent.captureState(), parent.config.optimizer, config.optimizer)
  )
  if (numberFlag(args, 'lr') !== undefined) trainer.setLearningRate(config.learningRate)
  if (numberFlag(args, 'momentum') !== undefined && config.optimizer.kind === 'sgd')
    trainer.setMomentum(config.optimizer.momentum)
}
