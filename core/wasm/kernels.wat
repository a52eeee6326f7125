;; The fast training kernels: hand-written WebAssembly with 128-bit SIMD (4 float32 lanes per v128).
;;
;; Assembled by scripts/wasm/build-kernels.ts (with wabt's wat2wasm, the `wabt` package) into
;; core/wasm/kernels.wasm.ts (`npm run build:wasm`). The plain TypeScript references are the ones the
;; engine already has: matmul*Reference (core/tensor/matmul.ts), the layers' loops, core/optim/sgd.ts and
;; adam.ts; test/core/fast/kernels.test.ts asserts that every kernel agrees with its reference, and
;; test/core/train/fast-trainer.test.ts that whole training runs do. Timings: bench/kernels.ts.
;;
;; Data layout (see core/fast/layout.ts): every buffer lives in the one imported memory, addresses are
;; byte offsets, every matrix is row-major with rows padded to a multiple of 4 floats (16 bytes), and a
;; dense layer's weights are held TRANSPOSED as Wᵀ [in, outPadded]. In that layout the product with a
;; sparse input row x is a sum of contiguous weight rows:
;;     y = b + Σ_{p : x_p ≠ 0} x_p · Wᵀ[p, :]
;; which SIMD does 4 outputs at a time, skipping every zero pixel (about 81% of MNIST) and every dead
;; ReLU unit. A row's nonzeros are kept as (index, value) lists, "CSR" rows: idx[r·stride + k],
;; val[r·stride + k] for k < cnt[r], indices ascending (stride: the row capacity plus scratch).
;;
;; Conventions: $r0..$r1 is a half-open range of batch rows (threads split batches by rows); widths in
;; floats are multiples of 4; "chunk" functions handle 8, 4, 3 or 1 vectors (32, 16, 12 or 4 floats)
;; of one row, keeping them in locals (registers) across the loop over nonzeros.
;; No kernel allocates, grows memory, or depends on anything but its arguments and memory: same
;; inputs, same bits.

(module
  (import "env" "memory" (memory 1 65536))

  ;; ── sparse encoding ─────────────────────────────────────────────────────────────────────────────

  ;; Rows of bytes → CSR rows of (index p, byte / 255) for the nonzero bytes.
  ;; Batch row r is image samples[r] of the byte matrix at $pixels ([count, n] u8, rows packed, with at
  ;; least 15 readable bytes after the last one). CSR row r starts at entry r·stride (stride ≥ n + 8).
  ;; PERF: branch-free compaction. Every 8 bytes, the bitmask of nonzero bytes selects an entry of
  ;; $compact (256 × 8 bytes: the positions of the set bits, ascending), a swizzle gathers those bytes
  ;; to the front, and all 8 candidates are stored while the write pointer advances by popcount(mask).
  ;; A per-bit loop mispredicts on every image; this costs the same for any image. Whole zero vectors
  ;; (the margins of a digit) are skipped. Up to 7 entries past the end of a row are scratch.
  ;; Values: IEEE single division byte / 255, correctly rounded, is the same float as the reference's
  ;; Math.fround(byte / 255) (1/255 repeats with period 8 bits, so no double-rounding case exists).
  (func $encode_u8 (export "encode_u8")
    (param $pixels i32) (param $samples i32) (param $r0 i32) (param $r1 i32) (param $n i32)
    (param $compact i32) (param $idx i32) (param $val i32) (param $cnt i32) (param $stride i32)
    (local $r i32) (local $row i32) (local $j i32) (local $mask i32) (local $half i32) (local $first i32)
    (local $ip i32) (local $ip0 i32) (local $vp i32) (local $v v128) (local $at v128) (local $wide v128)
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $row (i32.add (local.get $pixels)
          (i32.mul (i32.load (i32.add (local.get $samples) (i32.shl (local.get $r) (i32.const 2)))) (local.get $n))))
        (local.set $ip0 (i32.add (local.get $idx) (i32.shl (i32.mul (local.get $r) (local.get $stride)) (i32.const 2))))
        (local.set $vp (i32.add (local.get $val) (i32.shl (i32.mul (local.get $r) (local.get $stride)) (i32.const 2))))
        (local.set $ip (local.get $ip0))
        (local.set $j (i32.const 0))
        (block $bytes_done
          (loop $bytes
            (br_if $bytes_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $v (v128.load (i32.add (local.get $row) (local.get $j))))
            (local.set $mask (i8x16.bitmask (i8x16.ne (local.get $v) (v128.const i32x4 0 0 0 0))))
            ;; a last, partial vector: drop the bytes that belong to the next image
            (if (i32.lt_u (i32.sub (local.get $n) (local.get $j)) (i32.const 16))
              (then (local.set $mask (i32.and (local.get $mask)
                (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $n) (local.get $j))) (i32.const 1))))))
            (if (local.get $mask)
              (then
                ;; two halves of 8 bytes: lanes first..first+7, first = 0 then 8
                (local.set $first (i32.const 0))
                (loop $halves
                  (local.set $half (i32.and (i32.shr_u (local.get $mask) (local.get $first)) (i32.const 255)))
                  ;; at = positions (within the vector) of this half's nonzero bytes, then padding ≥ 0x80
                  (local.set $at (i8x16.add
                    (v128.load64_zero (i32.add (local.get $compact) (i32.shl (local.get $half) (i32.const 3))))
                    (i8x16.splat (local.get $first))))
                  ;; indices j + at, as two i32x4
                  (local.set $wide (i16x8.extend_low_i8x16_u (local.get $at)))
                  (v128.store offset=0 (local.get $ip) (i32x4.add (i32x4.extend_low_i16x8_u (local.get $wide)) (i32x4.splat (local.get $j))))
                  (v128.store offset=16 (local.get $ip) (i32x4.add (i32x4.extend_high_i16x8_u (local.get $wide)) (i32x4.splat (local.get $j))))
                  ;; values v[at] / 255, as two f32x4
                  (local.set $wide (i16x8.extend_low_i8x16_u (i8x16.swizzle (local.get $v) (local.get $at))))
                  (v128.store offset=0 (local.get $vp)
                    (f32x4.div (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $wide))) (v128.const f32x4 255 255 255 255)))
                  (v128.store offset=16 (local.get $vp)
                    (f32x4.div (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $wide))) (v128.const f32x4 255 255 255 255)))
                  (local.set $ip (i32.add (local.get $ip) (i32.shl (i32.popcnt (local.get $half)) (i32.const 2))))
                  (local.set $vp (i32.add (local.get $vp) (i32.shl (i32.popcnt (local.get $half)) (i32.const 2))))
                  (local.set $first (i32.add (local.get $first) (i32.const 8)))
                  (br_if $halves (i32.lt_u (local.get $first) (i32.const 16))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $bytes)))
        (i32.store (i32.add (local.get $cnt) (i32.shl (local.get $r) (i32.const 2)))
          (i32.shr_u (i32.sub (local.get $ip) (local.get $ip0)) (i32.const 2)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

;; Batch rows from a pre-encoded dataset (see FastNetwork.loadDataset): image s owns entries
  ;; offsets[s] … offsets[s+1] − 1 of $indices (u16 pixel index) and $bytes (u8 pixel value); batch row r
  ;; is image samples[r]. Writes CSR rows: i32 indices and f32 values byte / 255 (the same floats as
  ;; encode_u8). PERF: a training image is encoded once, not once per epoch: this copies and widens
  ;; 8 entries per step (~150 per MNIST image) instead of scanning 784 bytes at a random place in 47 MB
  ;; (seed net: ~14 of ~36 µs per step went to encode_u8 on fresh batches). Up to 7 entries past a
  ;; row's end are scratch; the arrays need 16 readable bytes after their last entry.
  (func $gather_sparse (export "gather_sparse")
    (param $offsets i32) (param $indices i32) (param $bytes i32) (param $samples i32) (param $r0 i32) (param $r1 i32)
    (param $idx i32) (param $val i32) (param $cnt i32) (param $stride i32)
    (local $r i32) (local $sample i32) (local $first i32) (local $count i32)
    (local $ip i32) (local $vp i32) (local $end i32) (local $src16 i32) (local $src8 i32) (local $v v128)
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $sample (i32.load (i32.add (local.get $samples) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $first (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $sample) (i32.const 2)))))
        (local.set $count (i32.sub (i32.load offset=4 (i32.add (local.get $offsets) (i32.shl (local.get $sample) (i32.const 2))))
          (local.get $first)))
        (i32.store (i32.add (local.get $cnt) (i32.shl (local.get $r) (i32.const 2))) (local.get $count))
        (local.set $src16 (i32.add (local.get $indices) (i32.shl (local.get $first) (i32.const 1))))
        (local.set $src8 (i32.add (local.get $bytes) (local.get $first)))
        (local.set $ip (i32.add (local.get $idx) (i32.shl (i32.mul (local.get $r) (local.get $stride)) (i32.const 2))))
        (local.set $vp (i32.add (local.get $val) (i32.shl (i32.mul (local.get $r) (local.get $stride)) (i32.const 2))))
        (local.set $end (i32.add (local.get $ip) (i32.shl (local.get $count) (i32.const 2))))
        (block $entries_done
          (loop $entries
            (br_if $entries_done (i32.ge_u (local.get $ip) (local.get $end)))
            ;; 8 indices: u16 → i32
            (local.set $v (v128.load (local.get $src16)))
            (v128.store offset=0 (local.get $ip) (i32x4.extend_low_i16x8_u (local.get $v)))
            (v128.store offset=16 (local.get $ip) (i32x4.extend_high_i16x8_u (local.get $v)))
            ;; 8 values: u8 → f32, / 255
            (local.set $v (i16x8.extend_low_i8x16_u (v128.load64_zero (local.get $src8))))
            (v128.store offset=0 (local.get $vp)
              (f32x4.div (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $v))) (v128.const f32x4 255 255 255 255)))
            (v128.store offset=16 (local.get $vp)
              (f32x4.div (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $v))) (v128.const f32x4 255 255 255 255)))
            (local.set $ip (i32.add (local.get $ip) (i32.const 32)))
            (local.set $vp (i32.add (local.get $vp) (i32.const 32)))
            (local.set $src16 (i32.add (local.get $src16) (i32.const 16)))
            (local.set $src8 (i32.add (local.get $src8) (i32.const 8)))
            (br $entries)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

