// Generates the held-out digit set (test/fixtures/digits/): handwriting-style digits that are not MNIST,
// drawn in Chromium with pen strokes and fonts, then varied in size, colour, polarity, position,
// rotation, transparency, noise, blur and file format. Seeded: the same seed gives the same set
// (on a machine with the same fonts). Usage: npx tsx bench/digits/generate.ts [--count 500] [--seed 4] [--out DIR]

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { createRng, type Rng } from '../../core'
import { encodeBmp, encodeGif, encodePng } from '../../test/helpers/encode-image'
import { EXTENSION, makeSpec, type Spec } from './spec'

// The page's DOM, declared loosely for drawInPage: this file compiles against Node's types, not the DOM's.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PageAny = any
declare const document: { createElement(tag: 'canvas'): PageAny }
declare const Path2D: new (path: string) => PageAny

/** What the manifest records per image (the label plus how it was made, for error analysis). */
interface ManifestEntry {
  file: string
  label: number
  style: string
  width: number
  height: number
  polarity: 'dark-on-light' | 'light-on-dark'
  transparent: boolean
  noisy: boolean
  blurred: boolean
  rotationDegrees: number
}

const args = process.argv.slice(2)
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback
}
const COUNT = Number(option('count', '500'))
const SEED = Number(option('seed', '4'))
const OUT = option('out', 'test/fixtures/digits')

/** Runs in the page: draws one spec on a canvas; returns RGBA bytes and, for PNG/JPEG/WebP, the file. */
async function drawInPage(spec: Spec): Promise<{ rgba: string; file: string | null }> {
  const canvas = document.createElement('canvas')
  canvas.width = spec.width
  canvas.height = spec.height
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!
  const bg = spec.background
  if (bg.kind === 'solid') {
    ctx.fillStyle = bg.color
    ctx.fillRect(0, 0, spec.width, spec.height)
  } else if (bg.kind === 'gradient') {
    const r = Math.hypot(spec.width, spec.height) / 2
    const [mx, my, dx, dy] = [
      spec.width / 2,
      spec.height / 2,
      Math.cos(bg.angle) * r,
      Math.sin(bg.angle) * r
    ]
    const gradient = ctx.createLinearGradient(mx - dx, my - dy, mx + dx, my + dy)
    gradient.addColorStop(0, bg.from)
    gradient.addColorStop(1, bg.to)
    ctx.fillStyle = gradient
    ctx.fillRect(0, 0, spec.width, spec.height)
  }
  ctx.save()
  ctx.translate(spec.cx, spec.cy)
  ctx.rotate(spec.rotation)
  ctx.transform(1, 0, spec.skew, 1, 0, 0)
  ctx.scale(spec.aspect, 1)
  if (spec.blur > 0) ctx.filter = `blur(${spec.blur}px)`
  ctx.fillStyle = spec.ink
  ctx.strokeStyle = spec.ink
  const g = spec.glyph
  if (g.kind === 'font') {
    ctx.font = `${g.italic ? 'italic ' : ''}${g.weight} 100px "${g.family}"`
    const m = ctx.measureText(String(spec.label))
    const glyphHeight = m.actualBoundingBoxAscent + m.actualBoundingBoxDescent
    const s = spec.size / glyphHeight
    ctx.scale(s, s)
    ctx.fillText(
      String(spec.label),
      -(m.actualBoundingBoxRight - m.actualBoundingBoxLeft) / 2,
      (m.actualBoundingBoxAscent - m.actualBoundingBoxDescent) / 2
    )
  } else {
    const s = spec.size / 100
    ctx.scale(s, s)
    ctx.translate(-50, -50)
    ctx.lineWidth = g.penWidth
    ctx.lineCap = 'round'
    ctx.lineJoin = 'round'
    ctx.stroke(new Path2D(g.path))
  }
  ctx.restore()

  if (spec.gaussian > 0 || spec.saltPepper > 0) {
    let state = spec.noiseSeed >>> 0
    const random = (): number => {
      state = (state + 0x6d2b79f5) >>> 0
      let t = state
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    const image = ctx.getImageData(0, 0, spec.width, spec.height)
    const d = image.data
    for (let p = 0; p < d.length; p += 4) {
      if (spec.gaussian > 0 && d[p + 3] > 0) {
        const n =
          Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()) * spec.gaussian
        for (let c = 0; c < 3; c++) d[p + c] += n
      }
      if (spec.saltPepper > 0 && random() < spec.saltPepper) {
        const v = random() < 0.5 ? 0 : 255
        d[p] = d[p + 1] = d[p + 2] = v
        d[p + 3] = 255
      }
    }
    ctx.putImageData(image, 0, 0)
  }

  const rgbaBytes = ctx.getImageData(0, 0, spec.width, spec.height).data
  let binary = ''
  for (let i = 0; i < rgbaBytes.length; i += 0x8000)
    binary += String.fromCharCode(...rgbaBytes.subarray(i, i + 0x8000))
  const rgba = btoa(binary)
  const needsCanvasFile =
    spec.format === 'jpeg' ||
    spec.format === 'webp' ||
    (spec.format === 'png' && bg.kind !== 'transparent')
  if (!needsCanvasFile) return { rgba, file: null }
  const blob = await new Promise<Blob>((resolve) =>
    canvas.toBlob((b: Blob) => resolve(b), `image/${spec.format}`, spec.quality)
  )
  const bytes = new Uint8Array(await blob.arrayBuffer())
  let fileBinary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    fileBinary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return { rgba, file: btoa(fileBinary) }
}

