// Tools that explain the network: saliency maps, one step of backprop laid open, gradient checks.
export {
  checkGradients,
  GRADIENT_CHECK_STEP,
  sampleIndices,
  type GradientCheck
} from './gradient-check'
export { analyticGradient, strongestIndices } from './analytic-gradient'
export { featureMaps, type FeatureMap } from './feature-maps'
export { saliency } from './saliency'
export { stepThrough } from './step-through'
export type { Stage, StageMatrix, StagePhase, StepThrough } from './stages'
export {
  convWindow,
  filterGradient,
  inputGradient,
  poolWindow,
  poolWinners,
  type ConvStepDetails,
  type ConvStepLayer,
  type ConvWindow,
  type GradientSum,
  type GradientTerm,
  type PoolStepLayer,
  type PoolWindow,
  type WindowTerm
} from './conv-window'
