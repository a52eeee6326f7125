// The conv step-through's backward pass and SGD update: from ∂L/∂logits back through every layer the
// forward pass traced, each gradient a stage, with the engine's own backward loops (core/tensor/conv.ts).

import { ACTIVATIONS } from '../nn/activations'
import { conv2dBackwardInput, conv2dBackwardWeight, maxPool2dBackward } from '../tensor/conv'
import { ACTIVATION_NAMES, shape, type AddStage, type Tensor, type Traced } from './conv-step-trace'
import { denseInputGradRow, denseWeightGradRow } from './dense-steps'

/** Each weighted layer's gradients, by its number l. */
export type WeightGrads = Map<number, { readonly dW: Float32Array; readonly db: Float32Array }>

/**
 * dz = p − y at the logits, then each traced layer backwards (dense: dW, db, da; activation: ⊙ f′;
 * flatten: reshape; pool: route to the winners; conv: dW = x ⋆ dz, db = Σ dz, dx = dz ⋆full rot180(W)).
 * The first layer's input gradient is not computed (nothing learns from it).
 */
export function backwardStages(
  trace: readonly Traced[],
  logits: Tensor,
  dLogits: Float32Array,
  add: AddStage
): WeightGrads {
  let grad: Tensor = { symbol: `d${logits.symbol}`, dims: logits.dims, values: dLogits }
  add('backward', grad, {
    title: 'gradient at the logits: predicted minus true',
    formula: `${grad.symbol} = p − y`,
    shapes: `${shape(logits.dims)} − ${shape(logits.dims)} → ${shape(logits.dims)}`
  })
  const weightGrads: WeightGrads = new Map()
  for (let t = trace.length - 1; t >= 0; t--) {
    const step = trace[t]
    const into = (values: Float32Array): Tensor => ({
      symbol: `d${step.input.symbol}`,
      dims: step.input.dims,
      values
    })
    const needInputGrad = t > 0
    switch (step.kind) {
      case 'dense': {
        const { layer, l: n, input } = step
        const dW = denseWeightGradRow(grad.values, input.values)
        const db = Float32Array.from(grad.values)
        weightGrads.set(n, { dW, db })
        const [outs, ins] = [layer.outFeatures, layer.inFeatures]
        add(
          'backward',
          { symbol: `dW${n}`, dims: [outs, ins], values: dW },
          {
            title: `gradient of ${layer.name}’s weights`,
            formula: `dW${n} = ${input.symbol}ᵀ · ${grad.symbol}`,
            shapes: `(${ins}, 1) · (1, ${outs}) → (${ins}, ${outs})`,
            layer: layer.name,
            parameter: layer.weight.name,
            storedTransposed: true
          }
        )
        add(
          'backward',
          { symbol: `db${n}`, dims: [1, outs], values: db },
          {
            title: `gradient of ${layer.name}’s biases`,
            formula: `db${n} = ${grad.symbol}`,
            shapes: `(1, ${outs})`,
            layer: layer.name,
            parameter: layer.bias.name
          }
        )
        if (!needInputGrad) break
        const next = into(denseInputGradRow(layer, grad.values))
        add('backward', next, {
          title: `gradient flowing back into ${input.symbol}`,
          formula: `${next.symbol} = ${grad.symbol} · W${n}ᵀ`,
          shapes: `(1, ${outs}) · (${outs}, ${ins}) → (1, ${ins})`,
          layer: layer.name
        })
        grad = next
        break
      }
      case 'activation': {
        const { inputGrad } = ACTIVATIONS[step.activation]
        const a = step.output.values
        const next = into(grad.values.map((g, i) => inputGrad(a[i], g)))
        const relu = step.activation === 'relu'
        add('backward', next, {
          title: relu
            ? 'through the ReLU: values that were off (z ≤ 0) pass no gradient'
            : `through the ${ACTIVATION_NAMES[step.activation]} derivative`,
          formula: relu
            ? `${next.symbol} = ${grad.symbol} ⊙ [${step.input.symbol} > 0]`
            : `${next.symbol} = ${grad.symbol} ⊙ ${ACTIVATION_NAMES[step.activation]}′(${step.input.symbol})`,
          shapes: `${shape(grad.dims)} ⊙ ${shape(grad.dims)} → ${shape(grad.dims)}`,
          layer: step.layerName
        })
        grad = next
        break
      }
      case 'flatten': {
        const next = into(grad.values)
        add('backward', next, {
          title: `the row of gradients folded back into the shape of ${step.input.symbol}`,
          formula: `${next.symbol} = reshape(${grad.symbol})`,
          shapes: `${shape(grad.dims)} → ${shape(next.dims)}`,
          layer: step.name
        })
        grad = next
        break
      }
      case 'pool': {
        if (!needInputGrad) break
        const g = step.layer.geometry(1)
        const next = into(new Float32Array(step.input.values.length))
        maxPool2dBackward(grad.values, step.winners, next.values, g)
        add('backward', next, {
          title: `through ${step.layer.name}: each window’s gradient goes only to the pixel that won it`,
          formula: `${next.symbol} = ${grad.symbol} routed to each window’s max`,
          shapes: `${shape(grad.dims)} → ${shape(next.dims)}`,
          layer: step.layer.name
        })
        grad = next
        break
      }
      case 'conv': {
        const { layer, l: n, input } = step
        const g = layer.geometry(1)
        const dW = new Float32Array(layer.weight.data.length)
        const db = new Float32Array(layer.filters)
        conv2dBackwardWeight(input.values, grad.values, dW, db, g)
        weightGrads.set(n, { dW, db })
        const kernelDims = [g.outChannels, g.inChannels, g.kernel, g.kernel]
        add(
          'backward',
          { symbol: `dW${n}`, dims: kernelDims, values: dW },
          {
            title: `gradient of ${layer.name}’s filters: ${input.symbol} correlated with ${grad.symbol}`,
            formula: `dW${n} = ${input.symbol} ⋆ ${grad.symbol}`,
            shapes: `${shape(input.dims)} ⋆ ${shape(grad.dims)} → ${shape(kernelDims)}`,
            layer: layer.name,
            parameter: layer.weight.name
          }
        )
        add(
          'backward',
          { symbol: `db${n}`, dims: [1, g.outChannels], values: db },
          {
            title: `gradient of ${layer.name}’s biases: each map’s gradient summed`,
            formula: `db${n} = Σᵢⱼ ${grad.symbol}`,
            shapes: `${shape(grad.dims)} → (${g.outChannels})`,
            layer: layer.name,
            parameter: layer.bias.name
          }
        )
        if (!needInputGrad) break
        const next = into(new Float32Array(input.values.length))
        conv2dBackwardInput(grad.values, layer.weight.data, next.values, g)
        add('backward', next, {
          title:
            g.stride === 1
              ? `gradient into ${input.symbol}: ${grad.symbol} fully convolved with the flipped filters`
              : `gradient into ${input.symbol}: each output’s gradient sent back through the filter values that joined them`,
          formula:
            g.stride === 1
              ? `${next.symbol} = ${grad.symbol} ⋆full rot180(W${n})`
              : `${next.symbol} = Σ ${grad.symbol} · W${n} (stride ${g.stride})`,
          shapes: `${shape(grad.dims)} ⋆ ${shape(kernelDims)} → ${shape(input.dims)}`,
          layer: layer.name
        })
        grad = next
        break
      }
    }
  }

  return weightGrads
}

