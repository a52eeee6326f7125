// The Classify view's file input: identifying files by content and refusing bad ones before decoding,
// the whole file → 28×28 path with a fake decoder, and how its steps are put into words and shown.
// The draw pad, throttling and the prediction's words are in classify-lib.test.ts.

import { describe, expect, it, vi } from 'vitest'
import { preprocessDigit, type ImageHeader, type RgbaImage } from '@core/vision/index'
import {
  capFiles,
  findTruncation,
  formatBytes,
  HEAD_BYTES,
  identifyBlob,
  identifyFile,
  looksLikeModelFile,
  MAX_FILES_PER_DROP,
  MAX_IMAGE_FILE_BYTES,
  prepareImage,
  sentence,
  DecodeError,
  type ImageProcessor
} from '@/classify/image-input'
import { boxPercent, describeSteps, inputToRgba } from '@/classify/image-view'
import { gif, vp8l, webp } from '../../helpers/crafted-images'
import { drawDigit, solidImage } from '../../helpers/synthetic-digit'
import {
  gifBytes,
  jpegHeaderBytes,
  pngBytes,
  webpHeaderBytes,
  bmpBytes,
  text
} from './classify-files'

/** The image worker, faked: pixels registered per Blob go through core/vision; anything else is "corrupt". */
/** The image worker, faked: pixels registered per Blob go through core/vision; anything else is "corrupt". */
function fakeProcessor(
  images: Map<Blob, RgbaImage>
): ImageProcessor & { processFile: ReturnType<typeof vi.fn> } {
  return {
    processFile: vi.fn(async (file: Blob, header: ImageHeader) => {
      const rgba = images.get(file)
      if (!rgba) throw new DecodeError('The source image could not be decoded.')
      return {
        preview: { url: 'data:,', width: header.width, height: header.height },
        result: preprocessDigit(rgba)
      }
    }),
    processPixels: vi.fn()
  }
}

const seven = (): RgbaImage =>
  drawDigit({ width: 120, height: 100, box: { x: 30, y: 15, width: 50, height: 70 }, penWidth: 7 })

