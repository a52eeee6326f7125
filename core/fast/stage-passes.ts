// One stage of a layer-list net on the fast engine (conv-layout.ts): its forward pass, its backward
// pass and its parameters' gradient with the optimizer's update, each by our SIMD kernels. The
// formulas are the layers' own (core/nn/conv2d.ts, maxpool2d.ts, flatten.ts, dropout.ts, dense.ts),
// which test/core/train/fast-conv-trainer.test.ts checks step for step against the reference Trainer.

import { ACTIVATIONS } from '../nn/activations'
import type { LayerActivation } from '../nn/architecture'
import type { FusedUpdate } from '../optim/fused-update'
import type { MapKernels } from '../wasm/conv-runtime'
import type { Kernels } from '../wasm/runtime'
import type { ConvKernelCalls } from './conv-kernel-calls'
import { filterRange, weightRowRange } from './conv-gradient-tasks'
import type { ConvNetworkLayout, MapBuffers, StageLayout } from './conv-layout'
import { denseGradientPart } from './dense-gradient'
import { updateParameter } from './fused-optimizer'

/** The kernels and memory views every stage pass uses. */
export interface StageContext {
  readonly layout: ConvNetworkLayout
  readonly kernels: Kernels
  readonly conv: ConvKernelCalls
  readonly map: MapKernels
  readonly f32: Float32Array
  /** This thread's conv scratch (byte address): threads sharing a memory each have their own. */
  readonly scratch: number
}

/** Which part of a stage's gradient work to do (see stageGradient). */
export interface GradientShare {
  readonly part: number
  readonly parts: number
}
const WHOLE: GradientShare = { part: 0, parts: 1 }

/** Byte address of row r of a map's values or grads. */
const row = (base: number, map: MapBuffers, r: number): number => base + r * map.stride * 4

/**
 * Forward pass of batch rows r0..r1 through one stage: output ← stage(input). `training` says whether
 * dropout applies its mask (drawn beforehand, see ConvNetwork.beginStep) or passes values through.
 */
export function stageForward(
  s: StageContext,
  stage: StageLayout,
  r0: number,
  r1: number,
  training: boolean
): void {
  const range = { b0: r0, b1: r1 }
  const { input, output } = stage
  switch (stage.kind) {
    case 'conv': {
      const { weight: w, bias } = stage.parameters
      const at = { w, bias, y: output.values, scratch: s.scratch }
      const relu = stage.activation === 'relu'
      if (stage.sparse)
        s.conv.forwardSparse({ csr: s.layout.inputCsr, ...at }, stage.geometry, relu, range)
      else s.conv.forward({ x: input.values, ...at }, stage.geometry, relu, range)
      applyActivation(s.f32, stage.activation, output, r0, r1)
      return
    }
    case 'maxpool':
      s.conv.maxPoolForward(
        { x: input.values, y: output.values, argmax: stage.argmax },
        stage.geometry,
        range
      )
      return
    case 'flatten':
      if (output !== input)
        copyRows(
          s.f32,
          input.values,
          input.stride,
          output.values,
          output.stride,
          input.width,
          r0,
          r1
        )
      return
    case 'dropout': {
      const floats = (r1 - r0) * input.stride
      if (training)
        s.map.multiply(
          row(input.values, input, r0),
          row(stage.mask, input, r0),
          row(output.values, output, r0),
          floats
        )
      else
        s.f32.copyWithin(
          row(output.values, output, r0) >> 2,
          row(input.values, input, r0) >> 2,
          (row(input.values, input, r0) >> 2) + floats
        )
      return
    }
    case 'dense': {
      const k = s.kernels
      const l = stage.layer
      if (!stage.first)
        k.encode_f32(
          input.values,
          r0,
          r1,
          l.n,
          s.layout.compactLanes,
          l.csrIndex,
          l.csrValue,
          l.csrCount,
          l.csrStride
        )
      const relu = stage.activation === 'relu' ? 1 : 0
      k.sparse_forward(
        r0,
        r1,
        l.csrStride,
        l.csrIndex,
        l.csrValue,
        l.csrCount,
        l.weight,
        l.m,
        l.bias,
        l.output,
        relu
      )
      applyActivation(s.f32, stage.activation, output, r0, r1)
      return
    }
  }
}

