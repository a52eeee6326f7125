// Dense architectures for tests, written the short way (the list form spelled out is long).

import { denseArchitecture, type ActivationKind, type ModelArchitecture } from '../../core'

/** inputSize → hiddenSizes… → outputSize, one `activation` after each hidden layer (784 → … → 10 by default). */
export function denseNet(
  hiddenSizes: readonly number[],
  activation: ActivationKind = 'relu',
  inputSize = 784,
  outputSize = 10
): ModelArchitecture {
  return denseArchitecture({ inputSize, hiddenSizes, activation, outputSize })
}
