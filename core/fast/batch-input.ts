// A batch's images on the fast engine: the resident training set (encoded once) or pixels given
// directly (evaluation, augmented batches), turned into the CSR rows the first layer reads. Both
// engines (FastNetwork for dense nets, ConvNetwork for layer lists) take their batches from here.

import { assertLabelsBelow, type Dataset } from '../data/dataset'
import { ShapeError } from '../errors'
import type { Kernels, WasmMemory } from '../wasm/runtime'
import type { CsrRows } from './conv-kernel-calls'
import { byteCompactionTable, laneCompactionTable, MAX_ENCODED_PIXELS } from './encoding'
import type { InputLayout } from './layout'

/**
 * Where a batch's images come from: the batch's sample indices [B] u32 (batch row r is image
 * samples[r]) into either the resident, pre-encoded training set (`encoded`), or a raw pixel matrix
 * [count, inputSize] u8 at `pixels`; and the labels [count] u8. All are byte addresses.
 */
export interface BatchSource {
  readonly encoded: boolean
  readonly pixels: number
  readonly labels: number
  readonly samples: number
}

/** The input buffers of one engine's layout (layout.ts: InputLayout) and the calls that fill them. */
export class BatchInput {
  private readonly u8: Uint8Array
  private readonly u32: Uint32Array
  private readonly f32: Float32Array

  constructor(
    private readonly layout: InputLayout,
    private readonly memory: WasmMemory,
    private readonly kernels: Kernels,
    /** The network's outputs: every label must be below it (see `checkLabels`). */
    private readonly outputSize: number
  ) {
    this.u8 = new Uint8Array(memory.buffer)
    this.u32 = new Uint32Array(memory.buffer)
    this.f32 = new Float32Array(memory.buffer)
  }

  /** Writes the constant tables. Once per memory, by the thread that owns it. */
  initialise(): void {
    this.u8.set(byteCompactionTable(), this.layout.compactBytes)
    this.u8.set(laneCompactionTable(), this.layout.compactLanes)
    for (let r = 0; r < this.layout.batchSize; r++) this.u32[(this.layout.inputRows >> 2) + r] = r
  }

  /**
   * Encodes a training set into the resident dataset buffers, once: for each image, the indices (u16)
   * and values (u8) of its nonzero pixels, where `offsets` (from encodedOffsets) says. About 27 MB for
   * MNIST's 60 000 images (47 MB raw): MNIST is 81% zeros.
   */
  loadDataset(dataset: Dataset, offsets: Uint32Array): void {
    const { datasetCount, datasetOffsets, datasetIndices, datasetBytes, datasetLabels, inputSize } =
      this.layout
    if (dataset.count !== datasetCount || dataset.inputSize !== inputSize) {
      throw new ShapeError(
        `FastNetwork: the layout holds ${datasetCount} images of ${inputSize}, got ${dataset.count} of ${dataset.inputSize}`
      )
    }
    if (inputSize > MAX_ENCODED_PIXELS) {
      throw new ShapeError(
        `FastNetwork: images of ${inputSize} pixels; the fast engine holds at most ${MAX_ENCODED_PIXELS}`
      )
    }
    const total = offsets[datasetCount]
    this.u32.set(offsets, datasetOffsets >> 2)
    const indices = new Uint16Array(this.memory.buffer, datasetIndices, total)
    const values = this.u8.subarray(datasetBytes, datasetBytes + total)
    const pixels = dataset.pixels
    let k = 0
    for (let s = 0; s < datasetCount; s++) {
      const base = s * inputSize
      for (let p = 0; p < inputSize; p++) {
        const byte = pixels[base + p]
        if (byte === 0) continue
        indices[k] = p
        values[k] = byte
        k++
      }
    }
    assertLabelsBelow(dataset.labels, this.outputSize, 'FastNetwork.loadDataset')
    this.u8.set(dataset.labels.subarray(0, datasetCount), datasetLabels)
  }

  /** The resident dataset's order [count] (shuffle it in place; batches are slices of it). */
  get order(): Uint32Array {
    const at = this.layout.order >> 2
    return this.u32.subarray(at, at + this.layout.datasetCount)
  }

