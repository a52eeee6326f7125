// A trained model as the arrays the original numpy project used: W1 (784, h1), b1 (1, h1), …, and for
// conv nets also each filter bank as (out, in, k, k) and the layer list that says how to run them.

import { denseForm } from '../nn/architecture'
import { Conv2D } from '../nn/conv2d'
import { Dense } from '../nn/dense'
import type { Sequential } from '../nn/sequential'
import type { NpyArray } from './npy'

/**
 * The model's parameters named and shaped for numpy's row-vector convention, so that
 *   a1 = relu(X @ W1 + b1),  …,  logits = a @ Wn + bn
 * runs unchanged: Wk is the k-th dense layer's (in, out), the transpose of the engine's stored
 * [out, in]; bk is (1, out). All numbers are float32.
 * A dense net (one activation) adds `activation`, a 0-d string ('relu', 'sigmoid' or 'tanh'): exactly
 * what the original project's files held. Any other net adds `architecture` instead, the layer list as
 * JSON text ({ inputShape, layers, outputSize }, the model file's form), and its conv layers as
 * `convK_weight` (out, in, k, k), PyTorch's layout, and `convK_bias` (out,). A dense layer after a
 * flatten reads the image's values in (channel, row, column) order, as numpy's reshape(n, -1) does.
 */
export function modelToNumpyArrays(model: Sequential): NpyArray[] {
  const arrays: NpyArray[] = []
  let denseCount = 0
  for (const layer of model.layers) {
    if (layer instanceof Dense) arrays.push(...denseArrays(layer, ++denseCount))
    if (layer instanceof Conv2D) {
      arrays.push(
        {
          name: `${layer.name}_weight`,
          shape: layer.weight.shape,
          data: layer.weight.data.slice()
        },
        { name: `${layer.name}_bias`, shape: layer.bias.shape, data: layer.bias.data.slice() }
      )
    }
  }
  const dense = denseForm(model.architecture)
  arrays.push(
    dense
      ? { name: 'activation', text: dense.activation }
      : { name: 'architecture', text: JSON.stringify(model.architecture) }
  )
  return arrays
}

/** Wk (in, out), the transpose of the stored [out, in], and bk (1, out). */
function denseArrays(layer: Dense, k: number): NpyArray[] {
  const { inFeatures, outFeatures } = layer
  const transposed = new Float32Array(inFeatures * outFeatures)
  for (let o = 0; o < outFeatures; o++) {
    for (let i = 0; i < inFeatures; i++)
      transposed[i * outFeatures + o] = layer.weight.data[o * inFeatures + i]
  }
  return [
    { name: `W${k}`, shape: [inFeatures, outFeatures], data: transposed },
    { name: `b${k}`, shape: [1, outFeatures], data: Float32Array.from(layer.bias.data) }
  ]
}
