;; Sparse encoding: images (bytes or floats) into CSR rows of their nonzero values.
;; A part of core/wasm/kernels.wat, which includes it (module-wide conventions there).
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