async function render(page: Page, spec: Spec, rng: Rng): Promise<Uint8Array> {
  const { rgba, file } = await page.evaluate(drawInPage, spec)
  if (file) return new Uint8Array(Buffer.from(file, 'base64'))
  const data = new Uint8Array(Buffer.from(rgba, 'base64'))
  const image = { width: spec.width, height: spec.height, data }
  if (spec.format === 'png') {
    // Canvas stores transparent pixels as black; real files often keep some other colour there.
    const under =
      rng() < 0.5
        ? [0, 0, 0]
        : [Math.floor(rng() * 256), Math.floor(rng() * 256), Math.floor(rng() * 256)]
    for (let p = 0; p < data.length; p += 4) if (data[p + 3] === 0) data.set(under, p)
    return encodePng(image)
  }
  if (spec.format === 'gif') return encodeGif([image])
  return encodeBmp(image, { bits: rng() < 0.3 ? 32 : 24, topDown: rng() < 0.2 })
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true })
  for (const name of readdirSync(OUT)) if (/^d\d+\.\w+$/.test(name)) rmSync(join(OUT, name))
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
  const page = await browser.newPage()
  await page.setContent('<!doctype html><body></body>')
  // tsx compiles with keepNames, which wraps inner functions in __name(); give the page a no-op one.
  await page.evaluate('globalThis.__name = (f) => f')
  const rng = createRng(SEED)
  const manifest: ManifestEntry[] = []
  for (let i = 0; i < COUNT; i++) {
    const spec = makeSpec(rng, i)
    const bytes = await render(page, spec, rng)
    const file = `d${String(i + 1).padStart(4, '0')}.${EXTENSION[spec.format]}`
    writeFileSync(join(OUT, file), bytes)
    manifest.push({
      file,
      label: spec.label,
      style: spec.glyph.kind === 'pen' ? 'pen' : `font:${spec.glyph.family}`,
      width: spec.width,
      height: spec.height,
      polarity: spec.darkInk ? 'dark-on-light' : 'light-on-dark',
      transparent: spec.background.kind === 'transparent',
      noisy: spec.gaussian > 0 || spec.saltPepper > 0,
      blurred: spec.blur > 0,
      rotationDegrees: Math.round((spec.rotation * 180) / Math.PI)
    })
  }
  await browser.close()
  writeFileSync(
    join(OUT, 'labels.json'),
    JSON.stringify(
      { seed: SEED, count: COUNT, generator: 'bench/digits/generate.ts', images: manifest },
      null,
      1
    ) + '\n'
  )
  console.log(`wrote ${COUNT} images and labels.json to ${OUT}`)
}

void main()
