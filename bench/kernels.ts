// Micro-benchmarks of the training kernels on real MNIST batches: the reference TypeScript version, the
// fast TypeScript version (core/tensor/matmul.ts) and the WebAssembly SIMD version (core/wasm/kernels.wat)
// of each piece of a step, for each benchmark net, plus whole steps and the fast step's phases; then
// the convolution and pooling kernels (bench/conv-kernels.ts).
//
//   npm run bench:kernels
//
// Microseconds per call: median (and best) of 100 interleaved rounds after a warm-up. Each batch is a
// fresh one, as in training (a batch repeated over and over would sit in the cache and flatter every
// version). Numbers, never pass/fail.

import {
  createRng,
  denseWidths,
  evaluate,
  evaluateFast,
  FastNetwork,
  FastTrainer,
  fillBatch,
  Matrix,
  matmulABt,
  matmulABtReference,
  matmulAtBAccumulate,
  matmulAtBAccumulateReference,
  Adam,
  Sgd,
  shuffleInPlace,
  Trainer,
  type Parameter
} from '../core'
import { loadMnist } from '../electron/files/datasets'
import { benchConvKernels } from './conv-kernels'
import { formatNumber, formatTable, loadWarning, timeInterleaved, type Timing } from './harness'
import { BENCH_NETS } from './nets'

interface Row {
  readonly name: string
  readonly reference?: Timing
  readonly fastTs?: Timing
  readonly wasm?: Timing
}

