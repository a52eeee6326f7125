// How the gradient work of a step is cut into tasks that threads can share: each layer's weight rows
// into parts of about equal cost. Only the speed depends on the cut: every row is computed the same way
// by whichever part holds it (see network.ts, gradientPart), so results never do.

import type { NetworkLayout } from './layout'

/** Part `part` of `parts` of one layer's weight rows (see FastNetwork.gradientPart). */
export interface GradientTask {
  readonly layer: number
  readonly part: number
  readonly parts: number
}

/** The cuts for one layout, computed once per (layer, parts) and cached. Same answers in every thread. */
export class GradientSplits {
  /** Per layer, the cost of each weight row, or null for equal costs (see setRowWeights). */
  private weights: readonly (Float64Array | null)[]
  /** Cached split points per (layer, parts), and task lists per `splits`. */
  private readonly points = new Map<number, Int32Array>()
  private readonly taskLists = new Map<number, readonly GradientTask[]>()

  constructor(private readonly layout: NetworkLayout) {
    this.weights = layout.layers.map(() => null)
  }

  /**
   * Weight row p of layer `layer` costs about weights[p] (e.g. how often pixel p is nonzero). Threads
   * sharing a memory must be given the same weights.
   */
  setRowWeights(layer: number, weights: Float64Array): void {
    this.weights = this.weights.map((w, i) => (i === layer ? Float64Array.from(weights) : w))
    this.points.clear()
    this.taskLists.clear()
  }

  /** The row weights given to setRowWeights, or null (equal shares of rows). */
  rowWeights(layer: number): Float64Array | null {
    return this.weights[layer]
  }

  /**
   * The gradient work cut into about `splits` tasks of similar cost: layers with many weights into
   * `splits` parts (of equal row weight), small ones whole.
   */
  tasks(splits: number): readonly GradientTask[] {
    let tasks = this.taskLists.get(splits)
    if (!tasks) {
      const list: GradientTask[] = []
      const sizes = this.layout.layers.map((l) => l.n * l.m)
      const largest = Math.max(...sizes)
      this.layout.layers.forEach((_, layer) => {
        const parts = Math.max(1, Math.min(splits, Math.round((splits * sizes[layer]) / largest)))
        for (let part = 0; part < parts; part++) list.push({ layer, part, parts })
      })
      this.taskLists.set(splits, (tasks = list))
    }
    return tasks
  }

  /** First weight row of part `part` (of `parts`) in layer `i`: equal shares of the row weights. */
  splitPoint(i: number, part: number, parts: number): number {
    if (parts === 1) return part === 0 ? 0 : this.layout.layers[i].n
    const key = i * 1024 + parts
    let points = this.points.get(key)
    if (!points) {
      points = balancedSplit(this.layout.layers[i].n, parts, this.weights[i])
      this.points.set(key, points)
    }
    return points[part]
  }
}

/**
 * parts + 1 boundaries 0 = s₀ ≤ s₁ ≤ … ≤ s_parts = n that cut rows 0..n into parts of about equal total
 * weight (equal row counts without weights).
 */
function balancedSplit(n: number, parts: number, weights: Float64Array | null): Int32Array {
  const points = new Int32Array(parts + 1)
  points[parts] = n
  if (!weights) {
    for (let k = 1; k < parts; k++) points[k] = Math.round((k * n) / parts)
    return points
  }
  let total = 0
  for (let p = 0; p < n; p++) total += weights[p]
  let sum = 0
  let k = 1
  for (let p = 0; p < n && k < parts; p++) {
    sum += weights[p]
    while (k < parts && sum >= (total * k) / parts) points[k++] = p + 1
  }
  while (k < parts) points[k++] = n
  return points
}
