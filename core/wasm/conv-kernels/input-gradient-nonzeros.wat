;; The convolution input gradient over the nonzeros of dy (behind a max-pool).
;; A part of core/wasm/conv-kernels.wat, which includes it (module-wide conventions there).
;; ── the input gradient over dy's nonzeros ─────────────────────────────────────────────────────
;;
;; conv_backward_input computes dcol[(c, u, v), n] = Σ_o W[o, c, u, v] · dy[o, n] (the GEMM, o in order)
;; and adds each entry to its pixel, dx[c, i·s + u − p, j·s + v − p] += dcol[(c, u, v), n] for output
;; n = (i, j) (col2im, rows (c, u, v) in order). Behind a max-pool most of dy is 0 (LeNet's conv2: ~19 %
;; nonzero, see weight-gradient-nonzeros.wat), so here column n of dcol is summed over its nonzero
;; filters only, in registers, and added to a "grid": dx padded by p on every side (Hg = H + 2p,
;; Wg = W + 2p) in channels-last order, 8 channels side by side (2 vectors per pixel; C > 8 in blocks of
;; 8, C = 6 leaves 2 lanes idle), so that a column's k × k taps are k rows of 10 vectors at static
;; offsets: grid[i·s + u, j·s + v] += Σ_o dy[o, n] · WT[o, u, v], with the filters transposed once per
;; call, WT[o, u, v, l] = W[o, c0 + l, u, v]. Rows of 5 taps (k ≤ 5): taps v ≥ k have zero weights and
;; add ±0, which changes no sum here (a sum from +0 is never −0). Columns go from the last to the
;; first, so each pixel gets its columns' sums in the order col2im adds them ((u, v) ascending).
;; NOTE: the same products (the zeros' ±0 skipped), summed in the same order as im2col + GEMM + col2im:
;; the same bits (tested), so a run does not depend on the method. (Only 0 · NaN or 0 · ∞ in w, skipped
;; here, would differ: such a run has already diverged.)
;; PERF: per nonzero and filter row, 10 loads, 10 multiplies and 10 adds for 40 products (30 useful
;; with C = 6), and 10 vector additions into the grid per column and row, against the GEMM's 4×8 tile
;; over all of dy's zeros too, and col2im: see docs/performance.md. k > 5 takes the GEMM.

;; wt[((cb·O + o)·k + u)·5 + v, l] = W[o, cb·8 + l, u, v] for v < k and cb·8 + l < C, else 0:
;; blocks × O × k rows of 5 taps × 8 lanes.
(func $transpose_filters (param $wt i32) (param $w i32) (param $C i32) (param $O i32) (param $k i32) (param $blocks i32)
  (local $cb i32) (local $o i32) (local $u i32) (local $v i32) (local $l i32) (local $c i32)
  (loop $blocks
    (local.set $o (i32.const 0))
    (loop $filters
      (local.set $u (i32.const 0))
      (loop $rows
        (local.set $v (i32.const 0))
        (loop $taps
          (local.set $l (i32.const 0))
          (loop $lanes
            (local.set $c (i32.add (i32.shl (local.get $cb) (i32.const 3)) (local.get $l)))
            (f32.store (local.get $wt)
              (if (result f32) (i32.and (i32.lt_u (local.get $v) (local.get $k)) (i32.lt_u (local.get $c) (local.get $C)))
                (then (f32.load (i32.add (local.get $w) (i32.shl (i32.add (i32.mul (i32.add
                  (i32.mul (i32.add (i32.mul (local.get $o) (local.get $C)) (local.get $c)) (local.get $k)) (local.get $u))
                  (local.get $k)) (local.get $v)) (i32.const 2)))))
                (else (f32.const 0))))
            (local.set $wt (i32.add (local.get $wt) (i32.const 4)))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br_if $lanes (i32.lt_u (local.get $l) (i32.const 8))))
          (local.set $v (i32.add (local.get $v) (i32.const 1)))
          (br_if $taps (i32.lt_u (local.get $v) (i32.const 5))))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br_if $rows (i32.lt_u (local.get $u) (local.get $k))))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br_if $filters (i32.lt_u (local.get $o) (local.get $O))))
    (local.set $cb (i32.add (local.get $cb) (i32.const 1)))
    (br_if $blocks (i32.lt_u (local.get $cb) (local.get $blocks))))
)

