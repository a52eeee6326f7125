// How the fast engine applies an optimizer: one step's update rule, with its hyperparameters as they
// stand, which the engine's SIMD kernels apply to each weight row right after computing its gradient
// (core/fast/network.ts, gradientPart). The readable rules are sgd.ts and adam.ts; the kernels follow
// them up to float32 rounding (test/core/fast/kernels.test.ts, test/core/train/fast-trainer.test.ts).

/** Plain SGD (μ = 0) or SGD with heavy-ball momentum μ: see Sgd. */
export interface FusedSgd {
  readonly rule: 'sgd'
  readonly learningRate: number
  readonly momentum: number
  readonly weightDecay: number
}

/** Adam at step t, with the bias corrections of that step: c1 = 1 − β1ᵗ, c2 = 1 − β2ᵗ (see Adam). */
export interface FusedAdam {
  readonly rule: 'adam'
  readonly learningRate: number
  readonly beta1: number
  readonly beta2: number
  readonly epsilon: number
  readonly weightDecay: number
  readonly correction1: number
  readonly correction2: number
}

export type FusedUpdate = FusedSgd | FusedAdam
