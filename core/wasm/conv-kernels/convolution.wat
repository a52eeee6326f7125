;; Convolution forward, input gradient and weight gradient over dense images (im2col or direct).
;; A part of core/wasm/conv-kernels.wat, which includes it (module-wide conventions there).
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
;; the reference. $col: scratch (see conv_forward). Only filters $o0 ≤ o < $o1: the rows dw[o0..o1) and
;; db[o0..o1), so that threads can share one layer's weight gradient by filters (each filter's sums
;; run in the same order whichever range it is in: same bits).
;; PERF: each range copies im2row(x[b]) itself: two ranges cost one more copy than one.
;; PERF: dot products of dy (on the wide grid) with the padded image at each tap's shift, which need
;; no im2row, measured 1.1–2.1× slower (6 loads per 8 products, horizontal sums, 40 % wasted columns
;; on LeNet conv2): conv2 2.89 vs 1.35 ms, conv1 1.45 vs 1.36, a 16 → 32 3×3 8.90 vs 4.95.
(func $conv_backward_weight (export "conv_backward_weight")
  (param $x i32) (param $dy i32) (param $dw i32) (param $db i32) (param $col i32) (param $b0 i32) (param $b1 i32)
  (param $C i32) (param $H i32) (param $W i32) (param $O i32) (param $k i32) (param $s i32) (param $p i32)
  (param $Ho i32) (param $Wo i32) (param $o0 i32) (param $o1 i32)
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
      ;; dy[b, o0]: row o0 of image b's [O, N]
      (local.set $dyb (i32.add (local.get $dy) (i32.shl (i32.mul (i32.add (i32.mul (local.get $b) (local.get $O)) (local.get $o0)) (local.get $N)) (i32.const 2))))
      (call $im2row
        (i32.add (local.get $x) (i32.shl (i32.mul (local.get $b) (i32.mul (i32.mul (local.get $C) (local.get $H)) (local.get $W))) (i32.const 2)))
        (local.get $data) (local.get $C) (local.get $H) (local.get $W) (local.get $k) (local.get $s) (local.get $p)
        (local.get $Ho) (local.get $Wo) (local.get $kp))
      (call $gemm
        (local.get $dyb) (i32.shl (local.get $N) (i32.const 2)) (i32.const 4) (local.get $data) (local.get $col)
        (i32.add (local.get $dw) (i32.shl (i32.mul (local.get $o0) (local.get $K)) (i32.const 2)))
        (i32.shl (local.get $K) (i32.const 2))
        (i32.sub (local.get $o1) (local.get $o0)) (local.get $N) (local.get $K) (i32.const 2) (i32.const 0) (i32.const 0))
      (call $add_row_sums (local.get $dyb) (i32.sub (local.get $o1) (local.get $o0)) (local.get $N)
        (i32.add (local.get $db) (i32.shl (local.get $o0) (i32.const 2))))
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
