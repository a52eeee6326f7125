// The current model in words, for the model bar and menu: what it is, where it came from, how good.

import type { ModelSummary } from '@contract'
import { describeArchitecture } from '@core/nn/architecture'
import { countParameters } from '@core/nn/shapes'
import { formatAccuracy, formatCount } from '@/shared/format'

export interface ModelFact {
  readonly label: string
  readonly value: string
}

/** "Loaded from digits.json", "From the last run, step 600", "Fresh weights (reset)". */
export function modelOrigin(model: ModelSummary): string {
  if (model.source === 'loaded') return `Loaded from ${model.fileName ?? 'a model file'}`
  if (model.source === 'reset') return 'Fresh weights (just reset, untrained)'
  return `From the last run, step ${formatCount(model.step)}`
}

/** Architecture, size, and the test results recorded with the model (if any). */
export function modelFacts(model: ModelSummary): ModelFact[] {
  const facts: ModelFact[] = [
    { label: 'Architecture', value: describeArchitecture(model.architecture) },
    { label: 'Parameters', value: formatCount(countParameters(model.architecture)) }
  ]
  if (model.metrics.testAccuracy !== undefined)
    facts.push({ label: 'Test accuracy', value: formatAccuracy(model.metrics.testAccuracy) })
  if (model.metrics.steps !== undefined)
    facts.push({ label: 'Trained', value: `${formatCount(model.metrics.steps)} steps` })
  return facts
}

/** One line, e.g. "784 → 10 ReLU → 10 · loaded from digits.json · 91.20% on the test set". */
export function modelLine(model: ModelSummary | null): string {
  if (!model) return 'No model yet: train one or load a model file'
  const accuracy =
    model.metrics.testAccuracy === undefined
      ? ''
      : ` · ${formatAccuracy(model.metrics.testAccuracy)} on the test set`
  const origin = modelOrigin(model)
  return `${describeArchitecture(model.architecture)} · ${origin.charAt(0).toLowerCase()}${origin.slice(1)}${accuracy}`
}
