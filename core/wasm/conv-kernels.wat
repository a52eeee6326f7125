;; Convolution kernels: hand-written WebAssembly with 128-bit SIMD (4 float32 lanes per v128).
;;
;; Assembled by wabt (scripts/wasm/build-conv-kernels.ts, `npm run build:wasm`) into
;; core/wasm/conv-kernels.wasm.ts; max-pooling is its neighbour, pool-kernels.wat. The specification is
;; core/tensor/conv.ts: every kernel here computes what its function there computes, up to float32
;; rounding (the same products summed in another order), and test/core/fast/conv-kernels.test.ts and
;; conv-sparse-kernels.test.ts assert it on many geometries. core/fast/conv-kernel-calls.ts is the
;; TypeScript face (buffer sizes, alignment, calls); bench/conv-kernels.ts times every kernel.
;;
;; Layout: the references' own. Images [B, C, H, W], weights [O, C, k, k], outputs [B, O, H', W'], all
;; row-major float32 at byte addresses in the one imported memory (the dense kernels' memory may be the
;; same). Conventions, as in kernels.wat: b0..b1 is a half-open range of batch images (threads split a
;; batch by images); sizes are in floats, addresses in bytes. Inputs are read in whole vectors, so up to
;; 32 bytes past an input's end are read (never written); `$col` is the caller's scratch (see
;; convScratchBytes). No kernel allocates: same inputs, same bits.
;;
;; Convolution as a product (im2col): with K = C·k·k and N = H'·W', image b's output is
;;     Y_b [O, N] = W [O, K] · col_b [K, N] + bias,   col_b[(c, u, v), (i, j)] = x[b, c, i·s + u − p, j·s + v − p]
;; (0 outside the image). The input gradient is its adjoint, dcol_b = Wᵀ · dY_b then col2im (each dcol
;; entry added back to the pixel it was copied from), and the weight gradient is dW += dY_b · col_bᵀ,
;; computed as dY_b · row_b with row_b = col_bᵀ [N, K] (im2row) so that all three are one GEMM, $gemm.
;; The forward at stride 1 skips the copy (see "padded planes"); behind a max-pool, where most of dY
;; is 0, the weight gradient can go over dY's nonzeros only (see "the weight gradient over dy's
;; nonzeros"); and a first layer can go over its input's nonzero pixels only (see "the first layer
;; over its nonzero pixels").
;; PERF: measured per kernel, LeNet's shapes at batch 64; the numbers are in the notes at each kernel
;; and in docs/performance.md.

(module
  (import "env" "memory" (memory 1 65536))
  ;; include: conv-kernels/gemm.wat
  ;; include: conv-kernels/im2col.wat
  ;; include: conv-kernels/im2row.wat
  ;; include: conv-kernels/convolution.wat
  ;; include: conv-kernels/weight-gradient-nonzeros.wat
  ;; include: conv-kernels/input-gradient-nonzeros.wat
  ;; include: conv-kernels/sparse-first-layer.wat
)
