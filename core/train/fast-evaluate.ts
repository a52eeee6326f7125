// Evaluation on the fast engine: the same Evaluation as `evaluate` (evaluate.ts), computed by forward
// passes of our WebAssembly kernels instead of the reference layers.
//
// PERF: an evaluation is 10 000 forward passes, and the reference layers take ~0.6 s for them on the
// MLP (784-128-10): twice as long as a whole training epoch on the fast engine, during which the
// run cannot answer Pause. Here the first layer only touches each image's nonzero pixels, in SIMD:
// `npm run bench:kernels` measures both (0.60 s → 0.037 s on the MLP, 0.094 → 0.016 s on the seed net).
//
// The logits come from the kernels (the same sums in another order, so equal up to float32 rounding);
// probabilities, loss and prediction then follow from them by the very functions `evaluate` uses
// (core/nn/softmax.ts): only the logits can differ between the two.

import { sequentialOrder, type Dataset } from '../data/dataset'
import { createFastEngine, fastEngineBytes } from '../fast/engine'
import type { Sequential } from '../nn/sequential'
import { argmax, softmaxRow } from '../nn/softmax'
import { createMemory } from '../wasm/runtime'
import { EvaluationTally, type EvaluateOptions, type Evaluation } from './evaluate'

/** Rows per forward pass: big enough to amortise the calls, small enough to stay in cache. */
const FAST_EVALUATION_BATCH = 256

/** `evaluate(model, dataset)`, on the fast engine. Changes nothing in `model`. */
export function evaluateFast(
  model: Sequential,
  dataset: Dataset,
  { onProgress }: Pick<EvaluateOptions, 'onProgress'> = {}
): Evaluation {
  const { architecture } = model
  const classes = architecture.outputSize
  const batchSize = Math.max(1, Math.min(FAST_EVALUATION_BATCH, dataset.count))
  const memory = createMemory(fastEngineBytes(architecture, batchSize), false)
  const network = createFastEngine(architecture, batchSize, memory)
  network.loadWeights(model)
  const { at, stride } = network.logits
  const logits = new Float32Array(memory.buffer, at, batchSize * stride)
  const order = sequentialOrder(dataset.count)
  const tally = new EvaluationTally(dataset.count, classes)
  const p = new Float32Array(classes)

  for (let start = 0; start < dataset.count; start += batchSize) {
    const rows = Math.min(batchSize, dataset.count - start)
    network.forward(network.input.setBatch(dataset, order, start, rows), 0, rows, false)
    let batchLoss = 0
    for (let r = 0; r < rows; r++) {
      // p = softmax(z);  loss = −log p_y = log Σ e^z − z_y;  prediction = argmax p
      const row = r * stride
      const logSumExp = softmaxRow(logits, p, row, classes, 0)
      const predicted = argmax(p)
      const label = dataset.labels[order[start + r]]
      batchLoss += logSumExp - logits[row + label]
      tally.add(order[start + r], label, predicted, p[predicted])
    }
    tally.addLoss(batchLoss)
    onProgress?.(start + rows, dataset.count)
  }
  return tally.result()
}