describe('identifying files by content', () => {
  it('recognises model files by their first character, after a BOM or white space', () => {
    expect(looksLikeModelFile(text('{"format":"backprop-studio-model"}'))).toBe(true)
    expect(looksLikeModelFile(Uint8Array.from([0xef, 0xbb, 0xbf, ...text('\n  {"a":1}')]))).toBe(
      true
    )
    expect(looksLikeModelFile(text('[1, 2]'))).toBe(false)
    expect(identifyFile(text(' {}'), 3)).toEqual({ kind: 'model' })
  })

  it('recognises ONNX models by their first field, ir_version (0x08, then the version)', () => {
    expect(identifyFile(Uint8Array.of(0x08, 0x08, 0x12, 0x0f), 100)).toEqual({ kind: 'model' })
    expect(looksLikeModelFile(Uint8Array.of(0x08, 0x00))).toBe(false)
    expect(looksLikeModelFile(Uint8Array.of(0x89, 0x50, 0x4e, 0x47))).toBe(false) // PNG
  })

  it('accepts a PNG by its magic bytes, whatever the file is called', () => {
    const png = pngBytes(40, 30)
    expect(identifyFile(png, png.length)).toEqual({
      kind: 'image',
      header: { format: 'png', width: 40, height: 30, animated: false }
    })
  })

  it('refuses empty files, text, SVG and sizes above the limit before decoding anything, with core’s words', () => {
    const cases: [Uint8Array, number, RegExp][] = [
      [new Uint8Array(0), 0, /the file is empty \(0 bytes\)/],
      [text('shopping list: milk\n'), 20, /text file, not an image/],
      [
        text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        70,
        /SVG drawings are not supported/
      ],
      [pngBytes(100_000, 100_000), 57, /100000×100000 pixels, larger than the limit of 8192×8192/],
      [pngBytes(8193, 10), 57, /larger than the limit/]
    ]
    for (const [head, size, message] of cases) {
      const identity = identifyFile(head, size)
      expect(identity.kind).toBe('refused')
      if (identity.kind === 'refused') expect(identity.message).toMatch(message)
    }
  })

  it('refuses a file larger than any image may be, even with a small header', () => {
    const identity = identifyFile(pngBytes(10, 10), MAX_IMAGE_FILE_BYTES + 1)
    expect(identity).toEqual({
      kind: 'refused',
      message: expect.stringMatching(/more than the 260 MB an image may be/)
    })
  })

  it('asks for more bytes when its own read ended inside a header, but calls a short file truncated', () => {
    const jpeg = jpegHeaderBytes(64, 48, HEAD_BYTES + 5000) // a big EXIF block before the frame header
    expect(identifyFile(jpeg.subarray(0, HEAD_BYTES), jpeg.length)).toEqual({ kind: 'need-more' })
    expect(identifyFile(jpeg, jpeg.length)).toMatchObject({
      kind: 'image',
      header: { format: 'jpeg', width: 64, height: 48 }
    })
    const cut = jpeg.subarray(0, 1000)
    expect(identifyFile(cut, cut.length)).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/JPEG file is truncated/)
    })
  })

  it('reads more of a file when the first bytes are not enough (identifyBlob)', async () => {
    const jpeg = jpegHeaderBytes(64, 48, HEAD_BYTES + 5000)
    const { identity } = await identifyBlob(new Blob([jpeg]))
    expect(identity).toMatchObject({ kind: 'image', header: { width: 64, height: 48 } })
  })

  it('finds files cut short from their last bytes: PNG without IEND, GIF without trailer, WebP and BMP shorter than promised', () => {
    const png = pngBytes(10, 10)
    expect(findTruncation('png', png, png.slice(-4096), png.length)).toBeNull()
    const cutPng = png.subarray(0, png.length - 12)
    expect(findTruncation('png', cutPng, cutPng, cutPng.length)).toMatch(/PNG file is truncated/)

    const gif = gifBytes(10, 10)
    expect(findTruncation('gif', gif, gif, gif.length)).toBeNull()
    expect(findTruncation('gif', gif, gif.subarray(0, gif.length - 1), gif.length - 1)).toMatch(
      /GIF file is truncated/
    )

    const webp = webpHeaderBytes(200)
    expect(findTruncation('webp', webp, webp, 208)).toBeNull()
    expect(findTruncation('webp', webp, webp, 70)).toMatch(
      /WEBP file is truncated: its header promises 208 bytes, it has 70/
    )

    const bmp = bmpBytes(5, 3) // 24-bit rows of 15 bytes padded to 16
    expect(findTruncation('bmp', bmp, bmp, bmp.length)).toBeNull()
    expect(bmp.length).toBe(54 + 16 * 3)
    expect(findTruncation('bmp', bmp, bmp, bmp.length - 1)).toMatch(/BMP file is truncated/)
    expect(findTruncation('jpeg', new Uint8Array(4), new Uint8Array(4), 4)).toBeNull()
  })

  it('caps the files taken from one drop', () => {
    const files = Array.from({ length: MAX_FILES_PER_DROP + 7 }, (_, i) => i)
    const { accepted, skipped } = capFiles(files)
    expect(accepted).toHaveLength(MAX_FILES_PER_DROP)
    expect(accepted[0]).toBe(0)
    expect(skipped).toBe(7)
    expect(capFiles([1, 2]).skipped).toBe(0)
  })

  it('writes sizes and messages for people', () => {
    expect(formatBytes(0)).toBe('0 bytes')
    expect(formatBytes(812 * 1024)).toBe('812 KB')
    expect(formatBytes(1.44 * 1024 * 1024)).toBe('1.4 MB')
    expect(sentence('the file is empty')).toBe('The file is empty')
  })
})

