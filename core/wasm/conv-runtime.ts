// Loading the convolution, pooling and map kernels (core/wasm/conv-kernels.wat, pool-kernels.wat,
// map-kernels.wat) over a given
// memory, which may be the dense kernels' own (every module imports the same `env.memory`).

import { CONV_KERNELS_SHARED_WASM_BASE64, CONV_KERNELS_WASM_BASE64 } from './conv-kernels.wasm'
import { MAP_KERNELS_SHARED_WASM_BASE64, MAP_KERNELS_WASM_BASE64 } from './map-kernels.wasm'
import { POOL_KERNELS_SHARED_WASM_BASE64, POOL_KERNELS_WASM_BASE64 } from './pool-kernels.wasm'
import { instantiateWasm, type WasmMemory } from './runtime'

/** A range of batch images, b0 ≤ b < b1, as every conv and pooling kernel takes it. */
type Images = [b0: number, b1: number]
/** ConvGeometry's (C, H, W, O, k, s, p, Ho, Wo), in the kernels' order. */
export type ConvShape = [
  C: number,
  H: number,
  W: number,
  O: number,
  k: number,
  s: number,
  p: number,
  Ho: number,
  Wo: number
]
/** A batch's input as CSR rows (see kernels.wat): byte addresses, and the rows' stride. */
type Csr = [idx: number, val: number, cnt: number, stride: number]
/** PoolGeometry's (C, H, W, size, Ho, Wo). */
export type PoolShape = [C: number, H: number, W: number, size: number, Ho: number, Wo: number]

type Forward = [
  w: number,
  bias: number,
  y: number,
  col: number,
  ...Images,
  ...ConvShape,
  relu: number
]
type InputGradient = [dy: number, w: number, dx: number, col: number, ...Images, ...ConvShape]
type WeightGradient = [dy: number, dw: number, db: number, col: number, ...Images, ...ConvShape]
type Filters = [o0: number, o1: number]

/**
 * The exports of conv-kernels.wat. Buffers are byte addresses; b0..b1 a range of batch images; the
 * geometry (C, H, W, O, k, s, p, Ho, Wo) is ConvGeometry's; the forward's `method` is 0 (the faster
 * for the geometry), 1 (im2col) or 2 (direct, stride 1), see ConvMethod; o0..o1 a range of filters.
 * The *_sparse kernels read the input as CSR rows (idx, val, cnt, stride: see kernels.wat); the
 * *_sparse_dy gradients go over dy's nonzeros (behind a max-pool), to the same bits as
 * conv_backward_weight and conv_backward_input.
 * core/fast/conv-kernel-calls.ts says what each buffer must hold and how large the scratch `col` is.
 */
export interface ConvKernels {
  conv_forward(x: number, ...rest: [...Forward, method: number]): void
  conv_forward_sparse(...args: [...Csr, ...Forward]): void
  conv_backward_input(...args: InputGradient): void
  conv_backward_input_sparse_dy(...args: InputGradient): void
  conv_backward_weight(x: number, ...rest: [...WeightGradient, ...Filters]): void
  conv_backward_weight_sparse_dy(x: number, ...rest: [...WeightGradient, ...Filters]): void
  conv_backward_weight_sparse(...args: [...Csr, ...WeightGradient]): void
}

/** Instantiates the conv kernels over `memory` (a private or a shared one). */
export function instantiateConvKernels(memory: WasmMemory): ConvKernels {
  return instantiateWasm(memory, {
    plain: CONV_KERNELS_WASM_BASE64,
    shared: CONV_KERNELS_SHARED_WASM_BASE64,
    source: 'core/wasm/conv-kernels.wasm.ts'
  }) as unknown as ConvKernels
}

/** The exports of pool-kernels.wat: as ConvKernels, with PoolGeometry's (C, H, W, size, Ho, Wo). */
export interface PoolKernels {
  maxpool_forward(x: number, y: number, argmax: number, ...rest: [...Images, ...PoolShape]): void
  maxpool_backward(dy: number, argmax: number, dx: number, ...rest: [...Images, ...PoolShape]): void
}

/** Instantiates the max-pooling kernels over `memory` (a private or a shared one). */
export function instantiatePoolKernels(memory: WasmMemory): PoolKernels {
  return instantiateWasm(memory, {
    plain: POOL_KERNELS_WASM_BASE64,
    shared: POOL_KERNELS_SHARED_WASM_BASE64,
    source: 'core/wasm/pool-kernels.wasm.ts'
  }) as unknown as PoolKernels
}

/**
 * The exports of map-kernels.wat: elementwise passes over n floats at byte addresses. The *_backward
 * kernels turn ∂L/∂y into ∂L/∂z in place (dy ⊙ f′, f′ from the activation's output y); `multiply` is
 * dropout's out = x ⊙ mask (out may be x).
 */
export interface MapKernels {
  relu_backward(y: number, dy: number, n: number): void
  sigmoid_backward(y: number, dy: number, n: number): void
  tanh_backward(y: number, dy: number, n: number): void
  multiply(x: number, mask: number, out: number, n: number): void
}

/** Instantiates the map kernels over `memory` (a private or a shared one). */
export function instantiateMapKernels(memory: WasmMemory): MapKernels {
  return instantiateWasm(memory, {
    plain: MAP_KERNELS_WASM_BASE64,
    shared: MAP_KERNELS_SHARED_WASM_BASE64,
    source: 'core/wasm/map-kernels.wasm.ts'
  }) as unknown as MapKernels
}
