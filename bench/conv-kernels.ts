// Micro-benchmarks of the convolution and pooling kernels: LeNet's layers at batch 64 on real MNIST
// batches, and a stronger CNN's 3×3 layers; the reference TypeScript (core/tensor/conv.ts) against the
// WebAssembly SIMD kernels (core/wasm/conv-kernels.wat), µs per call and GFLOP/s.
//
//   npm run bench:kernels            (after the dense kernels' rows)
//   npx tsx bench/conv-kernels.ts    (these rows alone; --json for one line per row)
//
// CPU time per call (this process's, so that other processes' turns on a shared machine are not
// counted): median and best of interleaved rounds after a warm-up (bench/harness.ts). Each call takes the next of 8
// different batches, as training would. GFLOP/s counts the dense multiply-adds (2·B·O·H'·W'·C·k·k), also
// for the sparse kernels, which skip the zero pixels' share of them. bench/conv_torch_reference.py times the same layers in PyTorch.

import {
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dForward,
  convGeometry,
  ConvKernelCalls,
  allFilters,
  wholeBatch,
  type DyMethod,
  convScratchBytes,
  createMemory,
  instantiateKernels,
  createRng,
  fillBatch,
  Matrix,
  maxPool2dBackward,
  maxPool2dForward,
  poolGeometry,
  shuffleInPlace,
  type ConvGeometry,
  type CsrRows,
  type Dataset,
  type PoolGeometry
} from '../core'
import { byteCompactionTable } from '../core/fast/encoding'
import { roundUp } from '../core/fast/layout'
import { loadMnist } from '../electron/files/datasets'
import { formatNumber, formatTable, loadWarning, timeInterleavedCpu, type Timing } from './harness'

const B = 64
/** Batches cycled through, so that no call finds the previous call's input in the cache. */
const BATCHES = 8

interface ConvRow {
  readonly name: string
  readonly flops: number
  readonly reference?: Timing
  readonly wasm: Timing
}

/** LeNet at batch 64: conv 5×5×6 same, pool 2, conv 5×5×16 valid, pool 2. */
const conv1 = convGeometry({
  batch: B,
  inChannels: 1,
  inHeight: 28,
  inWidth: 28,
  outChannels: 6,
  kernel: 5,
  stride: 1,
  padding: 2
})
const pool1 = poolGeometry({ batch: B, channels: 6, inHeight: 28, inWidth: 28, size: 2 })
const conv2 = convGeometry({
  batch: B,
  inChannels: 6,
  inHeight: 14,
  inWidth: 14,
  outChannels: 16,
  kernel: 5,
  stride: 1,
  padding: 0
})
const pool2 = poolGeometry({ batch: B, channels: 16, inHeight: 10, inWidth: 10, size: 2 })
/** A stronger CNN's 3×3 layers: 32 filters on 28×28, then 64 with stride 2. */
const cnnA = convGeometry({
  batch: B,
  inChannels: 1,
  inHeight: 28,
  inWidth: 28,
  outChannels: 32,
  kernel: 3,
  stride: 1,
  padding: 1
})
const cnnB = convGeometry({
  batch: B,
  inChannels: 32,
  inHeight: 28,
  inWidth: 28,
  outChannels: 64,
  kernel: 3,
  stride: 2,
  padding: 1
})

/** Multiply-adds × 2 of a convolution pass (forward, input or weight gradient: the same count). */
const convFlops = (g: ConvGeometry): number =>
  2 * g.batch * g.outChannels * g.outHeight * g.outWidth * g.inChannels * g.kernel * g.kernel
/** One comparison per input pixel. */
const poolFlops = (g: PoolGeometry): number => g.batch * g.channels * g.inHeight * g.inWidth

/** Float counts of a layer's tensors. */
const volume = (g: ConvGeometry) => ({
  x: g.batch * g.inChannels * g.inHeight * g.inWidth,
  w: g.outChannels * g.inChannels * g.kernel * g.kernel,
  y: g.batch * g.outChannels * g.outHeight * g.outWidth
})

