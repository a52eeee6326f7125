// The optimizer's slots (SGD's velocity, Adam's m and v) in the fast engine's working layout, copied to
// and from the canonical layout for checkpoints. Each parameterised layer keeps them beside its
// parameters, in the parameters' own shapes (dense: Wᵀ [n, m], b [m]; conv: [O, C, k, k], b [O]): the
// first moment in weightMoment/biasMoment, the second in weightSquares/biasSquares. So the parameters'
// copies (working-weights.ts, conv-network.ts) copy them too, given a layout in which the slot's buffers
// stand where the parameters' are.

import type { Sequential } from '../nn/sequential'
import type { SlotName } from '../optim/optimizer'
import type { ParameterBuffersLayout, NetworkLayout } from './layout'
import { loadWorkingWeights, storeCanonicalWeights } from './working-weights'

/**
 * A layer's buffers with slot's in place of the parameters'.
 * NOTE: loading weights clears the optimizer's buffers after copying the parameters in; here they point
 * at the gradient buffers instead, which every step overwrites before reading, so loading one slot
 * leaves the other slot alone.
 */
export function slotBuffers<T extends ParameterBuffersLayout>(layer: T, slot: SlotName): T {
  const second = slot === 'adam.v'
  return {
    ...layer,
    weight: second ? layer.weightSquares : layer.weightMoment,
    bias: second ? layer.biasSquares : layer.biasMoment,
    weightMoment: layer.weightGrad,
    weightSquares: layer.weightGrad,
    biasMoment: layer.biasGrad,
    biasSquares: layer.biasGrad
  }
}

/** A dense net's `layout` with slot's buffers in place of the parameters'. */
function slotLayout(layout: NetworkLayout, slot: SlotName): NetworkLayout {
  return { ...layout, layers: layout.layers.map((layer) => slotBuffers(layer, slot)) }
}

/** Working → canonical: slot's values, into `model`'s parameters (a scratch model of the same net). */
export function storeCanonicalSlot(
  f32: Float32Array,
  layout: NetworkLayout,
  slot: SlotName,
  model: Sequential
): void {
  storeCanonicalWeights(f32, slotLayout(layout, slot), model)
}

/** Canonical → working: `model`'s parameters become slot's values (padding 0). */
export function loadWorkingSlot(
  f32: Float32Array,
  layout: NetworkLayout,
  slot: SlotName,
  model: Sequential
): void {
  loadWorkingWeights(f32, slotLayout(layout, slot), model)
}
