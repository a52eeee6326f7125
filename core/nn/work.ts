// How much arithmetic one sample costs a network: multiply-adds of its forward pass, layer by layer.
// What a deadline for a worker's longest silence is scaled by (electron/host/worker-deadline.ts).

import type { ModelArchitecture } from './architecture'
import { inferShapes, shapeSize } from './shapes'

/**
 * Multiply-adds of one sample's forward pass (pooling, activations and the loss are not counted: each
 * costs a few operations per value, well below a layer's products):
 *   dense   in · out                        (the product W x, W [out, in])
 *   conv    (weights − biases) · H′ · W′    (each output pixel of each filter reads k·k·C inputs)
 * A training step costs about 3× this per sample: the forward pass, then ∂input and ∂weights, each
 * another product of the same size. Throws like inferShapes on an impossible architecture.
 */
export function multiplyAddsPerSample(architecture: ModelArchitecture): number {
  let total = 0
  for (const { spec, outputShape, parameters } of inferShapes(architecture)) {
    if (spec.kind === 'dense') total += parameters - spec.units
    else if (spec.kind === 'conv')
      total += (parameters - spec.filters) * (shapeSize(outputShape) / spec.filters)
  }
  return total
}
