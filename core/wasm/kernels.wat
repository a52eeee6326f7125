;; The fast training kernels: hand-written WebAssembly with 128-bit SIMD (4 float32 lanes per v128).
;;
;; Assembled by scripts/wasm/build-kernels.ts (with wabt's wat2wasm, the `wabt` package) into
;; core/wasm/kernels.wasm.ts (`npm run build:wasm`). The plain TypeScript references are the ones the
;; engine already has: matmul*Reference (core/tensor/matmul.ts), the layers' loops, core/optim/sgd.ts and
;; adam.ts; test/core/fast/kernels.test.ts asserts that every kernel agrees with its reference, and
;; test/core/train/fast-trainer.test.ts that whole training runs do. Timings: bench/kernels.ts.
;;
;; Data layout (see core/fast/layout.ts): every buffer lives in the one imported memory, addresses are
;; byte offsets, every matrix is row-major with rows padded to a multiple of 4 floats (16 bytes), and a
;; dense layer's weights are held TRANSPOSED as Wᵀ [in, outPadded]. In that layout the product with a
;; sparse input row x is a sum of contiguous weight rows:
;;     y = b + Σ_{p : x_p ≠ 0} x_p · Wᵀ[p, :]
;; which SIMD does 4 outputs at a time, skipping every zero pixel (about 81% of MNIST) and every dead
;; ReLU unit. A row's nonzeros are kept as (index, value) lists, "CSR" rows: idx[r·stride + k],
;; val[r·stride + k] for k < cnt[r], indices ascending (stride: the row capacity plus scratch).
;;
;; Conventions: $r0..$r1 is a half-open range of batch rows (threads split batches by rows); widths in
;; floats are multiples of 4; "chunk" functions handle 8, 4, 3 or 1 vectors (32, 16, 12 or 4 floats)
;; of one row, keeping them in locals (registers) across the loop over nonzeros.
;; No kernel allocates, grows memory, or depends on anything but its arguments and memory: same
;; inputs, same bits.

(module
  (import "env" "memory" (memory 1 65536))
  ;; include: kernels/encoding.wat
  ;; include: kernels/forward.wat
  ;; include: kernels/weight-gradient.wat
  ;; include: kernels/input-gradient.wat
  ;; include: kernels/softmax-cross-entropy.wat
  ;; include: kernels/optimizers.wat
)
