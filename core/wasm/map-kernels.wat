;; Elementwise kernels on feature maps and hidden rows: hand-written WebAssembly with 128-bit SIMD.
;;
;; Assembled by wabt (scripts/wasm/build-conv-kernels.ts, `npm run build:wasm`) into
;; core/wasm/map-kernels.wasm.ts. The fast engine's conv nets call them between the convolution, pooling
;; and dense kernels (core/fast/stages/): an activation's derivative applied to a gradient, and dropout's
;; mask. Their specifications are the layers' own loops: ACTIVATIONS[kind].inputGrad
;; (core/nn/activations.ts) and Dropout (core/nn/dropout.ts); test/core/fast/map-kernels.test.ts asserts
;; that they agree: ReLU's mask and the product bit for bit, σ′ and tanh′ up to float32 rounding (the
;; references multiply in float64 and round once). Same conventions as conv-kernels.wat: the one imported memory, byte
;; addresses, $n floats from each address (any n: whole vectors, then single floats), no allocation.

(module
  (import "env" "memory" (memory 1 65536))

  ;; dy[i] ← y[i] > 0 ? dy[i] : 0, in place: ReLU's derivative from its output y (the reference's
  ;; `y > 0 ? grad : 0`, so y = NaN or −0 gives 0, and dy's own bits pass unchanged where y > 0).
  (func $relu_backward (export "relu_backward") (param $y i32) (param $dy i32) (param $n i32)
    (local $i i32) (local $vectors i32) (local $bytes i32) (local $at i32)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectors (i32.and (local.get $bytes) (i32.const -16)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $i) (local.get $vectors)))
        (local.set $at (i32.add (local.get $dy) (local.get $i)))
        (v128.store (local.get $at)
          (v128.and (v128.load (local.get $at))
            (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $i))) (v128.const f32x4 0 0 0 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $loop)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $bytes)))
        (if (i32.eqz (f32.gt (f32.load (i32.add (local.get $y) (local.get $i))) (f32.const 0)))
          (then (f32.store (i32.add (local.get $dy) (local.get $i)) (f32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail)))
  )

  ;; dy[i] ← dy[i] · y[i] · (1 − y[i]), in place: the sigmoid's derivative from its output y, multiplied in
  ;; the reference's order (grad · y · (1 − y), left to right).
  (func $sigmoid_backward (export "sigmoid_backward") (param $y i32) (param $dy i32) (param $n i32)
    (local $i i32) (local $vectors i32) (local $bytes i32) (local $at i32) (local $yv v128) (local $ys f32)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectors (i32.and (local.get $bytes) (i32.const -16)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $i) (local.get $vectors)))
        (local.set $at (i32.add (local.get $dy) (local.get $i)))
        (local.set $yv (v128.load (i32.add (local.get $y) (local.get $i))))
        (v128.store (local.get $at)
          (f32x4.mul (f32x4.mul (v128.load (local.get $at)) (local.get $yv))
            (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $yv))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $loop)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $at (i32.add (local.get $dy) (local.get $i)))
        (local.set $ys (f32.load (i32.add (local.get $y) (local.get $i))))
        (f32.store (local.get $at)
          (f32.mul (f32.mul (f32.load (local.get $at)) (local.get $ys)) (f32.sub (f32.const 1) (local.get $ys))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail)))
  )

  ;; dy[i] ← dy[i] · (1 − y[i]²), in place: tanh's derivative from its output y (the reference's
  ;; grad · (1 − y · y)).
  (func $tanh_backward (export "tanh_backward") (param $y i32) (param $dy i32) (param $n i32)
    (local $i i32) (local $vectors i32) (local $bytes i32) (local $at i32) (local $yv v128) (local $ys f32)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectors (i32.and (local.get $bytes) (i32.const -16)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $i) (local.get $vectors)))
        (local.set $at (i32.add (local.get $dy) (local.get $i)))
        (local.set $yv (v128.load (i32.add (local.get $y) (local.get $i))))
        (v128.store (local.get $at)
          (f32x4.mul (v128.load (local.get $at))
            (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $yv) (local.get $yv)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $loop)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $at (i32.add (local.get $dy) (local.get $i)))
        (local.set $ys (f32.load (i32.add (local.get $y) (local.get $i))))
        (f32.store (local.get $at)
          (f32.mul (f32.load (local.get $at)) (f32.sub (f32.const 1) (f32.mul (local.get $ys) (local.get $ys)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail)))
  )

  ;; out[i] = x[i] · mask[i]: dropout's forward (y = x ⊙ m/q) and backward (dx = dy ⊙ m/q), with the mask
  ;; holding 0 for a dropped value and 1/q for a kept one, as Dropout's. $out may be $x (in place).
  (func $multiply (export "multiply") (param $x i32) (param $mask i32) (param $out i32) (param $n i32)
    (local $i i32) (local $vectors i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectors (i32.and (local.get $bytes) (i32.const -16)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $i) (local.get $vectors)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $i)))
            (v128.load (i32.add (local.get $mask) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $loop)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $bytes)))
        (f32.store (i32.add (local.get $out) (local.get $i))
          (f32.mul (f32.load (i32.add (local.get $x) (local.get $i)))
            (f32.load (i32.add (local.get $mask) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail)))
  )
)