  /** The batch order[start … start+rows) of the resident dataset. */
  datasetBatch(start: number): BatchSource {
    const { datasetLabels, order } = this.layout
    return { encoded: true, pixels: 0, labels: datasetLabels, samples: order + start * 4 }
  }

  /**
   * Copies samples order[start … start+rows) of any dataset into the batch input buffers and returns
   * them as a source: for data that is not resident (evaluation, tests).
   */
  setBatch(dataset: Dataset, order: Uint32Array, start: number, rows: number): BatchSource {
    this.checkRows(rows)
    const { input, inputLabels, inputSize } = this.layout
    if (dataset.inputSize !== inputSize)
      throw new ShapeError(
        `FastNetwork: images of ${dataset.inputSize} values, expected ${inputSize}`
      )
    for (let r = 0; r < rows; r++) {
      const sample = order[start + r]
      this.u8.set(
        dataset.pixels.subarray(sample * inputSize, sample * inputSize + inputSize),
        input + r * inputSize
      )
      this.u8[inputLabels + r] = dataset.labels[sample]
    }
    // NOTE: the loss kernel reads the logit at each label: a label ≥ outputSize would read past its row.
    const labels = this.u8.subarray(inputLabels, inputLabels + rows)
    assertLabelsBelow(labels, this.outputSize, 'FastNetwork.setBatch')
    return this.givenBatch()
  }

  /**
   * A batch of images already in batch order (`pixels` [rows, inputSize] bytes, e.g. augmented ones)
   * with the labels of the resident samples order[start … start+rows), as a source.
   */
  setPixels(pixels: Uint8Array, start: number, rows: number): BatchSource {
    this.checkRows(rows)
    const { input, inputLabels, datasetLabels } = this.layout
    this.u8.set(pixels.subarray(0, rows * this.layout.inputSize), input)
    const order = this.order
    for (let r = 0; r < rows; r++)
      this.u8[inputLabels + r] = this.u8[datasetLabels + order[start + r]]
    return this.givenBatch()
  }

  /** Rows r0..r1 of the batch as CSR rows of (pixel index, byte / 255) for its nonzero pixels. */
  encode(source: BatchSource, r0: number, r1: number, csr: CsrRows): void {
    const k = this.kernels
    const { datasetOffsets, datasetIndices, datasetBytes, compactBytes, inputSize } = this.layout
    if (source.encoded) {
      k.touch_sparse(datasetOffsets, datasetIndices, datasetBytes, source.samples, r0, r1)
      k.gather_sparse(
        datasetOffsets,
        datasetIndices,
        datasetBytes,
        source.samples,
        r0,
        r1,
        csr.index,
        csr.value,
        csr.count,
        csr.stride
      )
    } else {
      k.touch_rows(source.pixels, source.samples, r0, r1, inputSize)
      k.encode_u8(
        source.pixels,
        source.samples,
        r0,
        r1,
        inputSize,
        compactBytes,
        csr.index,
        csr.value,
        csr.count,
        csr.stride
      )
    }
  }

  /** CSR rows r0..r1 → dense images [B, inputSize] f32 at `planes` (zeros, then each nonzero). */
  scatter(csr: CsrRows, r0: number, r1: number, planes: number): void {
    const { f32, u32 } = this
    const size = this.layout.inputSize
    for (let r = r0; r < r1; r++) {
      const image = (planes >> 2) + r * size
      f32.fill(0, image, image + size)
      const first = (csr.index >> 2) + r * csr.stride
      const values = (csr.value >> 2) + r * csr.stride
      const count = u32[(csr.count >> 2) + r]
      for (let e = 0; e < count; e++) f32[image + u32[first + e]] = f32[values + e]
    }
  }

  private checkRows(rows: number): void {
    if (rows > this.layout.batchSize)
      throw new ShapeError(
        `FastNetwork: ${rows} rows exceed the batch size ${this.layout.batchSize}`
      )
  }

  private givenBatch(): BatchSource {
    const { input, inputLabels, inputRows } = this.layout
    return { encoded: false, pixels: input, labels: inputLabels, samples: inputRows }
  }
}