export async function benchConvKernels(train: Dataset, { json = false } = {}): Promise<void> {
  const memory = createMemory(256 << 20, false)
  const calls = new ConvKernelCalls(memory)
  const f32 = new Float32Array(memory.buffer)
  let next = 64
  /** A 16-byte-aligned buffer of `floats` floats with the kernels' read slack after it. */
  const take = (floats: number): number => {
    const at = next
    next = Math.ceil((at + floats * 4 + 32) / 16) * 16
    return at
  }
  const view = (at: number, floats: number): Float32Array =>
    f32.subarray(at >> 2, (at >> 2) + floats)
  const random = (at: number, floats: number, scale: number): void => {
    const rng = createRng(at)
    const values = view(at, floats)
    for (let i = 0; i < floats; i++) values[i] = (rng() - 0.5) * scale
  }

  // 8 real MNIST batches, normalised as training does.
  const order = Uint32Array.from({ length: train.count }, (_, i) => i)
  shuffleInPlace(order, createRng(7))
  const images = Array.from({ length: BATCHES }, (_, i) => {
    const x = new Matrix(B, train.inputSize)
    fillBatch(train, order, i * B, x, new Uint8Array(B))
    const at = take(x.data.length)
    view(at, x.data.length).set(x.data)
    return at
  })
  // The same batches as CSR rows, made by the dense engine's encoder from the bytes (as training does).
  const dense = instantiateKernels(memory)
  const compact = take(512)
  new Uint8Array(memory.buffer).set(byteCompactionTable(), compact)
  const csrStride = roundUp(train.inputSize + 8, 4)
  const csrs: CsrRows[] = images.map((_, i) => {
    const pixels = take((B * train.inputSize + 16) / 4)
    const samples = take(B)
    for (let r = 0; r < B; r++) {
      const sample = order[i * B + r]
      new Uint8Array(memory.buffer, pixels + r * train.inputSize, train.inputSize).set(
        train.pixels.subarray(sample * train.inputSize, (sample + 1) * train.inputSize)
      )
      new Int32Array(memory.buffer, samples, B)[r] = r
    }
    const csr = {
      index: take(B * csrStride),
      value: take(B * csrStride),
      count: take(B),
      stride: csrStride
    }
    const { index, value, count, stride } = csr
    dense.encode_u8(pixels, samples, 0, B, train.inputSize, compact, index, value, count, stride)
    return csr
  })
  let turn = 0
  const nextBatch = (): number => (turn = (turn + 1) % BATCHES)

  /** One layer's buffers, BATCHES inputs deep; `inputs` given (the previous layer's outputs) or random. */
  const convLayer = (g: ConvGeometry, inputs?: number[]) => {
    const n = volume(g)
    const at = {
      xs: inputs ?? images.map(() => take(n.x)),
      w: take(n.w),
      bias: take(g.outChannels),
      ys: images.map(() => take(n.y)),
      dy: take(n.y),
      dx: take(n.x),
      dw: take(n.w),
      db: take(g.outChannels),
      scratch: take(convScratchBytes(g) / 4)
    }
    if (!inputs) at.xs.forEach((x) => random(x, n.x, 1))
    random(at.w, n.w, 0.4)
    random(at.bias, g.outChannels, 0.1)
    random(at.dy, n.y, 1e-3)
    return at
  }
  const poolLayer = (g: PoolGeometry, inputs: number[]) => {
    const nx = g.batch * g.channels * g.inHeight * g.inWidth
    const ny = g.batch * g.channels * g.outHeight * g.outWidth
    const at = {
      xs: inputs,
      ys: inputs.map(() => take(ny)),
      argmax: inputs.map(() => take(ny)),
      dy: take(ny),
      dx: take(nx)
    }
    random(at.dy, ny, 1e-3)
    return at
  }

  // The layers wired as in LeNet, so each one sees realistic inputs: ReLU outputs, pooled.
  const l1 = convLayer(conv1, images)
  const p1 = poolLayer(pool1, l1.ys)
  const l2 = convLayer(conv2, p1.ys)
  const p2 = poolLayer(pool2, l2.ys)
  for (let b = 0; b < BATCHES; b++) {
    calls.forward({ ...l1, x: l1.xs[b], y: l1.ys[b] }, conv1, true)
    calls.maxPoolForward({ x: p1.xs[b], y: p1.ys[b], argmax: p1.argmax[b] }, pool1)
    calls.forward({ ...l2, x: l2.xs[b], y: l2.ys[b] }, conv2, true)
    calls.maxPoolForward({ x: p2.xs[b], y: p2.ys[b], argmax: p2.argmax[b] }, pool2)
  }
  const a = convLayer(cnnA, images)
  const bLayer = convLayer(cnnB)

  const rows: ConvRow[] = []
  /** Times the WebAssembly kernel, and the reference when given, interleaved. */
  const measure = (
    variants: { reference?: () => void; wasm: () => void },
    rounds: number
  ): { reference?: Timing; wasm: Timing } => {
    const { reference, wasm } = variants
    const timings = timeInterleavedCpu(reference ? { reference, wasm } : { wasm }, { rounds })
    return { reference: timings.reference, wasm: timings.wasm }
  }
  const convRows = (
    label: string,
    g: ConvGeometry,
    at: ReturnType<typeof convLayer>,
    { inputGradient = true, reference = true } = {}
  ): void => {
    const n = volume(g)
    const x = (b: number): Float32Array => view(at.xs[b], n.x)
    const w = view(at.w, n.w)
    const bias = view(at.bias, g.outChannels)
    const dy = view(at.dy, n.y)
    const [y, dx, dw, db] = [n.y, n.x, n.w, g.outChannels].map((size) => new Float32Array(size))
    const rounds = reference ? 10 : 40
    const pick = (variants: { reference: () => void; wasm: () => void }) =>
      measure(reference ? variants : { wasm: variants.wasm }, rounds)
    const forward = pick({
      reference: () => conv2dForward(x(nextBatch()), w, bias, y, g),
      wasm: () => {
        const b = nextBatch()
        calls.forward({ ...at, x: at.xs[b], y: at.ys[b] }, g, true)
      }
    })
    rows.push({ name: `${label} forward (+ReLU)`, flops: convFlops(g), ...forward })
    if (inputGradient) {
      const input = pick({
        reference: () => conv2dBackwardInput(dy, w, dx, g),
        wasm: () => calls.backwardInput(at, g)
      })
      rows.push({ name: `${label} input gradient`, flops: convFlops(g), ...input })
    }
    const weight = pick({
      reference: () => conv2dBackwardWeight(x(nextBatch()), dy, dw, db, g),
      wasm: () => calls.backwardWeight({ ...at, x: at.xs[nextBatch()] }, g)
    })
    rows.push({ name: `${label} weight gradient`, flops: convFlops(g), ...weight })
  }
  const poolRows = (label: string, g: PoolGeometry, at: ReturnType<typeof poolLayer>): void => {
    const nx = g.batch * g.channels * g.inHeight * g.inWidth
    const ny = g.batch * g.channels * g.outHeight * g.outWidth
    const [y, dx] = [new Float32Array(ny), new Float32Array(nx)]
    const argmax = new Uint32Array(ny)
    const dy = view(at.dy, ny)
    const forward = measure(
      {
        reference: () => maxPool2dForward(view(at.xs[nextBatch()], nx), y, argmax, g),
        wasm: () => {
          const b = nextBatch()
          calls.maxPoolForward({ x: at.xs[b], y: at.ys[b], argmax: at.argmax[b] }, g)
        }
      },
      40
    )
    rows.push({ name: `${label} forward`, flops: poolFlops(g), ...forward })
    maxPool2dForward(view(at.xs[0], nx), y, argmax, g)
    const backward = measure(
      {
        reference: () => maxPool2dBackward(dy, argmax, dx, g),
        wasm: () => calls.maxPoolBackward({ dy: at.dy, argmax: at.argmax[0], dx: at.dx }, g)
      },
      40
    )
    rows.push({ name: `${label} backward`, flops: poolFlops(g), ...backward })
  }

  convRows('LeNet conv1 1→6 5×5 same 28×28', conv1, l1, { inputGradient: false })
  const sparseForward = measure(
    {
      wasm: () => {
        const b = nextBatch()
        calls.forwardSparse({ ...l1, csr: csrs[b], y: l1.ys[b] }, conv1, true)
      }
    },
    40
  )
  rows.push({
    name: '  conv1 forward, sparse (CSR rows)',
    flops: convFlops(conv1),
    ...sparseForward
  })
  const sparseWeight = measure(
    { wasm: () => calls.backwardWeightSparse({ ...l1, csr: csrs[nextBatch()] }, conv1) },
    40
  )
  rows.push({
    name: '  conv1 weight gradient, sparse (CSR rows)',
    flops: convFlops(conv1),
    ...sparseWeight
  })
  poolRows('LeNet pool1 6×28×28', pool1, p1)
  convRows('LeNet conv2 6→16 5×5 14×14→10×10', conv2, l2)
  // As in training: conv2's dy is pool2's gradient routed to each window's argmax, then ReLU's mask.
  const routed = { ...l2, dy: take(volume(conv2).y) }
  calls.maxPoolBackward({ dy: p2.dy, argmax: p2.argmax[0], dx: routed.dy }, pool2)
  const routedDy = view(routed.dy, volume(conv2).y)
  const y2 = view(l2.ys[0], volume(conv2).y)
  routedDy.forEach((g, i) => (routedDy[i] = y2[i] > 0 ? g : 0))
  const density = routedDy.reduce((n, g) => n + (g !== 0 ? 1 : 0), 0) / routedDy.length
  const nonzero = `${Math.round(density * 100)} % nonzero`
  // The weight gradient's two ways over the same routed dy, interleaved (DyMethod; the trainer takes
  // 'nonzeros' for a conv that a max-pool follows).
  const routedWeight = (dy: DyMethod) => (): void =>
    calls.backwardWeight(
      { ...routed, x: routed.xs[0] },
      conv2,
      wholeBatch(conv2),
      allFilters(conv2),
      dy
    )
  const timings = timeInterleavedCpu(
    { dense: routedWeight('dense'), nonzeros: routedWeight('nonzeros') },
    { rounds: 40 }
  )
  for (const method of ['dense', 'nonzeros'] as const)
    rows.push({
      name: `  conv2 weight gradient, dy via pool2 (${nonzero}), ${method}`,
      flops: convFlops(conv2),
      wasm: timings[method]
    })
  poolRows('LeNet pool2 16×10×10', pool2, p2)
  convRows('CNN 1→32 3×3 same 28×28', cnnA, a, { inputGradient: false, reference: false })
  convRows('CNN 32→64 3×3 stride 2 28×28→14×14', cnnB, bLayer, { reference: false })

  /** At the best round: the least disturbed by other processes' cache traffic. */
  const gflops = (row: ConvRow): string => (row.flops / (row.wasm.best * 1e3)).toFixed(1)
  if (json) {
    for (const row of rows)
      console.log(
        JSON.stringify({
          kernel: row.name,
          referenceMicros: row.reference?.median,
          wasmMicros: row.wasm.median,
          wasmBestMicros: row.wasm.best,
          wasmGflops: Number(gflops(row))
        })
      )
    return
  }
  console.log(
    `\nConvolution and pooling kernels, batch ${B}: CPU µs per call, median (best) of interleaved rounds`
  )
  console.log(
    formatTable(
      ['kernel', 'reference TS', 'wasm SIMD', 'ref / wasm', 'wasm GFLOP/s (best)'],
      rows.map((row) => [
        row.name,
        row.reference ? formatNumber(row.reference.median) : '',
        `${formatNumber(row.wasm.median)} (${formatNumber(row.wasm.best)})`,
        row.reference ? `${formatNumber(row.reference.median / row.wasm.median)}×` : '',
        gflops(row)
      ])
    )
  )
}

const isMain = process.argv[1]?.endsWith('conv-kernels.ts')
if (isMain) {
  void loadMnist().then(({ train }) => {
    const warning = loadWarning()
    if (warning) console.log(warning)
    return benchConvKernels(train, { json: process.argv.includes('--json') })
  })
}
