;; The first layer over its input's nonzero pixels (CSR rows): forward and weight gradient.
;; A part of core/wasm/conv-kernels.wat, which includes it (module-wide conventions there).
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