;; grid[at + u·rowStep, 0..40) += Σ_e values[e] · wt[offsets[e] + u·160, 0..40) for rows u < k: one
;; column of dcol (an output position's k rows of 5 taps × 8 channels), summed over its nonzero filters
;; in their order, from +0, in 10 registers per row, then added to the grid.
(func $add_column (param $at i32) (param $wt i32) (param $offsets i32) (param $values i32) (param $count i32)
  (param $k i32) (param $rowStep i32)
  (local $row i32) (local $rowsEnd i32) (local $entry i32) (local $value i32) (local $end i32) (local $wp i32) (local $g v128)
  (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128)
  (local $s5 v128) (local $s6 v128) (local $s7 v128) (local $s8 v128) (local $s9 v128)
  (local.set $end (i32.add (local.get $offsets) (i32.shl (local.get $count) (i32.const 2))))
  (local.set $rowsEnd (i32.mul (local.get $k) (i32.const 160)))
  (loop $rows
    (local.set $s0 (v128.const i32x4 0 0 0 0)) (local.set $s1 (v128.const i32x4 0 0 0 0))
    (local.set $s2 (v128.const i32x4 0 0 0 0)) (local.set $s3 (v128.const i32x4 0 0 0 0))
    (local.set $s4 (v128.const i32x4 0 0 0 0)) (local.set $s5 (v128.const i32x4 0 0 0 0))
    (local.set $s6 (v128.const i32x4 0 0 0 0)) (local.set $s7 (v128.const i32x4 0 0 0 0))
    (local.set $s8 (v128.const i32x4 0 0 0 0)) (local.set $s9 (v128.const i32x4 0 0 0 0))
    (local.set $entry (local.get $offsets))
    (local.set $value (local.get $values))
    (loop $entries
      (local.set $wp (i32.add (i32.add (local.get $wt) (i32.load (local.get $entry))) (local.get $row)))
      (local.set $g (v128.load32_splat (local.get $value)))
      (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $g) (v128.load offset=0 (local.get $wp)))))
      (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $g) (v128.load offset=16 (local.get $wp)))))
      (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $g) (v128.load offset=32 (local.get $wp)))))
      (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $g) (v128.load offset=48 (local.get $wp)))))
      (local.set $s4 (f32x4.add (local.get $s4) (f32x4.mul (local.get $g) (v128.load offset=64 (local.get $wp)))))
      (local.set $s5 (f32x4.add (local.get $s5) (f32x4.mul (local.get $g) (v128.load offset=80 (local.get $wp)))))
      (local.set $s6 (f32x4.add (local.get $s6) (f32x4.mul (local.get $g) (v128.load offset=96 (local.get $wp)))))
      (local.set $s7 (f32x4.add (local.get $s7) (f32x4.mul (local.get $g) (v128.load offset=112 (local.get $wp)))))
      (local.set $s8 (f32x4.add (local.get $s8) (f32x4.mul (local.get $g) (v128.load offset=128 (local.get $wp)))))
      (local.set $s9 (f32x4.add (local.get $s9) (f32x4.mul (local.get $g) (v128.load offset=144 (local.get $wp)))))
      (local.set $entry (i32.add (local.get $entry) (i32.const 4)))
      (local.set $value (i32.add (local.get $value) (i32.const 4)))
      (br_if $entries (i32.lt_u (local.get $entry) (local.get $end))))
    (v128.store offset=0 (local.get $at) (f32x4.add (v128.load offset=0 (local.get $at)) (local.get $s0)))
    (v128.store offset=16 (local.get $at) (f32x4.add (v128.load offset=16 (local.get $at)) (local.get $s1)))
    (v128.store offset=32 (local.get $at) (f32x4.add (v128.load offset=32 (local.get $at)) (local.get $s2)))
    (v128.store offset=48 (local.get $at) (f32x4.add (v128.load offset=48 (local.get $at)) (local.get $s3)))
    (v128.store offset=64 (local.get $at) (f32x4.add (v128.load offset=64 (local.get $at)) (local.get $s4)))
    (v128.store offset=80 (local.get $at) (f32x4.add (v128.load offset=80 (local.get $at)) (local.get $s5)))
    (v128.store offset=96 (local.get $at) (f32x4.add (v128.load offset=96 (local.get $at)) (local.get $s6)))
    (v128.store offset=112 (local.get $at) (f32x4.add (v128.load offset=112 (local.get $at)) (local.get $s7)))
    (v128.store offset=128 (local.get $at) (f32x4.add (v128.load offset=128 (local.get $at)) (local.get $s8)))
    (v128.store offset=144 (local.get $at) (f32x4.add (v128.load offset=144 (local.get $at)) (local.get $s9)))
    (local.set $at (i32.add (local.get $at) (local.get $rowStep)))
    (local.set $row (i32.add (local.get $row) (i32.const 160)))
    (br_if $rows (i32.lt_u (local.get $row) (local.get $rowsEnd))))
)

