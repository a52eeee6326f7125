// Loading the convolution and pooling kernels (core/wasm/conv-kernels.wat) over a given memory, which may
// be the dense kernels' own (both modules import the same `env.memory`).

import { CONV_KERNELS_SHARED_WASM_BASE64, CONV_KERNELS_WASM_BASE64 } from './conv-kernels.wasm'
import { instantiateWasm, type WasmMemory } from './runtime'

/**
 * The exports of conv-kernels.wat. Buffers are byte addresses; b0..b1 a range of batch images; the
 * geometry (C, H, W, O, k, s, p, Ho, Wo) is ConvGeometry's, (C, H, W, size, Ho, Wo) PoolGeometry's; the forward's
 * `method` is 0 (the faster for the geometry), 1 (im2col) or 2 (direct, stride 1), see ConvMethod.
 * core/fast/conv-engine.ts says what each buffer must hold and how large the scratch `col` must be.
 */
export interface ConvKernels {
  conv_forward(
    x: number,
    w: number,
    bias: number,
    y: number,
    col: number,
    b0: number,
    b1: number,
    C: number,
    H: number,
    W: number,
    O: number,
    k: number,
    s: number,
    p: number,
    Ho: number,
    Wo: number,
    relu: number,
    method: number
  ): void
  conv_backward_input(
    dy: number,
    w: number,
    dx: number,
    col: number,
    b0: number,
    b1: number,
    C: number,
    H: number,
    W: number,
    O: number,
    k: number,
    s: number,
    p: number,
    Ho: number,
    Wo: number
  ): void
  conv_backward_weight(
    x: number,
    dy: number,
    dw: number,
    db: number,
    col: number,
    b0: number,
    b1: number,
    C: number,
    H: number,
    W: number,
    O: number,
    k: number,
    s: number,
    p: number,
    Ho: number,
    Wo: number
  ): void
  maxpool_forward(
    x: number,
    y: number,
    argmax: number,
    b0: number,
    b1: number,
    C: number,
    H: number,
    W: number,
    size: number,
    Ho: number,
    Wo: number
  ): void
  maxpool_backward(
    dy: number,
    argmax: number,
    dx: number,
    b0: number,
    b1: number,
    C: number,
    H: number,
    W: number,
    size: number,
    Ho: number,
    Wo: number
  ): void
}

/** Instantiates the conv kernels over `memory` (a private or a shared one). */
export function instantiateConvKernels(memory: WasmMemory): ConvKernels {
  return instantiateWasm(memory, {
    plain: CONV_KERNELS_WASM_BASE64,
    shared: CONV_KERNELS_SHARED_WASM_BASE64,
    source: 'core/wasm/conv-kernels.wasm.ts'
  }) as unknown as ConvKernels
}
