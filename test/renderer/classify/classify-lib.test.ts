// The Classify view's pure parts: identifying files by content and refusing bad ones before decoding,
// the whole file → 28×28 path with a fake decoder, the draw pad's stroke math, throttling, the
// confidence hint and how the steps are put into words.

import { describe, expect, it, vi } from 'vitest'
import { preprocessDigit, type ImageHeader, type RgbaImage } from '@core/vision/index'
import {
  BRUSH_WIDTH,
  extendStroke,
  PAD_SIZE,
  paintPad,
  paintSegment,
  toPadPoint,
  brushWidth,
  type PadContext,
  type PadPoint
} from '@/classify/draw-strokes'
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
import {
  confidenceHint,
  explainPredictError,
  probabilityLabel,
  rankClasses
} from '@/classify/image-prediction'
import { formatProbability } from '@/shared/probability'
import { boxPercent, describeSteps, inputToRgba } from '@/classify/image-view'
import { throttle, type Clock } from '@/classify/throttle'
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

describe('draw pad strokes', () => {
  /** Records what is painted, as the canvas would receive it. */
  function recorder(): PadContext & { calls: string[] } {
    const calls: string[] = []
    return {
      calls,
      fillStyle: '',
      strokeStyle: '',
      shadowColor: '',
      shadowBlur: 0,
      lineWidth: 1,
      lineCap: 'butt',
      lineJoin: 'miter',
      fillRect: (x, y, w, h) => calls.push(`fillRect ${x} ${y} ${w} ${h}`),
      beginPath: () => calls.push('beginPath'),
      moveTo: (x, y) => calls.push(`moveTo ${x} ${y}`),
      lineTo: (x, y) => calls.push(`lineTo ${x} ${y}`),
      arc: (x, y, r) => calls.push(`arc ${x} ${y} ${r}`),
      stroke: function (this: PadContext) {
        calls.push(`stroke ${this.lineWidth} ${this.lineCap}`)
      },
      fill: () => calls.push('fill')
    }
  }

  it('sizes the pen like MNIST’s: a digit across most of the pad gets a 2 px stroke at 28×28', () => {
    // Preprocessing scales the digit's longer side to 20 px; a digit 200 px tall shrinks 10×.
    expect(BRUSH_WIDTH * (20 / 200)).toBe(2)
    expect(brushWidth(0.5, 'mouse')).toBe(BRUSH_WIDTH)
    expect(brushWidth(1, 'touch')).toBe(BRUSH_WIDTH)
    expect(brushWidth(0, 'pen')).toBe(BRUSH_WIDTH) // a pen that reports no pressure
    expect(brushWidth(1, 'pen')).toBeCloseTo(BRUSH_WIDTH * 1.3)
    expect(brushWidth(0.25, 'pen')).toBeCloseTo(BRUSH_WIDTH * 0.85)
  })

  it('maps screen coordinates to pad pixels at any displayed size, clamped to the pad', () => {
    const rect = { left: 100, top: 50, width: 140, height: 140 } // shown at half size
    expect(toPadPoint(170, 120, rect)).toEqual({
      x: PAD_SIZE / 2,
      y: PAD_SIZE / 2,
      width: BRUSH_WIDTH
    })
    expect(toPadPoint(100, 50, rect, 12)).toEqual({ x: 0, y: 0, width: 12 })
    expect(toPadPoint(90, 500, rect)).toMatchObject({ x: 0, y: PAD_SIZE })
  })

  it('skips points too close to the last one', () => {
    const stroke: PadPoint[] = []
    expect(extendStroke(stroke, { x: 10, y: 10, width: 20 })).toBe(true)
    expect(extendStroke(stroke, { x: 10.5, y: 10.2, width: 20 })).toBe(false)
    expect(extendStroke(stroke, { x: 12, y: 10, width: 20 })).toBe(true)
    expect(stroke).toHaveLength(2)
  })

  it('paints a tap as a round dot and a move as a round-capped segment of the mean width', () => {
    const ctx = recorder()
    const stroke: PadPoint[] = [
      { x: 10, y: 20, width: 20 },
      { x: 30, y: 20, width: 24 }
    ]
    paintSegment(ctx, stroke, 0)
    expect(ctx.calls).toEqual(['beginPath', 'arc 10 20 10', 'fill'])
    ctx.calls.length = 0
    paintSegment(ctx, stroke, 1)
    expect(ctx.calls).toEqual(['beginPath', 'moveTo 10 20', 'lineTo 30 20', 'stroke 22 round'])
    expect(ctx.shadowBlur).toBeGreaterThan(0) // slightly soft edges
  })

  it('repaints the whole pad: background first, then every stroke in order', () => {
    const ctx = recorder()
    paintPad(ctx, [
      [{ x: 1, y: 1, width: 20 }],
      [
        { x: 5, y: 5, width: 20 },
        { x: 9, y: 5, width: 20 }
      ]
    ])
    expect(ctx.calls[0]).toBe(`fillRect 0 0 ${PAD_SIZE} ${PAD_SIZE}`)
    expect(ctx.calls.filter((c) => c.startsWith('arc'))).toHaveLength(2)
    expect(ctx.calls.filter((c) => c.startsWith('stroke'))).toHaveLength(1)
  })
})

