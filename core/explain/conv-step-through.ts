// One training step on one image through any layer list (conv, pool, flatten, dense, dropout), every
// tensor kept with its shape: the conv half of the backprop explorer. Each layer's arithmetic is the
// engine's own reference loops (core/tensor/conv.ts, dense-steps.ts) run on copies, so the model is
// never touched; tests check the numbers against the engine's forward and backward passes.
//
// Tensors are named by what they are, numbered by layer: x → z1 = W1 ⋆ x + b1 → a1 = ReLU(z1) →
// m1 = maxpool(a1) → … → f = flatten(m2) → z3 = f · W3 + b3 → … → p, and on the way back dT is ∂L/∂T.
// Weighted layers (conv and dense) share one count l, as in W1, W2, …; poolings count on their own.

import { Activation, ACTIVATIONS } from '../nn/activations'
import { inputSize } from '../nn/architecture'
import { Conv2D } from '../nn/conv2d'
import { Dense } from '../nn/dense'
import { Dropout } from '../nn/dropout'
import { Flatten } from '../nn/flatten'
import { MaxPool2D } from '../nn/maxpool2d'
import type { Sequential } from '../nn/sequential'
import { argmax } from '../nn/softmax'
import { conv2dForward, maxPool2dForward } from '../tensor/conv'
import { backwardStages, updateStages } from './conv-step-backward'
import {
  ACTIVATION_NAMES,
  shape,
  tensorStage,
  type AddStage,
  type Tensor,
  type Traced
} from './conv-step-trace'
import type { ConvStepLayer, PoolStepLayer } from './conv-window'
import { denseForwardRow, softmaxLossRow } from './dense-steps'
import type { Stage, StepThrough } from './stages'

/**
 * Forward, backward and the SGD update of `model` on one image (values in [0, 1], CHW order) with its
 * true label, as stages. Does not change the model. Dropout is the identity here, as in evaluation: a
 * training step would also zero a random part of its input.
 */
