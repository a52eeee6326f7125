;; Optimizer updates over n floats: SGD, SGD with momentum, Adam.
;; A part of core/wasm/kernels.wat, which includes it (module-wide conventions there).
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
