// The checked-in conv kernels are what wabt makes of the .wat source, so the two cannot drift apart.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  CONV_KERNELS_TS_PATH,
  CONV_KERNELS_WAT_PATH,
  renderConvKernelsModule
} from '../../../scripts/wasm/build-conv-kernels'

describe('the checked-in conv kernels', () => {
  it('core/wasm/conv-kernels.wasm.ts is the assembly of core/wasm/conv-kernels.wat (run `npm run build:wasm`)', async () => {
    const expected = await renderConvKernelsModule(readFileSync(CONV_KERNELS_WAT_PATH, 'utf8'))
    expect(readFileSync(CONV_KERNELS_TS_PATH, 'utf8')).toBe(expected)
  })

  it('wabt rejects a broken source with its message, instead of writing bytes', async () => {
    const broken = readFileSync(CONV_KERNELS_WAT_PATH, 'utf8').replace('f32x4.add', 'f32x4.addd')
    await expect(renderConvKernelsModule(broken)).rejects.toThrow(/f32x4\.addd/)
  })
})
