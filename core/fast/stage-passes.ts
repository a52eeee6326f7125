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
import type { ConvNetworkLayout, MapBuffers, ParameterLayout, StageLayout } from './conv-layout'
import { denseGradientPart } from './dense-gradient'
import { updateParameter } from './fused-optimizer'

/** The kernels and memory views every stage pass uses. */
export interface StageContext {
  readonly layout: ConvNetworkLayout
  readonly kernels: Kernels
  readonly conv: ConvKernelCalls
  readonly map: MapKernels
  readonly f32: Float32Array
}

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
      const at = { w, bias, y: output.values, scratch: s.layout.convScratch }
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
        scratch: s.layout.convScratch
      }
      s.conv.backwardInput(at, stage.geometry, range)
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
 * The parameters' gradients of a stage over the batch's `rows` rows ("=", summed in row order), then
 * the optimizer's update of them when `update` is given (fused-optimizer.ts).
 *   conv:  dW[o, c, u, v] = Σ_b Σ_i Σ_j dy[b, o, i, j] · x[b, c, i·s + u − p, j·s + v − p],  db[o] = Σ dy
 *   dense: dWᵀ[p, :] = Σ_r x[r, p] · dy[r, :],  db = Σ_r dy[r, :]
 */
export function stageGradient(
  s: StageContext,
  stage: StageLayout,
  rows: number,
  update: FusedUpdate | null
): void {
  if (stage.kind === 'dense') {
    denseGradientPart(s.kernels, s.f32, stage.layer, 0, stage.layer.n, true, rows, update)
    return
  }
  if (stage.kind !== 'conv') return
  const p = stage.parameters
  clear(s.f32, p.weightGrad, p.weightFloats)
  clear(s.f32, p.biasGrad, p.biasFloats)
  const at = {
    dy: stage.output.grads,
    dw: p.weightGrad,
    db: p.biasGrad,
    scratch: s.layout.convScratch
  }
  const batch = { b0: 0, b1: rows }
  if (stage.sparse)
    s.conv.backwardWeightSparse({ csr: s.layout.inputCsr, ...at }, stage.geometry, batch)
  else s.conv.backwardWeight({ x: stage.input.values, ...at }, stage.geometry, batch)
  if (update) updateConvParameters(s.kernels, p, update)
}

function updateConvParameters(k: Kernels, p: ParameterLayout, update: FusedUpdate): void {
  const common = { weightDecay: update.weightDecay }
  updateParameter(
    k,
    {
      value: p.weight,
      grad: p.weightGrad,
      moment: p.weightMoment,
      squares: p.weightSquares,
      size: p.weightFloats,
      ...common
    },
    update
  )
  updateParameter(
    k,
    {
      value: p.bias,
      grad: p.biasGrad,
      moment: p.biasMoment,
      squares: p.biasSquares,
      size: p.biasFloats,
      weightDecay: 0
    },
    update
  )
}

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
