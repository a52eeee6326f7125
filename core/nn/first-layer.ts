// The first layer's weights as the studio draws them: one row per picture. Written once, for the
// worker (every snapshot it sends) and the window (the weights a run of the edited settings starts
// from, shown before it starts).

import { Conv2D } from './conv2d'
import type { Sequential } from './sequential'

/**
 * What the rows stand for: a hidden layer's units, the output layer's classes (softmax regression:
 * one row per digit), or a conv layer's filters.
 */
export type WeightRows = 'units' | 'classes' | 'filters'

/**
 * A weight matrix for drawing: row r is unit r's incoming weights (for dense1, a 28×28 image), or for
 * a conv net's first layer (conv1.weight) filter r as k·k values.
 */
export interface WeightSnapshot {
  readonly layer: string
  readonly step: number
  readonly rows: number
  readonly cols: number
  readonly rowsAre: WeightRows
  readonly data: Float32Array
}

/**
 * A copy of the first layer's weights, one row per picture: a dense layer's [out, in] (row r is unit r's
 * weights, a 28×28 image), or a conv layer's filters as rows of k·k values (row o·C + c is filter o's
 * channel c; for MNIST's one channel, row o is filter o).
 */
export function firstLayerSnapshot(model: Sequential, step: number): WeightSnapshot {
  const layer = model.firstWeightedLayer
  const [rows, cols] =
    layer instanceof Conv2D
      ? [layer.filters * layer.inputShape.channels, layer.kernel * layer.kernel]
      : [layer.outFeatures, layer.inFeatures]
  return {
    layer: layer.weight.name,
    step,
    rows,
    cols,
    // A dense first layer without a hidden layer after it is the output layer: one row per class.
    rowsAre:
      layer instanceof Conv2D ? 'filters' : model.denseLayers.length === 1 ? 'classes' : 'units',
    // NOTE: a copy, because training keeps changing the live array while the message is in flight.
    data: layer.weight.data.slice()
  }
}