describe('prepareImage: a file to the 28×28 input', () => {
  it('decodes a good image and preprocesses it MNIST-style, with the steps', async () => {
    const file = new Blob([pngBytes(120, 100)])
    const decoder = fakeProcessor(new Map([[file, seven()]]))
    const outcome = await prepareImage(file, decoder)
    expect(outcome.ok).toBe(true)
    if (!outcome.ok) return
    expect(outcome.input).toHaveLength(784)
    expect(Math.max(...outcome.input)).toBeCloseTo(1, 5)
    expect(outcome.steps.inverted).toBe(true) // black ink on white paper
    expect(outcome.header).toMatchObject({ format: 'png', width: 120, height: 100 })
    expect(decoder.processFile).toHaveBeenCalledTimes(1)
  })

  it('lets an unexpected error through (the store turns it into that file’s message)', async () => {
    const processor = fakeProcessor(new Map())
    processor.processFile.mockRejectedValue(new Error('worker crashed'))
    await expect(prepareImage(new Blob([gifBytes(10, 10)]), processor)).rejects.toThrow(
      'worker crashed'
    )
  })

  /** Each file is refused with its message, and none reaches the decoder. */
  async function expectRefusedBeforeDecoding(
    cases: readonly (readonly [Uint8Array, RegExp])[]
  ): Promise<void> {
    const decoder = fakeProcessor(new Map())
    for (const [bytes, message] of cases) {
      const outcome = await prepareImage(new Blob([bytes as Uint8Array<ArrayBuffer>]), decoder)
      expect(outcome).toMatchObject({
        ok: false,
        problem: 'file',
        message: expect.stringMatching(message)
      })
    }
    expect(decoder.processFile).not.toHaveBeenCalled()
  }

  it('never hands refused or truncated bytes to the decoder', async () => {
    await expectRefusedBeforeDecoding([
      [text('<svg/>'), /SVG/],
      [new Uint8Array(0), /empty/],
      [pngBytes(100_000, 100_000), /larger than the limit/],
      [pngBytes(10, 10).subarray(0, 40), /PNG file is truncated/]
    ])
  })

  it('checks every frame of an animation before the browser decodes it, not only the canvas', async () => {
    const frameBomb = webp([1, 1], {
      frames: [{ at: [0, 0], size: [12000, 12000], data: vp8l(12000, 12000) }]
    })
    const bigSecondFrame = gif(10, 10, [
      [10, 10],
      [65535, 65535]
    ])
    await expectRefusedBeforeDecoding([
      [
        frameBomb,
        /the WEBP file is corrupt: frame 1 \(12000×12000 at 0,0\) does not fit its 1×1 canvas/
      ],
      [bigSecondFrame, /frame 2 is 65535×65535 pixels, larger than the limit/],
      [webp([1, 1], { still: vp8l(16000, 16000) }), /its image data is 16000×16000/]
    ])
  })

  it('names the format when the decoder rejects data behind a good header', async () => {
    const outcome = await prepareImage(new Blob([gifBytes(10, 10)]), fakeProcessor(new Map()))
    expect(outcome).toMatchObject({
      ok: false,
      problem: 'file',
      message: 'the GIF file is corrupt: its image data could not be decoded'
    })
  })

  it('says "no digit found" for a blank image, and keeps its preview', async () => {
    const file = new Blob([pngBytes(50, 40)])
    const outcome = await prepareImage(
      file,
      fakeProcessor(new Map([[file, solidImage(50, 40, [250, 250, 250, 255])]]))
    )
    expect(outcome).toMatchObject({
      ok: false,
      problem: 'no-digit',
      message: expect.stringMatching(/^no digit found/),
      preview: { url: 'data:,' }
    })
  })

  it('tells a model file apart when it is prepared as an image', async () => {
    const outcome = await prepareImage(new Blob([text('{"x":1}')]), fakeProcessor(new Map()))
    expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/model file/) })
  })
})

describe('showing the steps', () => {
  it('puts every step into words, inversion and crop box included', async () => {
    const file = new Blob([pngBytes(120, 100)])
    const outcome = await prepareImage(file, fakeProcessor(new Map([[file, seven()]])))
    if (!outcome.ok) throw new Error(outcome.message)
    const lines = describeSteps(outcome.steps, outcome.header)
    expect(lines.map((l) => l.label)).toEqual([
      'Image',
      'Transparency',
      'Polarity',
      'Paper and ink',
      'Noise',
      'Threshold',
      'Marks',
      'Crop box',
      'Stroke',
      'Scale and centre'
    ])
    expect(lines[0].text).toBe('120×100 px PNG')
    expect(lines[2].text).toMatch(/inverted/)
    expect(lines[3].swatches?.map((s) => s.name)).toEqual(['paper', 'ink'])
    expect(lines[7].text).toMatch(/outlined on the original/)
    expect(describeSteps(outcome.steps, null)[0].text).toBe('120×100 px drawing')
    const downscaled = describeSteps(outcome.steps, {
      ...outcome.header,
      width: 1200,
      height: 1000
    })
    expect(downscaled[0].text).toBe('1200×1000 px PNG, decoded at 120×100')
  })

  it('places the crop box in percent of the image, and draws the input as grey pixels', () => {
    expect(boxPercent({ x: 30, y: 10, width: 60, height: 50 }, 120, 100)).toEqual({
      left: '25.000%',
      top: '10.000%',
      width: '50.000%',
      height: '50.000%'
    })
    const input = new Float32Array(784)
    input[0] = 1
    input[1] = 0.5
    const rgba = inputToRgba(input)
    expect(Array.from(rgba.subarray(0, 8))).toEqual([255, 255, 255, 255, 128, 128, 128, 255])
    expect(rgba[4 * 783 + 3]).toBe(255)
  })
})
