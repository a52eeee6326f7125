// How a conv net's gradient work (ConvNetwork.gradientPart) is cut into tasks that threads can share:
// one task per parameterised stage, and the largest ones in two halves: a dense convolution's weight
// gradient by filters (LeNet conv2: ~1.4 ms of a ~5 ms step), a large dense layer's by weight rows
// (the cnn preset's 3136 → 256: ~7 ms of its gradient and Adam update, next to conv2's ~16). Every
// filter's and weight row's gradient is summed over the whole batch in the same order whichever half
// holds it, and the update is elementwise, so the cut changes the speed, never the bits.

import type { FilterRange } from './conv-kernel-calls'
import type { StageLayout } from './conv-layout'
import type { GradientTask } from './gradient-split'

/** Filters per cut: a multiple of 4, so that each half's weight rows (o·C·k·k floats) start on a whole vector. */
const FILTER_QUANTUM = 4

/**
 * A dense stage with at least this many weights is cut in two. NOTE: LeNet's largest (400 → 120, 48 k)
 * takes ~0.2 ms, less than a thread's wake-up costs to share; the cnn preset's 3136 → 256 has 803 k.
 */
const DENSE_SPLIT_WEIGHTS = 1 << 16

/** Into how many parts stage's gradient is cut when threads share it (1: not cut). */
function gradientParts(stage: StageLayout): number {
  if (stage.kind === 'dense') return stage.layer.n * stage.layer.m >= DENSE_SPLIT_WEIGHTS ? 2 : 1
  // NOTE: the sparse first layer reads CSR rows and is cheap (MNIST's zeros); it stays whole.
  if (stage.kind !== 'conv' || stage.sparse) return 1
  return stage.geometry.outChannels >= 2 * FILTER_QUANTUM ? 2 : 1
}

/** Filters o0 ≤ o < o1 of part `part` of `parts` of a layer with `filters` filters (cuts at multiples of 4). */
export function filterRange(filters: number, part: number, parts: number): FilterRange {
  const cut = (i: number): number =>
    i === parts ? filters : Math.round((i * filters) / parts / FILTER_QUANTUM) * FILTER_QUANTUM
  return { o0: cut(part), o1: cut(part + 1) }
}

/** Weight rows p0 ≤ p < p1 (inputs of Wᵀ [n, m]) of part `part` of `parts` of a dense layer with n inputs. */
export function weightRowRange(
  n: number,
  part: number,
  parts: number
): { readonly p0: number; readonly p1: number } {
  return { p0: Math.round((part * n) / parts), p1: Math.round(((part + 1) * n) / parts) }
}

/**
 * The gradient tasks of a step for the parameterised stages `weighted` (in order; `layer` indexes
 * them). splits = 1 (one thread): one task per stage. More: the halves of the large stages first, so
 * that two threads start on them together, then every other stage in order.
 */
export function convGradientTasks(
  weighted: readonly StageLayout[],
  splits: number
): readonly GradientTask[] {
  if (splits <= 1) return weighted.map((_, layer) => ({ layer, part: 0, parts: 1 }))
  const tasks = weighted.map((stage, layer) => {
    const parts = gradientParts(stage)
    return Array.from({ length: parts }, (_, part) => ({ layer, part, parts }))
  })
  return [...tasks.filter((t) => t.length > 1), ...tasks.filter((t) => t.length === 1)].flat()
}