describe('throttle', () => {
  function fakeClock(): Clock & { advance(ms: number): void } {
    let now = 0
    let timers: { at: number; run: () => void }[] = []
    return {
      now: () => now,
      setTimeout: (run, ms) => {
        const timer = { at: now + ms, run }
        timers.push(timer)
        return timer
      },
      clearTimeout: (handle) => (timers = timers.filter((t) => t !== handle)),
      advance(ms) {
        now += ms
        const due = timers.filter((t) => t.at <= now)
        timers = timers.filter((t) => t.at > now)
        for (const t of due) t.run()
      }
    }
  }

  it('runs at once, then at most once per interval with the latest arguments', () => {
    const clock = fakeClock()
    const seen: number[] = []
    const limited = throttle((n: number) => seen.push(n), 66, clock)
    limited(1)
    limited(2)
    limited(3)
    expect(seen).toEqual([1])
    clock.advance(65)
    expect(seen).toEqual([1])
    clock.advance(1)
    expect(seen).toEqual([1, 3])
    clock.advance(100)
    limited(4)
    expect(seen).toEqual([1, 3, 4])
  })

  it('flushes a pending call now, and cancels one', () => {
    const clock = fakeClock()
    const seen: number[] = []
    const limited = throttle((n: number) => seen.push(n), 66, clock)
    limited(1)
    limited(2)
    limited.flush()
    expect(seen).toEqual([1, 2])
    clock.advance(10)
    limited(3)
    limited.cancel()
    clock.advance(200)
    expect(seen).toEqual([1, 2])
  })
})

describe('telling the prediction', () => {
  const probabilities = (entries: Record<number, number>): number[] =>
    Array.from({ length: 10 }, (_, d) => entries[d] ?? 0)

  it('ranks classes and labels every bar like "3: 12%"', () => {
    expect(
      rankClasses(probabilities({ 2: 0.3, 5: 0.6, 8: 0.1 }))
        .map((c) => c.digit)
        .slice(0, 3)
    ).toEqual([5, 2, 8])
    expect(rankClasses(probabilities({ 4: 0.5, 1: 0.5 }))[0].digit).toBe(1) // ties: the smaller digit
    expect(probabilityLabel(3, 0.1234)).toBe('3: 12%')
    // A softmax output is never certainty: 99.6% is not "100%"; near either end one decimal shows.
    expect(formatProbability(0.996)).toBe('99.6%')
    expect(formatProbability(0.99864)).toBe('99.9%')
    expect(formatProbability(0.004)).toBe('0.4%')
    expect(formatProbability(0.713)).toBe('71%')
    expect(formatProbability(0)).toBe('0%')
    expect(formatProbability(1)).toBe('100%')
    // One decimal is not enough near the ends: never "100.0%" or "0.0%" for what is neither.
    expect(formatProbability(0.9996)).toBe('>99.9%')
    expect(formatProbability(0.999)).toBe('99.9%')
    expect(formatProbability(0.0004)).toBe('<0.1%')
    expect(formatProbability(0.001)).toBe('0.1%')
  })

  it('is quiet when the network is sure, and names the candidates when it is not', () => {
    expect(confidenceHint(probabilities({ 7: 0.93, 1: 0.07 }))).toEqual({
      sure: true,
      text: null,
      reason: null
    })
    expect(confidenceHint(probabilities({ 3: 0.42, 5: 0.38, 8: 0.1, 9: 0.1 }))).toEqual({
      sure: false,
      text: 'not sure — maybe 3 or 5',
      reason: 'the top probability is below 50%'
    })
    expect(confidenceHint(probabilities({ 4: 0.34, 9: 0.33, 7: 0.3, 1: 0.03 })).text).toBe(
      'not sure — maybe 4, 9 or 7'
    )
    expect(confidenceHint(probabilities({ 6: 0.71, 2: 0.2, 4: 0.09 })).sure).toBe(true)
  })

  it('is not sure either when the runner-up is close, even above 50%', () => {
    // An "X" read as 2 with 54% against 30% for 8 is a toss-up, not an answer.
    expect(confidenceHint(probabilities({ 2: 0.54, 8: 0.3, 3: 0.16 }))).toEqual({
      sure: false,
      text: 'not sure — maybe 2 or 8',
      reason: '8 is close behind (54% against 30%)'
    })
    expect(confidenceHint(probabilities({ 4: 0.5, 9: 0.5 })).sure).toBe(false) // a tie is no answer
    expect(confidenceHint(probabilities({ 4: 0.66, 9: 0.34 })).sure).toBe(true) // past the margin
  })

  it('says a prediction failed, in the host’s words', () => {
    expect(explainPredictError('socket closed')).toBe('Could not classify: socket closed')
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
