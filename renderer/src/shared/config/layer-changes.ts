// What changed between two layer lists, in a few words per layer: "dense1 10 → 32 units",
// "+ dropout 0.25 after dense1", "− conv2 (conv 5×5×16 valid ReLU)", "conv2 moved to the start",
// "dense1 and dense2 swapped places". The preset's "modified: …" line and
// the Runs view's comparison both read it.

import {
  describeLayer,
  layerNames,
  type LayerActivation,
  type LayerSpec,
  type ModelArchitecture
} from '@core/nn/architecture'

/** A step of the alignment: a layer kept (perhaps edited), added, or removed. */
type Step =
  | { readonly kind: 'keep'; readonly before: number; readonly after: number }
  | { readonly kind: 'add'; readonly after: number }
  | { readonly kind: 'remove'; readonly before: number }

const ACTIVATION_WORDS: Readonly<Record<LayerActivation, string>> = {
  relu: 'ReLU',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  none: 'no activation'
}

/**
 * The edits that turn `before`'s hidden layers into `after`'s, in list order; [] when they are the same.
 * Layers are aligned as in a diff (the fewest additions, removals and edits; only a layer of the same
 * kind can be an edit of another), and each is named as `before` names it.
 */
export function describeLayerChanges(
  before: ModelArchitecture,
  after: ModelArchitecture
): string[] {
  const names = layerNames(before)
  const move = singleMove(before.layers, after.layers)
  if (move) {
    // The moved list, as `before`'s indices in `after`'s order: each layer then reads as its edits.
    const order = before.layers.map((_, i) => i).filter((i) => i !== move.from)
    order.splice(move.to, 0, move.from)
    return order.flatMap((b, i) => {
      const edits = layerEdits(before.layers[b], after.layers[i])
      const edited = edits.length === 0 ? [] : [`${names[b]} ${edits.join(' and ')}`]
      return b === move.from ? [moveWords(move, names), ...edited] : edited
    })
  }
  let anchor = 'at the start'
  return align(before.layers, after.layers).flatMap((step) => {
    if (step.kind === 'keep') {
      anchor = `after ${names[step.before]}`
      const edits = layerEdits(before.layers[step.before], after.layers[step.after])
      return edits.length === 0 ? [] : [`${names[step.before]} ${edits.join(' and ')}`]
    }
    if (step.kind === 'remove') {
      const layer = before.layers[step.before]
      const words = layer.kind === 'dense' ? `${layer.units} units` : describeLayer(layer)
      return [`− ${names[step.before]} (${words})`]
    }
    return [`+ ${layerWords(after.layers[step.after])} ${anchor}`]
  })
}

/**
 * Where one layer moved (Alt+↑/↓ in the editor, pressed once or more): `after` is `before` with the
 * layer at `from` taken out and put back at `to`, then perhaps edited. Taken when the layers then pair
 * up kind for kind, and either nothing else changed or the lists did not pair up in place (a move and
 * another edit: conv1 widened, pool2 below flatten1); then the shortest such move, since moving a layer
 * past an equal one (pool1 past pool2) reads the same either way. Null otherwise.
 * NOTE: an alignment would read a move as a removal and an addition, or two swapped dense layers as two
 * edits; but [120, 84] → [84, 50] stays two edits rather than a swap and an edit.
 */
function singleMove(
  before: readonly LayerSpec[],
  after: readonly LayerSpec[]
): { from: number; to: number } | null {
  const n = before.length
  if (after.length !== n) return null
  const editCount = (list: readonly LayerSpec[]) =>
    list.every((layer, i) => layer.kind === after[i].kind)
      ? list.filter((layer, i) => !sameLayer(layer, after[i])).length
      : Infinity
  const inPlace = editCount(before)
  let best: { from: number; to: number; edits: number } | null = null
  for (let from = 0; from < n; from++) {
    for (let to = 0; to < n; to++) {
      if (to === from) continue
      const moved = before.filter((_, i) => i !== from)
      moved.splice(to, 0, before[from])
      const edits = editCount(moved)
      if (edits === Infinity || (edits > 0 && inPlace !== Infinity)) continue
      const shorter = best && Math.abs(to - from) < Math.abs(best.to - best.from)
      if (!best || edits < best.edits || (edits === best.edits && shorter))
        best = { from, to, edits }
    }
  }
  return best
}

