// The one typed vocabulary between renderer, main process / web server, and training worker, split by
// domain. Types, the verb table and plain constants, plus the error class every side throws: the
// renderer imports it (never zod or Node).

export type {
  Divergence,
  Evaluation,
  FeatureMap,
  GradientCheck,
  ModelArchitecture,
  ModelMetrics,
  SettingChange,
  StepMetrics,
  StepThrough,
  TrainConfig
} from '../../core'
export * from './app'
export * from './errors'
export * from './model'
export * from './runs'
export * from './time-travel'
export * from './training'
export * from './verbs'
export * from './web'
export * from './worker'

export function assertNever(value: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(value)}`)
}