async function main(): Promise<void> {
  const { train, test } = await loadMnist()
  const warning = loadWarning()
  if (warning) console.log(warning)

  for (const [name, config] of Object.entries(BENCH_NETS)) {
    const B = config.batchSize
    const hidden = denseWidths(config.architecture)![1]
    const inputs = train.inputSize
    const rows: Row[] = []

    // The fast engine of a real trainer, a few steps in (so the weights and activations are realistic).
    const fast = new FastTrainer({ ...config, epochs: 1000 }, train)
    for (let i = 0; i < 50; i++) fast.step()
    const network = fast.network
    if (!(network instanceof FastNetwork))
      throw new Error('bench/kernels.ts times the dense engine')
    const { kernels: k, layout } = network
    const l1 = layout.layers[0]
    const f32 = new Float32Array(network.memory.buffer)

    // Fresh batches, in the order an epoch would visit them.
    const order = Uint32Array.from({ length: train.count }, (_, i) => i)
    shuffleInPlace(order, createRng(7))
    network.order.set(order)
    let next = 0
    const freshStart = (): number => (next = (next + B) % (train.count - B))

    const x = new Matrix(B, inputs)
    const labels = new Uint8Array(B)
    rows.push({
      name: 'batch: normalise to floats | gather sparse rows',
      ...timed({
        reference: () => fillBatch(train, order, freshStart(), x, labels),
        wasm: () => {
          const batch = network.datasetBatch(freshStart())
          const { datasetOffsets: o, datasetIndices: i, datasetBytes: b } = layout
          k.touch_sparse(o, i, b, batch.samples, 0, B)
          k.gather_sparse(
            o,
            i,
            b,
            batch.samples,
            0,
            B,
            l1.csrIndex,
            l1.csrValue,
            l1.csrCount,
            l1.csrStride
          )
        }
      })
    })
    rows.push({
      name: '  (from raw bytes instead: copy + encode_u8)',
      ...timed({
        wasm: () => {
          const batch = network.setBatch(train, order, freshStart(), B)
          k.touch_rows(batch.pixels, batch.samples, 0, B, inputs)
          k.encode_u8(
            batch.pixels,
            batch.samples,
            0,
            B,
            inputs,
            layout.compactBytes,
            l1.csrIndex,
            l1.csrValue,
            l1.csrCount,
            l1.csrStride
          )
        }
      })
    })
    fillBatch(train, order, 0, x, labels)
    network.forward(network.datasetBatch(0), 0, B)

    // Layer 1 forward: y = relu(x·Wᵀ + b).
    const w = Float32Array.from(fast.model.denseLayers[0].weight.data)
    const y = new Float32Array(B * hidden)
    rows.push({
      name: `layer 1 forward ${B}×${inputs}·${inputs}×${hidden}`,
      ...timed({
        reference: () => matmulABtReference(x.data, w, y, B, inputs, hidden),
        fastTs: () => matmulABt(x.data, w, y, B, inputs, hidden),
        wasm: () =>
          k.sparse_forward(
            0,
            B,
            l1.csrStride,
            l1.csrIndex,
            l1.csrValue,
            l1.csrCount,
            l1.weight,
            l1.m,
            l1.bias,
            l1.output,
            1
          )
      })
    })

    // Layer 1 weight gradient: dW += dyᵀ·x, with the engine's real dy (a ReLU's: about half zeros).
    const dy = new Float32Array(B * hidden)
    for (let r = 0; r < B; r++)
      for (let o = 0; o < hidden; o++) dy[r * hidden + o] = f32[(l1.outputGrad >> 2) + r * l1.m + o]
    const dw = new Float32Array(hidden * inputs)
    const csr = [
      l1.n,
      l1.csrStride,
      l1.csrIndex,
      l1.csrValue,
      l1.csrCount,
      l1.outputGrad,
      l1.m
    ] as const
    rows.push({
      name: `layer 1 weight grad ${hidden}×${B}·${B}×${inputs}`,
      ...timed({
        reference: () => matmulAtBAccumulateReference(dy, x.data, dw, B, hidden, inputs),
        fastTs: () => matmulAtBAccumulate(dy, x.data, dw, B, hidden, inputs),
        wasm: () => {
          f32.fill(0, l1.weightGrad >> 2, (l1.weightGrad >> 2) + l1.n * l1.m)
          k.sparse_weight_grad(0, B, ...csr, l1.weightGrad, 0, l1.n, 1)
        }
      })
    })

    // SGD on layer 1's weights; and the fused form (each sample's update straight into Wᵀ).
    const parameter: Parameter = {
      name: 'w',
      shape: [hidden, inputs],
      data: w,
      grad: dw.fill(1e-6),
      decays: true
    }
    const sgd = new Sgd({ learningRate: 1e-9 })
    rows.push({
      name: `SGD update of ${hidden * inputs} weights`,
      ...timed({
        reference: () => sgd.step([parameter]),
        wasm: () => k.sgd(l1.weight, l1.weightGrad, l1.n * l1.m, 1e-9, 0)
      })
    })
    const adam = new Adam({ learningRate: 1e-9 })
    const moments = [l1.weightMoment, l1.weightSquares] as const
    rows.push({
      name: `Adam update of ${hidden * inputs} weights`,
      ...timed({
        reference: () => adam.step([parameter]),
        wasm: () =>
          k.adam(
            l1.weight,
            l1.weightGrad,
            ...moments,
            l1.n * l1.m,
            1e-9,
            0.9,
            0.1,
            0.999,
            1e-3,
            1e-8,
            0,
            0.5,
            0.5
          )
      })
    })
    rows.push({
      name: '  weight grad + SGD, fused (plain SGD)',
      ...timed({ wasm: () => k.sparse_weight_grad(0, B, ...csr, l1.weight, 0, l1.n, -1e-9) })
    })

    // The fast step's phases (fresh batches), and whole steps.
    const plainSgd = { rule: 'sgd', learningRate: 1e-9, momentum: 0, weightDecay: 0 } as const
    const phases = timeInterleaved({
      forward: () => network.forward(network.datasetBatch(freshStart()), 0, B),
      loss: () => network.loss(network.datasetBatch(0), 0, B, B),
      backward: () => network.backward(0, B),
      gradients: () => layout.layers.forEach((_, i) => network.gradientPart(i, 0, 1, B, plainSgd))
    })
    rows.push({ name: '  phase: forward (gather + all layers)', wasm: phases.forward })
    rows.push({ name: '  phase: loss (softmax + cross-entropy)', wasm: phases.loss })
    rows.push({ name: '  phase: backward (down to layer 1)', wasm: phases.backward })
    rows.push({ name: '  phase: gradients + SGD (all layers)', wasm: phases.gradients })
    const reference = new Trainer({ ...config, epochs: 1000 }, train)
    rows.push({
      name: 'whole step: Trainer | FastTrainer',
      ...timed({ reference: () => reference.step(), wasm: () => fast.step() }, { rounds: 60 })
    })
    const model = fast.model
    rows.push({
      name: `test-set evaluation, ${test.count} images: evaluate | evaluateFast`,
      ...timed(
        { reference: () => evaluate(model, test), wasm: () => evaluateFast(model, test) },
        { rounds: 5 }
      )
    })

    const cell = (t: Timing | undefined): string => (t ? formatNumber(t.median) : '')
    const speedup = (row: Row): string =>
      row.reference && row.wasm ? `${formatNumber(row.reference.median / row.wasm.median)}×` : ''
    console.log(
      `\n${name} net (${[inputs, hidden, 10].join('-')}, batch ${B}): µs per call, median of interleaved rounds`
    )
    console.log(
      formatTable(
        ['kernel', 'reference TS', 'fast TS', 'wasm SIMD', 'ref / wasm'],
        rows.map((row) => [
          row.name,
          cell(row.reference),
          cell(row.fastTs),
          cell(row.wasm),
          speedup(row)
        ])
      )
    )
  }
  await benchConvKernels(train)
}

function timed(
  variants: { reference?: () => void; fastTs?: () => void; wasm?: () => void },
  options?: { rounds?: number }
): Omit<Row, 'name'> {
  const present = Object.fromEntries(
    Object.entries(variants).filter(([, fn]) => fn !== undefined)
  ) as Record<string, () => void>
  return timeInterleaved(present, options)
}

void main()
