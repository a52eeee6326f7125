// Elementwise activation layers. Each caches its output, from which its local derivative follows.

import { type Matrix, MatrixBuffer } from '../tensor/matrix'
import type { Layer, Parameter } from './layer'

/** The hidden-layer nonlinearities a model can use. */
export type ActivationKind = 'relu' | 'sigmoid' | 'tanh'

export const ACTIVATION_KINDS: readonly ActivationKind[] = ['relu', 'sigmoid', 'tanh']

/** Shared plumbing: y = f(x) and dx = dy ⊙ f′, where f′ is computed from the cached output y. */
abstract class Elementwise implements Layer {
  private outputValues: Matrix | null = null
  private readonly output = new MatrixBuffer()
  private readonly inputGrad = new MatrixBuffer()

  constructor(readonly name: string) {}

  protected abstract apply(x: Float32Array, y: Float32Array, size: number): void
  /** dx = dy ⊙ f′(x), written in terms of y = f(x). */
  protected abstract applyDerivative(
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    size: number
  ): void

  forward(x: Matrix): Matrix {
    const y = this.output.take(x.rows, x.cols)
    this.apply(x.data, y.data, x.data.length)
    this.outputValues = y
    return y
  }

  backward(dy: Matrix): Matrix {
    const y = this.outputValues
    if (!y) throw new Error(`${this.name}.backward called before forward`)
    const dx = this.inputGrad.take(dy.rows, dy.cols)
    this.applyDerivative(y.data, dy.data, dx.data, dy.data.length)
    return dx
  }

  parameters(): Parameter[] {
    return []
  }
}

/** y = max(0, x)      ∂y/∂x = 1 where x > 0, else 0 (the "ReLU mask") */
export class ReLU extends Elementwise {
  protected apply(x: Float32Array, y: Float32Array, size: number): void {
    for (let i = 0; i < size; i++) y[i] = x[i] > 0 ? x[i] : 0
  }
  protected applyDerivative(
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    size: number
  ): void {
    // y > 0 exactly where x > 0, so the cached output is enough.
    for (let i = 0; i < size; i++) dx[i] = y[i] > 0 ? dy[i] : 0
  }
}

/** y = σ(x) = 1 / (1 + e⁻ˣ)      ∂y/∂x = y·(1 − y) */
export class Sigmoid extends Elementwise {
  protected apply(x: Float32Array, y: Float32Array, size: number): void {
    for (let i = 0; i < size; i++) y[i] = 1 / (1 + Math.exp(-x[i]))
  }
  protected applyDerivative(
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    size: number
  ): void {
    for (let i = 0; i < size; i++) dx[i] = dy[i] * y[i] * (1 - y[i])
  }
}

/** y = tanh(x)      ∂y/∂x = 1 − y² */
export class Tanh extends Elementwise {
  protected apply(x: Float32Array, y: Float32Array, size: number): void {
    for (let i = 0; i < size; i++) y[i] = Math.tanh(x[i])
  }
  protected applyDerivative(
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    size: number
  ): void {
    for (let i = 0; i < size; i++) dx[i] = dy[i] * (1 - y[i] * y[i])
  }
}

/** The activation layer for a kind. */
export function createActivation(kind: ActivationKind, name: string): Layer {
  switch (kind) {
    case 'relu':
      return new ReLU(name)
    case 'sigmoid':
      return new Sigmoid(name)
    case 'tanh':
      return new Tanh(name)
  }
}
