// Weight initialisers. The scale of the first weights decides whether signals and gradients survive depth.

import { randn, uniform, type Rng } from '../random'

/** How the weights of dense layers start. Biases always start at 0. */
export type InitKind = 'uniform' | 'he' | 'xavier'

export const INIT_KINDS: readonly InitKind[] = ['uniform', 'he', 'xavier']

/**
 * Fills `weights` (a [fanOut, fanIn] matrix) with random values:
 *   uniform  w ~ U(−1, 1)                         the original numpy project's choice
 *   he       w ~ N(0, 2 / fanIn)                  keeps ReLU activations' variance constant (He et al., 2015)
 *   xavier   w ~ U(−a, a),  a = √(6 / (fanIn + fanOut))   for tanh/sigmoid (Glorot & Bengio, 2010)
 * NOTE: U(−1, 1) has variance 1/3, so with 784 inputs a unit's pre-activation has a standard deviation
 * of about 16 × the input scale: it works for one small layer and saturates deeper nets. That contrast
 * is worth seeing, so it stays selectable.
 */
export function initialiseWeights(
  kind: InitKind,
  weights: Float32Array,
  fanIn: number,
  fanOut: number,
  rng: Rng
): void {
  switch (kind) {
    case 'uniform':
      for (let i = 0; i < weights.length; i++) weights[i] = uniform(rng, -1, 1)
      break
    case 'he': {
      const std = Math.sqrt(2 / fanIn)
      for (let i = 0; i < weights.length; i++) weights[i] = std * randn(rng)
      break
    }
    case 'xavier': {
      const limit = Math.sqrt(6 / (fanIn + fanOut))
      for (let i = 0; i < weights.length; i++) weights[i] = uniform(rng, -limit, limit)
      break
    }
  }
}
