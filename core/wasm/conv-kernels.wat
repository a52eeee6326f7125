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
;; The forward at stride 1 skips the copy (see "padded planes"), and a first layer can go over its
;; input's nonzero pixels only (see "the first layer over its nonzero pixels").
;; PERF: measured per kernel, LeNet's shapes at batch 64; the numbers are in the notes at each kernel
;; and in docs/performance.md.

(module
  (import "env" "memory" (memory 1 65536))

  ;; ── GEMM: C = init + A·B, in register tiles of 4 rows × 8 columns ───────────────────────────────
  ;;
  ;; A [m, t] is read at A + r·aRow + t·aInner (bytes), so Wᵀ is read from W by swapping the two steps;
  ;; row t of B [t, n] starts at b + table[t] (i32 byte offsets: t·rowBytes for a packed matrix, or a
  ;; filter tap's shift into a padded image, see conv_forward); C [m, n] has rows $cRow bytes apart. $init: 0 → C = A·B,
  ;; 1 → C = bias[r] + A·B (bias [m]), 2 → C += A·B. With $relu, C = max(0, C) as the reference's
  ;; `y > 0 ? y : 0` (pmax(0, y): NaN → 0, −0 → 0).
  ;; Rows of B may be read up to 7 floats past column n: those lanes reach no stored C.

  ;; C[0..4, 0..8): 8 accumulators; per step of t, 2 vectors of B and 4 splats of A (6 loads, 8 mul + 8 add).
  ;; PERF: 4×8 keeps its 8 accumulators and 3 operands within the 16 xmm registers V8 allocates from on
  ;; x64 (4×12 or 6×8 would need 16 or 15, not tried). Best rounds: 22–33 GFLOP/s on LeNet conv2 and the
  ;; CNN's 3×3 layers; the inner step is ~30 instructions for 64 flops (no fused multiply-add in SIMD128).
  (func $tile4x8
    (param $a i32) (param $aRow i32) (param $aInner i32) (param $b i32) (param $table i32) (param $t i32)
    (param $c i32) (param $cRow i32) (param $init i32) (param $bias i32) (param $relu i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $end i32) (local $row i32) (local $s v128) (local $x0 v128) (local $x1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $aRow)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $aRow)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $aRow)))
    (if (i32.eq (local.get $init) (i32.const 1))
      (then
        (local.set $c00 (v128.load32_splat offset=0 (local.get $bias)))
        (local.set $c10 (v128.load32_splat offset=4 (local.get $bias)))
        (local.set $c20 (v128.load32_splat offset=8 (local.get $bias)))
        (local.set $c30 (v128.load32_splat offset=12 (local.get $bias)))
        (local.set $c01 (local.get $c00)) (local.set $c11 (local.get $c10))
        (local.set $c21 (local.get $c20)) (local.set $c31 (local.get $c30))))
    (if (i32.eq (local.get $init) (i32.const 2))
      (then
        (local.set $c00 (v128.load offset=0 (local.get $c)))
        (local.set $c01 (v128.load offset=16 (local.get $c)))
        (local.set $c10 (v128.load offset=0 (i32.add (local.get $c) (local.get $cRow))))
        (local.set $c11 (v128.load offset=16 (i32.add (local.get $c) (local.get $cRow))))
        (local.set $c20 (v128.load offset=0 (i32.add (local.get $c) (i32.shl (local.get $cRow) (i32.const 1)))))
        (local.set $c21 (v128.load offset=16 (i32.add (local.get $c) (i32.shl (local.get $cRow) (i32.const 1)))))
        (local.set $c30 (v128.load offset=0 (i32.add (local.get $c) (i32.mul (local.get $cRow) (i32.const 3)))))
        (local.set $c31 (v128.load offset=16 (i32.add (local.get $c) (i32.mul (local.get $cRow) (i32.const 3)))))))
    (local.set $end (i32.add (local.get $table) (i32.shl (local.get $t) (i32.const 2))))
    (loop $steps
      (local.set $row (i32.add (local.get $b) (i32.load (local.get $table))))
      (local.set $x0 (v128.load offset=0 (local.get $row)))
      (local.set $x1 (v128.load offset=16 (local.get $row)))
      (local.set $s (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $x0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $x1))))
      (local.set $s (v128.load32_splat (local.get $a1)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $x0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $x1))))
      (local.set $s (v128.load32_splat (local.get $a2)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $x0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $x1))))
      (local.set $s (v128.load32_splat (local.get $a3)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $x0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $x1))))
      (local.set $a (i32.add (local.get $a) (local.get $aInner)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $aInner)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $aInner)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $aInner)))
      (local.set $table (i32.add (local.get $table) (i32.const 4)))
      (br_if $steps (i32.lt_u (local.get $table) (local.get $end))))
    (if (local.get $relu)
      (then
        (local.set $c00 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c00)))
        (local.set $c01 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c01)))
        (local.set $c10 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c10)))
        (local.set $c11 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c11)))
        (local.set $c20 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c20)))
        (local.set $c21 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c21)))
        (local.set $c30 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c30)))
        (local.set $c31 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c31)))))
    (v128.store offset=0 (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (v128.store offset=0 (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (v128.store offset=0 (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (v128.store offset=0 (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31))
  )

  ;; C[0..4, 0..count): the last 1 to 4 columns, in one vector per row.
  (func $tile4x4
    (param $a i32) (param $aRow i32) (param $aInner i32) (param $b i32) (param $table i32) (param $t i32)
    (param $c i32) (param $cRow i32) (param $init i32) (param $bias i32) (param $relu i32) (param $count i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $end i32) (local $row i32) (local $x v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $aRow)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $aRow)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $aRow)))
    (if (i32.eq (local.get $init) (i32.const 1))
      (then
        (local.set $c0 (v128.load32_splat offset=0 (local.get $bias)))
        (local.set $c1 (v128.load32_splat offset=4 (local.get $bias)))
        (local.set $c2 (v128.load32_splat offset=8 (local.get $bias)))
        (local.set $c3 (v128.load32_splat offset=12 (local.get $bias)))))
    (if (i32.eq (local.get $init) (i32.const 2))
      (then
        (local.set $c0 (v128.load (local.get $c)))
        (local.set $c1 (v128.load (i32.add (local.get $c) (local.get $cRow))))
        (local.set $c2 (v128.load (i32.add (local.get $c) (i32.shl (local.get $cRow) (i32.const 1)))))
        (local.set $c3 (v128.load (i32.add (local.get $c) (i32.mul (local.get $cRow) (i32.const 3)))))))
    (local.set $end (i32.add (local.get $table) (i32.shl (local.get $t) (i32.const 2))))
    (loop $steps
      (local.set $x (v128.load (i32.add (local.get $b) (i32.load (local.get $table)))))
      (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (v128.load32_splat (local.get $a)) (local.get $x))))
      (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (v128.load32_splat (local.get $a1)) (local.get $x))))
      (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (v128.load32_splat (local.get $a2)) (local.get $x))))
      (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (v128.load32_splat (local.get $a3)) (local.get $x))))
      (local.set $a (i32.add (local.get $a) (local.get $aInner)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $aInner)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $aInner)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $aInner)))
      (local.set $table (i32.add (local.get $table) (i32.const 4)))
      (br_if $steps (i32.lt_u (local.get $table) (local.get $end))))
    (if (local.get $relu)
      (then
        (local.set $c0 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c0)))
        (local.set $c1 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c1)))
        (local.set $c2 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c2)))
        (local.set $c3 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c3)))))
    (call $store_lanes (local.get $c) (local.get $c0) (local.get $count))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (call $store_lanes (local.get $c) (local.get $c1) (local.get $count))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (call $store_lanes (local.get $c) (local.get $c2) (local.get $count))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (call $store_lanes (local.get $c) (local.get $c3) (local.get $count))
  )

  ;; Rows 0 and 1 of C (row 0 twice when $rows = 1), columns 0..count (count ≤ 8): the rows left over
  ;; after the tiles of 4 (LeNet's 6 filters are 4 + 2).
  (func $tile2x8
    (param $a i32) (param $aRow i32) (param $aInner i32) (param $b i32) (param $table i32) (param $t i32)
    (param $c i32) (param $cRow i32) (param $init i32) (param $bias i32) (param $relu i32) (param $count i32) (param $rows i32)
    (local $a1 i32) (local $end i32) (local $row i32) (local $s v128) (local $x0 v128) (local $x1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (if (i32.eq (local.get $rows) (i32.const 1))
      (then (local.set $aRow (i32.const 0)) (local.set $cRow (i32.const 0))))
    (local.set $a1 (i32.add (local.get $a) (local.get $aRow)))
    (if (i32.eq (local.get $init) (i32.const 1))
      (then
        (local.set $c00 (v128.load32_splat (local.get $bias)))
        (local.set $c10 (v128.load32_splat (i32.add (local.get $bias) (i32.shl (i32.sub (local.get $rows) (i32.const 1)) (i32.const 2)))))
        (local.set $c01 (local.get $c00))
        (local.set $c11 (local.get $c10))))
    (if (i32.eq (local.get $init) (i32.const 2))
      (then
        (local.set $c00 (v128.load offset=0 (local.get $c)))
        (local.set $c01 (v128.load offset=16 (local.get $c)))
        (local.set $c10 (v128.load offset=0 (i32.add (local.get $c) (local.get $cRow))))
        (local.set $c11 (v128.load offset=16 (i32.add (local.get $c) (local.get $cRow))))))
    (local.set $end (i32.add (local.get $table) (i32.shl (local.get $t) (i32.const 2))))
    (loop $steps
      (local.set $row (i32.add (local.get $b) (i32.load (local.get $table))))
      (local.set $x0 (v128.load offset=0 (local.get $row)))
      (local.set $x1 (v128.load offset=16 (local.get $row)))
      (local.set $s (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $x0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $x1))))
      (local.set $s (v128.load32_splat (local.get $a1)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $x0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $x1))))
      (local.set $a (i32.add (local.get $a) (local.get $aInner)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $aInner)))
      (local.set $table (i32.add (local.get $table) (i32.const 4)))
      (br_if $steps (i32.lt_u (local.get $table) (local.get $end))))
    (if (local.get $relu)
      (then
        (local.set $c00 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c00)))
        (local.set $c01 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c01)))
        (local.set $c10 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c10)))
        (local.set $c11 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c11)))))
    ;; row 1 first: with $rows = 1 it is row 0 again, and row 0's store below is the one that stays
    (call $store_lanes (i32.add (local.get $c) (local.get $cRow)) (local.get $c10) (local.get $count))
    (if (i32.gt_u (local.get $count) (i32.const 4))
      (then (call $store_lanes (i32.add (i32.add (local.get $c) (local.get $cRow)) (i32.const 16)) (local.get $c11)
        (i32.sub (local.get $count) (i32.const 4)))))
    (call $store_lanes (local.get $c) (local.get $c00) (local.get $count))
    (if (i32.gt_u (local.get $count) (i32.const 4))
      (then (call $store_lanes (i32.add (local.get $c) (i32.const 16)) (local.get $c01)
        (i32.sub (local.get $count) (i32.const 4)))))
  )

  ;; Stores the first $count lanes of $v at $at (all 4 when count ≥ 4).
  (func $store_lanes (param $at i32) (param $v v128) (param $count i32)
    (if (i32.ge_u (local.get $count) (i32.const 4))
      (then (v128.store (local.get $at) (local.get $v)) (return)))
    (if (i32.ge_u (local.get $count) (i32.const 2))
      (then
        (v128.store64_lane 0 (local.get $at) (local.get $v))
        (if (i32.eq (local.get $count) (i32.const 3))
          (then (v128.store32_lane offset=8 2 (local.get $at) (local.get $v)))))
      (else (v128.store32_lane 0 (local.get $at) (local.get $v))))
  )

  (func $gemm
    (param $a i32) (param $aRow i32) (param $aInner i32) (param $b i32) (param $table i32)
    (param $c i32) (param $cRow i32) (param $m i32) (param $t i32) (param $n i32)
    (param $init i32) (param $bias i32) (param $relu i32)
    (local $j i32) (local $r i32) (local $count i32)
    ;; PERF: column blocks outside, row tiles inside: the B panel (t × 8 floats, 4.8 kB for LeNet's conv2)
    ;; stays in L1 while every row tile passes over it.
    (block $columns_done
      (loop $columns
        (br_if $columns_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $count (i32.sub (local.get $n) (local.get $j)))
        (local.set $r (i32.const 0))
        (block $tiles_done
          (loop $tiles
            (br_if $tiles_done (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $m)))
            (if (i32.ge_u (local.get $count) (i32.const 8))
              (then
                (call $tile4x8
                  (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $aRow))) (local.get $aRow) (local.get $aInner)
                  (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $table) (local.get $t)
                  (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $cRow))) (i32.shl (local.get $j) (i32.const 2)))
                  (local.get $cRow) (local.get $init) (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2))) (local.get $relu)))
              (else
                ;; the last 1 to 7 columns: 4, then the rest
                (call $tile4x4
                  (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $aRow))) (local.get $aRow) (local.get $aInner)
                  (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $table) (local.get $t)
                  (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $cRow))) (i32.shl (local.get $j) (i32.const 2)))
                  (local.get $cRow) (local.get $init) (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2))) (local.get $relu)
                  (local.get $count))
                (if (i32.gt_u (local.get $count) (i32.const 4))
                  (then
                    (call $tile4x4
                      (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $aRow))) (local.get $aRow) (local.get $aInner)
                      (i32.add (local.get $b) (i32.shl (i32.add (local.get $j) (i32.const 4)) (i32.const 2))) (local.get $table) (local.get $t)
                      (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $cRow))) (i32.shl (i32.add (local.get $j) (i32.const 4)) (i32.const 2)))
                      (local.get $cRow) (local.get $init) (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2))) (local.get $relu)
                      (i32.sub (local.get $count) (i32.const 4)))))))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $tiles)))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $r) (local.get $m)))
            (call $tile2x8
              (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $aRow))) (local.get $aRow) (local.get $aInner)
              (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $table) (local.get $t)
              (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $cRow))) (i32.shl (local.get $j) (i32.const 2)))
              (local.get $cRow) (local.get $init) (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2))) (local.get $relu)
              (local.get $count) (select (i32.const 2) (i32.const 1) (i32.ge_u (i32.sub (local.get $m) (local.get $r)) (i32.const 2))))
            (local.set $r (i32.add (local.get $r) (i32.const 2)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $columns)))
  )

  ;; ── im2col, col2im, im2row ─────────────────────────────────────────────────────────────────────
  ;;
  ;; Filter tap (u, v) of output column j reads input column j·s + v − p, inside the image for
  ;; j in [first, end): first = ⌈(p − v) / s⌉ (0 when v ≥ p), end = min(W', ⌊(W − 1 + p − v) / s⌋ + 1).

  (func $first_inside (param $v i32) (param $s i32) (param $p i32) (result i32)
    (if (result i32) (i32.ge_s (local.get $v) (local.get $p))
      (then (i32.const 0))
      (else (i32.div_u (i32.add (i32.sub (local.get $p) (local.get $v)) (i32.sub (local.get $s) (i32.const 1))) (local.get $s))))
  )

  (func $end_inside (param $v i32) (param $s i32) (param $p i32) (param $W i32) (param $Wo i32) (result i32)
    (local $last i32)
    (local.set $last (i32.sub (i32.add (i32.sub (local.get $W) (i32.const 1)) (local.get $p)) (local.get $v)))
    (if (i32.lt_s (local.get $last) (i32.const 0)) (then (return (i32.const 0))))
    (local.set $last (i32.add (i32.div_u (local.get $last) (local.get $s)) (i32.const 1)))
    (select (local.get $last) (local.get $Wo) (i32.lt_u (local.get $last) (local.get $Wo)))
  )

  ;; Zeros floats [from, to) of the row at $at, in whole vectors: up to 3 floats past `to` are written.
  (func $zero_span (param $at i32) (param $from i32) (param $to i32)
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_s (local.get $from) (local.get $to)))
        (v128.store (i32.add (local.get $at) (i32.shl (local.get $from) (i32.const 2))) (v128.const i32x4 0 0 0 0))
        (local.set $from (i32.add (local.get $from) (i32.const 4)))
        (br $vectors)))
  )

  ;; col[(c·k + u)·k + v, i·W' + j] = x[c, i·s + u − p, j·s + v − p], 0 outside; col rows are $np floats.
  ;; One image. Each (row, i) segment is written left to right: zeros, the copy, zeros, in whole vectors
  ;; whose overhang is overwritten by the next write (up to 3 floats past the last row: scratch).
  ;; PERF: vector copies (stride 2: two loads and an even-lane shuffle) rather than memory.copy, which
  ;; V8 compiles to a runtime call: segments are short (10 floats on LeNet conv2, 1 500 per image).
  (func $im2col
    (param $x i32) (param $col i32) (param $C i32) (param $H i32) (param $W i32) (param $k i32) (param $s i32)
    (param $p i32) (param $Ho i32) (param $Wo i32) (param $np i32)
    (local $c i32) (local $u i32) (local $v i32) (local $i i32) (local $h i32) (local $first i32) (local $end i32)
    (local $row i32) (local $seg i32) (local $src i32) (local $j i32)
    (local.set $row (local.get $col))
    (loop $channels
      (local.set $u (i32.const 0))
      (loop $taps_u
        (local.set $v (i32.const 0))
        (loop $taps_v
          (local.set $first (call $first_inside (local.get $v) (local.get $s) (local.get $p)))
          (local.set $end (call $end_inside (local.get $v) (local.get $s) (local.get $p) (local.get $W) (local.get $Wo)))
          (if (i32.lt_s (local.get $end) (local.get $first)) (then (local.set $end (local.get $first))))
          (local.set $i (i32.const 0))
          (loop $out_rows
            (local.set $seg (i32.add (local.get $row) (i32.shl (i32.mul (local.get $i) (local.get $Wo)) (i32.const 2))))
            (local.set $h (i32.sub (i32.add (i32.mul (local.get $i) (local.get $s)) (local.get $u)) (local.get $p)))
            (if (i32.ge_u (local.get $h) (local.get $H))
              (then (call $zero_span (local.get $seg) (i32.const 0) (local.get $Wo)))
              (else
                (call $zero_span (local.get $seg) (i32.const 0) (local.get $first))
                ;; src: x[c, h, first·s + v − p]
                (local.set $src (i32.add (local.get $x) (i32.shl (i32.add
                  (i32.mul (i32.add (i32.mul (local.get $c) (local.get $H)) (local.get $h)) (local.get $W))
                  (i32.sub (i32.add (i32.mul (local.get $first) (local.get $s)) (local.get $v)) (local.get $p))) (i32.const 2))))
                (local.set $j (local.get $first))
                (if (i32.eq (local.get $s) (i32.const 1))
                  (then
                    (block $copied
                      (loop $copy
                        (br_if $copied (i32.ge_s (local.get $j) (local.get $end)))
                        (v128.store (i32.add (local.get $seg) (i32.shl (local.get $j) (i32.const 2))) (v128.load (local.get $src)))
                        (local.set $src (i32.add (local.get $src) (i32.const 16)))
                        (local.set $j (i32.add (local.get $j) (i32.const 4)))
                        (br $copy))))
                  (else (if (i32.eq (local.get $s) (i32.const 2))
                    (then
                      (block $copied
                        (loop $copy
                          (br_if $copied (i32.ge_s (local.get $j) (local.get $end)))
                          (v128.store (i32.add (local.get $seg) (i32.shl (local.get $j) (i32.const 2)))
                            (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                              (v128.load offset=0 (local.get $src)) (v128.load offset=16 (local.get $src))))
                          (local.set $src (i32.add (local.get $src) (i32.const 32)))
                          (local.set $j (i32.add (local.get $j) (i32.const 4)))
                          (br $copy))))
                    (else
                      (block $copied
                        (loop $copy
                          (br_if $copied (i32.ge_s (local.get $j) (local.get $end)))
                          (f32.store (i32.add (local.get $seg) (i32.shl (local.get $j) (i32.const 2))) (f32.load (local.get $src)))
                          (local.set $src (i32.add (local.get $src) (i32.shl (local.get $s) (i32.const 2))))
                          (local.set $j (i32.add (local.get $j) (i32.const 1)))
                          (br $copy)))))))
                (call $zero_span (local.get $seg) (local.get $end) (local.get $Wo))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $out_rows (i32.lt_u (local.get $i) (local.get $Ho))))
          (local.set $row (i32.add (local.get $row) (i32.shl (local.get $np) (i32.const 2))))
          (local.set $v (i32.add (local.get $v) (i32.const 1)))
          (br_if $taps_v (i32.lt_u (local.get $v) (local.get $k))))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br_if $taps_u (i32.lt_u (local.get $u) (local.get $k))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $channels (i32.lt_u (local.get $c) (local.get $C))))
  )

  ;; The adjoint of im2col: dx[c, i·s + u − p, j·s + v − p] += dcol[(c·k + u)·k + v, i·W' + j] inside
  ;; the image; dx (one image, [C, H, W]) is cleared first. Stride 1 adds whole vectors, then single
  ;; floats (dx is never written past a row's valid part).
  (func $col2im
    (param $col i32) (param $dx i32) (param $C i32) (param $H i32) (param $W i32) (param $k i32) (param $s i32)
    (param $p i32) (param $Ho i32) (param $Wo i32) (param $np i32)
    (local $c i32) (local $u i32) (local $v i32) (local $i i32) (local $h i32) (local $first i32) (local $end i32)
    (local $row i32) (local $src i32) (local $dst i32) (local $j i32) (local $stop i32)
    (memory.fill (local.get $dx) (i32.const 0)
      (i32.shl (i32.mul (i32.mul (local.get $C) (local.get $H)) (local.get $W)) (i32.const 2)))
    (local.set $row (local.get $col))
    (loop $channels
      (local.set $u (i32.const 0))
      (loop $taps_u
        (local.set $v (i32.const 0))
        (loop $taps_v
          (local.set $first (call $first_inside (local.get $v) (local.get $s) (local.get $p)))
          (local.set $end (call $end_inside (local.get $v) (local.get $s) (local.get $p) (local.get $W) (local.get $Wo)))
          (local.set $i (i32.const 0))
          (loop $out_rows
            (local.set $h (i32.sub (i32.add (i32.mul (local.get $i) (local.get $s)) (local.get $u)) (local.get $p)))
            (if (i32.and (i32.lt_u (local.get $h) (local.get $H)) (i32.lt_s (local.get $first) (local.get $end)))
              (then
                (local.set $src (i32.add (local.get $row)
                  (i32.shl (i32.add (i32.mul (local.get $i) (local.get $Wo)) (local.get $first)) (i32.const 2))))
                (local.set $dst (i32.add (local.get $dx) (i32.shl (i32.add
                  (i32.mul (i32.add (i32.mul (local.get $c) (local.get $H)) (local.get $h)) (local.get $W))
                  (i32.sub (i32.add (i32.mul (local.get $first) (local.get $s)) (local.get $v)) (local.get $p))) (i32.const 2))))
                (local.set $j (local.get $first))
                (if (i32.eq (local.get $s) (i32.const 1))
                  (then
                    (local.set $stop (i32.sub (local.get $end) (i32.const 4)))
                    (block $vectors_done
                      (loop $vectors
                        (br_if $vectors_done (i32.gt_s (local.get $j) (local.get $stop)))
                        (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
                        (local.set $src (i32.add (local.get $src) (i32.const 16)))
                        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                        (local.set $j (i32.add (local.get $j) (i32.const 4)))
                        (br $vectors)))))
                (block $singles_done
                  (loop $singles
                    (br_if $singles_done (i32.ge_s (local.get $j) (local.get $end)))
                    (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
                    (local.set $src (i32.add (local.get $src) (i32.const 4)))
                    (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $s) (i32.const 2))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $singles)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $out_rows (i32.lt_u (local.get $i) (local.get $Ho))))
          (local.set $row (i32.add (local.get $row) (i32.shl (local.get $np) (i32.const 2))))
          (local.set $v (i32.add (local.get $v) (i32.const 1)))
          (br_if $taps_v (i32.lt_u (local.get $v) (local.get $k))))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br_if $taps_u (i32.lt_u (local.get $u) (local.get $k))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $channels (i32.lt_u (local.get $c) (local.get $C))))
  )

  ;; rows[i·W' + j, (c·k + u)·k + v] = x[c, i·s + u − p, j·s + v − p], 0 outside: im2col transposed, rows
  ;; of $kp floats, one image. A window row inside the image is k contiguous floats, copied in whole
  ;; vectors (the overhang is overwritten by the next segment); windows on the border go float by float.
  (func $im2row
    (param $x i32) (param $rows i32) (param $C i32) (param $H i32) (param $W i32) (param $k i32) (param $s i32)
    (param $p i32) (param $Ho i32) (param $Wo i32) (param $kp i32)
    (local $i i32) (local $j i32) (local $c i32) (local $u i32) (local $v i32) (local $h i32) (local $w0 i32)
    (local $inside i32) (local $dst i32) (local $seg i32) (local $src i32)
    (local.set $dst (local.get $rows))
    (loop $out_rows
      (local.set $j (i32.const 0))
      (loop $out_columns
        (local.set $w0 (i32.sub (i32.mul (local.get $j) (local.get $s)) (local.get $p)))
        (local.set $inside (i32.and (i32.ge_s (local.get $w0) (i32.const 0))
          (i32.le_s (i32.add (local.get $w0) (local.get $k)) (local.get $W))))
        (local.set $seg (local.get $dst))
        (local.set $c (i32.const 0))
        (loop $channels
          (local.set $u (i32.const 0))
          (loop $taps_u
            (local.set $h (i32.sub (i32.add (i32.mul (local.get $i) (local.get $s)) (local.get $u)) (local.get $p)))
            (local.set $src (i32.add (local.get $x) (i32.shl (i32.add
              (i32.mul (i32.add (i32.mul (local.get $c) (local.get $H)) (local.get $h)) (local.get $W)) (local.get $w0)) (i32.const 2))))
            (if (i32.ge_u (local.get $h) (local.get $H))
              (then (call $zero_span (local.get $seg) (i32.const 0) (local.get $k)))
              (else (if (local.get $inside)
                (then
                  (local.set $v (i32.const 0))
                  (loop $vectors
                    (v128.store (i32.add (local.get $seg) (i32.shl (local.get $v) (i32.const 2)))
                      (v128.load (i32.add (local.get $src) (i32.shl (local.get $v) (i32.const 2)))))
                    (local.set $v (i32.add (local.get $v) (i32.const 4)))
                    (br_if $vectors (i32.lt_s (local.get $v) (local.get $k)))))
                (else
                  (local.set $v (i32.const 0))
                  (loop $singles
                    ;; (a column left of the image is never read: x may start at address 0)
                    (f32.store (i32.add (local.get $seg) (i32.shl (local.get $v) (i32.const 2)))
                      (if (result f32) (i32.lt_u (i32.add (local.get $w0) (local.get $v)) (local.get $W))
                        (then (f32.load (i32.add (local.get $src) (i32.shl (local.get $v) (i32.const 2)))))
                        (else (f32.const 0))))
                    (local.set $v (i32.add (local.get $v) (i32.const 1)))
                    (br_if $singles (i32.lt_s (local.get $v) (local.get $k))))))))
            (local.set $seg (i32.add (local.get $seg) (i32.shl (local.get $k) (i32.const 2))))
            (local.set $u (i32.add (local.get $u) (i32.const 1)))
            (br_if $taps_u (i32.lt_u (local.get $u) (local.get $k))))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br_if $channels (i32.lt_u (local.get $c) (local.get $C))))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $kp) (i32.const 2))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $out_columns (i32.lt_u (local.get $j) (local.get $Wo))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $out_rows (i32.lt_u (local.get $i) (local.get $Ho))))
  )

  ;; ── padded planes, offset tables, wide outputs ─────────────────────────────────────────────────
  ;;
  ;; Stride 1 needs no im2col: in an image padded to Hp × Wp (Hp = H + 2p, Wp = W + 2p), output (i, j)
  ;; and filter tap (c, u, v) meet at padded pixel (c, i + u, j + v), i.e. at flat index
  ;;     c·Hp·Wp + u·Wp + v  +  (i·Wp + j)
  ;; a tap's shift plus the output's index on a "wide" grid of rows Wp long. So row t = (c, u, v) of the
  ;; GEMM's B is the padded image itself, read from the tap's shift: the offset table replaces the
  ;; copy. The GEMM computes H' rows of Wp outputs (the last Wp − W' of each row are garbage, cut off by
  ;; $compact_rows): LeNet's conv2 computes 14 columns for 10, conv1 32 for 28, and saves the im2col
  ;; that took ~40 % of each kernel.

  ;; table[(q·k + u)·k + v] = (q·Hp·Wp + u·Wp + v)·4 for planes q < count: the taps' byte shifts.
  (func $tap_offsets (param $table i32) (param $count i32) (param $k i32) (param $Hp i32) (param $Wp i32)
    (local $q i32) (local $u i32) (local $v i32)
    (loop $planes
      (local.set $u (i32.const 0))
      (loop $taps_u
        (local.set $v (i32.const 0))
        (loop $taps_v
          (i32.store (local.get $table) (i32.shl (i32.add
            (i32.mul (i32.add (i32.mul (local.get $q) (local.get $Hp)) (local.get $u)) (local.get $Wp)) (local.get $v)) (i32.const 2)))
          (local.set $table (i32.add (local.get $table) (i32.const 4)))
          (local.set $v (i32.add (local.get $v) (i32.const 1)))
          (br_if $taps_v (i32.lt_u (local.get $v) (local.get $k))))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br_if $taps_u (i32.lt_u (local.get $u) (local.get $k))))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br_if $planes (i32.lt_u (local.get $q) (local.get $count))))
  )

  ;; table[t] = t·step for t < count: the rows of a packed matrix.
  (func $row_offsets (param $table i32) (param $count i32) (param $step i32)
    (local $t i32)
    (loop $rows
      (i32.store (i32.add (local.get $table) (i32.shl (local.get $t) (i32.const 2))) (i32.mul (local.get $t) (local.get $step)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $t) (local.get $count))))
  )

  ;; dst[q, top + h, left + w] = src[q, h, w] for planes q < count of H × W; the rest of each Hp × Wp
  ;; plane is 0, and so are $tail floats after the last plane (reads that run past it meet zeros).
  ;; Row by row, left to right: zeros, the copy, zeros, in whole vectors whose overhang the next write
  ;; replaces (the tail takes the last one).
  (func $pad_planes
    (param $src i32) (param $dst i32) (param $count i32) (param $H i32) (param $W i32) (param $top i32) (param $left i32)
    (param $Hp i32) (param $Wp i32) (param $tail i32)
    (local $q i32) (local $r i32) (local $h i32) (local $j i32) (local $from i32) (local $row i32)
    (local.set $row (local.get $dst))
    (block $planes_done
      (loop $planes
        (br_if $planes_done (i32.ge_u (local.get $q) (local.get $count)))
        (local.set $r (i32.const 0))
        (loop $rows
          (local.set $h (i32.sub (local.get $r) (local.get $top)))
          (if (i32.ge_u (local.get $h) (local.get $H))
            (then (call $zero_span (local.get $row) (i32.const 0) (local.get $Wp)))
            (else
              (call $zero_span (local.get $row) (i32.const 0) (local.get $left))
              (local.set $from (i32.add (local.get $src) (i32.shl (i32.mul (i32.add (i32.mul (local.get $q) (local.get $H)) (local.get $h)) (local.get $W)) (i32.const 2))))
              (local.set $j (i32.const 0))
              (loop $copy
                (v128.store (i32.add (local.get $row) (i32.shl (i32.add (local.get $left) (local.get $j)) (i32.const 2)))
                  (v128.load (i32.add (local.get $from) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br_if $copy (i32.lt_s (local.get $j) (local.get $W))))
              (call $zero_span (local.get $row) (i32.add (local.get $left) (local.get $W)) (local.get $Wp))))
          (local.set $row (i32.add (local.get $row) (i32.shl (local.get $Wp) (i32.const 2))))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $rows (i32.lt_u (local.get $r) (local.get $Hp))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $planes)))
    (call $zero_span (local.get $row) (i32.const 0) (local.get $tail))
  )

  ;; dst rows [rows, W] = the first W floats of src rows [rows, Wwide]. Exact: nothing past a row is
  ;; written (dst is the caller's output).
  (func $compact_rows (param $src i32) (param $dst i32) (param $rows i32) (param $Wwide i32) (param $W i32)
    (local $r i32) (local $j i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $vectors_done
          (loop $vectors
            (br_if $vectors_done (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $W)))
            (v128.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2)))
              (v128.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $vectors)))
        (if (i32.lt_s (local.get $j) (local.get $W))
          (then (call $store_lanes (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2)))
            (v128.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2)))) (i32.sub (local.get $W) (local.get $j)))))
        (local.set $src (i32.add (local.get $src) (i32.shl (local.get $Wwide) (i32.const 2))))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $W) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

  ;; ── convolution ────────────────────────────────────────────────────────────────────────────────
  ;; Geometry as in ConvGeometry: C, H, W in; O filters of k × k; stride s; padding p; H' × W' out.
  ;; $col is the caller's scratch: an offset table, then the im2col (im2row) matrix, or for the direct
  ;; forward the padded planes and the wide output; core/fast/conv-engine.ts (convScratchBytes) mirrors
  ;; these sizes.
  ;; Padded planes are followed by k + 12 zero floats: the GEMM reads up to k + 6 past the last plane.

  (func $align16 (param $bytes i32) (result i32)
    (i32.and (i32.add (local.get $bytes) (i32.const 15)) (i32.const -16))
  )

  ;; y[b] = W · im2col(x[b]) + bias, then ReLU when $relu ≠ 0 (the layer's activation, fused).
  ;; $method: 0 picks the faster way, 1 forces im2col, 2 the direct way (stride 1; other strides fall
  ;; back to im2col): tests run both on every geometry, benchmarks compare them.
  ;; PERF: stride 1 goes direct, reading the padded image through the tap table instead of copying it
  ;; k² times; batch 64, CPU time, best of 30: LeNet conv1 0.90 → 0.64 ms, conv2 1.47 → 1.24 ms
  ;; (despite 40 % wasted columns), a 16 → 32 same 3×3 4.05 → 3.73 ms.
  (func $conv_forward (export "conv_forward")
    (param $x i32) (param $w i32) (param $bias i32) (param $y i32) (param $col i32) (param $b0 i32) (param $b1 i32)
    (param $C i32) (param $H i32) (param $W i32) (param $O i32) (param $k i32) (param $s i32) (param $p i32)
    (param $Ho i32) (param $Wo i32) (param $relu i32) (param $method i32)
    (local $direct i32) (local $b i32) (local $K i32) (local $N i32) (local $np i32) (local $Hp i32) (local $Wp i32) (local $Nw i32)
    (local $data i32) (local $wide i32) (local $xb i32) (local $yb i32)
    (local.set $direct (i32.and (i32.eq (local.get $s) (i32.const 1)) (i32.ne (local.get $method) (i32.const 1))))
    (local.set $K (i32.mul (local.get $C) (i32.mul (local.get $k) (local.get $k))))
    (local.set $N (i32.mul (local.get $Ho) (local.get $Wo)))
    (local.set $data (i32.add (local.get $col) (call $align16 (i32.shl (local.get $K) (i32.const 2)))))
    (local.set $Hp (i32.add (local.get $H) (i32.shl (local.get $p) (i32.const 1))))
    (local.set $Wp (i32.add (local.get $W) (i32.shl (local.get $p) (i32.const 1))))
    (local.set $Nw (i32.mul (local.get $Ho) (local.get $Wp)))
    (local.set $np (i32.and (i32.add (local.get $N) (i32.const 3)) (i32.const -4)))
    (local.set $wide (i32.add (local.get $data) (call $align16 (i32.shl (i32.add (i32.mul (local.get $C)
      (i32.mul (local.get $Hp) (local.get $Wp))) (i32.add (local.get $k) (i32.const 16))) (i32.const 2)))))
    (if (local.get $direct)
      (then (call $tap_offsets (local.get $col) (local.get $C) (local.get $k) (local.get $Hp) (local.get $Wp)))
      (else (call $row_offsets (local.get $col) (local.get $K) (i32.shl (local.get $np) (i32.const 2)))))
    (local.set $b (local.get $b0))
    (block $done
      (loop $images
        (br_if $done (i32.ge_u (local.get $b) (local.get $b1)))
        (local.set $xb (i32.add (local.get $x) (i32.shl (i32.mul (local.get $b) (i32.mul (i32.mul (local.get $C) (local.get $H)) (local.get $W))) (i32.const 2))))
        (local.set $yb (i32.add (local.get $y) (i32.shl (i32.mul (local.get $b) (i32.mul (local.get $O) (local.get $N))) (i32.const 2))))
        (if (local.get $direct)
          (then
            (call $pad_planes (local.get $xb) (local.get $data) (local.get $C) (local.get $H) (local.get $W)
              (local.get $p) (local.get $p) (local.get $Hp) (local.get $Wp) (i32.add (local.get $k) (i32.const 12)))
            (call $gemm
              (local.get $w) (i32.shl (local.get $K) (i32.const 2)) (i32.const 4) (local.get $data) (local.get $col)
              (local.get $wide) (i32.shl (local.get $Nw) (i32.const 2))
              (local.get $O) (local.get $K) (local.get $Nw) (i32.const 1) (local.get $bias) (local.get $relu))
            (call $compact_rows (local.get $wide) (local.get $yb) (i32.mul (local.get $O) (local.get $Ho)) (local.get $Wp) (local.get $Wo)))
          (else
            (call $im2col (local.get $xb) (local.get $data) (local.get $C) (local.get $H) (local.get $W) (local.get $k)
              (local.get $s) (local.get $p) (local.get $Ho) (local.get $Wo) (local.get $np))
            (call $gemm
              (local.get $w) (i32.shl (local.get $K) (i32.const 2)) (i32.const 4) (local.get $data) (local.get $col)
              (local.get $yb) (i32.shl (local.get $N) (i32.const 2))
              (local.get $O) (local.get $K) (local.get $N) (i32.const 1) (local.get $bias) (local.get $relu))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $images)))
  )

  ;; dx[b] = col2im(Wᵀ · dy[b]): dcol [K, N] = Σ_o W[o, K] · dy[b, o, N] is the GEMM with A = Wᵀ read
  ;; from W in place (row step 4 bytes, inner step K floats), and col2im adds each entry back to the
  ;; pixel it came from. $col: scratch (see conv_forward).
  ;; PERF: the direct form (dy padded by k − 1 − p, filters turned 180°, a forward convolution with in
  ;; and out swapped) measured slower or no faster: LeNet conv2 (valid, so dy padded 10 × 10 → 18 × 18)
  ;; 2.50 vs 1.31 ms, conv1 same 1.65 vs 0.94 (C = 1 GEMM rows), a 16 → 32 same 3×3 3.81 vs 3.92
  ;; (batch 64, CPU time, best of 30).
  (func $conv_backward_input (export "conv_backward_input")
    (param $dy i32) (param $w i32) (param $dx i32) (param $col i32) (param $b0 i32) (param $b1 i32)
    (param $C i32) (param $H i32) (param $W i32) (param $O i32) (param $k i32) (param $s i32) (param $p i32)
    (param $Ho i32) (param $Wo i32)
    (local $b i32) (local $K i32) (local $N i32) (local $np i32) (local $data i32)
    (local.set $K (i32.mul (local.get $C) (i32.mul (local.get $k) (local.get $k))))
    (local.set $N (i32.mul (local.get $Ho) (local.get $Wo)))
    (local.set $np (i32.and (i32.add (local.get $N) (i32.const 3)) (i32.const -4)))
    ;; B = dy[b]: its O rows are packed, N floats each
    (call $row_offsets (local.get $col) (local.get $O) (i32.shl (local.get $N) (i32.const 2)))
    (local.set $data (i32.add (local.get $col) (call $align16 (i32.shl (local.get $O) (i32.const 2)))))
    (local.set $b (local.get $b0))
    (block $done
      (loop $images
        (br_if $done (i32.ge_u (local.get $b) (local.get $b1)))
        (call $gemm
          (local.get $w) (i32.const 4) (i32.shl (local.get $K) (i32.const 2))
          (i32.add (local.get $dy) (i32.shl (i32.mul (local.get $b) (i32.mul (local.get $O) (local.get $N))) (i32.const 2)))
          (local.get $col) (local.get $data) (i32.shl (local.get $np) (i32.const 2))
          (local.get $K) (local.get $O) (local.get $N) (i32.const 0) (i32.const 0) (i32.const 0))
        (call $col2im (local.get $data)
          (i32.add (local.get $dx) (i32.shl (i32.mul (local.get $b) (i32.mul (i32.mul (local.get $C) (local.get $H)) (local.get $W))) (i32.const 2)))
          (local.get $C) (local.get $H) (local.get $W) (local.get $k) (local.get $s) (local.get $p) (local.get $Ho) (local.get $Wo) (local.get $np))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $images)))
  )

  ;; dw += Σ_b dy[b] · im2row(x[b]) ([O, N] · [N, K]), db[o] += Σ_b Σ_n dy[b, o, n]. Accumulates, like
  ;; the reference. $col: scratch (see conv_forward).
  ;; PERF: dot products of dy (on the wide grid) with the padded image at each tap's shift, which need
  ;; no im2row, measured 1.1–2.1× slower (6 loads per 8 products, horizontal sums, 40 % wasted columns
  ;; on LeNet conv2): conv2 2.89 vs 1.35 ms, conv1 1.45 vs 1.36, a 16 → 32 3×3 8.90 vs 4.95.
  (func $conv_backward_weight (export "conv_backward_weight")
    (param $x i32) (param $dy i32) (param $dw i32) (param $db i32) (param $col i32) (param $b0 i32) (param $b1 i32)
    (param $C i32) (param $H i32) (param $W i32) (param $O i32) (param $k i32) (param $s i32) (param $p i32)
    (param $Ho i32) (param $Wo i32)
    (local $b i32) (local $K i32) (local $N i32) (local $kp i32) (local $data i32) (local $dyb i32)
    (local.set $K (i32.mul (local.get $C) (i32.mul (local.get $k) (local.get $k))))
    (local.set $N (i32.mul (local.get $Ho) (local.get $Wo)))
    (local.set $kp (i32.and (i32.add (local.get $K) (i32.const 3)) (i32.const -4)))
    (call $row_offsets (local.get $col) (local.get $N) (i32.shl (local.get $kp) (i32.const 2)))
    (local.set $data (i32.add (local.get $col) (call $align16 (i32.shl (local.get $N) (i32.const 2)))))
    (local.set $b (local.get $b0))
    (block $done
      (loop $images
        (br_if $done (i32.ge_u (local.get $b) (local.get $b1)))
        (local.set $dyb (i32.add (local.get $dy) (i32.shl (i32.mul (local.get $b) (i32.mul (local.get $O) (local.get $N))) (i32.const 2))))
        (call $im2row
          (i32.add (local.get $x) (i32.shl (i32.mul (local.get $b) (i32.mul (i32.mul (local.get $C) (local.get $H)) (local.get $W))) (i32.const 2)))
          (local.get $data) (local.get $C) (local.get $H) (local.get $W) (local.get $k) (local.get $s) (local.get $p)
          (local.get $Ho) (local.get $Wo) (local.get $kp))
        (call $gemm
          (local.get $dyb) (i32.shl (local.get $N) (i32.const 2)) (i32.const 4) (local.get $data) (local.get $col)
          (local.get $dw) (i32.shl (local.get $K) (i32.const 2))
          (local.get $O) (local.get $N) (local.get $K) (i32.const 2) (i32.const 0) (i32.const 0))
        (call $add_row_sums (local.get $dyb) (local.get $O) (local.get $N) (local.get $db))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $images)))
  )

  ;; sums[r] += Σ_n a[r, n] for rows r < m of a [m, n] (rows packed). Whole vectors, then single floats.
  (func $add_row_sums (param $a i32) (param $m i32) (param $n i32) (param $sums i32)
    (local $r i32) (local $end i32) (local $stop i32) (local $acc v128) (local $total f32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $m)))
        (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $stop (i32.sub (local.get $end) (i32.const 16)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (block $vectors_done
          (loop $vectors
            (br_if $vectors_done (i32.gt_s (local.get $a) (local.get $stop)))
            (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $a))))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (br $vectors)))
        (local.set $total (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (block $singles_done
          (loop $singles
            (br_if $singles_done (i32.ge_u (local.get $a) (local.get $end)))
            (local.set $total (f32.add (local.get $total) (f32.load (local.get $a))))
            (local.set $a (i32.add (local.get $a) (i32.const 4)))
            (br $singles)))
        (f32.store (local.get $sums) (f32.add (f32.load (local.get $sums)) (local.get $total)))
        (local.set $sums (i32.add (local.get $sums) (i32.const 4)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

  ;; ── the first layer over its nonzero pixels (MNIST: about 19 % of them) ────────────────────────────
  ;;
  ;; The input is the batch's CSR rows as the dense engine builds them (kernels.wat): image b's nonzero
  ;; pixels are entries b·stride … b·stride + cnt[b] − 1 of $idx (index (c·H + h)·W + w, ascending) and
  ;; $val. Stride 1 and k ≤ 5 (LeNet's conv1; a 3×3 first layer too). Both kernels keep 8 filters side
  ;; by side ("channels last", 2 vectors per output pixel) on a grid of output pixels with Q = k − 1
  ;; spare rows and columns on every side (Hq = H' + 2Q, Wq = W' + 2Q; output (i, j) is grid pixel
  ;; (i + Q)·Wq + j + Q + 4, after 4 lead-in pixels). Input pixel (c, h, w) and tap (u, v) meet at
  ;; output (h + p − u, w + p − v), grid pixel base − u·Wq − v with base = (h + p + Q)·Wq + w + p + Q + 4:
  ;; the 5 taps of filter row u are the 5 grid pixels from base − u·Wq − 4, at static offsets
  ;; t = 4 − v (taps v ≥ k are read or written with zero weights, and dropped).
  ;; PERF: LeNet conv1 on real MNIST batches of 64 (CPU time, best of 30): forward 0.62 ms direct →
  ;; 0.44 ms sparse (of which ~0.24 ms is the fixed cost of clearing the grid and transposing it back);
  ;; weight gradient 1.25 ms im2row + GEMM → 0.37 ms sparse.

  ;; bases[n] = the grid base of nonzero n of one image (see above); chans[c] = the first n of channel c,
  ;; chans[C] = count. Rows are followed incrementally (indices ascend), without a division.
  (func $grid_bases
    (param $ip i32) (param $count i32) (param $bases i32) (param $chans i32)
    (param $C i32) (param $H i32) (param $W i32) (param $p i32) (param $Q i32) (param $Wq i32)
    (local $n i32) (local $index i32) (local $c i32) (local $h i32) (local $rowStart i32)
    (i32.store (local.get $chans) (i32.const 0))
    (block $done
      (loop $nonzeros
        (br_if $done (i32.ge_u (local.get $n) (local.get $count)))
        (local.set $index (i32.load (i32.add (local.get $ip) (i32.shl (local.get $n) (i32.const 2)))))
        (block $found
          (loop $rows
            (br_if $found (i32.lt_u (local.get $index) (i32.add (local.get $rowStart) (local.get $W))))
            (local.set $rowStart (i32.add (local.get $rowStart) (local.get $W)))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (if (i32.eq (local.get $h) (local.get $H))
              (then
                (local.set $h (i32.const 0))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (i32.store (i32.add (local.get $chans) (i32.shl (local.get $c) (i32.const 2))) (local.get $n))))
            (br $rows)))
        (i32.store (i32.add (local.get $bases) (i32.shl (local.get $n) (i32.const 2)))
          (i32.add (i32.mul (i32.add (i32.add (local.get $h) (local.get $p)) (local.get $Q)) (local.get $Wq))
            (i32.add (i32.add (i32.sub (local.get $index) (local.get $rowStart)) (i32.add (local.get $p) (local.get $Q))) (i32.const 4))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $nonzeros)))
    (block $filled
      (loop $channels
        (br_if $filled (i32.ge_u (local.get $c) (local.get $C)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (i32.store (i32.add (local.get $chans) (i32.shl (local.get $c) (i32.const 2))) (local.get $count))
        (br $channels)))
  )

  ;; One image's planes [O, H', W'] of filters o0 … o0 + 7 (those < O; the rest 0) → the grid, which the
  ;; caller has cleared. 4 pixels at a time: 8 plane rows in, two 4 × 4 transposes (lane l of result r
  ;; = lane r of input l), 8 grid vectors out; the last W' mod 4 pixels of a row are masked (the grid's
  ;; margins must stay 0).
  (func $planes_to_grid
    (param $src i32) (param $grid i32) (param $o0 i32) (param $O i32) (param $Ho i32) (param $Wo i32) (param $Q i32) (param $Wq i32)
    (local $i i32) (local $j i32) (local $l i32) (local $at i32) (local $from i32) (local $plane i32) (local $mask v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $r4 v128) (local $r5 v128) (local $r6 v128) (local $r7 v128)
    (local.set $plane (i32.shl (i32.mul (local.get $Ho) (local.get $Wo)) (i32.const 2)))
    (loop $rows
      (local.set $j (i32.const 0))
      (loop $quads
        (local.set $mask (i32x4.lt_s (v128.const i32x4 0 1 2 3) (i32x4.splat (i32.sub (local.get $Wo) (local.get $j)))))
        ;; row i of plane o0 + l, pixels j … j + 3 (0 for filters ≥ O)
        (local.set $from (i32.add (local.get $src) (i32.add (i32.mul (local.get $o0) (local.get $plane))
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $Wo)) (local.get $j)) (i32.const 2)))))
        (local.set $l (i32.sub (local.get $O) (local.get $o0)))
        (if (i32.gt_s (local.get $l) (i32.const 0)) (then (local.set $r0 (v128.and (local.get $mask) (v128.load (local.get $from)))))
          (else (local.set $r0 (v128.const i32x4 0 0 0 0))))
        (if (i32.gt_s (local.get $l) (i32.const 1)) (then (local.set $r1 (v128.and (local.get $mask) (v128.load (i32.add (local.get $from) (local.get $plane))))))
          (else (local.set $r1 (v128.const i32x4 0 0 0 0))))
        (if (i32.gt_s (local.get $l) (i32.const 2)) (then (local.set $r2 (v128.and (local.get $mask) (v128.load (i32.add (local.get $from) (i32.mul (local.get $plane) (i32.const 2)))))))
          (else (local.set $r2 (v128.const i32x4 0 0 0 0))))
        (if (i32.gt_s (local.get $l) (i32.const 3)) (then (local.set $r3 (v128.and (local.get $mask) (v128.load (i32.add (local.get $from) (i32.mul (local.get $plane) (i32.const 3)))))))
          (else (local.set $r3 (v128.const i32x4 0 0 0 0))))
        (if (i32.gt_s (local.get $l) (i32.const 4)) (then (local.set $r4 (v128.and (local.get $mask) (v128.load (i32.add (local.get $from) (i32.mul (local.get $plane) (i32.const 4)))))))
          (else (local.set $r4 (v128.const i32x4 0 0 0 0))))
        (if (i32.gt_s (local.get $l) (i32.const 5)) (then (local.set $r5 (v128.and (local.get $mask) (v128.load (i32.add (local.get $from) (i32.mul (local.get $plane) (i32.const 5)))))))
          (else (local.set $r5 (v128.const i32x4 0 0 0 0))))
        (if (i32.gt_s (local.get $l) (i32.const 6)) (then (local.set $r6 (v128.and (local.get $mask) (v128.load (i32.add (local.get $from) (i32.mul (local.get $plane) (i32.const 6)))))))
          (else (local.set $r6 (v128.const i32x4 0 0 0 0))))
        (if (i32.gt_s (local.get $l) (i32.const 7)) (then (local.set $r7 (v128.and (local.get $mask) (v128.load (i32.add (local.get $from) (i32.mul (local.get $plane) (i32.const 7)))))))
          (else (local.set $r7 (v128.const i32x4 0 0 0 0))))
        ;; grid pixel of output (i, j)
        (local.set $at (i32.add (local.get $grid) (i32.shl (i32.add (i32.add (i32.mul (i32.add (local.get $i) (local.get $Q)) (local.get $Wq))
          (i32.add (local.get $j) (local.get $Q))) (i32.const 4)) (i32.const 5))))
        ;; the two 4 × 4 transposes, written out as in grid_to_planes
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (local.set $r0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (local.set $r1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (local.set $r2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (local.set $r3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r4) (local.get $r5)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r4) (local.get $r5)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r6) (local.get $r7)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r6) (local.get $r7)))
        (local.set $r4 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (local.set $r5 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (local.set $r6 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (local.set $r7 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (v128.store offset=0 (local.get $at) (local.get $r0)) (v128.store offset=16 (local.get $at) (local.get $r4))
        (v128.store offset=32 (local.get $at) (local.get $r1)) (v128.store offset=48 (local.get $at) (local.get $r5))
        (v128.store offset=64 (local.get $at) (local.get $r2)) (v128.store offset=80 (local.get $at) (local.get $r6))
        (v128.store offset=96 (local.get $at) (local.get $r3)) (v128.store offset=112 (local.get $at) (local.get $r7))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br_if $quads (i32.lt_s (local.get $j) (local.get $Wo))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $i) (local.get $Ho))))
  )

  ;; The grid → one image's planes [O, H', W'] for filters o0 … min(o0 + 8, O) − 1, adding the bias and
  ;; applying ReLU when $relu ≠ 0. Exact stores (the last W' mod 4 pixels of a row lane by lane).
  (func $grid_to_planes
    (param $grid i32) (param $dst i32) (param $o0 i32) (param $O i32) (param $Ho i32) (param $Wo i32) (param $Q i32) (param $Wq i32)
    (param $bias i32) (param $relu i32)
    (local $i i32) (local $j i32) (local $l i32) (local $filters i32) (local $at i32) (local $to i32) (local $plane i32) (local $count i32)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $r4 v128) (local $r5 v128) (local $r6 v128) (local $r7 v128)
    (local.set $plane (i32.shl (i32.mul (local.get $Ho) (local.get $Wo)) (i32.const 2)))
    (local.set $filters (i32.sub (local.get $O) (local.get $o0)))
    (if (i32.gt_s (local.get $filters) (i32.const 8)) (then (local.set $filters (i32.const 8))))
    (loop $rows
      (local.set $j (i32.const 0))
      (loop $quads
        (local.set $count (i32.sub (local.get $Wo) (local.get $j)))
        (local.set $at (i32.add (local.get $grid) (i32.shl (i32.add (i32.add (i32.mul (i32.add (local.get $i) (local.get $Q)) (local.get $Wq))
          (i32.add (local.get $j) (local.get $Q))) (i32.const 4)) (i32.const 5))))
        ;; PERF: the transposes are written out, not called: a function returning 4 vectors made the
        ;; write-back twice as slow (LeNet conv1, batch 64: 487 → 237 µs of fixed cost per call)
        (local.set $r0 (v128.load offset=0 (local.get $at))) (local.set $r1 (v128.load offset=32 (local.get $at)))
        (local.set $r2 (v128.load offset=64 (local.get $at))) (local.set $r3 (v128.load offset=96 (local.get $at)))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (local.set $r0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (local.set $r1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (local.set $r2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (local.set $r3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (if (i32.gt_s (local.get $filters) (i32.const 4))
          (then
            (local.set $r4 (v128.load offset=16 (local.get $at))) (local.set $r5 (v128.load offset=48 (local.get $at)))
            (local.set $r6 (v128.load offset=80 (local.get $at))) (local.set $r7 (v128.load offset=112 (local.get $at)))
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r4) (local.get $r5)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r4) (local.get $r5)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r6) (local.get $r7)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r6) (local.get $r7)))
            (local.set $r4 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (local.set $r5 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (local.set $r6 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (local.set $r7 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))))
        ;; filter o0 + l: pixels j … j + 3 of its row i
        (local.set $to (i32.add (local.get $dst) (i32.add (i32.mul (local.get $o0) (local.get $plane))
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $Wo)) (local.get $j)) (i32.const 2)))))
        (local.set $l (i32.const 0))
        (loop $filter
          (local.set $r0 (f32x4.add (local.get $r0)
            (v128.load32_splat (i32.add (local.get $bias) (i32.shl (i32.add (local.get $o0) (local.get $l)) (i32.const 2))))))
          (if (local.get $relu) (then (local.set $r0 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $r0)))))
          (if (i32.ge_s (local.get $count) (i32.const 4))
            (then (v128.store (local.get $to) (local.get $r0)))
            (else (call $store_lanes (local.get $to) (local.get $r0) (local.get $count))))
          ;; shift the next filter's vector into r0
          (local.set $r0 (local.get $r1)) (local.set $r1 (local.get $r2)) (local.set $r2 (local.get $r3)) (local.set $r3 (local.get $r4))
          (local.set $r4 (local.get $r5)) (local.set $r5 (local.get $r6)) (local.set $r6 (local.get $r7))
          (local.set $to (i32.add (local.get $to) (local.get $plane)))
          (local.set $l (i32.add (local.get $l) (i32.const 1)))
          (br_if $filter (i32.lt_s (local.get $l) (local.get $filters))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br_if $quads (i32.lt_s (local.get $j) (local.get $Wo))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $i) (local.get $Ho))))
  )

  ;; *at += lane l of (lo, hi) at at + l·step, for l < count (≤ 8): 8 filters' values back to [O, C, k, k].
  (func $fold8 (param $at i32) (param $step i32) (param $count i32) (param $lo v128) (param $hi v128)
    (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32x4.extract_lane 0 (local.get $lo))))
    (if (i32.le_s (local.get $count) (i32.const 1)) (then (return)))
    (local.set $at (i32.add (local.get $at) (local.get $step)))
    (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32x4.extract_lane 1 (local.get $lo))))
    (if (i32.le_s (local.get $count) (i32.const 2)) (then (return)))
    (local.set $at (i32.add (local.get $at) (local.get $step)))
    (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32x4.extract_lane 2 (local.get $lo))))
    (if (i32.le_s (local.get $count) (i32.const 3)) (then (return)))
    (local.set $at (i32.add (local.get $at) (local.get $step)))
    (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32x4.extract_lane 3 (local.get $lo))))
    (if (i32.le_s (local.get $count) (i32.const 4)) (then (return)))
    (local.set $at (i32.add (local.get $at) (local.get $step)))
    (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32x4.extract_lane 0 (local.get $hi))))
    (if (i32.le_s (local.get $count) (i32.const 5)) (then (return)))
    (local.set $at (i32.add (local.get $at) (local.get $step)))
    (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32x4.extract_lane 1 (local.get $hi))))
    (if (i32.le_s (local.get $count) (i32.const 6)) (then (return)))
    (local.set $at (i32.add (local.get $at) (local.get $step)))
    (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32x4.extract_lane 2 (local.get $hi))))
    (if (i32.le_s (local.get $count) (i32.const 7)) (then (return)))
    (local.set $at (i32.add (local.get $at) (local.get $step)))
    (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32x4.extract_lane 3 (local.get $hi))))
  )

  ;; dw += Σ_b Σ_(nonzero (c, h, w)) x · dy[b, o, h + p − u, w + p − v], db[o] += Σ_b Σ_n dy[b, o, n]:
  ;; conv_backward_weight over the CSR rows of the input. Per image and block of 8 filters, dy goes onto
  ;; the grid (planes_to_grid); then per channel and filter row u, 10 registers accumulate the 5 taps'
  ;; 8 filters over the channel's nonzeros, and fold8 adds them to dw.
  (func $conv_backward_weight_sparse (export "conv_backward_weight_sparse")
    (param $idx i32) (param $val i32) (param $cnt i32) (param $stride i32)
    (param $dy i32) (param $dw i32) (param $db i32) (param $col i32) (param $b0 i32) (param $b1 i32)
    (param $C i32) (param $H i32) (param $W i32) (param $O i32) (param $k i32) (param $s i32) (param $p i32)
    (param $Ho i32) (param $Wo i32)
    (local $Q i32) (local $Wq i32) (local $gridBytes i32) (local $bases i32) (local $chans i32) (local $b i32) (local $o0 i32)
    (local $c i32) (local $u i32) (local $t i32) (local $n i32) (local $end i32) (local $vp i32) (local $dyb i32) (local $at i32)
    (local $x v128) (local $filters i32) (local $kk i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128)
    (local $a5 v128) (local $a6 v128) (local $a7 v128) (local $a8 v128) (local $a9 v128)
    (if (i32.or (i32.ne (local.get $s) (i32.const 1)) (i32.gt_u (local.get $k) (i32.const 5))) (then (unreachable)))
    (local.set $Q (i32.sub (local.get $k) (i32.const 1)))
    (local.set $Wq (i32.add (local.get $Wo) (i32.shl (local.get $Q) (i32.const 1))))
    (local.set $kk (i32.mul (local.get $k) (local.get $k)))
    ;; the grid: 4 lead-in pixels, Hq·Wq, 12 pixels of slack that the last taps may read
    (local.set $gridBytes (i32.shl (i32.add (i32.mul (i32.add (local.get $Ho) (i32.shl (local.get $Q) (i32.const 1))) (local.get $Wq)) (i32.const 16)) (i32.const 5)))
    (local.set $bases (i32.add (local.get $col) (local.get $gridBytes)))
    (local.set $chans (i32.add (local.get $bases) (call $align16 (i32.shl (i32.mul (local.get $C) (i32.mul (local.get $H) (local.get $W))) (i32.const 2)))))
    (local.set $b (local.get $b0))
    (block $images_done
      (loop $images
        (br_if $images_done (i32.ge_u (local.get $b) (local.get $b1)))
        (local.set $vp (i32.add (local.get $val) (i32.shl (i32.mul (local.get $b) (local.get $stride)) (i32.const 2))))
        (call $grid_bases (i32.add (local.get $idx) (i32.shl (i32.mul (local.get $b) (local.get $stride)) (i32.const 2)))
          (i32.load (i32.add (local.get $cnt) (i32.shl (local.get $b) (i32.const 2)))) (local.get $bases) (local.get $chans)
          (local.get $C) (local.get $H) (local.get $W) (local.get $p) (local.get $Q) (local.get $Wq))
        (local.set $dyb (i32.add (local.get $dy) (i32.shl (i32.mul (local.get $b) (i32.mul (local.get $O) (i32.mul (local.get $Ho) (local.get $Wo)))) (i32.const 2))))
        (local.set $o0 (i32.const 0))
        (loop $filter_blocks
          (local.set $filters (i32.sub (local.get $O) (local.get $o0)))
          (if (i32.gt_s (local.get $filters) (i32.const 8)) (then (local.set $filters (i32.const 8))))
          (memory.fill (local.get $col) (i32.const 0) (local.get $gridBytes))
          (call $planes_to_grid (local.get $dyb) (local.get $col) (local.get $o0) (local.get $O) (local.get $Ho) (local.get $Wo) (local.get $Q) (local.get $Wq))
          (local.set $c (i32.const 0))
          (loop $channels
            (local.set $u (i32.const 0))
            (loop $filter_rows
              (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (local.get $a0)) (local.set $a2 (local.get $a0))
              (local.set $a3 (local.get $a0)) (local.set $a4 (local.get $a0)) (local.set $a5 (local.get $a0))
              (local.set $a6 (local.get $a0)) (local.set $a7 (local.get $a0)) (local.set $a8 (local.get $a0)) (local.set $a9 (local.get $a0))
              (local.set $n (i32.load (i32.add (local.get $chans) (i32.shl (local.get $c) (i32.const 2)))))
              (local.set $end (i32.load offset=4 (i32.add (local.get $chans) (i32.shl (local.get $c) (i32.const 2)))))
              (block $nonzeros_done
                (loop $nonzeros
                  (br_if $nonzeros_done (i32.ge_u (local.get $n) (local.get $end)))
                  (local.set $x (v128.load32_splat (i32.add (local.get $vp) (i32.shl (local.get $n) (i32.const 2)))))
                  ;; grid pixel base − u·Wq − 4: taps v = 4, 3, 2, 1, 0 at 32-byte steps
                  (local.set $at (i32.add (local.get $col) (i32.shl (i32.sub (i32.sub
                    (i32.load (i32.add (local.get $bases) (i32.shl (local.get $n) (i32.const 2))))
                    (i32.mul (local.get $u) (local.get $Wq))) (i32.const 4)) (i32.const 5))))
                  (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load offset=0 (local.get $at)))))
                  (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $at)))))
                  (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x) (v128.load offset=32 (local.get $at)))))
                  (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $x) (v128.load offset=48 (local.get $at)))))
                  (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $x) (v128.load offset=64 (local.get $at)))))
                  (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $x) (v128.load offset=80 (local.get $at)))))
                  (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $x) (v128.load offset=96 (local.get $at)))))
                  (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $x) (v128.load offset=112 (local.get $at)))))
                  (local.set $a8 (f32x4.add (local.get $a8) (f32x4.mul (local.get $x) (v128.load offset=128 (local.get $at)))))
                  (local.set $a9 (f32x4.add (local.get $a9) (f32x4.mul (local.get $x) (v128.load offset=144 (local.get $at)))))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))
                  (br $nonzeros)))
              ;; dw[o0 + l, c, u, v] for v = 4 − t < k; filters are C·k·k floats apart
              (local.set $at (i32.add (local.get $dw) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $o0) (local.get $C)) (local.get $c)) (local.get $kk))
                (i32.mul (local.get $u) (local.get $k))) (i32.const 2))))
              (local.set $t (i32.shl (i32.mul (local.get $C) (local.get $kk)) (i32.const 2)))
              (if (i32.ge_u (local.get $k) (i32.const 5)) (then (call $fold8 (i32.add (local.get $at) (i32.const 16)) (local.get $t) (local.get $filters) (local.get $a0) (local.get $a1))))
              (if (i32.ge_u (local.get $k) (i32.const 4)) (then (call $fold8 (i32.add (local.get $at) (i32.const 12)) (local.get $t) (local.get $filters) (local.get $a2) (local.get $a3))))
              (if (i32.ge_u (local.get $k) (i32.const 3)) (then (call $fold8 (i32.add (local.get $at) (i32.const 8)) (local.get $t) (local.get $filters) (local.get $a4) (local.get $a5))))
              (if (i32.ge_u (local.get $k) (i32.const 2)) (then (call $fold8 (i32.add (local.get $at) (i32.const 4)) (local.get $t) (local.get $filters) (local.get $a6) (local.get $a7))))
              (call $fold8 (local.get $at) (local.get $t) (local.get $filters) (local.get $a8) (local.get $a9))
              (local.set $u (i32.add (local.get $u) (i32.const 1)))
              (br_if $filter_rows (i32.lt_u (local.get $u) (local.get $k))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br_if $channels (i32.lt_u (local.get $c) (local.get $C))))
          (local.set $o0 (i32.add (local.get $o0) (i32.const 8)))
          (br_if $filter_blocks (i32.lt_u (local.get $o0) (local.get $O))))
        (call $add_row_sums (local.get $dyb) (local.get $O) (i32.mul (local.get $Ho) (local.get $Wo)) (local.get $db))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $images)))
  )

  ;; y = conv(x, w) + bias (then ReLU when $relu ≠ 0) over the CSR rows of the input: each nonzero
  ;; pixel adds x · (its 5 × 8 taps of filter row u) to 5 grid pixels (a scatter); the grid then goes
  ;; back to [O, H', W'] with the bias (grid_to_planes). The 5 taps' 8 filters stay in 10 registers
  ;; across the nonzeros; they are laid out once per call, after the grid bases in $col:
  ;; taps[((block·C + c)·k + u)·10 + 2t + half], lane l = w[8·block + 4·half + l, c, u, 4 − t] (0 when
  ;; that filter or tap does not exist). Same-address read-modify-writes of whole vectors forward from
  ;; the store buffer; neighbouring pixels never half-overlap (pixels are 32-byte units).
  (func $conv_forward_sparse (export "conv_forward_sparse")
    (param $idx i32) (param $val i32) (param $cnt i32) (param $stride i32)
    (param $w i32) (param $bias i32) (param $y i32) (param $col i32) (param $b0 i32) (param $b1 i32)
    (param $C i32) (param $H i32) (param $W i32) (param $O i32) (param $k i32) (param $s i32) (param $p i32)
    (param $Ho i32) (param $Wo i32) (param $relu i32)
    (local $Q i32) (local $Wq i32) (local $gridBytes i32) (local $bases i32) (local $chans i32) (local $taps i32)
    (local $b i32) (local $o0 i32) (local $c i32) (local $u i32) (local $t i32) (local $l i32) (local $v i32) (local $o i32)
    (local $n i32) (local $end i32) (local $vp i32) (local $at i32) (local $tp i32) (local $x v128)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $w4 v128)
    (local $w5 v128) (local $w6 v128) (local $w7 v128) (local $w8 v128) (local $w9 v128)
    (if (i32.or (i32.ne (local.get $s) (i32.const 1)) (i32.gt_u (local.get $k) (i32.const 5))) (then (unreachable)))
    (local.set $Q (i32.sub (local.get $k) (i32.const 1)))
    (local.set $Wq (i32.add (local.get $Wo) (i32.shl (local.get $Q) (i32.const 1))))
    (local.set $gridBytes (i32.shl (i32.add (i32.mul (i32.add (local.get $Ho) (i32.shl (local.get $Q) (i32.const 1))) (local.get $Wq)) (i32.const 16)) (i32.const 5)))
    (local.set $bases (i32.add (local.get $col) (local.get $gridBytes)))
    (local.set $chans (i32.add (local.get $bases) (call $align16 (i32.shl (i32.mul (local.get $C) (i32.mul (local.get $H) (local.get $W))) (i32.const 2)))))
    (local.set $taps (i32.add (local.get $chans) (call $align16 (i32.shl (i32.add (local.get $C) (i32.const 1)) (i32.const 2)))))
    ;; the taps, filter block by block: (block, c, u, t, lane) with o = o0 + lane, v = 4 − t
    (local.set $tp (local.get $taps))
    (loop $blocks
      (local.set $c (i32.const 0))
      (loop $channels
        (local.set $u (i32.const 0))
        (loop $filter_rows
          (local.set $t (i32.const 0))
          (loop $tap
            (local.set $v (i32.sub (i32.const 4) (local.get $t)))
            (local.set $l (i32.const 0))
            (loop $lanes
              (local.set $o (i32.add (local.get $o0) (local.get $l)))
              (f32.store (local.get $tp)
                (if (result f32) (i32.and (i32.lt_u (local.get $o) (local.get $O)) (i32.lt_s (local.get $v) (local.get $k)))
                  (then (f32.load (i32.add (local.get $w) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add
                    (i32.mul (local.get $o) (local.get $C)) (local.get $c)) (local.get $k)) (local.get $u)) (local.get $k)) (local.get $v)) (i32.const 2)))))
                  (else (f32.const 0))))
              (local.set $tp (i32.add (local.get $tp) (i32.const 4)))
              (local.set $l (i32.add (local.get $l) (i32.const 1)))
              (br_if $lanes (i32.lt_u (local.get $l) (i32.const 8))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br_if $tap (i32.lt_u (local.get $t) (i32.const 5))))
          (local.set $u (i32.add (local.get $u) (i32.const 1)))
          (br_if $filter_rows (i32.lt_u (local.get $u) (local.get $k))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br_if $channels (i32.lt_u (local.get $c) (local.get $C))))
      (local.set $o0 (i32.add (local.get $o0) (i32.const 8)))
      (br_if $blocks (i32.lt_u (local.get $o0) (local.get $O))))
    (local.set $b (local.get $b0))
    (block $images_done
      (loop $images
        (br_if $images_done (i32.ge_u (local.get $b) (local.get $b1)))
        (local.set $vp (i32.add (local.get $val) (i32.shl (i32.mul (local.get $b) (local.get $stride)) (i32.const 2))))
        (call $grid_bases (i32.add (local.get $idx) (i32.shl (i32.mul (local.get $b) (local.get $stride)) (i32.const 2)))
          (i32.load (i32.add (local.get $cnt) (i32.shl (local.get $b) (i32.const 2)))) (local.get $bases) (local.get $chans)
          (local.get $C) (local.get $H) (local.get $W) (local.get $p) (local.get $Q) (local.get $Wq))
        (local.set $tp (local.get $taps))
        (local.set $o0 (i32.const 0))
        (loop $filter_blocks
          (memory.fill (local.get $col) (i32.const 0) (local.get $gridBytes))
          (local.set $c (i32.const 0))
          (loop $channels
            (local.set $u (i32.const 0))
            (loop $filter_rows
              (local.set $w0 (v128.load offset=0 (local.get $tp))) (local.set $w1 (v128.load offset=16 (local.get $tp)))
              (local.set $w2 (v128.load offset=32 (local.get $tp))) (local.set $w3 (v128.load offset=48 (local.get $tp)))
              (local.set $w4 (v128.load offset=64 (local.get $tp))) (local.set $w5 (v128.load offset=80 (local.get $tp)))
              (local.set $w6 (v128.load offset=96 (local.get $tp))) (local.set $w7 (v128.load offset=112 (local.get $tp)))
              (local.set $w8 (v128.load offset=128 (local.get $tp))) (local.set $w9 (v128.load offset=144 (local.get $tp)))
              (local.set $tp (i32.add (local.get $tp) (i32.const 160)))
              (local.set $n (i32.load (i32.add (local.get $chans) (i32.shl (local.get $c) (i32.const 2)))))
              (local.set $end (i32.load offset=4 (i32.add (local.get $chans) (i32.shl (local.get $c) (i32.const 2)))))
              (block $nonzeros_done
                (loop $nonzeros
                  (br_if $nonzeros_done (i32.ge_u (local.get $n) (local.get $end)))
                  (local.set $x (v128.load32_splat (i32.add (local.get $vp) (i32.shl (local.get $n) (i32.const 2)))))
                  (local.set $at (i32.add (local.get $col) (i32.shl (i32.sub (i32.sub
                    (i32.load (i32.add (local.get $bases) (i32.shl (local.get $n) (i32.const 2))))
                    (i32.mul (local.get $u) (local.get $Wq))) (i32.const 4)) (i32.const 5))))
                  (v128.store offset=0 (local.get $at) (f32x4.add (v128.load offset=0 (local.get $at)) (f32x4.mul (local.get $x) (local.get $w0))))
                  (v128.store offset=16 (local.get $at) (f32x4.add (v128.load offset=16 (local.get $at)) (f32x4.mul (local.get $x) (local.get $w1))))
                  (v128.store offset=32 (local.get $at) (f32x4.add (v128.load offset=32 (local.get $at)) (f32x4.mul (local.get $x) (local.get $w2))))
                  (v128.store offset=48 (local.get $at) (f32x4.add (v128.load offset=48 (local.get $at)) (f32x4.mul (local.get $x) (local.get $w3))))
                  (v128.store offset=64 (local.get $at) (f32x4.add (v128.load offset=64 (local.get $at)) (f32x4.mul (local.get $x) (local.get $w4))))
                  (v128.store offset=80 (local.get $at) (f32x4.add (v128.load offset=80 (local.get $at)) (f32x4.mul (local.get $x) (local.get $w5))))
                  (v128.store offset=96 (local.get $at) (f32x4.add (v128.load offset=96 (local.get $at)) (f32x4.mul (local.get $x) (local.get $w6))))
                  (v128.store offset=112 (local.get $at) (f32x4.add (v128.load offset=112 (local.get $at)) (f32x4.mul (local.get $x) (local.get $w7))))
                  (v128.store offset=128 (local.get $at) (f32x4.add (v128.load offset=128 (local.get $at)) (f32x4.mul (local.get $x) (local.get $w8))))
                  (v128.store offset=144 (local.get $at) (f32x4.add (v128.load offset=144 (local.get $at)) (f32x4.mul (local.get $x) (local.get $w9))))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))
                  (br $nonzeros)))
              (local.set $u (i32.add (local.get $u) (i32.const 1)))
              (br_if $filter_rows (i32.lt_u (local.get $u) (local.get $k))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br_if $channels (i32.lt_u (local.get $c) (local.get $C))))
          (call $grid_to_planes (local.get $col)
            (i32.add (local.get $y) (i32.shl (i32.mul (local.get $b) (i32.mul (local.get $O) (i32.mul (local.get $Ho) (local.get $Wo)))) (i32.const 2)))
            (local.get $o0) (local.get $O) (local.get $Ho) (local.get $Wo) (local.get $Q) (local.get $Wq) (local.get $bias) (local.get $relu))
          (local.set $o0 (i32.add (local.get $o0) (i32.const 8)))
          (br_if $filter_blocks (i32.lt_u (local.get $o0) (local.get $O))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $images)))
  )
)
