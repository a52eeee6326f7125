;; The convolution input gradient over the nonzeros of dy (behind a max-pool).
;; A part of core/wasm/conv-kernels.wat, which includes it (module-wide conventions there).
;; ── the input gradient over dy's nonzeros ─────────────────────────────────────────────────────
;;
;; dx[c, h, w] = Σ_o Σ_(i, j) Σ_(u, v) dy[o, i, j] · W[o, c, u, v]   where (h, w) = (i·s + u − p, j·s + v − p)
;; read the other way round: each nonzero g = dy[o, i, j] adds g · W[o, c, u, v] to pixel
;; (i·s + u − p, j·s + v − p) of every channel c. Behind a max-pool most of dy is 0 (LeNet's conv2:
;; ~19 % nonzero, see weight-gradient-nonzeros.wat), so only the nonzeros are scattered, onto a "grid":
;; dx padded by p on every side (Hg = H + 2p, Wg = W + 2p) in channels-last order, 8 channels side by
;; side (2 vectors per pixel; C > 8 in blocks of 8, C = 6 leaves 2 lanes idle). One tap of one nonzero
;; is then 2 vectors: grid[i·s + u, j·s + v] += g · WT[o, u, v], with the filter transposed once per
;; call, WT[o, u, v, l] = W[o, c0 + l, u, v]. A filter row has 5 taps (k ≤ 5; taps v ≥ k are zero
;; weights, which add ±0 to pixels that are never −0: no change), so every tap's grid and filter
;; address is a static offset. Per image and block of channels: clear the grid, scatter every filter's
;; nonzeros, copy the grid's inside into dx's planes.
;; NOTE: dx[c, h, w] gets its terms in the order o, then dy's nonzeros (i, j) in order, then u, v, where
;; im2col + GEMM + col2im adds over o innermost: the same sum to float32 rounding, not the same bits.
;; Each image's sums are its own, in a fixed order: the same bits on any thread and for any image range.
;; PERF: ~10 instructions per tap for 8 products (6 useful with C = 6), against the GEMM's 4×8 tile
;; for all of dy's zeros too (~30 instructions per 64 products) and col2im: see docs/performance.md.
;; k > 5 takes the GEMM (conv_backward_input).

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

