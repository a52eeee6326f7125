;; Copies between images and matrices: im2col, col2im, padded planes, offset tables (im2row: im2row.wat).
;; A part of core/wasm/conv-kernels.wat, which includes it (module-wide conventions there).
;; ── im2col, col2im ─────────────────────────────────────────────────────────────────────────────
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
;; the image; dx (one image, [C, H, W]) is cleared first. Row by row of dcol (so each dx entry gets its
;; additions in the order it always did: the same bits), over its output rows i inside the image
;; (first_inside/end_inside on u) and their columns inside, j in [first, end); stride 1 adds whole
;; vectors, then single floats (dx is never written past a row's valid part).
;; PERF: the segments' addresses are stepped by additions (a segment of LeNet conv2 is 10 floats, 1 500
;; per image): before, each recomputed them (6 multiplies) and its bounds; see docs/performance.md.
(func $col2im
  (param $col i32) (param $dx i32) (param $C i32) (param $H i32) (param $W i32) (param $k i32) (param $s i32)
  (param $p i32) (param $Ho i32) (param $Wo i32) (param $np i32)
  (local $c i32) (local $u i32) (local $v i32) (local $i i32) (local $iEnd i32) (local $first i32) (local $end i32)
  (local $row i32) (local $src i32) (local $dst i32) (local $vectors i32) (local $singles i32)
  (local $srcStep i32) (local $dstStep i32) (local $a i32) (local $b i32) (local $n i32)
  (memory.fill (local.get $dx) (i32.const 0)
    (i32.shl (i32.mul (i32.mul (local.get $C) (local.get $H)) (local.get $W)) (i32.const 2)))
  (local.set $srcStep (i32.shl (local.get $Wo) (i32.const 2)))
  (local.set $dstStep (i32.shl (i32.mul (local.get $s) (local.get $W)) (i32.const 2)))
  (local.set $row (local.get $col))
  (loop $channels
    (local.set $u (i32.const 0))
    (loop $taps_u
      (local.set $v (i32.const 0))
      (loop $taps_v
        (local.set $first (call $first_inside (local.get $v) (local.get $s) (local.get $p)))
        (local.set $end (call $end_inside (local.get $v) (local.get $s) (local.get $p) (local.get $W) (local.get $Wo)))
        (local.set $i (call $first_inside (local.get $u) (local.get $s) (local.get $p)))
        (local.set $iEnd (call $end_inside (local.get $u) (local.get $s) (local.get $p) (local.get $H) (local.get $Ho)))
        (if (i32.and (i32.lt_s (local.get $i) (local.get $iEnd)) (i32.lt_s (local.get $first) (local.get $end)))
          (then
            ;; stride 1: whole vectors, then the rest; other strides: single floats
            (local.set $vectors (select (i32.shr_u (i32.sub (local.get $end) (local.get $first)) (i32.const 2))
              (i32.const 0) (i32.eq (local.get $s) (i32.const 1))))
            (local.set $singles (i32.sub (i32.sub (local.get $end) (local.get $first)) (i32.shl (local.get $vectors) (i32.const 2))))
            ;; src: dcol[row, i·W' + first]; dst: dx[c, i·s + u − p, first·s + v − p]
            (local.set $src (i32.add (local.get $row)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $Wo)) (local.get $first)) (i32.const 2))))
            (local.set $dst (i32.add (local.get $dx) (i32.shl (i32.add
              (i32.mul (i32.add (i32.mul (local.get $c) (local.get $H))
                (i32.sub (i32.add (i32.mul (local.get $i) (local.get $s)) (local.get $u)) (local.get $p))) (local.get $W))
              (i32.sub (i32.add (i32.mul (local.get $first) (local.get $s)) (local.get $v)) (local.get $p))) (i32.const 2))))
            (loop $out_rows
              (local.set $a (local.get $src))
              (local.set $b (local.get $dst))
              (local.set $n (local.get $vectors))
              (block $vectors_done
                (loop $add_vectors
                  (br_if $vectors_done (i32.eqz (local.get $n)))
                  (v128.store (local.get $b) (f32x4.add (v128.load (local.get $b)) (v128.load (local.get $a))))
                  (local.set $a (i32.add (local.get $a) (i32.const 16)))
                  (local.set $b (i32.add (local.get $b) (i32.const 16)))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br $add_vectors)))
              (local.set $n (local.get $singles))
              (block $singles_done
                (loop $add_singles
                  (br_if $singles_done (i32.eqz (local.get $n)))
                  (f32.store (local.get $b) (f32.add (f32.load (local.get $b)) (f32.load (local.get $a))))
                  (local.set $a (i32.add (local.get $a) (i32.const 4)))
                  (local.set $b (i32.add (local.get $b) (i32.shl (local.get $s) (i32.const 2))))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br $add_singles)))
              (local.set $src (i32.add (local.get $src) (local.get $srcStep)))
              (local.set $dst (i32.add (local.get $dst) (local.get $dstStep)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $out_rows (i32.lt_s (local.get $i) (local.get $iEnd))))))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $np) (i32.const 2))))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br_if $taps_v (i32.lt_u (local.get $v) (local.get $k))))
      (local.set $u (i32.add (local.get $u) (i32.const 1)))
      (br_if $taps_u (i32.lt_u (local.get $u) (local.get $k))))
    (local.set $c (i32.add (local.get $c) (i32.const 1)))
    (br_if $channels (i32.lt_u (local.get $c) (local.get $C))))
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
