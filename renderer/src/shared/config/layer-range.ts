// Which layer of a list breaks its own ranges (core's parseLayer: units, filters, kernel size…), for
// the config form's sentence and the layer editor's row. Whether the shapes fit is another question
// (core's traceShapes).

import { ConfigError } from '@core/errors'
import type { LayerSpec } from '@core/nn/architecture'
import { parseLayer } from '@core/train/config'
import { problemOf } from '@contract'

export interface LayerRangeProblem {
  /** The layer's position in the list. */
  readonly index: number
  /** The setting out of range, as LayerSpec names it ('units', 'kernel', …). */
  readonly setting: string
  /** What is wrong, in words ("must be an integer ≥ 1 and ≤ 1024, got 0"). */
  readonly problem: string
}

/** The first layer whose own settings are out of range, or null when every layer's are in range. */
export function firstLayerRangeProblem(layers: readonly LayerSpec[]): LayerRangeProblem | null {
  for (const [index, layer] of layers.entries()) {
    try {
      parseLayer(layer, 'layer')
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      return { index, setting: err.field.slice('layer.'.length), problem: problemOf(err) }
    }
  }
  return null
}