;; dx[c0 + l, h, w] = grid[h + p, w + p, l] for l < count: the grid's inside, into one image's planes.
(func $grid_to_dx (param $grid i32) (param $dx i32) (param $c0 i32) (param $count i32) (param $H i32) (param $W i32)
  (param $p i32) (param $Wg i32)
  (local $l i32) (local $h i32) (local $w i32) (local $from i32) (local $to i32)
  (local.set $to (i32.add (local.get $dx) (i32.shl (i32.mul (i32.mul (local.get $c0) (local.get $H)) (local.get $W)) (i32.const 2))))
  (loop $channels
    (local.set $h (i32.const 0))
    (loop $rows
      (local.set $from (i32.add (local.get $grid) (i32.add (i32.shl (i32.add (i32.mul (i32.add (local.get $h) (local.get $p))
        (local.get $Wg)) (local.get $p)) (i32.const 5)) (i32.shl (local.get $l) (i32.const 2)))))
      (local.set $w (local.get $W))
      (loop $pixels
        (f32.store (local.get $to) (f32.load (local.get $from)))
        (local.set $to (i32.add (local.get $to) (i32.const 4)))
        (local.set $from (i32.add (local.get $from) (i32.const 32)))
        (local.set $w (i32.sub (local.get $w) (i32.const 1)))
        (br_if $pixels (local.get $w)))
      (local.set $h (i32.add (local.get $h) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $h) (local.get $H))))
    (local.set $l (i32.add (local.get $l) (i32.const 1)))
    (br_if $channels (i32.lt_u (local.get $l) (local.get $count))))
)