;; grid += Σ_e values[e] · WT[o] placed at grid + offsets[e] (one filter's nonzeros, see above): per
;; nonzero, k rows of 5 taps, each tap 2 vectors of the grid += g · 2 vectors of the filter.
(func $scatter_nonzeros (param $grid i32) (param $wt i32) (param $offsets i32) (param $values i32) (param $count i32)
  (param $k i32) (param $rowStep i32)
  (local $end i32) (local $at i32) (local $wp i32) (local $u i32) (local $g v128)
  (if (i32.eqz (local.get $count)) (then (return)))
  (local.set $end (i32.add (local.get $offsets) (i32.shl (local.get $count) (i32.const 2))))
  (loop $entries
    (local.set $at (i32.add (local.get $grid) (i32.load (local.get $offsets))))
    (local.set $g (v128.load32_splat (local.get $values)))
    (local.set $wp (local.get $wt))
    (local.set $u (local.get $k))
    (loop $rows
      (v128.store offset=0 (local.get $at) (f32x4.add (v128.load offset=0 (local.get $at)) (f32x4.mul (local.get $g) (v128.load offset=0 (local.get $wp)))))
      (v128.store offset=16 (local.get $at) (f32x4.add (v128.load offset=16 (local.get $at)) (f32x4.mul (local.get $g) (v128.load offset=16 (local.get $wp)))))
      (v128.store offset=32 (local.get $at) (f32x4.add (v128.load offset=32 (local.get $at)) (f32x4.mul (local.get $g) (v128.load offset=32 (local.get $wp)))))
      (v128.store offset=48 (local.get $at) (f32x4.add (v128.load offset=48 (local.get $at)) (f32x4.mul (local.get $g) (v128.load offset=48 (local.get $wp)))))
      (v128.store offset=64 (local.get $at) (f32x4.add (v128.load offset=64 (local.get $at)) (f32x4.mul (local.get $g) (v128.load offset=64 (local.get $wp)))))
      (v128.store offset=80 (local.get $at) (f32x4.add (v128.load offset=80 (local.get $at)) (f32x4.mul (local.get $g) (v128.load offset=80 (local.get $wp)))))
      (v128.store offset=96 (local.get $at) (f32x4.add (v128.load offset=96 (local.get $at)) (f32x4.mul (local.get $g) (v128.load offset=96 (local.get $wp)))))
      (v128.store offset=112 (local.get $at) (f32x4.add (v128.load offset=112 (local.get $at)) (f32x4.mul (local.get $g) (v128.load offset=112 (local.get $wp)))))
      (v128.store offset=128 (local.get $at) (f32x4.add (v128.load offset=128 (local.get $at)) (f32x4.mul (local.get $g) (v128.load offset=128 (local.get $wp)))))
      (v128.store offset=144 (local.get $at) (f32x4.add (v128.load offset=144 (local.get $at)) (f32x4.mul (local.get $g) (v128.load offset=144 (local.get $wp)))))
      (local.set $at (i32.add (local.get $at) (local.get $rowStep)))
      (local.set $wp (i32.add (local.get $wp) (i32.const 160)))
      (local.set $u (i32.sub (local.get $u) (i32.const 1)))
      (br_if $rows (local.get $u)))
    (local.set $offsets (i32.add (local.get $offsets) (i32.const 4)))
    (local.set $values (i32.add (local.get $values) (i32.const 4)))
    (br_if $entries (i32.lt_u (local.get $offsets) (local.get $end))))
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
;; [Hg·Wg + 4 pixels, 8] | offsets, values [O, N] | counts [O] (convScratchBytes mirrors this layout).
(func $conv_backward_input_sparse_dy (export "conv_backward_input_sparse_dy")
  (param $dy i32) (param $w i32) (param $dx i32) (param $col i32) (param $b0 i32) (param $b1 i32)
  (param $C i32) (param $H i32) (param $W i32) (param $O i32) (param $k i32) (param $s i32) (param $p i32)
  (param $Ho i32) (param $Wo i32)
  (local $N i32) (local $blocks i32) (local $Wg i32) (local $wt i32) (local $grid i32) (local $gridBytes i32)
  (local $offsets i32) (local $values i32) (local $counts i32) (local $b i32) (local $cb i32) (local $o i32)
  (local $n i32) (local $list i32) (local $dyb i32) (local $filterBytes i32) (local $lanes i32)
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
  (local.set $values (i32.add (local.get $offsets) (call $align16 (i32.shl (i32.mul (local.get $O) (local.get $N)) (i32.const 2)))))
  (local.set $counts (i32.add (local.get $values) (call $align16 (i32.shl (i32.mul (local.get $O) (local.get $N)) (i32.const 2)))))
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
      (local.set $o (i32.const 0))
      (loop $list_filters
        (local.set $list (i32.shl (i32.mul (local.get $o) (local.get $N)) (i32.const 2)))
        (i32.store (i32.add (local.get $counts) (i32.shl (local.get $o) (i32.const 2)))
          (call $nonzeros (i32.add (local.get $dyb) (local.get $list)) (local.get $N) (local.get $col)
            (i32.add (local.get $offsets) (local.get $list)) (i32.add (local.get $values) (local.get $list))))
        (local.set $o (i32.add (local.get $o) (i32.const 1)))
        (br_if $list_filters (i32.lt_u (local.get $o) (local.get $O))))
      (local.set $cb (i32.const 0))
      (loop $channel_blocks
        (memory.fill (local.get $grid) (i32.const 0) (local.get $gridBytes))
        (local.set $o (i32.const 0))
        (loop $filters
          (local.set $list (i32.shl (i32.mul (local.get $o) (local.get $N)) (i32.const 2)))
          (call $scatter_nonzeros (local.get $grid)
            (i32.add (local.get $wt) (i32.mul (i32.add (i32.mul (local.get $cb) (local.get $O)) (local.get $o)) (local.get $filterBytes)))
            (i32.add (local.get $offsets) (local.get $list)) (i32.add (local.get $values) (local.get $list))
            (i32.load (i32.add (local.get $counts) (i32.shl (local.get $o) (i32.const 2)))) (local.get $k) (i32.shl (local.get $Wg) (i32.const 5)))
          (local.set $o (i32.add (local.get $o) (i32.const 1)))
          (br_if $filters (i32.lt_u (local.get $o) (local.get $O))))
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
