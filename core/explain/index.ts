// Tools that explain the network: saliency maps, one step of backprop laid open, gradient checks.
export {
  checkGradients,
  GRADIENT_CHECK_STEP,
  sampleIndices,
  type GradientCheck
} from './gradient-check'
export { analyticGradient, strongestIndices } from './analytic-gradient'
export { saliency } from './saliency'
export {
  stepThrough,
  type Stage,
  type StageMatrix,
  type StagePhase,
  type StepThrough
} from './step-through'
