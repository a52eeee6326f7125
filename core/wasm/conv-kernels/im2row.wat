;; im2row: an image's windows as the rows of a matrix (the weight gradient's copy of its input).
;; A part of core/wasm/conv-kernels.wat, which includes it (module-wide conventions there).
;; ── im2row ─────────────────────────────────────────────────────────────────────────────────────
;;
;; rows[i·W' + j, (c·k + u)·k + v] = x[c, i·s + u − p, j·s + v − p], 0 outside: im2col transposed, rows
;; of $kp floats, one image. A window row inside the image is k contiguous floats, copied in whole
;; vectors (the overhang is overwritten by the next segment); windows on the border go float by float.
;; A row's floats past C·k·k are 0 (its last vector may write up to 3 floats into the next row, which
;; that row overwrites; past the last row: scratch).
;; PERF: a window wholly inside the image (every window of a `valid` convolution, the inner ones of a
;; `same` one) with k ≤ 8 is copied by $copy_window, its source stepped by additions only; the border
;; windows take the general loop, which recomputes each window row's source and bounds (7 multiplies
;; and 3 branches per 5 floats on LeNet's conv2). The same floats either way. LeNet conv2's im2row
;; took more CPU than the weight gradient's products it feeds (see docs/performance.md).
(func $im2row
  (param $x i32) (param $rows i32) (param $C i32) (param $H i32) (param $W i32) (param $k i32) (param $s i32)
  (param $p i32) (param $Ho i32) (param $Wo i32) (param $kp i32)
  (local $i i32) (local $j i32) (local $c i32) (local $u i32) (local $v i32) (local $h i32) (local $w0 i32)
  (local $inside i32) (local $dst i32) (local $seg i32) (local $src i32) (local $h0 i32)
  (local.set $dst (local.get $rows))
  (loop $out_rows
    (local.set $j (i32.const 0))
    (loop $out_columns
      (local.set $w0 (i32.sub (i32.mul (local.get $j) (local.get $s)) (local.get $p)))
      (local.set $inside (i32.and (i32.ge_s (local.get $w0) (i32.const 0))
        (i32.le_s (i32.add (local.get $w0) (local.get $k)) (local.get $W))))
      (local.set $h0 (i32.sub (i32.mul (local.get $i) (local.get $s)) (local.get $p)))
      (local.set $seg (local.get $dst))
      (local.set $c (i32.const 0))
      (if (i32.and (i32.and (local.get $inside) (i32.le_u (local.get $k) (i32.const 8)))
            (i32.and (i32.ge_s (local.get $h0) (i32.const 0)) (i32.le_s (i32.add (local.get $h0) (local.get $k)) (local.get $H))))
        (then
          (local.set $seg (call $copy_window
            (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (local.get $h0) (local.get $W)) (local.get $w0)) (i32.const 2)))
            (local.get $seg) (local.get $C) (local.get $H) (local.get $W) (local.get $k))))
        (else
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
            (br_if $channels (i32.lt_u (local.get $c) (local.get $C))))))
      (call $zero_span (local.get $seg) (i32.const 0) (i32.sub (local.get $kp)
        (i32.shr_u (i32.sub (local.get $seg) (local.get $dst)) (i32.const 2))))
      (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $kp) (i32.const 2))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $out_columns (i32.lt_u (local.get $j) (local.get $Wo))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br_if $out_rows (i32.lt_u (local.get $i) (local.get $Ho))))
)

;; Copies one window wholly inside the image, x[c, h0 + u, w0 + v] for c < C, u, v < k (k ≤ 8), from
;; $src = x[0, h0, w0] to $seg, k floats per window row in one or two vectors (each overhang is
;; overwritten by the next row's; the last one's by the caller's zeros), and returns the end of the
;; window's C·k·k floats. Reads up to 3 floats past a window row (inside the read slack at the end).
(func $copy_window (param $src i32) (param $seg i32) (param $C i32) (param $H i32) (param $W i32) (param $k i32)
  (result i32)
  (local $rowStep i32) (local $planeStep i32) (local $segStep i32) (local $two i32) (local $u i32)
  (local.set $rowStep (i32.shl (local.get $W) (i32.const 2)))
  (local.set $planeStep (i32.shl (i32.mul (i32.sub (local.get $H) (local.get $k)) (local.get $W)) (i32.const 2)))
  (local.set $segStep (i32.shl (local.get $k) (i32.const 2)))
  (local.set $two (i32.gt_u (local.get $k) (i32.const 4)))
  (loop $planes
    (local.set $u (local.get $k))
    (loop $window_rows
      (v128.store (local.get $seg) (v128.load (local.get $src)))
      (if (local.get $two)
        (then (v128.store offset=16 (local.get $seg) (v128.load offset=16 (local.get $src)))))
      (local.set $seg (i32.add (local.get $seg) (local.get $segStep)))
      (local.set $src (i32.add (local.get $src) (local.get $rowStep)))
      (local.set $u (i32.sub (local.get $u) (i32.const 1)))
      (br_if $window_rows (local.get $u)))
    (local.set $src (i32.add (local.get $src) (local.get $planeStep)))
    (local.set $C (i32.sub (local.get $C) (i32.const 1)))
    (br_if $planes (local.get $C)))
  (local.get $seg)
)
