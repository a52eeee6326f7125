;; Max-pooling kernels: hand-written WebAssembly with 128-bit SIMD (4 float32 lanes).
;;
;; Assembled by wabt (scripts/wasm/build-conv-kernels.ts, `npm run build:wasm`) into
;; core/wasm/pool-kernels.wasm.ts. The specification is core/tensor/conv.ts (maxPool2dForward,
;; maxPool2dBackward): these kernels agree with it bit for bit, ties and NaN included
;; (test/core/fast/pool-kernels.test.ts). Called through core/fast/conv-kernel-calls.ts; timed by
;; bench/conv-kernels.ts. Same conventions as conv-kernels.wat: the one imported memory, byte
;; addresses, images b0..b1, up to 32 bytes read (never written) past an input's end, no allocation.

(module
  (import "env" "memory" (memory 1 65536))

  ;; ── max-pooling: size × size windows, stride size ──────────────────────────────────────────────
  ;; Planes are images × channels: plane q of x is [H, W] at x + q·H·W floats, of y and argmax [H', W'].

  ;; y[q, i, j] = max of the window, argmax = the index into x of its first maximum in row-major order
  ;; (a later value wins only when strictly greater, so NaN never displaces a number and ties keep the
  ;; first: the reference's `x[index] > x[best]`). Planes b0·C .. b1·C.
  ;; PERF: size 2 takes 4 windows at once: two rows of 8 floats, split into even and odd lanes, compared
  ;; in the window's order with the indices carried alongside; other sizes (and the last W' mod 4
  ;; windows) go window by window as the reference does.
  (func $maxpool_forward (export "maxpool_forward")
    (param $x i32) (param $y i32) (param $argmax i32) (param $b0 i32) (param $b1 i32)
    (param $C i32) (param $H i32) (param $W i32) (param $size i32) (param $Ho i32) (param $Wo i32)
    (local $q i32) (local $q1 i32) (local $i i32) (local $j i32) (local $n i32) (local $top i32) (local $at i32)
    (local $best i32) (local $u i32) (local $v i32) (local $index i32)
    (local $row0 i32) (local $row1 i32) (local $m v128) (local $ix v128) (local $e v128) (local $gt v128) (local $base v128)
    (local.set $q (i32.mul (local.get $b0) (local.get $C)))
    (local.set $q1 (i32.mul (local.get $b1) (local.get $C)))
    (local.set $n (i32.mul (local.get $q) (i32.mul (local.get $Ho) (local.get $Wo))))
    (block $planes_done
      (loop $planes
        (br_if $planes_done (i32.ge_u (local.get $q) (local.get $q1)))
        (local.set $i (i32.const 0))
        (loop $out_rows
          ;; top: the index into x of the window row's first pixel, x[q, i·size, 0]
          (local.set $top (i32.mul (i32.add (i32.mul (local.get $q) (local.get $H)) (i32.mul (local.get $i) (local.get $size))) (local.get $W)))
          (local.set $j (i32.const 0))
          (if (i32.eq (local.get $size) (i32.const 2))
            (then
              (block $quads_done
                (loop $quads
                  (br_if $quads_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $Wo)))
                  (local.set $index (i32.add (local.get $top) (i32.shl (local.get $j) (i32.const 1))))
                  (local.set $row0 (i32.add (local.get $x) (i32.shl (local.get $index) (i32.const 2))))
                  (local.set $row1 (i32.add (local.get $row0) (i32.shl (local.get $W) (i32.const 2))))
                  (local.set $base (i32x4.add (i32x4.splat (local.get $index)) (v128.const i32x4 0 2 4 6)))
                  ;; (0, 0): even lanes of the top row
                  (local.set $m (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                    (v128.load offset=0 (local.get $row0)) (v128.load offset=16 (local.get $row0))))
                  (local.set $ix (local.get $base))
                  ;; (0, 1): odd lanes of the top row
                  (local.set $e (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31
                    (v128.load offset=0 (local.get $row0)) (v128.load offset=16 (local.get $row0))))
                  (local.set $gt (f32x4.gt (local.get $e) (local.get $m)))
                  (local.set $m (v128.bitselect (local.get $e) (local.get $m) (local.get $gt)))
                  (local.set $ix (v128.bitselect (i32x4.add (local.get $base) (v128.const i32x4 1 1 1 1)) (local.get $ix) (local.get $gt)))
                  ;; (1, 0) and (1, 1): the bottom row
                  (local.set $base (i32x4.add (local.get $base) (i32x4.splat (local.get $W))))
                  (local.set $e (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                    (v128.load offset=0 (local.get $row1)) (v128.load offset=16 (local.get $row1))))
                  (local.set $gt (f32x4.gt (local.get $e) (local.get $m)))
                  (local.set $m (v128.bitselect (local.get $e) (local.get $m) (local.get $gt)))
                  (local.set $ix (v128.bitselect (local.get $base) (local.get $ix) (local.get $gt)))
                  (local.set $e (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31
                    (v128.load offset=0 (local.get $row1)) (v128.load offset=16 (local.get $row1))))
                  (local.set $gt (f32x4.gt (local.get $e) (local.get $m)))
                  (local.set $m (v128.bitselect (local.get $e) (local.get $m) (local.get $gt)))
                  (local.set $ix (v128.bitselect (i32x4.add (local.get $base) (v128.const i32x4 1 1 1 1)) (local.get $ix) (local.get $gt)))
                  (v128.store (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))) (local.get $m))
                  (v128.store (i32.add (local.get $argmax) (i32.shl (local.get $n) (i32.const 2))) (local.get $ix))
                  (local.set $n (i32.add (local.get $n) (i32.const 4)))
                  (local.set $j (i32.add (local.get $j) (i32.const 4)))
                  (br $quads)))))
          (block $windows_done
            (loop $windows
              (br_if $windows_done (i32.ge_u (local.get $j) (local.get $Wo)))
              (local.set $best (i32.add (local.get $top) (i32.mul (local.get $j) (local.get $size))))
              (local.set $u (i32.const 0))
              (loop $window_rows
                (local.set $v (i32.const 0))
                (loop $window_columns
                  (local.set $index (i32.add (i32.add (local.get $top) (i32.mul (local.get $u) (local.get $W)))
                    (i32.add (i32.mul (local.get $j) (local.get $size)) (local.get $v))))
                  (if (f32.gt (f32.load (i32.add (local.get $x) (i32.shl (local.get $index) (i32.const 2))))
                              (f32.load (i32.add (local.get $x) (i32.shl (local.get $best) (i32.const 2)))))
                    (then (local.set $best (local.get $index))))
                  (local.set $v (i32.add (local.get $v) (i32.const 1)))
                  (br_if $window_columns (i32.lt_u (local.get $v) (local.get $size))))
                (local.set $u (i32.add (local.get $u) (i32.const 1)))
                (br_if $window_rows (i32.lt_u (local.get $u) (local.get $size))))
              (local.set $at (i32.shl (local.get $n) (i32.const 2)))
              (f32.store (i32.add (local.get $y) (local.get $at))
                (f32.load (i32.add (local.get $x) (i32.shl (local.get $best) (i32.const 2)))))
              (i32.store (i32.add (local.get $argmax) (local.get $at)) (local.get $best))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $windows)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $out_rows (i32.lt_u (local.get $i) (local.get $Ho))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $planes)))
  )

  ;; dx = 0, then dx[argmax[n]] += dy[n] for the outputs n of images b0..b1: each window's gradient goes
  ;; to its winner. argmax must come from maxpool_forward with the same geometry.
  ;; PERF: size 2 writes 4 windows' 2 × 8 gradients as whole vectors (dy where the lane is the winner,
  ;; +0 elsewhere; 0 + dy as the reference adds it, so −0 becomes +0 there too) instead of 4 scattered
  ;; read-modify-writes per window; other sizes and the last W' mod 4 windows scatter as the reference.
  (func $maxpool_backward (export "maxpool_backward")
    (param $dy i32) (param $argmax i32) (param $dx i32) (param $b0 i32) (param $b1 i32)
    (param $C i32) (param $H i32) (param $W i32) (param $size i32) (param $Ho i32) (param $Wo i32)
    (local $q i32) (local $q1 i32) (local $i i32) (local $j i32) (local $n i32) (local $top i32) (local $at i32)
    (local $row0 i32) (local $g v128) (local $rel v128) (local $w v128) (local $e0 v128) (local $e1 v128)
    (local.set $q (i32.mul (local.get $b0) (local.get $C)))
    (local.set $q1 (i32.mul (local.get $b1) (local.get $C)))
    (local.set $n (i32.mul (local.get $q) (i32.mul (local.get $Ho) (local.get $Wo))))
    (memory.fill
      (i32.add (local.get $dx) (i32.shl (i32.mul (local.get $q) (i32.mul (local.get $H) (local.get $W))) (i32.const 2)))
      (i32.const 0)
      (i32.shl (i32.mul (i32.sub (local.get $q1) (local.get $q)) (i32.mul (local.get $H) (local.get $W))) (i32.const 2)))
    (local.set $w (i32x4.splat (local.get $W)))
    (block $planes_done
      (loop $planes
        (br_if $planes_done (i32.ge_u (local.get $q) (local.get $q1)))
        (local.set $i (i32.const 0))
        (loop $out_rows
          (local.set $top (i32.mul (i32.add (i32.mul (local.get $q) (local.get $H)) (i32.mul (local.get $i) (local.get $size))) (local.get $W)))
          (local.set $j (i32.const 0))
          (if (i32.eq (local.get $size) (i32.const 2))
            (then
              (block $quads_done
                (loop $quads
                  (br_if $quads_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $Wo)))
                  (local.set $at (i32.shl (local.get $n) (i32.const 2)))
                  (local.set $g (v128.load (i32.add (local.get $dy) (local.get $at))))
                  ;; rel = argmax − (index of the window's top-left pixel): 0, 1, W or W + 1
                  (local.set $rel (i32x4.sub (v128.load (i32.add (local.get $argmax) (local.get $at)))
                    (i32x4.add (i32x4.splat (i32.add (local.get $top) (i32.shl (local.get $j) (i32.const 1))))
                      (v128.const i32x4 0 2 4 6))))
                  (local.set $row0 (i32.add (local.get $dx)
                    (i32.shl (i32.add (local.get $top) (i32.shl (local.get $j) (i32.const 1))) (i32.const 2))))
                  ;; top row: lanes (0,0) and (0,1) of each window, interleaved
                  (local.set $e0 (f32x4.add (v128.const i32x4 0 0 0 0)
                    (v128.and (local.get $g) (i32x4.eq (local.get $rel) (v128.const i32x4 0 0 0 0)))))
                  (local.set $e1 (f32x4.add (v128.const i32x4 0 0 0 0)
                    (v128.and (local.get $g) (i32x4.eq (local.get $rel) (v128.const i32x4 1 1 1 1)))))
                  (v128.store offset=0 (local.get $row0)
                    (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $e0) (local.get $e1)))
                  (v128.store offset=16 (local.get $row0)
                    (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $e0) (local.get $e1)))
                  ;; bottom row: (1,0) and (1,1)
                  (local.set $row0 (i32.add (local.get $row0) (i32.shl (local.get $W) (i32.const 2))))
                  (local.set $e0 (f32x4.add (v128.const i32x4 0 0 0 0)
                    (v128.and (local.get $g) (i32x4.eq (local.get $rel) (local.get $w)))))
                  (local.set $e1 (f32x4.add (v128.const i32x4 0 0 0 0)
                    (v128.and (local.get $g) (i32x4.eq (local.get $rel) (i32x4.add (local.get $w) (v128.const i32x4 1 1 1 1))))))
                  (v128.store offset=0 (local.get $row0)
                    (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $e0) (local.get $e1)))
                  (v128.store offset=16 (local.get $row0)
                    (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $e0) (local.get $e1)))
                  (local.set $n (i32.add (local.get $n) (i32.const 4)))
                  (local.set $j (i32.add (local.get $j) (i32.const 4)))
                  (br $quads)))))
          (block $windows_done
            (loop $windows
              (br_if $windows_done (i32.ge_u (local.get $j) (local.get $Wo)))
              (local.set $at (i32.add (local.get $dx)
                (i32.shl (i32.load (i32.add (local.get $argmax) (i32.shl (local.get $n) (i32.const 2)))) (i32.const 2))))
              (f32.store (local.get $at) (f32.add (f32.load (local.get $at))
                (f32.load (i32.add (local.get $dy) (i32.shl (local.get $n) (i32.const 2))))))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $windows)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $out_rows (i32.lt_u (local.get $i) (local.get $Ho))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $planes)))
  )
)
