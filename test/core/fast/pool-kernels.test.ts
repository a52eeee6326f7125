// The max-pooling kernels (core/wasm/pool-kernels.wat) against core/tensor/conv.ts: bit for bit.

import { describe, it } from 'vitest'
import {
  ConvEngine,
  maxPool2dBackward,
  maxPool2dForward,
  poolGeometry,
  type PoolGeometry
} from '../../../core'
import { seededValues } from '../../helpers/gradcheck'
import { expectSameBits } from '../../helpers/conv'

describe('max-pooling kernels: bit-identical to core/tensor/conv.ts, ties and NaN included', () => {
  const engine = new ConvEngine()
  const POOLS: [batch: number, C: number, H: number, W: number, size: number][] = [
    [64, 6, 28, 28, 2],
    [64, 16, 10, 10, 2],
    [3, 2, 9, 11, 2],
    [2, 3, 17, 19, 2],
    [2, 1, 2, 2, 2],
    [2, 3, 10, 10, 3],
    [1, 2, 7, 9, 3],
    [2, 2, 8, 8, 4],
    [1, 1, 5, 5, 1]
  ]
  for (const [batch, channels, inHeight, inWidth, size] of POOLS) {
    const g: PoolGeometry = poolGeometry({ batch, channels, inHeight, inWidth, size })
    it(`B=${batch} C=${channels} ${inHeight}×${inWidth}, size ${size}`, () => {
      const nx = batch * channels * inHeight * inWidth
      const ny = batch * channels * g.outHeight * g.outWidth
      // Small integers: many ties within a window (the first maximum must win), −0 next to +0, NaN.
      const x = seededValues(nx, size + 20).map((v) => Math.round(v * 3))
      for (let i = 0; i < nx; i += 7) x[i] = -0
      for (let i = 3; i < nx; i += 29) x[i] = NaN
      const [y, yRef] = [new Float32Array(ny), new Float32Array(ny)]
      const [argmax, argmaxRef] = [new Uint32Array(ny), new Uint32Array(ny)]
      engine.maxPool2dForward(x, y, argmax, g)
      maxPool2dForward(x, yRef, argmaxRef, g)
      expectSameBits(argmax, argmaxRef)
      expectSameBits(y, yRef)

      const dy = seededValues(ny, size + 21)
      dy[0] = -0
      const [dx, dxRef] = [new Float32Array(nx).fill(9), new Float32Array(nx)]
      engine.maxPool2dBackward(dy, argmaxRef, dx, g)
      maxPool2dBackward(dy, argmaxRef, dxRef, g)
      expectSameBits(dx, dxRef)
    })
  }
})
