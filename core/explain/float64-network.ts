// The model's forward pass and loss in float64, image by image: the independent reference for the
// numeric side of a gradient check (gradient-check.ts). Dense layers are plain loops here; conv and
// pool layers run core/tensor/conv.ts's loops on float64 arrays.

import { Activation, ACTIVATIONS, type ActivationFunction } from '../nn/activations'
import { Conv2D } from '../nn/conv2d'
import { Dense } from '../nn/dense'
import type { Layer, Parameter } from '../nn/layer'
import { MaxPool2D } from '../nn/maxpool2d'
import type { Sequential } from '../nn/sequential'
import { logSumExp } from '../nn/softmax'
import { conv2dForward, maxPool2dForward, type ConvGeometry } from '../tensor/conv'
import type { Matrix } from '../tensor/matrix'

/**
 * One layer in float64. `forward` maps one image's input to its output and, when given `pattern`,
 * appends what decides the layer's kinks: which ReLUs are on, and which input won each max-pooling
 * window (its argmax).
 */
interface Stage {
  forward(input: Float64Array, pattern?: number[]): Float64Array
}

/**
 * A layer with a weight and a bias, copied to float64: its output with one value nudged, from its
 * unnudged input and output.
 */
abstract class ParameterStage implements Stage {
  readonly weightName: string
  readonly biasName: string
  protected readonly weight: Float64Array
  protected readonly bias: Float64Array

  constructor(layer: { readonly weight: Parameter; readonly bias: Parameter }) {
    this.weightName = layer.weight.name
    this.biasName = layer.bias.name
    this.weight = Float64Array.from(layer.weight.data)
    this.bias = Float64Array.from(layer.bias.data)
  }

  abstract forward(input: Float64Array): Float64Array
  abstract nudged(
    input: Float64Array,
    output: Float64Array,
    weight: boolean,
    index: number,
    delta: number
  ): Float64Array
}

/** z = W·a + b, W [out, in]. */
class DenseStage extends ParameterStage {
  private readonly inputs: number
  private readonly outputs: number

  constructor(layer: Dense) {
    super(layer)
    this.inputs = layer.inFeatures
    this.outputs = layer.outFeatures
  }

  forward(a: Float64Array): Float64Array {
    const z = new Float64Array(this.outputs)
    for (let o = 0; o < this.outputs; o++) {
      let sum = this.bias[o]
      for (let i = 0; i < this.inputs; i++) sum += this.weight[o * this.inputs + i] * a[i]
      z[o] = sum
    }
    return z
  }

  /** PERF: W[o, i] moves only z[o], by δ·a[i] (b[o]: by δ), so ~1 operation instead of in·out. */
  nudged(
    a: Float64Array,
    z: Float64Array,
    weight: boolean,
    index: number,
    delta: number
  ): Float64Array {
    const out = Float64Array.from(z)
    if (weight) out[Math.floor(index / this.inputs)] += delta * a[index % this.inputs]
    else out[index] += delta
    return out
  }
}

/** z = W ⋆ x + b, W [O, C, k, k], by conv.ts's loops in float64. */
class ConvStage extends ParameterStage {
  private readonly g: ConvGeometry

  constructor(layer: Conv2D) {
    super(layer)
    this.g = layer.geometry(1)
  }

  forward(x: Float64Array): Float64Array {
    const { outChannels, outHeight, outWidth } = this.g
    const z = new Float64Array(outChannels * outHeight * outWidth)
    conv2dForward(x, this.weight, this.bias, z, this.g)
    return z
  }

