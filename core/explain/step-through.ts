// One training step on one image, every intermediate matrix kept: the network half of the backprop
// explorer. Written with plain loops on purpose (it is read, not run hot); tests check that its
// numbers equal the engine's own forward and backward passes.
//
// Shapes are written in numpy's convention, as in the original project: x @ W1 with W1 of shape
// (784, h1). The engine stores each weight transposed, [out, in] (one 28×28 image per unit), and the
// `values` of weight-shaped stages use that stored layout so they can be drawn as images.

import { ACTIVATIONS } from '../nn/activations'
import { denseForm, type DenseArchitecture } from '../nn/architecture'
import type { Sequential } from '../nn/sequential'
import { argmax } from '../nn/softmax'
import { convStepThrough } from './conv-step-through'
import { ACTIVATION_NAMES } from './conv-step-trace'
import {
  denseForwardRow,
  denseInputGradRow,
  denseWeightGradRow,
  softmaxLossRow
} from './dense-steps'
import type { Stage, StageMatrix, StepThrough } from './stages'

/**
 * Forward, backward and the SGD update for a batch of one image (input values in [0, 1]) with its true
 * label. Does not change the model: the update stages show what w − lr·dw would be.
 * A plain dense net (one activation after every hidden layer) is shown in numpy's notation below; any
 * other layer list (conv, pool, flatten, dropout, mixed activations) by convStepThrough.
 */
export function stepThrough(
  model: Sequential,
  input: Float32Array,
  label: number,
  learningRate: number
): StepThrough {
  const form = denseForm(model.architecture)
  return form
    ? denseStepThrough(model, form, input, label, learningRate)
    : convStepThrough(model, input, label, learningRate)
}