;; Reads one byte of every 64 (a cache line) of the encoded entries of images samples[r0..r1) (both
  ;; arrays) and returns their sum. PERF: each image's entries sit at a random place in 27 MB; these
  ;; are independent loads the CPU overlaps (tens of misses in flight), where gather_sparse would meet
  ;; them one row after another. Seed net, 32 fresh rows: gather alone 7.4 µs, touch + gather 3.5 µs.
  (func $touch_sparse (export "touch_sparse")
    (param $offsets i32) (param $indices i32) (param $bytes i32) (param $samples i32) (param $r0 i32) (param $r1 i32)
    (result i32)
    (local $r i32) (local $sample i32) (local $first i32) (local $last i32) (local $at i32) (local $end i32) (local $sum i32)
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $sample (i32.load (i32.add (local.get $samples) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $first (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $sample) (i32.const 2)))))
        (local.set $last (i32.load offset=4 (i32.add (local.get $offsets) (i32.shl (local.get $sample) (i32.const 2)))))
        ;; the u16 indices
        (local.set $at (i32.add (local.get $indices) (i32.shl (local.get $first) (i32.const 1))))
        (local.set $end (i32.add (local.get $indices) (i32.shl (local.get $last) (i32.const 1))))
        (block $a_done
          (loop $a
            (br_if $a_done (i32.ge_u (local.get $at) (local.get $end)))
            (local.set $sum (i32.add (local.get $sum) (i32.load8_u (local.get $at))))
            (local.set $at (i32.add (local.get $at) (i32.const 64)))
            (br $a)))
        ;; the u8 values
        (local.set $at (i32.add (local.get $bytes) (local.get $first)))
        (local.set $end (i32.add (local.get $bytes) (local.get $last)))
        (block $b_done
          (loop $b
            (br_if $b_done (i32.ge_u (local.get $at) (local.get $end)))
            (local.set $sum (i32.add (local.get $sum) (i32.load8_u (local.get $at))))
            (local.set $at (i32.add (local.get $at) (i32.const 64)))
            (br $b)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
    (local.get $sum)
  )

  ;; Reads one byte of every 64 (a cache line) of the images samples[r0..r1) and returns their sum.
  ;; PERF: a batch's images sit at random places in the 47 MB training set, so each first read misses
  ;; the cache. Here the misses are independent loads that the CPU overlaps (tens in flight), instead of
  ;; being met one after another inside encode_u8. The sum only keeps the loads observable.
  (func $touch_rows (export "touch_rows")
    (param $pixels i32) (param $samples i32) (param $r0 i32) (param $r1 i32) (param $n i32) (result i32)
    (local $r i32) (local $row i32) (local $j i32) (local $sum i32)
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $row (i32.add (local.get $pixels)
          (i32.mul (i32.load (i32.add (local.get $samples) (i32.shl (local.get $r) (i32.const 2)))) (local.get $n))))
        (local.set $j (i32.const 0))
        (block $lines_done
          (loop $lines
            (br_if $lines_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $sum (i32.add (local.get $sum) (i32.load8_u (i32.add (local.get $row) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 64)))
            (br $lines)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
    (local.get $sum)
  )

  ;; Rows of floats [rows, n] (n a multiple of 4) → CSR rows (stride ≥ n + 4) of their nonzero entries
  ;; (NaN counts as nonzero, so it propagates). Used on hidden activations: after a ReLU about half
  ;; are exactly 0. PERF: branch-free like encode_u8, 4 lanes at a time: $compact holds 16 swizzles
  ;; (one per 4-bit mask) that move the nonzero 32-bit lanes to the front, in order.
  (func $encode_f32 (export "encode_f32")
    (param $src i32) (param $r0 i32) (param $r1 i32) (param $n i32) (param $compact i32)
    (param $idx i32) (param $val i32) (param $cnt i32) (param $stride i32)
    (local $r i32) (local $row i32) (local $j i32) (local $mask i32) (local $shuffle v128) (local $v v128)
    (local $lanes v128) (local $ip i32) (local $ip0 i32) (local $vp i32) (local $end i32)
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $row (i32.add (local.get $src) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
        (local.set $end (i32.add (local.get $row) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $ip0 (i32.add (local.get $idx) (i32.shl (i32.mul (local.get $r) (local.get $stride)) (i32.const 2))))
        (local.set $vp (i32.add (local.get $val) (i32.shl (i32.mul (local.get $r) (local.get $stride)) (i32.const 2))))
        (local.set $ip (local.get $ip0))
        (local.set $lanes (v128.const i32x4 0 1 2 3))
        (block $vectors_done
          (loop $vectors
            (br_if $vectors_done (i32.ge_u (local.get $row) (local.get $end)))
            (local.set $v (v128.load (local.get $row)))
            (local.set $mask (i32x4.bitmask (f32x4.ne (local.get $v) (v128.const i32x4 0 0 0 0))))
            (local.set $shuffle (v128.load (i32.add (local.get $compact) (i32.shl (local.get $mask) (i32.const 4)))))
            (v128.store (local.get $vp) (i8x16.swizzle (local.get $v) (local.get $shuffle)))
            (v128.store (local.get $ip) (i8x16.swizzle (local.get $lanes) (local.get $shuffle)))
            (local.set $ip (i32.add (local.get $ip) (i32.shl (i32.popcnt (local.get $mask)) (i32.const 2))))
            (local.set $vp (i32.add (local.get $vp) (i32.shl (i32.popcnt (local.get $mask)) (i32.const 2))))
            (local.set $lanes (i32x4.add (local.get $lanes) (v128.const i32x4 4 4 4 4)))
            (local.set $row (i32.add (local.get $row) (i32.const 16)))
            (br $vectors)))
        (i32.store (i32.add (local.get $cnt) (i32.shl (local.get $r) (i32.const 2)))
          (i32.shr_u (i32.sub (local.get $ip) (local.get $ip0)) (i32.const 2)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

  ;; ── forward: y[r, :] = b + Σ_k val_k · Wᵀ[idx_k, :], optionally followed by ReLU ─────────────────

  ;; One row, one chunk of 4 vectors (16 outputs). $ip..$end walk the row's indices, $vp its values;
  ;; $w, $b, $o point at the chunk's first column in Wᵀ (row 0), the bias and the output row.
  ;; ReLU as pmax(0, y) = (0 < y ? y : 0): exactly the reference's `y > 0 ? y : 0` (NaN → 0, −0 → 0).
  ;; PERF: 4 accumulators and 2 nonzeros per iteration keep everything in the 16 xmm registers V8 uses;
  ;; 8 accumulators spilled to the stack every iteration. MLP first layer, 64 rows: 130 → 93 µs
  ;; (interleaved A/B on real batches, bench/kernels.ts measures the kernel).
  (func $forward4
    (param $ip i32) (param $end i32) (param $vp i32) (param $w i32) (param $rowBytes i32)
    (param $b i32) (param $o i32) (param $relu i32)
    (local $wp i32) (local $wq i32) (local $x v128) (local $y v128) (local $last i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $a0 (v128.load offset=0 (local.get $b)))
    (local.set $a1 (v128.load offset=16 (local.get $b)))
    (local.set $a2 (v128.load offset=32 (local.get $b)))
    (local.set $a3 (v128.load offset=48 (local.get $b)))
    ;; two nonzeros per iteration: a ← (a + x·Wᵀ[p]) + y·Wᵀ[q], the same sums in the same order
    (local.set $last (i32.sub (local.get $end) (i32.const 4)))
    (if (i32.lt_u (local.get $ip) (local.get $last))
      (then
        (loop $pairs
          (local.set $wp (i32.add (local.get $w) (i32.mul (i32.load offset=0 (local.get $ip)) (local.get $rowBytes))))
          (local.set $wq (i32.add (local.get $w) (i32.mul (i32.load offset=4 (local.get $ip)) (local.get $rowBytes))))
          (local.set $x (f32x4.splat (f32.load offset=0 (local.get $vp))))
          (local.set $y (f32x4.splat (f32.load offset=4 (local.get $vp))))
          (local.set $a0 (f32x4.add (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load offset=0 (local.get $wp))))
            (f32x4.mul (local.get $y) (v128.load offset=0 (local.get $wq)))))
          (local.set $a1 (f32x4.add (f32x4.add (local.get $a1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $wp))))
            (f32x4.mul (local.get $y) (v128.load offset=16 (local.get $wq)))))
          (local.set $a2 (f32x4.add (f32x4.add (local.get $a2) (f32x4.mul (local.get $x) (v128.load offset=32 (local.get $wp))))
            (f32x4.mul (local.get $y) (v128.load offset=32 (local.get $wq)))))
          (local.set $a3 (f32x4.add (f32x4.add (local.get $a3) (f32x4.mul (local.get $x) (v128.load offset=48 (local.get $wp))))
            (f32x4.mul (local.get $y) (v128.load offset=48 (local.get $wq)))))
          (local.set $ip (i32.add (local.get $ip) (i32.const 8)))
          (local.set $vp (i32.add (local.get $vp) (i32.const 8)))
          (br_if $pairs (i32.lt_u (local.get $ip) (local.get $last))))))
    (block $rest_done
      (loop $rest
        (br_if $rest_done (i32.ge_u (local.get $ip) (local.get $end)))
        (local.set $wp (i32.add (local.get $w) (i32.mul (i32.load (local.get $ip)) (local.get $rowBytes))))
        (local.set $x (f32x4.splat (f32.load (local.get $vp))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load offset=0 (local.get $wp)))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $wp)))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x) (v128.load offset=32 (local.get $wp)))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $x) (v128.load offset=48 (local.get $wp)))))
        (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
        (local.set $vp (i32.add (local.get $vp) (i32.const 4)))
        (br $rest)))
    (if (local.get $relu)
      (then
        (local.set $a0 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $a0)))
        (local.set $a1 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $a1)))
        (local.set $a2 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $a2)))
        (local.set $a3 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $a3)))))
    (v128.store offset=0 (local.get $o) (local.get $a0))
    (v128.store offset=16 (local.get $o) (local.get $a1))
    (v128.store offset=32 (local.get $o) (local.get $a2))
    (v128.store offset=48 (local.get $o) (local.get $a3))
  )

  ;; The same for 3 vectors (12 outputs): the seed net's 10 hidden units and every 10-class output layer,
  ;; in one pass. PERF: seed net's first layer, 32 rows: 5.7 → 3.7 µs with 2 nonzeros per iteration.
  (func $forward3
    (param $ip i32) (param $end i32) (param $vp i32) (param $w i32) (param $rowBytes i32)
    (param $b i32) (param $o i32) (param $relu i32)
    (local $wp i32) (local $wq i32) (local $x v128) (local $y v128) (local $last i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128)
    (local.set $a0 (v128.load offset=0 (local.get $b)))
    (local.set $a1 (v128.load offset=16 (local.get $b)))
    (local.set $a2 (v128.load offset=32 (local.get $b)))
    ;; two nonzeros per iteration: a ← (a + x·Wᵀ[p]) + y·Wᵀ[q], the same sums in the same order
    (local.set $last (i32.sub (local.get $end) (i32.const 4)))
    (if (i32.lt_u (local.get $ip) (local.get $last))
      (then
        (loop $pairs
          (local.set $wp (i32.add (local.get $w) (i32.mul (i32.load offset=0 (local.get $ip)) (local.get $rowBytes))))
          (local.set $wq (i32.add (local.get $w) (i32.mul (i32.load offset=4 (local.get $ip)) (local.get $rowBytes))))
          (local.set $x (f32x4.splat (f32.load offset=0 (local.get $vp))))
          (local.set $y (f32x4.splat (f32.load offset=4 (local.get $vp))))
          (local.set $a0 (f32x4.add (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load offset=0 (local.get $wp))))
            (f32x4.mul (local.get $y) (v128.load offset=0 (local.get $wq)))))
          (local.set $a1 (f32x4.add (f32x4.add (local.get $a1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $wp))))
            (f32x4.mul (local.get $y) (v128.load offset=16 (local.get $wq)))))
          (local.set $a2 (f32x4.add (f32x4.add (local.get $a2) (f32x4.mul (local.get $x) (v128.load offset=32 (local.get $wp))))
            (f32x4.mul (local.get $y) (v128.load offset=32 (local.get $wq)))))
          (local.set $ip (i32.add (local.get $ip) (i32.const 8)))
          (local.set $vp (i32.add (local.get $vp) (i32.const 8)))
          (br_if $pairs (i32.lt_u (local.get $ip) (local.get $last))))))
    (block $rest_done
      (loop $rest
        (br_if $rest_done (i32.ge_u (local.get $ip) (local.get $end)))
        (local.set $wp (i32.add (local.get $w) (i32.mul (i32.load (local.get $ip)) (local.get $rowBytes))))
        (local.set $x (f32x4.splat (f32.load (local.get $vp))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load offset=0 (local.get $wp)))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $wp)))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x) (v128.load offset=32 (local.get $wp)))))
        (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
        (local.set $vp (i32.add (local.get $vp) (i32.const 4)))
        (br $rest)))
    (if (local.get $relu)
      (then
        (local.set $a0 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $a0)))
        (local.set $a1 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $a1)))
        (local.set $a2 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $a2)))))
    (v128.store offset=0 (local.get $o) (local.get $a0))
    (v128.store offset=16 (local.get $o) (local.get $a1))
    (v128.store offset=32 (local.get $o) (local.get $a2))
  )

  ;; 1 vector (4 outputs): the remainder of any width.
  (func $forward1
    (param $ip i32) (param $end i32) (param $vp i32) (param $w i32) (param $rowBytes i32)
    (param $b i32) (param $o i32) (param $relu i32)
    (local $wp i32) (local $x v128)
    (local $a0 v128)
    (local.set $a0 (v128.load offset=0 (local.get $b)))
    (block $rest_done
      (loop $rest
        (br_if $rest_done (i32.ge_u (local.get $ip) (local.get $end)))
        (local.set $wp (i32.add (local.get $w) (i32.mul (i32.load (local.get $ip)) (local.get $rowBytes))))
        (local.set $x (f32x4.splat (f32.load (local.get $vp))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load offset=0 (local.get $wp)))))
        (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
        (local.set $vp (i32.add (local.get $vp) (i32.const 4)))
        (br $rest)))
    (if (local.get $relu)
      (then
        (local.set $a0 (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $a0)))))
    (v128.store offset=0 (local.get $o) (local.get $a0))
  )

  ;; y[r, 0..m) = b + Σ_k val[r, k] · Wᵀ[idx[r, k], 0..m) for rows r0..r1, then ReLU when $relu ≠ 0.
  ;; $stride: entries per CSR row; $m: the output width (a multiple of 4).
  (func $sparse_forward (export "sparse_forward")
    (param $r0 i32) (param $r1 i32) (param $stride i32) (param $idx i32) (param $val i32) (param $cnt i32)
    (param $w i32) (param $m i32) (param $b i32) (param $out i32) (param $relu i32)
    (local $r i32) (local $rowBytes i32) (local $ip i32) (local $end i32) (local $vp i32) (local $o i32) (local $c i32)
    (local.set $rowBytes (i32.shl (local.get $m) (i32.const 2)))
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $ip (i32.add (local.get $idx) (i32.shl (i32.mul (local.get $r) (local.get $stride)) (i32.const 2))))
        (local.set $vp (i32.add (local.get $val) (i32.shl (i32.mul (local.get $r) (local.get $stride)) (i32.const 2))))
        (local.set $end (i32.add (local.get $ip)
          (i32.shl (i32.load (i32.add (local.get $cnt) (i32.shl (local.get $r) (i32.const 2)))) (i32.const 2))))
        (local.set $o (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $c (i32.const 0))
        ;; chunks of 16 outputs, then one of 12 if it fits, then 4 at a time
        (block $wide_done
          (loop $wide
            (br_if $wide_done (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $rowBytes)))
            (call $forward4 (local.get $ip) (local.get $end) (local.get $vp) (i32.add (local.get $w) (local.get $c))
              (local.get $rowBytes) (i32.add (local.get $b) (local.get $c)) (i32.add (local.get $o) (local.get $c)) (local.get $relu))
            (local.set $c (i32.add (local.get $c) (i32.const 64)))
            (br $wide)))
        (if (i32.le_u (i32.add (local.get $c) (i32.const 48)) (local.get $rowBytes))
          (then
            (call $forward3 (local.get $ip) (local.get $end) (local.get $vp) (i32.add (local.get $w) (local.get $c))
              (local.get $rowBytes) (i32.add (local.get $b) (local.get $c)) (i32.add (local.get $o) (local.get $c)) (local.get $relu))
            (local.set $c (i32.add (local.get $c) (i32.const 48)))))
        (block $narrow_done
          (loop $narrow
            (br_if $narrow_done (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (call $forward1 (local.get $ip) (local.get $end) (local.get $vp) (i32.add (local.get $w) (local.get $c))
              (local.get $rowBytes) (i32.add (local.get $b) (local.get $c)) (i32.add (local.get $o) (local.get $c)) (local.get $relu))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $narrow)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

  ;; ── weight gradient: dWᵀ[p, :] += Σ_r x[r, p] · dy[r, :], for rows p in [p0, p1) only ────────────

  ;; First k in idx[lo..hi) (ascending) with idx[k] ≥ p, as a byte address; $hi if none.
  (func $lower_bound (param $lo i32) (param $hi i32) (param $p i32) (result i32)
    (local $mid i32)
    (block $done
      (loop $halve
        (br_if $done (i32.ge_u (local.get $lo) (local.get $hi)))
        ;; mid = lo + ⌊(hi − lo) / 8⌋·4: the middle entry, kept 4-byte aligned
        (local.set $mid (i32.add (local.get $lo)
          (i32.shl (i32.shr_u (i32.sub (local.get $hi) (local.get $lo)) (i32.const 3)) (i32.const 2))))
        (if (i32.lt_s (i32.load (local.get $mid)) (local.get $p))
          (then (local.set $lo (i32.add (local.get $mid) (i32.const 4))))
          (else (local.set $hi (local.get $mid))))
        (br $halve)))
    (local.get $lo)
  )

  ;; One row's contribution to one chunk of 8 vectors: dy[r, chunk] stays in registers while every
  ;; nonzero x_p of the row adds (scale·x_p) · dy to row p of dWᵀ (read, add, write back).
  ;; PERF: 2 nonzeros per iteration: MLP first layer, 64 rows, 95 → 90 µs (interleaved A/B). Keeping
  ;; the sums in registers instead (a pixel-major pass over the batch) runs at the speed of the forward
  ;; kernel, ~93 µs, plus building the transposed lists: no gain, so the simpler form stays.
  (func $outer8 (param $ip i32) (param $end i32) (param $vp i32) (param $dw i32) (param $rowBytes i32) (param $dy i32) (param $scale f32)
    (local $wp i32) (local $wq i32) (local $x v128) (local $y v128) (local $last i32)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128) (local $d4 v128) (local $d5 v128) (local $d6 v128) (local $d7 v128)
    (local.set $d0 (v128.load offset=0 (local.get $dy)))
    (local.set $d1 (v128.load offset=16 (local.get $dy)))
    (local.set $d2 (v128.load offset=32 (local.get $dy)))
    (local.set $d3 (v128.load offset=48 (local.get $dy)))
    (local.set $d4 (v128.load offset=64 (local.get $dy)))
    (local.set $d5 (v128.load offset=80 (local.get $dy)))
    (local.set $d6 (v128.load offset=96 (local.get $dy)))
    (local.set $d7 (v128.load offset=112 (local.get $dy)))
    ;; two nonzeros (two rows of dWᵀ) per iteration
    (local.set $last (i32.sub (local.get $end) (i32.const 4)))
    (if (i32.lt_u (local.get $ip) (local.get $last))
      (then
        (loop $pairs
          (local.set $wp (i32.add (local.get $dw) (i32.mul (i32.load offset=0 (local.get $ip)) (local.get $rowBytes))))
          (local.set $wq (i32.add (local.get $dw) (i32.mul (i32.load offset=4 (local.get $ip)) (local.get $rowBytes))))
          (local.set $x (f32x4.splat (f32.mul (f32.load offset=0 (local.get $vp)) (local.get $scale))))
          (local.set $y (f32x4.splat (f32.mul (f32.load offset=4 (local.get $vp)) (local.get $scale))))
          (v128.store offset=0 (local.get $wp) (f32x4.add (v128.load offset=0 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d0))))
          (v128.store offset=16 (local.get $wp) (f32x4.add (v128.load offset=16 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d1))))
          (v128.store offset=32 (local.get $wp) (f32x4.add (v128.load offset=32 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d2))))
          (v128.store offset=48 (local.get $wp) (f32x4.add (v128.load offset=48 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d3))))
          (v128.store offset=64 (local.get $wp) (f32x4.add (v128.load offset=64 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d4))))
          (v128.store offset=80 (local.get $wp) (f32x4.add (v128.load offset=80 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d5))))
          (v128.store offset=96 (local.get $wp) (f32x4.add (v128.load offset=96 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d6))))
          (v128.store offset=112 (local.get $wp) (f32x4.add (v128.load offset=112 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d7))))
          (v128.store offset=0 (local.get $wq) (f32x4.add (v128.load offset=0 (local.get $wq)) (f32x4.mul (local.get $y) (local.get $d0))))
          (v128.store offset=16 (local.get $wq) (f32x4.add (v128.load offset=16 (local.get $wq)) (f32x4.mul (local.get $y) (local.get $d1))))
          (v128.store offset=32 (local.get $wq) (f32x4.add (v128.load offset=32 (local.get $wq)) (f32x4.mul (local.get $y) (local.get $d2))))
          (v128.store offset=48 (local.get $wq) (f32x4.add (v128.load offset=48 (local.get $wq)) (f32x4.mul (local.get $y) (local.get $d3))))
          (v128.store offset=64 (local.get $wq) (f32x4.add (v128.load offset=64 (local.get $wq)) (f32x4.mul (local.get $y) (local.get $d4))))
          (v128.store offset=80 (local.get $wq) (f32x4.add (v128.load offset=80 (local.get $wq)) (f32x4.mul (local.get $y) (local.get $d5))))
          (v128.store offset=96 (local.get $wq) (f32x4.add (v128.load offset=96 (local.get $wq)) (f32x4.mul (local.get $y) (local.get $d6))))
          (v128.store offset=112 (local.get $wq) (f32x4.add (v128.load offset=112 (local.get $wq)) (f32x4.mul (local.get $y) (local.get $d7))))
          (local.set $ip (i32.add (local.get $ip) (i32.const 8)))
          (local.set $vp (i32.add (local.get $vp) (i32.const 8)))
          (br_if $pairs (i32.lt_u (local.get $ip) (local.get $last))))))
    (block $rest_done
      (loop $rest
        (br_if $rest_done (i32.ge_u (local.get $ip) (local.get $end)))
        (local.set $wp (i32.add (local.get $dw) (i32.mul (i32.load (local.get $ip)) (local.get $rowBytes))))
        (local.set $x (f32x4.splat (f32.mul (f32.load (local.get $vp)) (local.get $scale))))
        (v128.store offset=0 (local.get $wp) (f32x4.add (v128.load offset=0 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d0))))
        (v128.store offset=16 (local.get $wp) (f32x4.add (v128.load offset=16 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d1))))
        (v128.store offset=32 (local.get $wp) (f32x4.add (v128.load offset=32 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d2))))
        (v128.store offset=48 (local.get $wp) (f32x4.add (v128.load offset=48 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d3))))
        (v128.store offset=64 (local.get $wp) (f32x4.add (v128.load offset=64 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d4))))
        (v128.store offset=80 (local.get $wp) (f32x4.add (v128.load offset=80 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d5))))
        (v128.store offset=96 (local.get $wp) (f32x4.add (v128.load offset=96 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d6))))
        (v128.store offset=112 (local.get $wp) (f32x4.add (v128.load offset=112 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d7))))
        (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
        (local.set $vp (i32.add (local.get $vp) (i32.const 4)))
        (br $rest)))
  )

  ;; 3 vectors (12 outputs). PERF: seed net's first layer, 32 rows: 5.9 → 5.0 µs with 2 per iteration.
  (func $outer3 (param $ip i32) (param $end i32) (param $vp i32) (param $dw i32) (param $rowBytes i32) (param $dy i32) (param $scale f32)
    (local $wp i32) (local $wq i32) (local $x v128) (local $y v128) (local $last i32)
    (local $d0 v128) (local $d1 v128) (local $d2 v128)
    (local.set $d0 (v128.load offset=0 (local.get $dy)))
    (local.set $d1 (v128.load offset=16 (local.get $dy)))
    (local.set $d2 (v128.load offset=32 (local.get $dy)))
    ;; two nonzeros (two rows of dWᵀ) per iteration
    (local.set $last (i32.sub (local.get $end) (i32.const 4)))
    (if (i32.lt_u (local.get $ip) (local.get $last))
      (then
        (loop $pairs
          (local.set $wp (i32.add (local.get $dw) (i32.mul (i32.load offset=0 (local.get $ip)) (local.get $rowBytes))))
          (local.set $wq (i32.add (local.get $dw) (i32.mul (i32.load offset=4 (local.get $ip)) (local.get $rowBytes))))
          (local.set $x (f32x4.splat (f32.mul (f32.load offset=0 (local.get $vp)) (local.get $scale))))
          (local.set $y (f32x4.splat (f32.mul (f32.load offset=4 (local.get $vp)) (local.get $scale))))
          (v128.store offset=0 (local.get $wp) (f32x4.add (v128.load offset=0 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d0))))
          (v128.store offset=16 (local.get $wp) (f32x4.add (v128.load offset=16 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d1))))
          (v128.store offset=32 (local.get $wp) (f32x4.add (v128.load offset=32 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d2))))
          (v128.store offset=0 (local.get $wq) (f32x4.add (v128.load offset=0 (local.get $wq)) (f32x4.mul (local.get $y) (local.get $d0))))
          (v128.store offset=16 (local.get $wq) (f32x4.add (v128.load offset=16 (local.get $wq)) (f32x4.mul (local.get $y) (local.get $d1))))
          (v128.store offset=32 (local.get $wq) (f32x4.add (v128.load offset=32 (local.get $wq)) (f32x4.mul (local.get $y) (local.get $d2))))
          (local.set $ip (i32.add (local.get $ip) (i32.const 8)))
          (local.set $vp (i32.add (local.get $vp) (i32.const 8)))
          (br_if $pairs (i32.lt_u (local.get $ip) (local.get $last))))))
    (block $rest_done
      (loop $rest
        (br_if $rest_done (i32.ge_u (local.get $ip) (local.get $end)))
        (local.set $wp (i32.add (local.get $dw) (i32.mul (i32.load (local.get $ip)) (local.get $rowBytes))))
        (local.set $x (f32x4.splat (f32.mul (f32.load (local.get $vp)) (local.get $scale))))
        (v128.store offset=0 (local.get $wp) (f32x4.add (v128.load offset=0 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d0))))
        (v128.store offset=16 (local.get $wp) (f32x4.add (v128.load offset=16 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d1))))
        (v128.store offset=32 (local.get $wp) (f32x4.add (v128.load offset=32 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d2))))
        (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
        (local.set $vp (i32.add (local.get $vp) (i32.const 4)))
        (br $rest)))
  )

  ;; 1 vector (4 outputs): the remainder of any width.
  (func $outer1 (param $ip i32) (param $end i32) (param $vp i32) (param $dw i32) (param $rowBytes i32) (param $dy i32) (param $scale f32)
    (local $wp i32) (local $x v128)
    (local $d0 v128)
    (local.set $d0 (v128.load offset=0 (local.get $dy)))
    (block $rest_done
      (loop $rest
        (br_if $rest_done (i32.ge_u (local.get $ip) (local.get $end)))
        (local.set $wp (i32.add (local.get $dw) (i32.mul (i32.load (local.get $ip)) (local.get $rowBytes))))
        (local.set $x (f32x4.splat (f32.mul (f32.load (local.get $vp)) (local.get $scale))))
        (v128.store offset=0 (local.get $wp) (f32x4.add (v128.load offset=0 (local.get $wp)) (f32x4.mul (local.get $x) (local.get $d0))))
        (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
        (local.set $vp (i32.add (local.get $vp) (i32.const 4)))
        (br $rest)))
  )

  ;; dWᵀ[p, 0..m) += Σ_{r in r0..r1} (scale·x[r, p]) · dy[r, 0..m), only for p0 ≤ p < p1 (a thread's
  ;; share of rows; the rows are independent, and each is summed over r in ascending order whatever the
  ;; split). The caller zeroes dWᵀ rows p0..p1 first when it wants "=" rather than "+=".
  ;; With scale = 1 this is the weight gradient. With scale = −lr and Wᵀ itself as $dw it is plain SGD,
  ;; w ← w − lr·Σ_r x·dy, applied one sample at a time (see FastNetwork.gradientPart).
  (func $sparse_weight_grad (export "sparse_weight_grad")
    (param $r0 i32) (param $r1 i32) (param $n i32) (param $stride i32) (param $idx i32) (param $val i32) (param $cnt i32)
    (param $dy i32) (param $m i32) (param $dw i32) (param $p0 i32) (param $p1 i32) (param $scale f32)
    (local $r i32) (local $rowBytes i32) (local $start i32) (local $ip i32) (local $end i32) (local $vp i32)
    (local $d i32) (local $c i32)
    (local.set $rowBytes (i32.shl (local.get $m) (i32.const 2)))
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $start (i32.add (local.get $idx) (i32.shl (i32.mul (local.get $r) (local.get $stride)) (i32.const 2))))
        (local.set $end (i32.add (local.get $start)
          (i32.shl (i32.load (i32.add (local.get $cnt) (i32.shl (local.get $r) (i32.const 2)))) (i32.const 2))))
        ;; this part's entries: p0 ≤ p < p1 (no search needed at either end of the row)
        (local.set $ip (local.get $start))
        (if (i32.gt_s (local.get $p0) (i32.const 0))
          (then (local.set $ip (call $lower_bound (local.get $start) (local.get $end) (local.get $p0)))))
        (if (i32.lt_s (local.get $p1) (local.get $n))
          (then (local.set $end (call $lower_bound (local.get $ip) (local.get $end) (local.get $p1)))))
        (local.set $vp (i32.add (i32.sub (local.get $val) (local.get $idx)) (local.get $ip)))
        (local.set $d (i32.add (local.get $dy) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $c (i32.const 0))
        (block $wide_done
          (loop $wide
            (br_if $wide_done (i32.gt_u (i32.add (local.get $c) (i32.const 128)) (local.get $rowBytes)))
            (call $outer8 (local.get $ip) (local.get $end) (local.get $vp) (i32.add (local.get $dw) (local.get $c))
              (local.get $rowBytes) (i32.add (local.get $d) (local.get $c)) (local.get $scale))
            (local.set $c (i32.add (local.get $c) (i32.const 128)))
            (br $wide)))
        (block $three_done
          (loop $three
            (br_if $three_done (i32.gt_u (i32.add (local.get $c) (i32.const 48)) (local.get $rowBytes)))
            (call $outer3 (local.get $ip) (local.get $end) (local.get $vp) (i32.add (local.get $dw) (local.get $c))
              (local.get $rowBytes) (i32.add (local.get $d) (local.get $c)) (local.get $scale))
            (local.set $c (i32.add (local.get $c) (i32.const 48)))
            (br $three)))
        (block $narrow_done
          (loop $narrow
            (br_if $narrow_done (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (call $outer1 (local.get $ip) (local.get $end) (local.get $vp) (i32.add (local.get $dw) (local.get $c))
              (local.get $rowBytes) (i32.add (local.get $d) (local.get $c)) (local.get $scale))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $narrow)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

  ;; db[0..m) = Σ_{r in r0..r1} dy[r, 0..m)   ("=", not "+="; rows summed in ascending order)
  (func $column_sums (export "column_sums") (param $r0 i32) (param $r1 i32) (param $dy i32) (param $m i32) (param $db i32)
    (local $rowBytes i32) (local $c i32) (local $p i32) (local $end i32) (local $acc v128)
    (local.set $rowBytes (i32.shl (local.get $m) (i32.const 2)))
    (local.set $end (i32.add (local.get $dy) (i32.mul (local.get $r1) (local.get $rowBytes))))
    (local.set $c (i32.const 0))
    (block $columns_done
      (loop $columns
        (br_if $columns_done (i32.ge_u (local.get $c) (local.get $rowBytes)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.add (i32.add (local.get $dy) (i32.mul (local.get $r0) (local.get $rowBytes))) (local.get $c)))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (br $rows)))
        (v128.store (i32.add (local.get $db) (local.get $c)) (local.get $acc))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $columns)))
  )

  ;; ── input gradient: dx[r, p] = Σ_o dy[r, o] · Wᵀ[p, o] ─────────────────────────────────────────

  ;; The dot product of m floats at $a and $b (m a multiple of 4): four lane sums, then (s0+s1)+(s2+s3).
  (func $dot (param $a i32) (param $b i32) (param $bytes i32) (result f32)
    (local $c i32) (local $acc v128)
    (local.set $acc (v128.const i32x4 0 0 0 0))
    (local.set $c (i32.const 0))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $c) (local.get $bytes)))
        (local.set $acc (f32x4.add (local.get $acc)
          (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $c))) (v128.load (i32.add (local.get $b) (local.get $c))))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $vectors)))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))
  )

  ;; Backward through Dense then ReLU in one pass: dx[r, p] = [x[r, p] > 0] · (dy[r, :] · Wᵀ[p, :]).
  ;; x is the ReLU output this layer read, given as its CSR rows: the derivative is 1 exactly at its
  ;; nonzeros, so only those dot products are computed; every other dx[r, p] is 0.
  (func $input_grad_relu (export "input_grad_relu")
    (param $r0 i32) (param $r1 i32) (param $n i32) (param $stride i32) (param $idx i32) (param $cnt i32)
    (param $dy i32) (param $m i32) (param $w i32) (param $dx i32)
    (local $r i32) (local $rowBytes i32) (local $ip i32) (local $end i32) (local $d i32) (local $o i32) (local $p i32)
    (local $wp i32) (local $acc v128) (local $d0 v128) (local $d1 v128) (local $d2 v128)
    (local.set $rowBytes (i32.shl (local.get $m) (i32.const 2)))
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $ip (i32.add (local.get $idx) (i32.shl (i32.mul (local.get $r) (local.get $stride)) (i32.const 2))))
        (local.set $end (i32.add (local.get $ip)
          (i32.shl (i32.load (i32.add (local.get $cnt) (i32.shl (local.get $r) (i32.const 2)))) (i32.const 2))))
        (local.set $d (i32.add (local.get $dy) (i32.mul (local.get $r) (local.get $rowBytes))))
        (if (i32.eq (local.get $rowBytes) (i32.const 48))
          (then
            (local.set $d0 (v128.load offset=0 (local.get $d)))
            (local.set $d1 (v128.load offset=16 (local.get $d)))
            (local.set $d2 (v128.load offset=32 (local.get $d)))))
        (local.set $o (i32.add (local.get $dx) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
        (memory.fill (local.get $o) (i32.const 0) (i32.shl (local.get $n) (i32.const 2)))
        (block $nonzeros_done
          (loop $nonzeros
            (br_if $nonzeros_done (i32.ge_u (local.get $ip) (local.get $end)))
            (local.set $p (i32.load (local.get $ip)))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $p) (local.get $rowBytes))))
            (if (i32.eq (local.get $rowBytes) (i32.const 48))
              (then
                ;; PERF: 12 outputs (every 10-class output layer): dy[r] stays in 3 registers, no call.
                ;; MLP backward through its output layer, 64 rows: 23 → 9 µs.
                (local.set $acc (f32x4.add (f32x4.add
                  (f32x4.mul (local.get $d0) (v128.load offset=0 (local.get $wp)))
                  (f32x4.mul (local.get $d1) (v128.load offset=16 (local.get $wp))))
                  (f32x4.mul (local.get $d2) (v128.load offset=32 (local.get $wp)))))
                (f32.store (i32.add (local.get $o) (i32.shl (local.get $p) (i32.const 2)))
                  (f32.add
                    (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
                    (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))))
              (else
                (f32.store (i32.add (local.get $o) (i32.shl (local.get $p) (i32.const 2)))
                  (call $dot (local.get $d) (local.get $wp) (local.get $rowBytes)))))
            (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
            (br $nonzeros)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

  ;; dx[r, p] = dy[r, :] · Wᵀ[p, :] for every p < n (activations other than ReLU multiply by f′ after).
  (func $input_grad_dense (export "input_grad_dense")
    (param $r0 i32) (param $r1 i32) (param $n i32) (param $dy i32) (param $m i32) (param $w i32) (param $dx i32)
    (local $r i32) (local $rowBytes i32) (local $p i32) (local $d i32) (local $o i32)
    (local.set $rowBytes (i32.shl (local.get $m) (i32.const 2)))
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $d (i32.add (local.get $dy) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $o (i32.add (local.get $dx) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
        (local.set $p (i32.const 0))
        (block $columns_done
          (loop $columns
            (br_if $columns_done (i32.ge_u (local.get $p) (local.get $n)))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $p) (i32.const 2)))
              (call $dot (local.get $d) (i32.add (local.get $w) (i32.mul (local.get $p) (local.get $rowBytes))) (local.get $rowBytes)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $columns)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

  ;; ── softmax cross-entropy ──────────────────────────────────────────────────────────────────────

  ;; eˣ for 4 lanes, to float32 accuracy (about 1 ulp; Cephes expf): x = n·ln2 + t with n = round(x·log2 e)
  ;; and |t| ≤ ln2/2, eᵗ by a degree-6 polynomial, 2ⁿ by writing n + 127 into the exponent bits.
  ;; Below −87.3 the result is clamped to about 1.2e−38 (a softmax probability that small is 0 for every
  ;; purpose); NaN stays NaN (f32x4.max propagates it), so a diverged loss is still caught.
  (func $exp4 (param $x v128) (result v128)
    (local $n v128) (local $t v128) (local $p v128)
    (local.set $x (f32x4.max (local.get $x) (v128.const f32x4 -87.33654 -87.33654 -87.33654 -87.33654)))
    (local.set $x (f32x4.min (local.get $x) (v128.const f32x4 88.72283 88.72283 88.72283 88.72283)))
    (local.set $n (f32x4.floor (f32x4.add (f32x4.mul (local.get $x)
      (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))
      (v128.const f32x4 0.5 0.5 0.5 0.5))))
    ;; t = x − n·ln2, with ln2 split in two (0.693359375 is exact in few bits) to keep t accurate
    (local.set $t (f32x4.sub (f32x4.sub (local.get $x)
      (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
      (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    ;; eᵗ ≈ 1 + t + t²·P(t)
    (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $t) (local.get $t))) (local.get $t))
      (v128.const f32x4 1 1 1 1)))
    ;; × 2ⁿ: the float with exponent bits n + 127
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127)) (i32.const 23)))
  )

  ;; Softmax and cross-entropy of rows r0..r1 of the logits [B, m] (the first $classes columns; the rest
  ;; is padding), fused as in core/nn/softmax-cross-entropy.ts:
  ;;   p = softmax(z) = e^(z − max) / Σ e^(z − max)       ∂L/∂z = (p − onehot(y)) · scale   (scale = 1/B)
  ;; Writes ∂L/∂z into $grad [B, m] (0 on padding); per row, for the loss −log p_y = (max − z_y) + log Σ,
  ;; $shift[r] = max − z_y (f64) and $sum[r] = Σ (f32) (the caller takes the log); $correct[r] = 1 when
  ;; the first largest logit is the label's (the largest probability). Labels: labels[samples[r]].
  ;; PERF: Math.exp costs ~23 ns a call from TypeScript, 10 per row; here 3 vectors of 4. Seed net, 32
  ;; rows: the loss phase went from 7.5 to 1.5 µs.
  (func $softmax_cross_entropy (export "softmax_cross_entropy")
    (param $r0 i32) (param $r1 i32) (param $logits i32) (param $m i32) (param $classes i32)
    (param $labels i32) (param $samples i32) (param $grad i32) (param $scale f32)
    (param $shift i32) (param $sum i32) (param $correct i32)
    (local $r i32) (local $rowBytes i32) (local $z i32) (local $g i32) (local $j i32) (local $c i32)
    (local $label i32) (local $best i32) (local $max f32) (local $v f32) (local $total f32)
    (local $e v128) (local $acc v128) (local $lanes v128)
    (local.set $rowBytes (i32.shl (local.get $m) (i32.const 2)))
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $z (i32.add (local.get $logits) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $g (i32.add (local.get $grad) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $label (i32.load8_u (i32.add (local.get $labels)
          (i32.load (i32.add (local.get $samples) (i32.shl (local.get $r) (i32.const 2)))))))
        ;; the largest logit, and the first column that has it
        (local.set $max (f32.load (local.get $z)))
        (local.set $best (i32.const 0))
        (local.set $j (i32.const 1))
        (block $max_done
          (loop $max_loop
            (br_if $max_done (i32.ge_u (local.get $j) (local.get $classes)))
            (local.set $v (f32.load (i32.add (local.get $z) (i32.shl (local.get $j) (i32.const 2)))))
            (if (f32.gt (local.get $v) (local.get $max))
              (then (local.set $max (local.get $v)) (local.set $best (local.get $j))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $max_loop)))
        ;; e = exp(z − max) on the real columns, 0 on the padding; Σ e
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $lanes (v128.const i32x4 0 1 2 3))
        (local.set $c (i32.const 0))
        (block $exp_done
          (loop $exp_loop
            (br_if $exp_done (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (local.set $e (v128.and
              (call $exp4 (f32x4.sub (v128.load (i32.add (local.get $z) (local.get $c))) (f32x4.splat (local.get $max))))
              (i32x4.lt_s (local.get $lanes) (i32x4.splat (local.get $classes)))))
            (v128.store (i32.add (local.get $g) (local.get $c)) (local.get $e))
            (local.set $acc (f32x4.add (local.get $acc) (local.get $e)))
            (local.set $lanes (i32x4.add (local.get $lanes) (v128.const i32x4 4 4 4 4)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $exp_loop)))
        (local.set $total (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        ;; ∂L/∂z = (e / Σ) · scale, then − scale at the label
        (local.set $c (i32.const 0))
        (block $grad_done
          (loop $grad_loop
            (br_if $grad_done (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (v128.store (i32.add (local.get $g) (local.get $c))
              (f32x4.mul (f32x4.div (v128.load (i32.add (local.get $g) (local.get $c))) (f32x4.splat (local.get $total)))
                (f32x4.splat (local.get $scale))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $grad_loop)))
        (f32.store (i32.add (local.get $g) (i32.shl (local.get $label) (i32.const 2)))
          (f32.sub (f32.load (i32.add (local.get $g) (i32.shl (local.get $label) (i32.const 2)))) (local.get $scale)))
        (f64.store (i32.add (local.get $shift) (i32.shl (local.get $r) (i32.const 3)))
          (f64.sub (f64.promote_f32 (local.get $max))
            (f64.promote_f32 (f32.load (i32.add (local.get $z) (i32.shl (local.get $label) (i32.const 2)))))))
        (f32.store (i32.add (local.get $sum) (i32.shl (local.get $r) (i32.const 2))) (local.get $total))
        (i32.store8 (i32.add (local.get $correct) (local.get $r)) (i32.eq (local.get $best) (local.get $label)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

  ;; ── SGD updates over n floats (n a multiple of 4) ──────────────────────────────────────────────

  ;; w ← w − lr·(g + λ·w)   (λ = weight decay; with λ = 0 the decay term is skipped, not multiplied by 0)
  (func $sgd (export "sgd") (param $w i32) (param $g i32) (param $n i32) (param $lr f32) (param $decay f32)
    (local $i i32) (local $bytes i32) (local $rate v128) (local $lambda v128) (local $wv v128) (local $gv v128)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $rate (f32x4.splat (local.get $lr)))
    (local.set $lambda (f32x4.splat (local.get $decay)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $wv (v128.load (i32.add (local.get $w) (local.get $i))))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (if (f32.ne (local.get $decay) (f32.const 0))
          (then (local.set $gv (f32x4.add (local.get $gv) (f32x4.mul (local.get $lambda) (local.get $wv))))))
        (v128.store (i32.add (local.get $w) (local.get $i))
          (f32x4.sub (local.get $wv) (f32x4.mul (local.get $rate) (local.get $gv))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
  )

  ;; v ← μ·v + (g + λ·w);  w ← w − lr·v   (heavy-ball momentum, PyTorch's form, as core/optim/sgd.ts)
  (func $sgd_momentum (export "sgd_momentum")
    (param $w i32) (param $g i32) (param $v i32) (param $n i32) (param $lr f32) (param $mu f32) (param $decay f32)
    (local $i i32) (local $bytes i32) (local $rate v128) (local $muv v128) (local $lambda v128)
    (local $wv v128) (local $gv v128) (local $vv v128)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $rate (f32x4.splat (local.get $lr)))
    (local.set $muv (f32x4.splat (local.get $mu)))
    (local.set $lambda (f32x4.splat (local.get $decay)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $wv (v128.load (i32.add (local.get $w) (local.get $i))))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (if (f32.ne (local.get $decay) (f32.const 0))
          (then (local.set $gv (f32x4.add (local.get $gv) (f32x4.mul (local.get $lambda) (local.get $wv))))))
        (local.set $vv (f32x4.add (f32x4.mul (local.get $muv) (v128.load (i32.add (local.get $v) (local.get $i)))) (local.get $gv)))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vv))
        (v128.store (i32.add (local.get $w) (local.get $i))
          (f32x4.sub (local.get $wv) (f32x4.mul (local.get $rate) (local.get $vv))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
  )

  ;; Adam (Kingma & Ba; core/optim/adam.ts is the reference), elementwise over n floats (n a multiple of 4):
  ;;   g ← g + λ·w;   m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g·g
  ;;   w ← w − (lr / c1) · m / (√v · (1 / √c2) + ε)        c1 = 1 − β1ᵗ, c2 = 1 − β2ᵗ at this step t
  ;; which is the reference's w ← w − lr·(m / c1) / (√(v / c2) + ε) with the bias corrections folded into
  ;; two constants (PyTorch's form): one division and one square root per vector instead of three and one.
  ;; NOTE: the caller passes 1 − β1 and 1 − β2 too, computed in float64: 1 − float32(0.999) is off by
  ;; 1.3e-5 (cancellation), which would drift v away from the reference's over the steps.
  (func $adam (export "adam")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $lr f32) (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
    (param $eps f32) (param $decay f32) (param $c1 f32) (param $c2 f32)
    (local $i i32) (local $bytes i32)
    (local $b1 v128) (local $b2 v128) (local $k1 v128) (local $k2 v128) (local $lambda v128)
    (local $stepSize v128) (local $rootC2 v128) (local $epsilon v128)
    (local $wv v128) (local $gv v128) (local $mv v128) (local $vv v128)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $k1 (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $k2 (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $lambda (f32x4.splat (local.get $decay)))
    (local.set $stepSize (f32x4.splat (f32.div (local.get $lr) (local.get $c1))))
    (local.set $rootC2 (f32x4.splat (f32.div (f32.const 1) (f32.sqrt (local.get $c2)))))
    (local.set $epsilon (f32x4.splat (local.get $eps)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $wv (v128.load (i32.add (local.get $w) (local.get $i))))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (if (f32.ne (local.get $decay) (f32.const 0))
          (then (local.set $gv (f32x4.add (local.get $gv) (f32x4.mul (local.get $lambda) (local.get $wv))))))
        (local.set $mv (f32x4.add
          (f32x4.mul (local.get $b1) (v128.load (i32.add (local.get $m) (local.get $i))))
          (f32x4.mul (local.get $k1) (local.get $gv))))
        (local.set $vv (f32x4.add
          (f32x4.mul (local.get $b2) (v128.load (i32.add (local.get $v) (local.get $i))))
          (f32x4.mul (f32x4.mul (local.get $k2) (local.get $gv)) (local.get $gv))))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mv))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vv))
        (v128.store (i32.add (local.get $w) (local.get $i))
          (f32x4.sub (local.get $wv)
            (f32x4.div (f32x4.mul (local.get $stepSize) (local.get $mv))
              (f32x4.add (f32x4.mul (f32x4.sqrt (local.get $vv)) (local.get $rootC2)) (local.get $epsilon)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
  )
)
