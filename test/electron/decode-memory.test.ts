// The largest images within the stated limits decode within bounded memory: `npm run predict` on an
// 8192×8192 PNG of 16-bit RGBA (522 KB on disk, 512 MiB of inflated rows) stays under 1.5 GB.
// (It took 1.9 GB with pngjs.) A memory bound, measured by the process itself; never a time.

import { spawnSync } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { finished } from 'node:stream/promises'
import { createDeflate, crc32 } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { quickModelFile } from '../helpers/quick-model'
import { tempDir } from './support/temp-dir'

const ROOT = join(import.meta.dirname, '..', '..')
const SIDE = 8192
const PEAK_LIMIT_KB = 1.5 * 1024 * 1024

const be32 = (v: number): Buffer => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(v)
  return b
}
const chunk = (type: string, data: Buffer): Buffer => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  return Buffer.concat([be32(data.length), body, be32(crc32(body))])
}

/**
 * An 8192×8192 RGBA16 PNG: white, with a thick black vertical stroke (a "1"), deflated row by row so
 * the test never holds the 512 MiB of rows itself.
 */
async function writeBigPng(path: string): Promise<void> {
  const white = Buffer.alloc(1 + SIDE * 8, 0xff)
  white[0] = 0 // filter: none
  const stroke = Buffer.from(white)
  for (let x = 3700; x < 4500; x++) stroke.fill(0, 1 + 8 * x, 1 + 8 * x + 6) // RGB 0, alpha 0xFFFF
  const deflate = createDeflate({ level: 6 })
  const compressed: Buffer[] = []
  deflate.on('data', (part: Buffer) => compressed.push(part))
  for (let y = 0; y < SIDE; y++) {
    if (!deflate.write(y >= 1500 && y < 6700 ? stroke : white))
      await new Promise((resolve) => deflate.once('drain', resolve))
  }
  deflate.end()
  await finished(deflate)
  const ihdr = Buffer.concat([be32(SIDE), be32(SIDE), Buffer.from([16, 6, 0, 0, 0])])
  const file = createWriteStream(path)
  file.end(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', Buffer.concat(compressed)),
      chunk('IEND', Buffer.alloc(0))
    ])
  )
  await finished(file)
}

let model: string
const image = join(tempDir('backprop-big-png-'), 'big-rgba16.png')

beforeAll(async () => {
  model = await quickModelFile()
  await writeBigPng(image)
}, 240_000)

describe('decoding within bounded memory', () => {
  it(
    'classifies an 8192×8192 16-bit RGBA PNG with a peak under 1.5 GB',
    { timeout: 240_000 },
    () => {
      const result = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--import',
          './test/electron/support/report-peak-rss.mjs',
          'electron/cli/predict.ts',
          '--model',
          model,
          '--json',
          image
        ],
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BACKPROP_DEBUG: '' } }
      )
      expect(result.status, result.stderr).toBe(0)
      expect(JSON.parse(result.stdout)).toMatchObject({
        file: image,
        prediction: expect.any(Number)
      })
      const peakKb = Number(/peak-rss-kb (\d+)/.exec(result.stderr)?.[1])
      expect(peakKb).toBeGreaterThan(512 * 1024) // it really held the image
      expect(peakKb).toBeLessThan(PEAK_LIMIT_KB)
    }
  )
})
