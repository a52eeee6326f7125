// Architectures for tests: dense ones written the short way (the list form spelled out is long), and a
// small conv net with every layer kind.

import {
  createRng,
  denseArchitecture,
  Sequential,
  type ActivationKind,
  type ModelArchitecture
} from '../../core'

/** inputSize → hiddenSizes… → outputSize, one `activation` after each hidden layer (784 → … → 10 by default). */
export function denseNet(
  hiddenSizes: readonly number[],
  activation: ActivationKind = 'relu',
  inputSize = 784,
  outputSize = 10
): ModelArchitecture {
  return denseArchitecture({ inputSize, hiddenSizes, activation, outputSize })
}

/** A He-initialised dense net (784 → hiddenSizes… → 10), its weights fixed by `seed`. */
export function heDenseNet(
  seed: number,
  activation: ActivationKind = 'relu',
  hiddenSizes: readonly number[] = [10]
): Sequential {
  return new Sequential(denseNet(hiddenSizes, activation), 'he', createRng(seed))
}

/** The step-through's stages of a dense net with one hidden layer, in order: forward, backward, update. */
export const ONE_HIDDEN_LAYER_STAGES = [
  'x',
  'z1',
  'a1',
  'z2',
  'p',
  'loss',
  'dz2',
  'dW2',
  'db2',
  'da1',
  'dz1',
  'dW1',
  'db1',
  'W1′',
  'b1′',
  'W2′',
  'b2′'
] as const

/** conv (same padding) → pool → conv (stride 2, valid) → flatten → dense → dropout → 10. */
export const SMALL_CONV_NET: ModelArchitecture = {
  inputShape: [1, 28, 28],
  layers: [
    { kind: 'conv', filters: 4, kernel: 5, stride: 1, padding: 'same', activation: 'relu' },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv', filters: 8, kernel: 3, stride: 2, padding: 'valid', activation: 'tanh' },
    { kind: 'flatten' },
    { kind: 'dense', units: 24, activation: 'sigmoid' },
    { kind: 'dropout', rate: 0.2 }
  ],
  outputSize: 10
}