/**
 * Backward pass of rows r0..r1 through one stage: its output's gradient ∂L/∂y becomes ∂L/∂(pre-activation)
 * in place (y's activation derivative), then, when `needInputGrad`, ∂L/∂input. Parameter gradients
 * are left to stageGradient, which sums over the whole batch.
 */
export function stageBackward(
  s: StageContext,
  stage: StageLayout,
  r0: number,
  r1: number,
  needInputGrad: boolean
): void {
  const range = { b0: r0, b1: r1 }
  const { input, output } = stage
  switch (stage.kind) {
    case 'conv': {
      activationBackward(s, stage.activation, output, r0, r1)
      if (!needInputGrad) return
      const at = {
        dy: output.grads,
        w: stage.parameters.weight,
        dx: input.grads,
        scratch: s.scratch
      }
      s.conv.backwardInput(at, stage.geometry, range, stage.dyMethod)
      return
    }
    case 'maxpool':
      if (needInputGrad)
        s.conv.maxPoolBackward(
          { dy: output.grads, argmax: stage.argmax, dx: input.grads },
          stage.geometry,
          range
        )
      return
    case 'flatten':
      if (needInputGrad && output !== input)
        copyRows(s.f32, output.grads, output.stride, input.grads, input.stride, input.width, r0, r1)
      return
    case 'dropout':
      if (needInputGrad)
        s.map.multiply(
          row(output.grads, output, r0),
          row(stage.mask, input, r0),
          row(input.grads, input, r0),
          (r1 - r0) * input.stride
        )
      return
    case 'dense': {
      activationBackward(s, stage.activation, output, r0, r1)
      if (!needInputGrad) return
      const k = s.kernels
      const l = stage.layer
      // PERF: where the input is a ReLU's output (through pooling or dropout), its zeros get no gradient
      // anyway: compute dx only at the nonzeros (the CSR rows), the rest is 0.
      if (input.zeroMeansNoGradient)
        k.input_grad_relu(
          r0,
          r1,
          l.n,
          l.csrStride,
          l.csrIndex,
          l.csrCount,
          l.outputGrad,
          l.m,
          l.weight,
          input.grads
        )
      else k.input_grad_dense(r0, r1, l.n, l.outputGrad, l.m, l.weight, input.grads)
      return
    }
  }
}

/**
 * Part `share.part` of `share.parts` of a stage's parameter gradients over the batch's `rows` rows ("=",
 * summed in row order), then the optimizer's update of them when `update` is given (fused-optimizer.ts):
 * a dense convolution's part is a range of its filters (conv-gradient-tasks.ts: filterRange), a dense
 * layer's a range of its weight rows (the first part also takes the bias).
 *   conv:  dW[o, c, u, v] = Σ_b Σ_i Σ_j dy[b, o, i, j] · x[b, c, i·s + u − p, j·s + v − p],  db[o] = Σ dy
 *   dense: dWᵀ[p, :] = Σ_r x[r, p] · dy[r, :],  db = Σ_r dy[r, :]
 */
