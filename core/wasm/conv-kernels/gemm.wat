;; The GEMM every convolution kernel shares: register tiles of 4 (or 2) rows × 8 columns.
;; A part of core/wasm/conv-kernels.wat, which includes it (module-wide conventions there).
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
