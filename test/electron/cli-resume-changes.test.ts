// --resume-from over a parent whose learning rate and momentum changed live (a studio run's checkpoint
// file): resumeTrainer replays the changes where the parent made them, so the fork starts from the
// network that was live and, with no flag changed, goes on as the parent did.

import { beforeAll, describe, expect, it } from 'vitest'
import {
  createTrainer,
  PRESETS,
  takeFirst,
  type Dataset,
  type SettingChange,
  type StepMetrics,
  type TrainConfig
} from '../../core'
import { resumeTrainer, type ResumePoint } from '../../electron/cli/checkpoint-flags'
import { loadMnist } from '../../electron/files/datasets'
import { denseNet } from '../helpers/architectures'

let train: Dataset
beforeAll(async () => {
  train = takeFirst((await loadMnist()).train, 640)
})

const config: TrainConfig = {
  ...PRESETS.seed.config,
  architecture: denseNet([16]),
  optimizer: { kind: 'sgd', momentum: 0.9 },
  batchCount: 'all', // 20 steps
  learningRate: 0.05
}
/** Made after step 5: steps 6 on train with them. */
const CHANGES: SettingChange[] = [
  { setting: 'learningRate', step: 6, from: 0.05, to: 0.2 },
  { setting: 'momentum', step: 6, from: 0.9, to: 0.5 }
]

describe('--resume-from a run with live changes', () => {
  it('replays them where the parent made them, then repeats the parent exactly', () => {
    const parent = createTrainer(config, train, 'reference')
    const nearest = parent.captureState() // the only checkpoint: step 0, before the changes
    const live: StepMetrics[] = []
    while (!parent.done) {
      if (parent.stepsCompleted === 5) {
        parent.setLearningRate(0.2)
        parent.setMomentum(0.5)
      }
      live.push(parent.step())
    }
    const point: ResumePoint = { run: 'parent', step: 10, config, nearest, changes: CHANGES }
    const trainer = createTrainer(config, train, 'reference')
    const noFlags = { flags: new Map(), positionals: [] }
    resumeTrainer(trainer, point, noFlags, config, createTrainer(config, train, 'reference'))
    expect(trainer.config).toMatchObject({ learningRate: 0.2, optimizer: { momentum: 0.5 } })
    const after: StepMetrics[] = []
    while (!trainer.done) after.push(trainer.step())
    expect(after).toEqual(live.slice(10))
    expect(trainer.model.parameters().map((p) => p.data)).toEqual(
      parent.model.parameters().map((p) => p.data)
    )
  })
})
