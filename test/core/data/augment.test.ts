// Augmentation: exact warps on hand-made images, seeded draws, and the schedule applying them to
// training batches only.
import { beforeAll, describe, expect, it } from 'vitest'
import {
  augmentationRng,
  augmentBatch,
  createRng,
  createTrainer,
  describeAugmentation,
  drawWarp,
  FastTrainer,
  MinibatchTrainer,
  PRESETS,
  Sequential,
  takeFirst,
  Trainer,
  warpImage,
  type Augmentation,
  type BatchOutcome,
  type Dataset,
  type TrainConfig,
  type Warp
} from '../../../core'
import { loadMnist, type DatasetPair } from '../../../electron/files/datasets'

const identity: Warp = { dx: 0, dy: 0, angle: 0, scale: 1 }

/** A 5×5 image, black but for one pixel at (x, y) of value 200. */
function dot(x: number, y: number): Uint8Array {
  const image = new Uint8Array(25)
  image[y * 5 + x] = 200
  return image
}
const warped = (image: Uint8Array, warp: Warp): Uint8Array => {
  const out = new Uint8Array(image.length)
  warpImage(image, 0, out, 0, 5, 5, warp)
  return out
}

describe('warpImage', () => {
  it('leaves an image unchanged under the identity warp', () => {
    const image = Uint8Array.from({ length: 25 }, (_, i) => (i * 37) % 256)
    expect(warped(image, identity)).toEqual(image)
  })

  it('moves content by whole pixels exactly, with background coming in', () => {
    expect(warped(dot(1, 2), { ...identity, dx: 2, dy: -1 })).toEqual(dot(3, 1))
    expect(warped(dot(4, 4), { ...identity, dx: 1 }).every((v) => v === 0)).toBe(true) // moved out
  })

  it('turns about the centre (clockwise on screen for a positive angle) and scales from it', () => {
    expect(warped(dot(3, 2), { ...identity, angle: Math.PI / 2 })).toEqual(dot(2, 3))
    // Twice as large: the dot moves from 1 to 2 pixels right of the centre and spreads over its
    // neighbours (bilinear), half as bright one pixel away, a quarter diagonally.
    const grown = warped(dot(3, 2), { ...identity, scale: 2 })
    expect(Array.from(grown)).toEqual([
      ...[0, 0, 0, 0, 0],
      ...[0, 0, 0, 50, 100],
      ...[0, 0, 0, 100, 200],
      ...[0, 0, 0, 50, 100],
      ...[0, 0, 0, 0, 0]
    ])
  })

  it('interpolates between pixels: half a pixel splits the value', () => {
    const out = warped(dot(2, 2), { ...identity, dx: 0.5 })
    expect([out[2 * 5 + 2], out[2 * 5 + 3]]).toEqual([100, 100])
  })
})

describe('random warps', () => {
  const augmentation: Augmentation = { shiftPixels: 2, rotationDegrees: 10, scale: 0.1 }

  it('stay within the limits, and come from the seed', () => {
    const rng = createRng(5)
    for (let i = 0; i < 500; i++) {
      const warp = drawWarp(augmentation, rng)
      expect(Math.abs(warp.dx)).toBeLessThanOrEqual(2)
      expect(Math.abs(warp.dy)).toBeLessThanOrEqual(2)
      expect(Math.abs(warp.angle)).toBeLessThanOrEqual((10 * Math.PI) / 180)
      expect(Math.abs(warp.scale - 1)).toBeLessThanOrEqual(0.1)
    }
    expect(drawWarp(augmentation, createRng(5))).toEqual(drawWarp(augmentation, createRng(5)))
  })

  it('turning one kind off leaves the others’ values as they were', () => {
    const all = drawWarp(augmentation, createRng(9))
    const noRotation = drawWarp({ ...augmentation, rotationDegrees: 0 }, createRng(9))
    expect(noRotation).toEqual({ ...all, angle: 0 })
  })

  it('each step has its own stream, from the seed and the step alone', () => {
    const first = (seed: number, step: number) => augmentationRng(seed, step)()
    expect(first(1, 7)).toBe(first(1, 7))
    expect(first(1, 7)).not.toBe(first(1, 8))
    expect(first(1, 7)).not.toBe(first(2, 7))
  })

  it('are described in words', () => {
    expect(describeAugmentation(augmentation)).toBe('shift ±2 px, rotate ±10°, scale ±10%')
    expect(describeAugmentation({ shiftPixels: 0, rotationDegrees: 0, scale: 0 })).toBe('off')
  })
})

describe('augmented training', () => {
  let mnist: DatasetPair
  beforeAll(async () => {
    mnist = await loadMnist()
  })
  const augmentation: Augmentation = { shiftPixels: 2, rotationDegrees: 10, scale: 0.1 }
  const config: TrainConfig = { ...PRESETS.seed.config, batchCount: 20, augmentation }

  /** The schedule with a forward pass that only records what it was given. */
  class Recorder extends MinibatchTrainer {
    readonly model: Sequential
    readonly seen: { order: Uint32Array; start: number; augmented: Uint8Array | null }[] = []
    private readonly visit: Uint32Array
    constructor(c: TrainConfig, data: Dataset) {
      super(c, data)
      this.model = new Sequential(c.architecture, c.init, createRng(c.seed))
      this.visit = Uint32Array.from({ length: data.count }, (_, i) => i)
    }
    protected get order(): Uint32Array {
      return this.visit
    }
    protected forward(start: number, _rows: number, augmented: Uint8Array | null): BatchOutcome {
      this.seen.push({ order: this.visit.slice(), start, augmented: augmented?.slice() ?? null })
      return { loss: 1, correct: 0 }
    }
    protected update(): void {}
  }

  it('the schedule hands each step its batch warped by that step’s own draws', () => {
    const train = takeFirst(mnist.train, 640)
    const recorder = new Recorder(config, train)
    for (let i = 0; i < 3; i++) recorder.step()
    recorder.seen.forEach(({ order, start, augmented }, step) => {
      const expected = new Uint8Array(32 * 784)
      augmentBatch(
        train,
        order,
        start,
        32,
        augmentation,
        augmentationRng(config.seed, step),
        expected
      )
      expect(augmented).toEqual(expected)
      // Really warped: not the stored images.
      const stored = train.pixels.subarray(order[start] * 784, (order[start] + 1) * 784)
      expect(augmented!.subarray(0, 784)).not.toEqual(stored)
    })
    const off = new Recorder(
      {
        ...config,
        augmentation: { ...augmentation, scale: 0, shiftPixels: 0, rotationDegrees: 0 }
      },
      train
    )
    off.step()
    expect(off.seen[0].augmented).toBeNull()
  })

  it('is reproducible, differs from plain training, and runs on the fast engine too', () => {
    const trainer = createTrainer(config, mnist.train)
    expect(trainer).toBeInstanceOf(FastTrainer)
    const run = (c: TrainConfig) => {
      const t = new Trainer(c, mnist.train)
      return Array.from({ length: 20 }, () => t.step().loss)
    }
    const a = run(config)
    expect(run(config)).toEqual(a)
    expect(run({ ...PRESETS.seed.config, batchCount: 20 })).not.toEqual(a)
  })
})