;; dx[b] (overwritten) for images b0..b1 from dy and w over dy's nonzeros (see above); k > 5 takes
;; conv_backward_input. $col: table (N i32: grid offset of output n) | WT [blocks, O, k, 5, 8] | grid
;; [Hg·Wg + 4 pixels, 8] | offsets, values [O]: one column's nonzeros (convScratchBytes mirrors this).
(func $conv_backward_input_sparse_dy (export "conv_backward_input_sparse_dy")
  (param $dy i32) (param $w i32) (param $dx i32) (param $col i32) (param $b0 i32) (param $b1 i32)
  (param $C i32) (param $H i32) (param $W i32) (param $O i32) (param $k i32) (param $s i32) (param $p i32)
  (param $Ho i32) (param $Wo i32)
  (local $N i32) (local $blocks i32) (local $Wg i32) (local $wt i32) (local $grid i32) (local $gridBytes i32)
  (local $offsets i32) (local $values i32) (local $b i32) (local $cb i32) (local $o i32) (local $n i32)
  (local $dyb i32) (local $filterBytes i32) (local $block i32) (local $lanes i32) (local $listed i32) (local $src i32) (local $g f32)
  (if (i32.gt_u (local.get $k) (i32.const 5))
    (then
      (call $conv_backward_input (local.get $dy) (local.get $w) (local.get $dx) (local.get $col) (local.get $b0) (local.get $b1)
        (local.get $C) (local.get $H) (local.get $W) (local.get $O) (local.get $k) (local.get $s) (local.get $p)
        (local.get $Ho) (local.get $Wo))
      (return)))
  (local.set $N (i32.mul (local.get $Ho) (local.get $Wo)))
  (local.set $blocks (i32.shr_u (i32.add (local.get $C) (i32.const 7)) (i32.const 3)))
  (local.set $Wg (i32.add (local.get $W) (i32.shl (local.get $p) (i32.const 1))))
  (local.set $filterBytes (i32.mul (local.get $k) (i32.const 160)))
  (local.set $wt (i32.add (local.get $col) (call $align16 (i32.shl (local.get $N) (i32.const 2)))))
  (local.set $grid (i32.add (local.get $wt) (i32.mul (i32.mul (local.get $blocks) (local.get $O)) (local.get $filterBytes))))
  (local.set $gridBytes (i32.shl (i32.add (i32.mul (i32.add (local.get $H) (i32.shl (local.get $p) (i32.const 1))) (local.get $Wg))
    (i32.const 4)) (i32.const 5)))
  (local.set $offsets (i32.add (local.get $grid) (local.get $gridBytes)))
  (local.set $values (i32.add (local.get $offsets) (call $align16 (i32.shl (local.get $O) (i32.const 2)))))
  ;; table[i·W' + j] = ((i·s)·Wg + j·s)·32: where output (i, j)'s tap (0, 0) meets the grid
  (loop $table
    (i32.store (i32.add (local.get $col) (i32.shl (local.get $n) (i32.const 2)))
      (i32.shl (i32.mul (local.get $s) (i32.add (i32.mul (i32.div_u (local.get $n) (local.get $Wo)) (local.get $Wg))
        (i32.rem_u (local.get $n) (local.get $Wo)))) (i32.const 5)))
    (local.set $n (i32.add (local.get $n) (i32.const 1)))
    (br_if $table (i32.lt_u (local.get $n) (local.get $N))))
  (call $transpose_filters (local.get $wt) (local.get $w) (local.get $C) (local.get $O) (local.get $k) (local.get $blocks))
  (local.set $b (local.get $b0))
  (block $images_done
    (loop $images
      (br_if $images_done (i32.ge_u (local.get $b) (local.get $b1)))
      (local.set $dyb (i32.add (local.get $dy) (i32.shl (i32.mul (i32.mul (local.get $b) (local.get $O)) (local.get $N)) (i32.const 2))))
      (local.set $cb (i32.const 0))
      (loop $channel_blocks
        (memory.fill (local.get $grid) (i32.const 0) (local.get $gridBytes))
        (local.set $block (i32.add (local.get $wt) (i32.mul (i32.mul (local.get $cb) (local.get $O)) (local.get $filterBytes))))
        (local.set $n (local.get $N))
        (loop $columns
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          ;; column n's nonzeros, filters in order: branch-free (see $nonzeros)
          (local.set $listed (i32.const 0))
          (local.set $src (i32.add (local.get $dyb) (i32.shl (local.get $n) (i32.const 2))))
          (local.set $o (i32.const 0))
          (loop $filters
            (local.set $g (f32.load (local.get $src)))
            (i32.store (i32.add (local.get $offsets) (i32.shl (local.get $listed) (i32.const 2))) (i32.mul (local.get $o) (local.get $filterBytes)))
            (f32.store (i32.add (local.get $values) (i32.shl (local.get $listed) (i32.const 2))) (local.get $g))
            (local.set $listed (i32.add (local.get $listed) (f32.ne (local.get $g) (f32.const 0))))
            (local.set $src (i32.add (local.get $src) (i32.shl (local.get $N) (i32.const 2))))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (br_if $filters (i32.lt_u (local.get $o) (local.get $O))))
          (if (local.get $listed)
            (then (call $add_column
              (i32.add (local.get $grid) (i32.load (i32.add (local.get $col) (i32.shl (local.get $n) (i32.const 2)))))
              (local.get $block) (local.get $offsets) (local.get $values) (local.get $listed) (local.get $k)
              (i32.shl (local.get $Wg) (i32.const 5)))))
          (br_if $columns (local.get $n)))
        (local.set $lanes (i32.sub (local.get $C) (i32.shl (local.get $cb) (i32.const 3))))
        (call $grid_to_dx (local.get $grid)
          (i32.add (local.get $dx) (i32.shl (i32.mul (local.get $b) (i32.mul (i32.mul (local.get $C) (local.get $H)) (local.get $W))) (i32.const 2)))
          (i32.shl (local.get $cb) (i32.const 3)) (select (i32.const 8) (local.get $lanes) (i32.gt_u (local.get $lanes) (i32.const 8)))
          (local.get $H) (local.get $W) (local.get $p) (local.get $Wg))
        (local.set $cb (i32.add (local.get $cb) (i32.const 1)))
        (br_if $channel_blocks (i32.lt_u (local.get $cb) (local.get $blocks))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $images)))
)