export function convStepThrough(
  model: Sequential,
  input: Float32Array,
  label: number,
  learningRate: number
): StepThrough {
  const { architecture } = model
  const size = inputSize(architecture)
  if (input.length !== size)
    throw new RangeError(`stepThrough: expected ${size} input values, got ${input.length}`)
  if (!Number.isInteger(label) || label < 0 || label >= architecture.outputSize)
    throw new RangeError(`stepThrough: label must be 0..${architecture.outputSize - 1}`)

  const stages: Stage[] = []
  const add: AddStage = (phase, tensor, details) => stages.push(tensorStage(phase, tensor, details))
  const trace: Traced[] = []
  const convs: ConvStepLayer[] = []
  const pools: PoolStepLayer[] = []
  const weighted = model.layers.filter((layer) => layer instanceof Conv2D || layer instanceof Dense)

  // ── forward ──
  let x: Tensor = { symbol: 'x', dims: architecture.inputShape, values: Float32Array.from(input) }
  add('forward', x, {
    title: `the input image: ${x.dims.join(' × ')} values in [0, 1]`,
    formula: 'x',
    shapes: shape(x.dims)
  })
  let l = 0 // the weighted layer just passed (conv or dense), for z_l and a_l
  let poolCount = 0
  let lastWeighted = ''
  /** A dropout just passed: the next stage says that it let everything through. */
  let dropout: string | null = null
  for (const layer of model.layers) {
    if (layer instanceof Dropout) {
      // NOTE: Dropout passes its input on unchanged outside training, so it adds no stage.
      dropout = layer.name
      continue
    }
    const firstStage = stages.length
    if (layer instanceof Conv2D) {
      l++
      lastWeighted = layer.name
      const g = layer.geometry(1)
      const z: Tensor = {
        symbol: `z${l}`,
        dims: [g.outChannels, g.outHeight, g.outWidth],
        values: new Float32Array(layer.outFeatures)
      }
      conv2dForward(x.values, layer.weight.data, layer.bias.data, z.values, g)
      const kernelDims = [g.outChannels, g.inChannels, g.kernel, g.kernel]
      add('forward', z, {
        title: `${layer.name}: ${g.outChannels} feature maps, each a ${g.kernel}×${g.kernel} filter slid over ${x.symbol}`,
        formula: `z${l} = W${l} ⋆ ${x.symbol} + b${l}`,
        shapes: `${shape(x.dims)} ⋆ ${shape(kernelDims)} + (${g.outChannels}) → ${shape(z.dims)}`,
        layer: layer.name
      })
      trace.push({ kind: 'conv', layer, l, input: x })
      convs.push({
        name: layer.name,
        geometry: g,
        weights: Float32Array.from(layer.weight.data),
        bias: Float32Array.from(layer.bias.data),
        input: x.symbol,
        output: z.symbol,
        activation: null, // set when its activation follows
        outputGrad: `d${z.symbol}`,
        weightGrad: `dW${l}`,
        inputGrad: trace.length > 1 ? `d${x.symbol}` : null
      })
      x = z
    } else if (layer instanceof Dense) {
      l++
      lastWeighted = layer.name
      const isOutput = layer === weighted.at(-1)
      const z: Tensor = {
        symbol: `z${l}`,
        dims: [1, layer.outFeatures],
        values: denseForwardRow(layer, x.values)
      }
      add('forward', z, {
        title: isOutput
          ? 'the output scores (logits), one per digit'
          : `${layer.name}: weighted sums of its ${layer.inFeatures} inputs`,
        formula: `z${l} = ${x.symbol} · W${l} + b${l}`,
        shapes: `(1, ${layer.inFeatures}) · (${layer.inFeatures}, ${layer.outFeatures}) + (1, ${layer.outFeatures}) → (1, ${layer.outFeatures})`,
        layer: layer.name
      })
      trace.push({ kind: 'dense', layer, l, input: x })
      x = z
    } else if (layer instanceof Activation) {
      const f = ACTIVATIONS[layer.kind]
      const a: Tensor = { symbol: `a${l}`, dims: x.dims, values: x.values.map((v) => f.apply(v)) }
      add('forward', a, {
        title: `${lastWeighted} after the ${ACTIVATION_NAMES[layer.kind]} nonlinearity`,
        formula: `a${l} = ${ACTIVATION_NAMES[layer.kind]}(z${l})`,
        shapes: `${shape(x.dims)} → ${shape(a.dims)}`,
        layer: lastWeighted
      })
      const conv = convs.at(-1)
      if (conv && conv.output === x.symbol)
        convs[convs.length - 1] = { ...conv, activation: { stage: a.symbol, kind: layer.kind } }
      trace.push({
        kind: 'activation',
        activation: layer.kind,
        layerName: lastWeighted,
        input: x,
        output: a
      })
      x = a
    } else if (layer instanceof MaxPool2D) {
      poolCount++
      const g = layer.geometry(1)
      const m: Tensor = {
        symbol: `m${poolCount}`,
        dims: [g.channels, g.outHeight, g.outWidth],
        values: new Float32Array(layer.outFeatures)
      }
      const winners = new Uint32Array(m.values.length)
      maxPool2dForward(x.values, m.values, winners, g)
      add('forward', m, {
        title: `${layer.name}: each ${g.size}×${g.size} window keeps only its largest value`,
        formula: `m${poolCount} = maxpool${g.size}(${x.symbol})`,
        shapes: `${shape(x.dims)} → ${shape(m.dims)}`,
        layer: layer.name
      })
      trace.push({ kind: 'pool', layer, input: x, winners })
      pools.push({
        name: layer.name,
        geometry: g,
        input: x.symbol,
        output: m.symbol,
        outputGrad: `d${m.symbol}`,
        inputGrad: trace.length > 1 ? `d${x.symbol}` : null
      })
      x = m
    } else if (layer instanceof Flatten) {
      const flat: Tensor = { symbol: 'f', dims: [1, x.values.length], values: x.values }
      add('forward', flat, {
        title:
          x.dims.length === 3
            ? `flatten: the ${x.dims[0]} maps of ${x.dims[1]}×${x.dims[2]} laid end to end as one row`
            : 'flatten: already one row',
        formula: `f = flatten(${x.symbol})`,
        shapes: `${shape(x.dims)} → ${shape(flat.dims)}`,
        layer: layer.name
      })
      trace.push({ kind: 'flatten', name: layer.name, input: x })
      x = flat
    }
    if (dropout && stages.length > firstStage) {
      const stage = stages[firstStage]
      const note = ` (${dropout} before it is off outside training: it passes every value)`
      stages[firstStage] = { ...stage, title: stage.title + note }
      dropout = null
    }
  }
  const logits = x
  const { probabilities, loss, dLogits } = softmaxLossRow(logits.values, label)
  add(
    'forward',
    { symbol: 'p', dims: logits.dims, values: probabilities },
    {
      title: 'probabilities: softmax of the logits',
      formula: `p = softmax(${logits.symbol})`,
      shapes: `${shape(logits.dims)} → ${shape(logits.dims)}`
    }
  )
  add(
    'forward',
    { symbol: 'loss', dims: [1], values: Float32Array.of(loss) },
    {
      title: `the loss: how surprised the network is by the true digit ${label}`,
      formula: `L = −log p[${label}]`,
      shapes: `${shape(logits.dims)} → scalar`
    }
  )

  const weightGrads = backwardStages(trace, logits, dLogits, add)
  updateStages(trace, weightGrads, learningRate, add)

  return {
    stages,
    label,
    predicted: argmax(probabilities),
    loss,
    probabilities,
    weightsBefore: weighted.map((layer) =>
      Float32Array.from((layer as Conv2D | Dense).weight.data)
    ),
    convolution: { convs, pools }
  }
}
