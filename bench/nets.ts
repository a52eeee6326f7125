// The nets of `npm run bench`, one epoch over all 60 000 training images each. bench/numpy_reference.py
// and bench/torch_reference.py train the same nets under the same names.
//
// To add a net: add its TrainConfig here and its row in the two python references (a reference that
// does not know a net reports it as skipped, and the benchmark shows a dash for it).

import { architectureSlug, DEFAULT_SGD, NO_AUGMENTATION, PRESETS, type TrainConfig } from '../core'

const seedPreset = PRESETS.seed.config
const mlp: TrainConfig = {
  ...seedPreset,
  architecture: PRESETS.mlp.config.architecture,
  batchSize: 64,
  learningRate: 0.1,
  batchCount: 'all',
  epochs: 1
}

export const BENCH_NETS = {
  /** 784-10-10 ReLU, He init, SGD lr 0.03, batch 32 (1875 steps). */
  seed: { ...seedPreset, batchCount: 'all', epochs: 1 },
  /** 784-128-10 ReLU, He init, SGD lr 0.1, batch 64 (938 steps, the last of 32). */
  mlp,
  /** The same MLP with Adam, lr 0.001 (β1 0.9, β2 0.999, ε 1e-8), batch 64. */
  'mlp-adam': {
    ...mlp,
    learningRate: 0.001,
    optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }
  },
  /** The lenet preset's net (conv 5×5×6 same, pool, conv 5×5×16, pool, 120, 84, 10), SGD lr 0.05, batch 64. */
  lenet: {
    ...PRESETS.lenet.config,
    optimizer: DEFAULT_SGD,
    learningRate: 0.05,
    batchSize: 64,
    batchCount: 'all',
    epochs: 1,
    augmentation: NO_AUGMENTATION
  }
} satisfies Record<string, TrainConfig>

export type NetName = keyof typeof BENCH_NETS

/** "784-128-10, batch 64, Adam": what a table row says about a net. */
export function describeNet(net: NetName): string {
  const { architecture, batchSize, optimizer } = BENCH_NETS[net] as TrainConfig
  return `${net} ${architectureSlug(architecture)}, batch ${batchSize}, ${optimizer.kind === 'adam' ? 'Adam' : 'SGD'}`
}
