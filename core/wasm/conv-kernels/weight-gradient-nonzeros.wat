;; The convolution weight gradient over the nonzeros of dy (behind a max-pool).
;; A part of core/wasm/conv-kernels.wat, which includes it (module-wide conventions there).
;; ── the weight gradient over dy's nonzeros ──────────────────────────────────────────────────────
;;
;; Behind a max-pool, dy [O, H', W'] is mostly zeros: each pooling window routes its gradient to one
;; pixel (its argmax), so ≥ 75 % of dy is 0 with 2 × 2 windows, and a ReLU zeroes more (LeNet's conv2:
;; ~19 % nonzero). A zero of dy adds nothing to the gradient, so the kernel lists each filter's
;; nonzeros (n, dy[o, n]) with $nonzeros, then loops over that list only:
;;     dW[o, (c, u, v)] += Σ_{n: dy[o, n] ≠ 0} dy[o, n] · row_n[(c, u, v)],   row_n = im2row(x)[n]
;; NOTE: each dW entry gets the same products in the same order as the GEMM's (dw + Σ_b Σ_n, one add
;; after each multiply), less the zeros' +0 terms, which change nothing: the same bits (tested), so a
;; run does not depend on the method. (Only 0 · NaN or 0 · ∞ in x, skipped here, would differ: the
;; GEMM writes NaN there; such a run has already diverged in its loss.)
;; PERF: batch 64, dy routed by a pool (~19 % nonzero), CPU time, medians of interleaved rounds:
;; LeNet conv2 1.44 → 0.97 ms, the cnn preset's 32 → 64 3×3 23.1 → 11.5 ms; on a dense dy it is
;; ~1.7–1.9× slower than the GEMM (10 loads per 32 multiply-adds against the 4×8 tile's 6 per 64),
;; so only a conv that a max-pool follows uses it (DyMethod in core/fast/conv-kernel-calls.ts).
;; PERF: the input gradient the same way (each nonzero adding g · W[o] into a padded dx, a vector at a
;; time) measured no faster or slower than im2col + GEMM + col2im: LeNet conv2 1.20 vs 1.28 ms, the
;; cnn's 32 → 64 3×3 28.0 vs 17.2 ms (~10 instructions per 4 products, 40 % of them on padding
;; lanes), so the input gradient stays dense.

;; offsets[e] = table[n], values[e] = dy[n] for the nonzeros n < count of dy, in order; returns how
;; many. Branch-free: every n is written at the list's end, and the end moves on only past a nonzero
;; (dy's zeros fall at random, so a branch on them would be mispredicted often). NaN counts as nonzero.
(func $nonzeros (param $dy i32) (param $count i32) (param $table i32) (param $offsets i32) (param $values i32) (result i32)
  (local $end i32) (local $listed i32) (local $g f32)
  (local.set $end (i32.add (local.get $dy) (i32.shl (local.get $count) (i32.const 2))))
  (block $done
    (loop $scan
      (br_if $done (i32.ge_u (local.get $dy) (local.get $end)))
      (local.set $g (f32.load (local.get $dy)))
      (i32.store (i32.add (local.get $offsets) (i32.shl (local.get $listed) (i32.const 2))) (i32.load (local.get $table)))
      (f32.store (i32.add (local.get $values) (i32.shl (local.get $listed) (i32.const 2))) (local.get $g))
      (local.set $listed (i32.add (local.get $listed) (f32.ne (local.get $g) (f32.const 0))))
      (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
      (local.set $table (i32.add (local.get $table) (i32.const 4)))
      (br $scan)))
  (local.get $listed)
)

;; acc[0..32) += Σ_e values[e] · (rows + offsets[e])[0..32): 8 vectors of one filter's gradient row
;; in registers while its nonzeros pass (per nonzero: 1 splat, 8 loads, 8 multiplies, 8 adds).
(func $accumulate8 (param $acc i32) (param $rows i32) (param $offsets i32) (param $values i32) (param $count i32)
  (local $end i32) (local $row i32) (local $g v128)
  (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
  (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
  (if (i32.eqz (local.get $count)) (then (return)))
  (local.set $a0 (v128.load offset=0 (local.get $acc))) (local.set $a1 (v128.load offset=16 (local.get $acc)))
  (local.set $a2 (v128.load offset=32 (local.get $acc))) (local.set $a3 (v128.load offset=48 (local.get $acc)))
  (local.set $a4 (v128.load offset=64 (local.get $acc))) (local.set $a5 (v128.load offset=80 (local.get $acc)))
  (local.set $a6 (v128.load offset=96 (local.get $acc))) (local.set $a7 (v128.load offset=112 (local.get $acc)))
  (local.set $end (i32.add (local.get $offsets) (i32.shl (local.get $count) (i32.const 2))))
  (loop $entries
    (local.set $row (i32.add (local.get $rows) (i32.load (local.get $offsets))))
    (local.set $g (v128.load32_splat (local.get $values)))
    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $g) (v128.load offset=0 (local.get $row)))))
    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $g) (v128.load offset=16 (local.get $row)))))
    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $g) (v128.load offset=32 (local.get $row)))))
    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $g) (v128.load offset=48 (local.get $row)))))
    (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $g) (v128.load offset=64 (local.get $row)))))
    (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $g) (v128.load offset=80 (local.get $row)))))
    (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $g) (v128.load offset=96 (local.get $row)))))
    (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $g) (v128.load offset=112 (local.get $row)))))
    (local.set $offsets (i32.add (local.get $offsets) (i32.const 4)))
    (local.set $values (i32.add (local.get $values) (i32.const 4)))
    (br_if $entries (i32.lt_u (local.get $offsets) (local.get $end))))
  (v128.store offset=0 (local.get $acc) (local.get $a0)) (v128.store offset=16 (local.get $acc) (local.get $a1))
  (v128.store offset=32 (local.get $acc) (local.get $a2)) (v128.store offset=48 (local.get $acc) (local.get $a3))
  (v128.store offset=64 (local.get $acc) (local.get $a4)) (v128.store offset=80 (local.get $acc) (local.get $a5))
  (v128.store offset=96 (local.get $acc) (local.get $a6)) (v128.store offset=112 (local.get $acc) (local.get $a7))
)

