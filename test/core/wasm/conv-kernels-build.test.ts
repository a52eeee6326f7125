// The checked-in conv and pool kernels are what wabt makes of their .wat sources, so they cannot drift.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONV_KERNEL_MODULES, renderKernelModule } from '../../../scripts/wasm/build-conv-kernels'
import { readWatModule } from '../../../scripts/wasm/wat-source'

describe('the checked-in conv and pool kernels', () => {
  for (const m of CONV_KERNEL_MODULES) {
    it(`core/wasm/${m.name}.wasm.ts is the assembly of core/wasm/${m.name}.wat (run \`npm run build:wasm\`)`, async () => {
      const expected = await renderKernelModule(m, readWatModule(m.watPath))
      expect(readFileSync(m.tsPath, 'utf8')).toBe(expected)
    })
  }

  it('wabt rejects a broken source with its message, instead of writing bytes', async () => {
    const [m] = CONV_KERNEL_MODULES
    const broken = readWatModule(m.watPath).replace('f32x4.add', 'f32x4.addd')
    await expect(renderKernelModule(m, broken)).rejects.toThrow(/f32x4\.addd/)
  })
})