  /**
   * PERF: W[o, c, u, v] moves only feature map o: z[o, i, j] += δ·x[c, i·s + u − p, j·s + v − p]
   * (b[o]: every z[o, i, j] by δ), a map's worth of operations instead of the whole convolution.
   */
  nudged(
    x: Float64Array,
    z: Float64Array,
    weight: boolean,
    index: number,
    delta: number
  ): Float64Array {
    const { inChannels, inHeight: H, inWidth: W, kernel: k, stride: s, padding: p } = this.g
    const { outHeight, outWidth } = this.g
    const out = Float64Array.from(z)
    const map = outHeight * outWidth
    if (!weight) {
      for (let n = 0; n < map; n++) out[index * map + n] += delta
      return out
    }
    const o = Math.floor(index / (inChannels * k * k))
    const c = Math.floor(index / (k * k)) % inChannels
    const u = Math.floor(index / k) % k
    const v = index % k
    for (let i = 0; i < outHeight; i++) {
      const h = i * s + u - p
      if (h < 0 || h >= H) continue
      for (let j = 0; j < outWidth; j++) {
        const w = j * s + v - p
        if (w >= 0 && w < W) out[o * map + i * outWidth + j] += delta * x[(c * H + h) * W + w]
      }
    }
    return out
  }
}

class PoolStage implements Stage {
  constructor(private readonly layer: MaxPool2D) {}

  forward(x: Float64Array, pattern?: number[]): Float64Array {
    const g = this.layer.geometry(1)
    const y = new Float64Array(g.channels * g.outHeight * g.outWidth)
    const argmax = new Uint32Array(y.length)
    maxPool2dForward(x, y, argmax, g)
    pattern?.push(...argmax)
    return y
  }
}

class ActivationStage implements Stage {
  private readonly f: ActivationFunction
  private readonly kinks: boolean

  constructor(layer: Activation) {
    this.f = ACTIVATIONS[layer.kind]
    this.kinks = layer.kind === 'relu'
  }

  forward(z: Float64Array, pattern?: number[]): Float64Array {
    if (pattern && this.kinks) z.forEach((v, i) => v > 0 && pattern.push(i))
    return z.map(this.f.apply)
  }
}

/** Flatten, and dropout outside training: the identity. */
const IDENTITY: Stage = { forward: (x) => x }

function stageOf(layer: Layer): Stage {
  if (layer instanceof Dense) return new DenseStage(layer)
  if (layer instanceof Conv2D) return new ConvStage(layer)
  if (layer instanceof MaxPool2D) return new PoolStage(layer)
  if (layer instanceof Activation) return new ActivationStage(layer)
  return IDENTITY
}

/**
 * The model in float64 for a batch x: every layer's unnudged input and output per image, computed once,
 * so that a nudged loss recomputes only from the nudged layer onward.
 */
export class Float64Network {
  private readonly stages: readonly Stage[]
  /** inputs[s][r], outputs[s][r]: stage s's input and output for image r, unnudged. */
  private readonly inputs: Float64Array[][]
  private readonly outputs: Float64Array[][]

  constructor(model: Sequential, x: Matrix) {
    this.stages = model.layers.map(stageOf)
    this.inputs = this.stages.map(() => [])
    this.outputs = this.stages.map(() => [])
    for (let r = 0; r < x.rows; r++) {
      let a: Float64Array = Float64Array.from(x.row(r))
      this.stages.forEach((stage, s) => {
        this.inputs[s].push(a)
        a = stage.forward(a)
        this.outputs[s].push(a)
      })
    }
  }

  /** Which stage holds the named parameter (-1 if none). */
  stageOf(name: string): number {
    return this.stages.findIndex(
      (stage) =>
        stage instanceof ParameterStage && (stage.weightName === name || stage.biasName === name)
    )
  }

  /**
   * Mean cross-entropy with one value of the named parameter nudged by δ, and a fingerprint of the
   * kinks from that layer onward (which ReLUs were on, which pooling inputs won; '' without any).
   */
  lossWithNudge(
    s: number,
    name: string,
    index: number,
    delta: number,
    labels: Uint8Array
  ): { loss: number; activePattern: string } {
    const stage = this.stages[s] as ParameterStage
    const weight = name === stage.weightName
    let total = 0
    const pattern: number[] = []
    for (let r = 0; r < labels.length; r++) {
      let z = stage.nudged(this.inputs[s][r], this.outputs[s][r], weight, index, delta)
      for (let next = s + 1; next < this.stages.length; next++) {
        pattern.push(-1 - next) // marks where each layer's entries start
        z = this.stages[next].forward(z, pattern)
      }
      total += logSumExp(z) - z[labels[r]] // −log softmax(z)[y]
    }
    return { loss: total / labels.length, activePattern: pattern.join(',') }
  }
}
