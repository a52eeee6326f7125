// A trained model as the arrays the original numpy project used: W1 (784, h1), b1 (1, h1), …

import { denseForm } from '../nn/architecture'
import type { Sequential } from '../nn/sequential'
import { encodeNpz, type NpyArray } from './npz'

/**
 * The model's parameters named and shaped for numpy's row-vector convention, so that
 *   a1 = relu(X @ W1 + b1),  …,  logits = a @ Wn + bn
 * runs unchanged: Wk is (in, out), the transpose of the engine's stored [out, in]; bk is (1, out);
 * `activation` is a 0-d string array ('relu', 'sigmoid' or 'tanh'). All numbers are float32.
 */
export function modelToNumpyArrays(model: Sequential): NpyArray[] {
  const arrays: NpyArray[] = []
  model.denseLayers.forEach((layer, i) => {
    const { inFeatures, outFeatures } = layer
    const transposed = new Float32Array(inFeatures * outFeatures)
    for (let o = 0; o < outFeatures; o++) {
      for (let k = 0; k < inFeatures; k++)
        transposed[k * outFeatures + o] = layer.weight.data[o * inFeatures + k]
    }
    arrays.push({ name: `W${i + 1}`, shape: [inFeatures, outFeatures], data: transposed })
    arrays.push({
      name: `b${i + 1}`,
      shape: [1, outFeatures],
      data: Float32Array.from(layer.bias.data)
    })
  })
  const dense = denseForm(model.architecture)
  if (!dense) throw new Error('the .npz export of conv nets comes with the conv layers')
  arrays.push({ name: 'activation', text: dense.activation })
  return arrays
}

/** The .npz file bytes for a model (see modelToNumpyArrays). */
export function exportModelNpz(model: Sequential): Uint8Array {
  return encodeNpz(modelToNumpyArrays(model))
}
