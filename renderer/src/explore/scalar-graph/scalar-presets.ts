// The scalar expressions the explorer can draw, each built from core's Value (never drawn by hand):
// the original notes' example, micrograd's tanh neuron, and a two-input sigmoid neuron with a loss.

import { Value } from '@core/autograd'

export type ScalarPresetName = 'original' | 'neuron-tanh' | 'neuron-sigmoid'

export interface ScalarInput {
  readonly name: string
  readonly value: number
  /** Parameters are what an update changes; data (inputs, targets) stays fixed. */
  readonly role: 'data' | 'parameter'
}

export interface ScalarPreset {
  readonly name: ScalarPresetName
  readonly title: string
  /** One sentence under the preset picker. */
  readonly description: string
  /** The expression in words, e.g. "L = (y − (x·w + b))²". */
  readonly expression: string
  readonly inputs: readonly ScalarInput[]
  readonly learningRate: number
  /** Builds the expression from the leaf values; returns the output (what backward starts from). */
  build(values: Readonly<Record<string, number>>): Value
}

/** Names a computed Value (labels are what the graph and the chain-rule texts show). */
function named(value: Value, label: string): Value {
  value.label = label
  return value
}

function leaves(
  inputs: readonly ScalarInput[],
  values: Readonly<Record<string, number>>
): Record<string, Value> {
  return Object.fromEntries(
    inputs.map((input) => [input.name, new Value(values[input.name] ?? input.value, input.name)])
  )
}

const ORIGINAL_INPUTS: readonly ScalarInput[] = [
  { name: 'x', value: 2, role: 'data' },
  { name: 'w', value: 2, role: 'parameter' },
  { name: 'b', value: 4.73, role: 'parameter' },
  { name: 'y', value: 10, role: 'data' }
]

const TANH_INPUTS: readonly ScalarInput[] = [
  { name: 'x1', value: 2, role: 'data' },
  { name: 'x2', value: 0, role: 'data' },
  { name: 'w1', value: -3, role: 'parameter' },
  { name: 'w2', value: 1, role: 'parameter' },
  { name: 'b', value: 6.8813735870195432, role: 'parameter' }
]

const SIGMOID_INPUTS: readonly ScalarInput[] = [
  { name: 'x1', value: 2, role: 'data' },
  { name: 'x2', value: -1, role: 'data' },
  { name: 'w1', value: 0.5, role: 'parameter' },
  { name: 'w2', value: 0.8, role: 'parameter' },
  { name: 'b', value: -0.6, role: 'parameter' },
  { name: 'y', value: 1, role: 'data' }
]

export const SCALAR_PRESETS: Readonly<Record<ScalarPresetName, ScalarPreset>> = {
  original: {
    name: 'original',
    title: 'Original example',
    description:
      'The notes’ worked example: one weight, one bias, a squared error. z3 = 1.27 at the defaults.',
    expression: 'L = (y − (x·w + b))²',
    inputs: ORIGINAL_INPUTS,
    learningRate: 0.01,
    build(values) {
      const { x, w, b, y } = leaves(ORIGINAL_INPUTS, values)
      const z1 = named(x.mul(w), 'z1')
      const z2 = named(z1.add(b), 'z2')
      const z3 = named(y.sub(z2), 'z3')
      return named(z3.pow(2), 'L')
    }
  },
  'neuron-tanh': {
    name: 'neuron-tanh',
    title: 'Neuron (tanh)',
    description:
      'micrograd’s neuron: two inputs, two weights, a bias and tanh. The output o plays the part of L.',
    expression: 'o = tanh(x1·w1 + x2·w2 + b)',
    inputs: TANH_INPUTS,
    learningRate: 0.05,
    build(values) {
      const { x1, x2, w1, w2, b } = leaves(TANH_INPUTS, values)
      const x1w1 = named(x1.mul(w1), 'x1w1')
      const x2w2 = named(x2.mul(w2), 'x2w2')
      const s = named(x1w1.add(x2w2), 's')
      const n = named(s.add(b), 'n')
      return named(n.tanh(), 'o')
    }
  },
  'neuron-sigmoid': {
    name: 'neuron-sigmoid',
    title: 'Two-input neuron',
    description: 'A sigmoid neuron trained towards a target y with a squared error.',
    expression: 'L = (σ(x1·w1 + x2·w2 + b) − y)²',
    inputs: SIGMOID_INPUTS,
    learningRate: 0.5,
    build(values) {
      const { x1, x2, w1, w2, b, y } = leaves(SIGMOID_INPUTS, values)
      const x1w1 = named(x1.mul(w1), 'x1w1')
      const x2w2 = named(x2.mul(w2), 'x2w2')
      const s = named(x1w1.add(x2w2), 's')
      const n = named(s.add(b), 'n')
      const a = named(n.sigmoid(), 'a')
      const e = named(a.sub(y), 'e')
      return named(e.pow(2), 'L')
    }
  }
}

export const SCALAR_PRESET_NAMES = Object.keys(SCALAR_PRESETS) as ScalarPresetName[]

/** The preset's default leaf values by name. */
export function defaultValues(preset: ScalarPreset): Record<string, number> {
  return Object.fromEntries(preset.inputs.map((input) => [input.name, input.value]))
}