;; The same over 4 vectors (a row's last 16 floats when its length is not a multiple of 32).
(func $accumulate4 (param $acc i32) (param $rows i32) (param $offsets i32) (param $values i32) (param $count i32)
  (local $end i32) (local $row i32) (local $g v128)
  (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
  (if (i32.eqz (local.get $count)) (then (return)))
  (local.set $a0 (v128.load offset=0 (local.get $acc))) (local.set $a1 (v128.load offset=16 (local.get $acc)))
  (local.set $a2 (v128.load offset=32 (local.get $acc))) (local.set $a3 (v128.load offset=48 (local.get $acc)))
  (local.set $end (i32.add (local.get $offsets) (i32.shl (local.get $count) (i32.const 2))))
  (loop $entries
    (local.set $row (i32.add (local.get $rows) (i32.load (local.get $offsets))))
    (local.set $g (v128.load32_splat (local.get $values)))
    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $g) (v128.load offset=0 (local.get $row)))))
    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $g) (v128.load offset=16 (local.get $row)))))
    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $g) (v128.load offset=32 (local.get $row)))))
    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $g) (v128.load offset=48 (local.get $row)))))
    (local.set $offsets (i32.add (local.get $offsets) (i32.const 4)))
    (local.set $values (i32.add (local.get $values) (i32.const 4)))
    (br_if $entries (i32.lt_u (local.get $offsets) (local.get $end))))
  (v128.store offset=0 (local.get $acc) (local.get $a0)) (v128.store offset=16 (local.get $acc) (local.get $a1))
  (v128.store offset=32 (local.get $acc) (local.get $a2)) (v128.store offset=48 (local.get $acc) (local.get $a3))
)