export function stageGradient(
  s: StageContext,
  stage: StageLayout,
  rows: number,
  update: FusedUpdate | null,
  { part, parts }: GradientShare = WHOLE
): void {
  if (stage.kind === 'dense') {
    const { p0, p1 } = weightRowRange(stage.layer.n, part, parts)
    denseGradientPart(s.kernels, s.f32, stage.layer, p0, p1, part === 0, rows, update)
    return
  }
  if (stage.kind !== 'conv') return
  const g = stage.geometry
  const { o0, o1 } = filterRange(g.outChannels, part, parts)
  if (stage.sparse && (o0 !== 0 || o1 !== g.outChannels))
    throw new RangeError(`${stage.name}: the sparse weight gradient takes all filters`)
  // This range's floats of the weight [O, C·k·k] and the bias [O]; the last range takes the padding.
  const filterFloats = g.inChannels * g.kernel * g.kernel
  const p = stage.parameters
  const weight = spanOf(o0 * filterFloats, o1 * filterFloats, o1 === g.outChannels, p.weightFloats)
  const bias = spanOf(o0, o1, o1 === g.outChannels, p.biasFloats)
  clear(s.f32, p.weightGrad + weight.offset, weight.floats)
  clear(s.f32, p.biasGrad + bias.offset, bias.floats)
  const at = {
    dy: stage.output.grads,
    dw: p.weightGrad,
    db: p.biasGrad,
    scratch: s.scratch
  }
  const batch = { b0: 0, b1: rows }
  if (stage.sparse) s.conv.backwardWeightSparse({ csr: s.layout.inputCsr, ...at }, g, batch)
  else s.conv.backwardWeight({ x: stage.input.values, ...at }, g, batch, { o0, o1 }, stage.dyMethod)
  if (!update) return
  const { weightDecay } = update
  const span = (at: number, { offset }: Span): number => at + offset
  updateParameter(
    s.kernels,
    {
      value: span(p.weight, weight),
      grad: span(p.weightGrad, weight),
      moment: span(p.weightMoment, weight),
      squares: span(p.weightSquares, weight),
      size: weight.floats,
      weightDecay
    },
    update
  )
  updateParameter(
    s.kernels,
    {
      value: span(p.bias, bias),
      grad: span(p.biasGrad, bias),
      moment: span(p.biasMoment, bias),
      squares: span(p.biasSquares, bias),
      size: bias.floats,
      weightDecay: 0
    },
    update
  )
}

/** Floats from..to of a buffer as a byte offset and a length; `last` extends it to the padded end. */
interface Span {
  readonly offset: number
  readonly floats: number
}
const spanOf = (from: number, to: number, last: boolean, padded: number): Span => ({
  offset: from * 4,
  floats: (last ? padded : to) - from
})

/** y = f(z) in place on rows r0..r1 for sigmoid and tanh (ReLU is fused into the kernels; 'none' is z). */
function applyActivation(
  f32: Float32Array,
  activation: LayerActivation,
  map: MapBuffers,
  r0: number,
  r1: number
): void {
  if (activation === 'relu' || activation === 'none') return
  const { apply } = ACTIVATIONS[activation]
  for (let r = r0; r < r1; r++) {
    const start = (map.values >> 2) + r * map.stride
    for (let j = start; j < start + map.width; j++) f32[j] = apply(f32[j])
  }
}

/** ∂L/∂z = ∂L/∂y ⊙ f′ in place on rows r0..r1, f′ from the output y (map-kernels.wat). */
function activationBackward(
  s: StageContext,
  activation: LayerActivation,
  map: MapBuffers,
  r0: number,
  r1: number
): void {
  if (activation === 'none') return
  const y = row(map.values, map, r0)
  const dy = row(map.grads, map, r0)
  const floats = (r1 - r0) * map.stride
  if (activation === 'relu') s.map.relu_backward(y, dy, floats)
  else if (activation === 'sigmoid') s.map.sigmoid_backward(y, dy, floats)
  else s.map.tanh_backward(y, dy, floats)
}

/** The first `width` floats of rows r0..r1 from one row stride to another (flatten's padding copy). */
function copyRows(
  f32: Float32Array,
  from: number,
  fromStride: number,
  to: number,
  toStride: number,
  width: number,
  r0: number,
  r1: number
): void {
  for (let r = r0; r < r1; r++) {
    const src = (from >> 2) + r * fromStride
    f32.copyWithin((to >> 2) + r * toStride, src, src + width)
  }
}

function clear(f32: Float32Array, at: number, floats: number): void {
  f32.fill(0, at >> 2, (at >> 2) + floats)
}
