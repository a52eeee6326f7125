// The two nets of the benchmark (issue 7): the original project's seed net and a real MLP, one epoch of
// plain SGD over all 60 000 training images. bench/numpy_reference.py trains the same two.

import { PRESETS, type TrainConfig } from '../core'

const seedPreset = PRESETS.seed.config

export const BENCH_NETS = {
  /** 784-10-10 ReLU, He init, SGD lr 0.03, batch 32 (1875 steps). */
  seed: { ...seedPreset, batchCount: 'all', epochs: 1 },
  /** 784-128-10 ReLU, He init, SGD lr 0.1, batch 64 (938 steps, the last of 32). */
  mlp: {
    ...seedPreset,
    architecture: PRESETS.mlp.config.architecture,
    batchSize: 64,
    learningRate: 0.1,
    batchCount: 'all',
    epochs: 1
  }
} satisfies Record<string, TrainConfig>
