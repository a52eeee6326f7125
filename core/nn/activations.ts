// The hidden-layer nonlinearities: each one's formula and backward rule written once (ACTIVATIONS),
// and the elementwise layer that applies them. The explain views and the fast engine use the same table.

import { type Matrix, MatrixBuffer } from '../tensor/matrix'
import type { Layer, Parameter } from './layer'

/** The hidden-layer nonlinearities a model can use. */
export type ActivationKind = 'relu' | 'sigmoid' | 'tanh'

export const ACTIVATION_KINDS: readonly ActivationKind[] = ['relu', 'sigmoid', 'tanh']

/** One nonlinearity y = f(z), applied to each value on its own. */
export interface ActivationFunction {
  /** y = f(z), in float64 (the caller stores it as float32 or float64). */
  readonly apply: (z: number) => number
  /**
   * dz = dy · f′(z), with f′ written in terms of the output y = f(z).
   * NOTE: from y rather than z because each f′ here is a simple function of y, so a backward pass
   * needs only the forward output it already keeps (cs231n's "cache the output").
   */
  readonly inputGrad: (y: number, dy: number) => number
}

export const ACTIVATIONS: Readonly<Record<ActivationKind, ActivationFunction>> = {
  /** y = max(0, z)      ∂y/∂z = 1 where z > 0, else 0 (the "ReLU mask"; y > 0 exactly where z > 0) */
  relu: { apply: (z) => (z > 0 ? z : 0), inputGrad: (y, dy) => (y > 0 ? dy : 0) },
  /** y = σ(z) = 1 / (1 + e⁻ᶻ)      ∂y/∂z = y·(1 − y) */
  sigmoid: { apply: (z) => 1 / (1 + Math.exp(-z)), inputGrad: (y, dy) => dy * y * (1 - y) },
  /** y = tanh(z)      ∂y/∂z = 1 − y² */
  tanh: { apply: (z) => Math.tanh(z), inputGrad: (y, dy) => dy * (1 - y * y) }
}

/**
 * An activation layer: y = f(x) and dx = dy ⊙ f′ elementwise, for x, y, dy, dx of one shape [B, n].
 * It caches its output y, from which f′ follows (see ActivationFunction.inputGrad).
 */
export class Activation implements Layer {
  private readonly f: ActivationFunction
  private outputValues: Matrix | null = null
  private readonly output = new MatrixBuffer()
  private readonly inputGradient = new MatrixBuffer()

  constructor(
    readonly kind: ActivationKind,
    readonly name: string
  ) {
    this.f = ACTIVATIONS[kind]
  }

  forward(x: Matrix): Matrix {
    const y = this.output.take(x.rows, x.cols)
    const { apply } = this.f
    for (let i = 0; i < x.data.length; i++) y.data[i] = apply(x.data[i])
    this.outputValues = y
    return y
  }

  backward(dy: Matrix): Matrix {
    const y = this.outputValues
    if (!y) throw new Error(`${this.name}.backward called before forward`)
    const dx = this.inputGradient.take(dy.rows, dy.cols)
    const { inputGrad } = this.f
    for (let i = 0; i < dy.data.length; i++) dx.data[i] = inputGrad(y.data[i], dy.data[i])
    return dx
  }

  parameters(): Parameter[] {
    return []
  }
}

/** The activation layer for a kind. */
export function createActivation(kind: ActivationKind, name: string): Layer {
  return new Activation(kind, name)
}