function denseStepThrough(
  model: Sequential,
  form: DenseArchitecture,
  input: Float32Array,
  label: number,
  learningRate: number
): StepThrough {
  const { inputSize, outputSize, activation } = form
  if (input.length !== inputSize)
    throw new RangeError(`stepThrough: expected ${inputSize} input values, got ${input.length}`)
  if (!Number.isInteger(label) || label < 0 || label >= outputSize)
    throw new RangeError(`stepThrough: label must be 0..${outputSize - 1}`)
  const dense = model.denseLayers
  const layerCount = dense.length
  const act = ACTIVATION_NAMES[activation]
  const f = ACTIVATIONS[activation]
  const stages: Stage[] = []
  const add = (stage: Omit<Stage, 'storedTransposed'> & { storedTransposed?: boolean }) =>
    stages.push({ storedTransposed: false, ...stage })
  const row = (values: Float32Array): StageMatrix => ({ rows: 1, cols: values.length, values })
  const shape = (rows: number, cols: number) => `(${rows}, ${cols})`

  // ── forward ──
  const activations: Float32Array[] = [Float32Array.from(input)] // a0 = x
  const preActivations: Float32Array[] = []
  add({
    id: 'x',
    phase: 'forward',
    title: 'the input image, one row of pixels in [0, 1]',
    formula: 'x',
    shapes: shape(1, inputSize),
    value: row(activations[0])
  })
  for (let l = 1; l <= layerCount; l++) {
    const layer = dense[l - 1]
    const a = activations[l - 1]
    const z = denseForwardRow(layer, a)
    preActivations.push(z)
    const previous = l === 1 ? 'x' : `a${l - 1}`
    const isLast = l === layerCount
    add({
      id: `z${l}`,
      phase: 'forward',
      title: isLast
        ? 'the output scores (logits), one per digit'
        : `layer ${l}: weighted sums of its inputs`,
      formula: `z${l} = ${previous} · W${l} + b${l}`,
      shapes: `${shape(1, layer.inFeatures)} · ${shape(layer.inFeatures, layer.outFeatures)} + ${shape(1, layer.outFeatures)} → ${shape(1, layer.outFeatures)}`,
      value: row(z)
    })
    if (!isLast) {
      const out = z.map((v) => f.apply(v))
      activations.push(out)
      add({
        id: `a${l}`,
        phase: 'forward',
        title: `layer ${l} after the ${act} nonlinearity`,
        formula: `a${l} = ${act}(z${l})`,
        shapes: `${shape(1, layer.outFeatures)} → ${shape(1, layer.outFeatures)}`,
        value: row(out)
      })
    }
  }
  const logits = preActivations[layerCount - 1]
  const { probabilities: p, loss, dLogits } = softmaxLossRow(logits, label)
  add({
    id: 'p',
    phase: 'forward',
    title: 'probabilities: softmax of the logits',
    formula: `p = softmax(z${layerCount})`,
    shapes: `${shape(1, outputSize)} → ${shape(1, outputSize)}`,
    value: row(p)
  })
  add({
    id: 'loss',
    phase: 'forward',
    title: `the loss: how surprised the network is by the true digit ${label}`,
    formula: `L = −log p[${label}]`,
    shapes: '(1, 10) → scalar',
    value: row(Float32Array.of(loss))
  })

  // ── backward ──
  let dz = dLogits // ∂L/∂z = p − onehot(y) for softmax + cross-entropy
  add({
    id: `dz${layerCount}`,
    phase: 'backward',
    title: 'gradient at the logits: predicted minus true',
    formula: `dz${layerCount} = p − y`,
    shapes: `${shape(1, outputSize)} − ${shape(1, outputSize)} → ${shape(1, outputSize)}`,
    value: row(dz)
  })
  const weightGrads: Float32Array[] = []
  const biasGrads: Float32Array[] = []
  for (let l = layerCount; l >= 1; l--) {
    const layer = dense[l - 1]
    const a = activations[l - 1]
    const dW = denseWeightGradRow(dz, a)
    weightGrads[l - 1] = dW
    biasGrads[l - 1] = Float32Array.from(dz)
    const previous = l === 1 ? 'x' : `a${l - 1}`
    add({
      id: `dW${l}`,
      phase: 'backward',
      title:
        l === 1
          ? 'gradient of the first layer’s weights: one 28×28 image per unit'
          : `gradient of layer ${l}’s weights`,
      formula: `dW${l} = ${previous}ᵀ · dz${l}`,
      shapes: `${shape(layer.inFeatures, 1)} · ${shape(1, layer.outFeatures)} → ${shape(layer.inFeatures, layer.outFeatures)}`,
      value: { rows: layer.outFeatures, cols: layer.inFeatures, values: dW },
      storedTransposed: true
    })
    add({
      id: `db${l}`,
      phase: 'backward',
      title: `gradient of layer ${l}’s biases`,
      formula: `db${l} = dz${l}`,
      shapes: shape(1, layer.outFeatures),
      value: row(biasGrads[l - 1])
    })
    if (l === 1) break
    const da = denseInputGradRow(layer, dz)
    add({
      id: `da${l - 1}`,
      phase: 'backward',
      title: `gradient flowing back into layer ${l - 1}’s outputs`,
      formula: `da${l - 1} = dz${l} · W${l}ᵀ`,
      shapes: `${shape(1, layer.outFeatures)} · ${shape(layer.outFeatures, layer.inFeatures)} → ${shape(1, layer.inFeatures)}`,
      value: row(da)
    })
    // f′ from the layer's output a = f(z) (this layer's input), as the engine's activation layer does.
    dz = da.map((g, i) => f.inputGrad(a[i], g))
    add({
      id: `dz${l - 1}`,
      phase: 'backward',
      title:
        activation === 'relu'
          ? 'through the ReLU: units that were off (z ≤ 0) pass no gradient'
          : `through the ${act} derivative`,
      formula:
        activation === 'relu'
          ? `dz${l - 1} = da${l - 1} ⊙ [z${l - 1} > 0]`
          : `dz${l - 1} = da${l - 1} ⊙ ${act}′(z${l - 1})`,
      shapes: `${shape(1, layer.inFeatures)} ⊙ ${shape(1, layer.inFeatures)} → ${shape(1, layer.inFeatures)}`,
      value: row(dz)
    })
  }

  // ── update (plain SGD, shown, not applied) ──
  for (let l = 1; l <= layerCount; l++) {
    const layer = dense[l - 1]
    const updated = layer.weight.data.map((w, i) => w - learningRate * weightGrads[l - 1][i])
    add({
      id: `W${l}′`,
      phase: 'update',
      title: `layer ${l}’s weights after one SGD step (learning rate ${learningRate})`,
      formula: `W${l} ← W${l} − lr · dW${l}`,
      shapes: `${shape(layer.inFeatures, layer.outFeatures)} − scalar · ${shape(layer.inFeatures, layer.outFeatures)}`,
      value: { rows: layer.outFeatures, cols: layer.inFeatures, values: updated },
      storedTransposed: true
    })
    const bias = layer.bias.data.map((b, i) => b - learningRate * biasGrads[l - 1][i])
    add({
      id: `b${l}′`,
      phase: 'update',
      title: `layer ${l}’s biases after the step`,
      formula: `b${l} ← b${l} − lr · db${l}`,
      shapes: shape(1, layer.outFeatures),
      value: row(bias)
    })
  }

  const weightsBefore = dense.map((layer) => Float32Array.from(layer.weight.data)) // a copy: the model trains on
  return { stages, label, predicted: argmax(p), loss, probabilities: p, weightsBefore }
}
