;; The dense layer's input gradient (all inputs, or a ReLU output's nonzeros only).
;; A part of core/wasm/kernels.wat, which includes it (module-wide conventions there).
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

;; *out0 = a · b0 and *out1 = a · b1, each summed exactly as $dot sums it (the same bits), side by side.
;; PERF: $dot's one accumulator waits for its previous add at every vector (latency-bound); two
;; independent sums fill that wait and share a's loads. LeNet's 400 → 120 and 120 → 84 layers (rows
;; of 120 and 84 floats): see docs/performance.md.
(func $dot2 (param $a i32) (param $b0 i32) (param $b1 i32) (param $bytes i32) (param $out0 i32) (param $out1 i32)
  (local $c i32) (local $x v128) (local $acc0 v128) (local $acc1 v128)
  (block $done
    (loop $vectors
      (br_if $done (i32.ge_u (local.get $c) (local.get $bytes)))
      (local.set $x (v128.load (i32.add (local.get $a) (local.get $c))))
      (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $x) (v128.load (i32.add (local.get $b0) (local.get $c))))))
      (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $x) (v128.load (i32.add (local.get $b1) (local.get $c))))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $vectors)))
  (f32.store (local.get $out0) (f32.add
    (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
    (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0)))))
  (f32.store (local.get $out1) (f32.add
    (f32.add (f32x4.extract_lane 0 (local.get $acc1)) (f32x4.extract_lane 1 (local.get $acc1)))
    (f32.add (f32x4.extract_lane 2 (local.get $acc1)) (f32x4.extract_lane 3 (local.get $acc1)))))
)

;; Backward through Dense then ReLU in one pass: dx[r, p] = [x[r, p] > 0] · (dy[r, :] · Wᵀ[p, :]).
;; x is the ReLU output this layer read, given as its CSR rows: the derivative is 1 exactly at its
;; nonzeros, so only those dot products are computed; every other dx[r, p] is 0.
(func $input_grad_relu (export "input_grad_relu")
  (param $r0 i32) (param $r1 i32) (param $n i32) (param $stride i32) (param $idx i32) (param $cnt i32)
  (param $dy i32) (param $m i32) (param $w i32) (param $dx i32)
  (local $r i32) (local $rowBytes i32) (local $ip i32) (local $end i32) (local $d i32) (local $o i32) (local $p i32)
  (local $wp i32) (local $acc v128) (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $p1 i32)
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
            (else (if (i32.lt_u (i32.add (local.get $ip) (i32.const 4)) (local.get $end))
              (then
                ;; two nonzeros at once (the next one's index follows p): see $dot2
                (local.set $p1 (i32.load offset=4 (local.get $ip)))
                (call $dot2 (local.get $d) (local.get $wp) (i32.add (local.get $w) (i32.mul (local.get $p1) (local.get $rowBytes)))
                  (local.get $rowBytes) (i32.add (local.get $o) (i32.shl (local.get $p) (i32.const 2)))
                  (i32.add (local.get $o) (i32.shl (local.get $p1) (i32.const 2))))
                (local.set $ip (i32.add (local.get $ip) (i32.const 4))))
              (else
                (f32.store (i32.add (local.get $o) (i32.shl (local.get $p) (i32.const 2)))
                  (call $dot (local.get $d) (local.get $wp) (local.get $rowBytes)))))))
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