;; dw += Σ_b Σ_n dy[b, o, n] · im2row(x[b])[n], db[o] += Σ_b Σ_n dy[b, o, n], for filters o0 ≤ o < o1
;; (threads may share a layer's weight gradient by filters) and images b0 ≤ b < b1. Accumulates, like
;; the reference. The rows dw[o0..o1) are copied into rows of Kq = ⌈K/16⌉·16 floats (acc), each image
;; adds its terms to them one by one in n order, and they are copied back at the end: every filter's
;; sums run in the same order whichever filter or image range it is in (same bits, see the tests).
;; Per image: im2row, every filter's nonzeros, then 32 columns at a time, every filter over them (the
;; rows' 32-column panel stays in L1 while the filters pass).
;; $col: table (N i32: n·Kq·4) | im2row rows [N, Kq] | acc [o1 − o0, Kq] | offsets, values
;; [o1 − o0, N] | counts [o1 − o0] (convScratchBytes mirrors this layout).
(func $conv_backward_weight_sparse_dy (export "conv_backward_weight_sparse_dy")
  (param $x i32) (param $dy i32) (param $dw i32) (param $db i32) (param $col i32) (param $b0 i32) (param $b1 i32)
  (param $C i32) (param $H i32) (param $W i32) (param $O i32) (param $k i32) (param $s i32) (param $p i32)
  (param $Ho i32) (param $Wo i32) (param $o0 i32) (param $o1 i32)
  (local $K i32) (local $Kq i32) (local $N i32) (local $F i32) (local $rows i32) (local $acc i32) (local $offsets i32)
  (local $values i32) (local $counts i32) (local $b i32) (local $f i32) (local $j i32) (local $dyb i32) (local $list i32)
  (local.set $K (i32.mul (local.get $C) (i32.mul (local.get $k) (local.get $k))))
  (local.set $Kq (i32.and (i32.add (local.get $K) (i32.const 15)) (i32.const -16)))
  (local.set $N (i32.mul (local.get $Ho) (local.get $Wo)))
  (local.set $F (i32.sub (local.get $o1) (local.get $o0)))
  (local.set $rows (i32.add (local.get $col) (call $align16 (i32.shl (local.get $N) (i32.const 2)))))
  (local.set $acc (i32.add (local.get $rows) (call $align16 (i32.add (i32.shl (i32.mul (local.get $N) (local.get $Kq)) (i32.const 2)) (i32.const 16)))))
  (local.set $offsets (i32.add (local.get $acc) (i32.shl (i32.mul (local.get $F) (local.get $Kq)) (i32.const 2))))
  (local.set $values (i32.add (local.get $offsets) (call $align16 (i32.shl (i32.mul (local.get $F) (local.get $N)) (i32.const 2)))))
  (local.set $counts (i32.add (local.get $values) (call $align16 (i32.shl (i32.mul (local.get $F) (local.get $N)) (i32.const 2)))))
  (call $row_offsets (local.get $col) (local.get $N) (i32.shl (local.get $Kq) (i32.const 2)))
  (call $pad_planes (i32.add (local.get $dw) (i32.shl (i32.mul (local.get $o0) (local.get $K)) (i32.const 2))) (local.get $acc)
    (i32.const 1) (local.get $F) (local.get $K) (i32.const 0) (i32.const 0) (local.get $F) (local.get $Kq) (i32.const 0))
  (local.set $b (local.get $b0))
  (block $images_done
    (loop $images
      (br_if $images_done (i32.ge_u (local.get $b) (local.get $b1)))
      (call $im2row
        (i32.add (local.get $x) (i32.shl (i32.mul (local.get $b) (i32.mul (i32.mul (local.get $C) (local.get $H)) (local.get $W))) (i32.const 2)))
        (local.get $rows) (local.get $C) (local.get $H) (local.get $W) (local.get $k) (local.get $s) (local.get $p)
        (local.get $Ho) (local.get $Wo) (local.get $Kq))
      ;; dy[b, o0]: row o0 of image b's [O, N]
      (local.set $dyb (i32.add (local.get $dy) (i32.shl (i32.mul (i32.add (i32.mul (local.get $b) (local.get $O)) (local.get $o0)) (local.get $N)) (i32.const 2))))
      (local.set $f (i32.const 0))
      (block $listed
        (loop $list_filters
          (br_if $listed (i32.ge_u (local.get $f) (local.get $F)))
          (local.set $list (i32.shl (i32.mul (local.get $f) (local.get $N)) (i32.const 2)))
          (i32.store (i32.add (local.get $counts) (i32.shl (local.get $f) (i32.const 2)))
            (call $nonzeros (i32.add (local.get $dyb) (local.get $list)) (local.get $N) (local.get $col)
              (i32.add (local.get $offsets) (local.get $list)) (i32.add (local.get $values) (local.get $list))))
          (local.set $f (i32.add (local.get $f) (i32.const 1)))
          (br $list_filters)))
      (local.set $j (i32.const 0))
      (block $columns_done
        (loop $columns
          (br_if $columns_done (i32.ge_u (local.get $j) (local.get $Kq)))
          (local.set $f (i32.const 0))
          (block $filters_done
            (loop $filters
              (br_if $filters_done (i32.ge_u (local.get $f) (local.get $F)))
              (local.set $list (i32.shl (i32.mul (local.get $f) (local.get $N)) (i32.const 2)))
              (if (i32.le_u (i32.add (local.get $j) (i32.const 32)) (local.get $Kq))
                (then (call $accumulate8
                  (i32.add (local.get $acc) (i32.shl (i32.add (i32.mul (local.get $f) (local.get $Kq)) (local.get $j)) (i32.const 2)))
                  (i32.add (local.get $rows) (i32.shl (local.get $j) (i32.const 2)))
                  (i32.add (local.get $offsets) (local.get $list)) (i32.add (local.get $values) (local.get $list))
                  (i32.load (i32.add (local.get $counts) (i32.shl (local.get $f) (i32.const 2))))))
                (else (call $accumulate4
                  (i32.add (local.get $acc) (i32.shl (i32.add (i32.mul (local.get $f) (local.get $Kq)) (local.get $j)) (i32.const 2)))
                  (i32.add (local.get $rows) (i32.shl (local.get $j) (i32.const 2)))
                  (i32.add (local.get $offsets) (local.get $list)) (i32.add (local.get $values) (local.get $list))
                  (i32.load (i32.add (local.get $counts) (i32.shl (local.get $f) (i32.const 2)))))))
              (local.set $f (i32.add (local.get $f) (i32.const 1)))
              (br $filters)))
          (local.set $j (i32.add (local.get $j) (select (i32.const 32) (i32.const 16) (i32.le_u (i32.add (local.get $j) (i32.const 32)) (local.get $Kq)))))
          (br $columns)))
      (call $add_row_sums (local.get $dyb) (local.get $F) (local.get $N) (i32.add (local.get $db) (i32.shl (local.get $o0) (i32.const 2))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $images)))
  (call $compact_rows (local.get $acc) (i32.add (local.get $dw) (i32.shl (i32.mul (local.get $o0) (local.get $K)) (i32.const 2)))
    (local.get $F) (local.get $Kq) (local.get $K))
)