/** W ← W − lr · dW and b ← b − lr · db for every weighted layer, in forward order: shown, not applied. */
export function updateStages(
  trace: readonly Traced[],
  weightGrads: WeightGrads,
  learningRate: number,
  add: AddStage
): void {
  for (const step of trace) {
    if (step.kind !== 'conv' && step.kind !== 'dense') continue
    const { layer, l: n } = step
    const { dW, db } = weightGrads.get(n)!
    const dims = layer.weight.shape
    add(
      'update',
      { symbol: `W${n}′`, dims, values: layer.weight.data.map((w, i) => w - learningRate * dW[i]) },
      {
        title: `${layer.name}’s weights after one SGD step (learning rate ${learningRate})`,
        formula: `W${n} ← W${n} − lr · dW${n}`,
        shapes: `${shape(dims)} − scalar · ${shape(dims)}`,
        layer: layer.name,
        parameter: layer.weight.name,
        storedTransposed: step.kind === 'dense'
      }
    )
    add(
      'update',
      {
        symbol: `b${n}′`,
        dims: [1, db.length],
        values: layer.bias.data.map((b, i) => b - learningRate * db[i])
      },
      {
        title: `${layer.name}’s biases after the step`,
        formula: `b${n} ← b${n} − lr · db${n}`,
        shapes: `(1, ${db.length})`,
        layer: layer.name,
        parameter: layer.bias.name
      }
    )
  }
}