/** "conv2 moved to the start", "pool2 moved after dense1"; one step: "pool1 and conv2 swapped places". */
function moveWords({ from, to }: { from: number; to: number }, names: readonly string[]): string {
  // NOTE: a layer moved past one neighbour is that neighbour moved the other way: name both.
  if (Math.abs(from - to) === 1)
    return `${names[Math.min(from, to)]} and ${names[Math.max(from, to)]} swapped places`
  // The layer it now follows: before's `to` when it moved down (the others shifted up), else `to − 1`.
  const where = to === 0 ? 'to the start' : `after ${names[to > from ? to : to - 1]}`
  return `${names[from]} moved ${where}`
}

/** "dense 32", "conv 3×3×8 ReLU", "pool 2", "dropout 0.25", "flatten". */
function layerWords(layer: LayerSpec): string {
  return layer.kind === 'dense' ? `dense ${layer.units}` : describeLayer(layer)
}

/** What differs between two layers of the same kind: ["10 → 32 units"], ["5×5 → 3×3", "stride 1 → 2"]. */
function layerEdits(a: LayerSpec, b: LayerSpec): string[] {
  /** "from → to" with the words around it, or nothing when they are equal. */
  const change = (from: string | number, to: string | number, words = (v: string) => v) =>
    from === to ? [] : [words(`${from} → ${to}`)]
  const square = (size: number) => `${size}×${size}`
  if (a.kind === 'dense' && b.kind === 'dense') {
    return [
      ...change(a.units, b.units, (v) => `${v} units`),
      ...change(ACTIVATION_WORDS[a.activation], ACTIVATION_WORDS[b.activation])
    ]
  }
  if (a.kind === 'conv' && b.kind === 'conv') {
    return [
      ...change(a.filters, b.filters, (v) => `${v} filters`),
      ...change(square(a.kernel), square(b.kernel)),
      ...change(a.stride, b.stride, (v) => `stride ${v}`),
      ...change(a.padding, b.padding, (v) => `padding ${v}`),
      ...change(ACTIVATION_WORDS[a.activation], ACTIVATION_WORDS[b.activation])
    ]
  }
  if (a.kind === 'maxpool' && b.kind === 'maxpool') return change(square(a.size), square(b.size))
  if (a.kind === 'dropout' && b.kind === 'dropout')
    return change(a.rate, b.rate, (v) => `rate ${v}`)
  return []
}

/** Whether two layers are the same in every setting. */
function sameLayer(a: LayerSpec, b: LayerSpec): boolean {
  return a.kind === b.kind && layerEdits(a, b).length === 0
}

/**
 * The cheapest alignment of two lists (edit distance): keeping an equal layer costs 0, keeping an
 * edited one of the same kind 1, adding or removing one 1. Lists have at most 32 layers, so the
 * (n + 1) × (m + 1) table is small.
 */
function align(before: readonly LayerSpec[], after: readonly LayerSpec[]): Step[] {
  const n = before.length
  const m = after.length
  const keepCost = (i: number, j: number): number =>
    before[i].kind !== after[j].kind ? Infinity : sameLayer(before[i], after[j]) ? 0 : 1
  // cost[i][j]: the cheapest way to turn before[i…] into after[j…]
  const cost = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      if (i === n) cost[i][j] = m - j
      else if (j === m) cost[i][j] = n - i
      else
        cost[i][j] = Math.min(
          keepCost(i, j) + cost[i + 1][j + 1],
          1 + cost[i + 1][j],
          1 + cost[i][j + 1]
        )
    }
  }
  const steps: Step[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && cost[i][j] === keepCost(i, j) + cost[i + 1][j + 1]) {
      steps.push({ kind: 'keep', before: i++, after: j++ })
    } else if (i < n && cost[i][j] === 1 + cost[i + 1][j]) {
      steps.push({ kind: 'remove', before: i++ })
    } else {
      steps.push({ kind: 'add', after: j++ })
    }
  }
  return steps
}
