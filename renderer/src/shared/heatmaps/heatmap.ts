// Turning rows of a weight matrix into 28×28 tiles of pixels: scale choice, painting, hit-testing.

import { LUT_SIZE } from './colormap'

export interface TileShape {
  readonly width: number
  readonly height: number
}

/** A row of `cols` weights as an image: square when cols is a perfect square (784 → 28×28), else one strip. */
export function tileShape(cols: number): TileShape {
  const side = Math.round(Math.sqrt(cols))
  return side * side === cols ? { width: side, height: side } : { width: cols, height: 1 }
}

/** max |w| over data[offset, offset + length): the half-width of a symmetric colour scale. */
export function maxAbs(data: ArrayLike<number>, offset = 0, length = data.length - offset): number {
  let max = 0
  for (let i = offset; i < offset + length; i++) {
    const a = Math.abs(data[i])
    if (a > max && Number.isFinite(a)) max = a
  }
  return max
}

export type ScaleMode = 'shared' | 'per-tile'

/** The symmetric limit for each row: one shared max |w|, or each row's own. */
export function tileLimits(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  mode: ScaleMode
): number[] {
  if (mode === 'shared') {
    const shared = maxAbs(data, 0, rows * cols)
    return new Array<number>(rows).fill(shared)
  }
  return Array.from({ length: rows }, (_, r) => maxAbs(data, r * cols, cols))
}

/** Writes row `row` into RGBA `pixels` (length cols·4) through the colour lookup table. */
export function paintTile(
  pixels: Uint8ClampedArray,
  data: ArrayLike<number>,
  row: number,
  cols: number,
  limit: number,
  lut: Uint8ClampedArray
): void {
  const offset = row * cols
  const middle = (LUT_SIZE - 1) / 2
  const scaled = limit > 0
  for (let i = 0; i < cols; i++) {
    // PERF: lutIndex(value, limit) inlined and without branches on the sign, which weights flip at
    // random (a mispredicted branch per pixel): ~2× faster over 128 × 784 pixels. Tests check that both
    // agree, ties included.
    const value = data[offset + i]
    let index = middle
    if (scaled && Number.isFinite(value)) {
      const x = Math.max(-1, Math.min(1, value / limit)) * middle
      index = middle + Math.round(x)
      if (x - Math.floor(x) === 0.5 && x < 0) index-- // a tie below zero: away from zero, as lutIndex rounds
    }
    const k = index * 3
    const p = i * 4
    pixels[p] = lut[k]
    pixels[p + 1] = lut[k + 1]
    pixels[p + 2] = lut[k + 2]
    pixels[p + 3] = 255
  }
}

/** The image pixel under a pointer at (x, y) inside a tile drawn `drawnWidth` × `drawnHeight` px. */
export function pixelAt(
  x: number,
  y: number,
  drawnWidth: number,
  drawnHeight: number,
  shape: TileShape
): { row: number; col: number } | null {
  if (x < 0 || y < 0 || x >= drawnWidth || y >= drawnHeight) return null
  return {
    row: Math.min(shape.height - 1, Math.floor((y / drawnHeight) * shape.height)),
    col: Math.min(shape.width - 1, Math.floor((x / drawnWidth) * shape.width))
  }
}

/** The image pixel under a pointer event on the element showing the tile, at any drawn size. */
export function pixelUnderPointer(
  event: MouseEvent,
  shape: TileShape
): { row: number; col: number } | null {
  const target = event.currentTarget as HTMLElement
  return pixelAt(event.offsetX, event.offsetY, target.clientWidth, target.clientHeight, shape)
}

/** Where one image pixel sits over its tile, in percent of the tile: the box a pixel's outline takes. */
export function pixelBox(
  pixel: { row: number; col: number },
  { width, height }: TileShape
): { left: string; top: string; width: string; height: string } {
  return {
    left: `${(100 * pixel.col) / width}%`,
    top: `${(100 * pixel.row) / height}%`,
    width: `${100 / width}%`,
    height: `${100 / height}%`
  }
}

/** Most tiles drawn at once; a 4096-unit layer would otherwise mean 4096 canvases. */
export const MAX_TILES = 256

/** The weight at (row, col) of unit `unit`'s tile. */
export function weightAt(
  data: ArrayLike<number>,
  cols: number,
  shape: TileShape,
  unit: number,
  row: number,
  col: number
): number {
  return data[unit * cols + row * shape.width + col]
}

/** W − W₀, element by element: how far training has moved each weight since the run began. */
export function weightChange(current: Float32Array, initial: Float32Array): Float32Array {
  if (current.length !== initial.length)
    throw new Error(`W has ${current.length} values but W₀ has ${initial.length}`)
  const change = new Float32Array(current.length)
  for (let i = 0; i < current.length; i++) change[i] = current[i] - initial[i]
  return change
}

/** The pixel of unit `unit`'s tile with the largest |value| (the first one on ties), or its centre if all are 0. */
export function strongestPixel(
  data: ArrayLike<number>,
  cols: number,
  shape: TileShape,
  unit: number
): { row: number; col: number } {
  let best = -1
  let bestAbs = 0
  for (let i = 0; i < cols; i++) {
    const a = Math.abs(data[unit * cols + i])
    if (a > bestAbs && Number.isFinite(a)) {
      best = i
      bestAbs = a
    }
  }
  if (best < 0) return { row: Math.floor(shape.height / 2), col: Math.floor(shape.width / 2) }
  return { row: Math.floor(best / shape.width), col: best % shape.width }
}

/** A tile canvas that paints one row of a matrix (WeightHeatmapsTile). */
export interface PaintableTile {
  readonly unit: number
  context(): CanvasRenderingContext2D | null
}

/**
 * Paints each tile's row of `data` (rows of `shape.width · shape.height` values) through the colour
 * lookup table on its scale `limitOf(row)`. PERF: one pass, one ImageData reused for every tile (pass
 * the one this returns back in next time), so a new snapshot re-renders no tile component.
 */
export function paintTileCanvases(
  tiles: readonly PaintableTile[],
  data: ArrayLike<number>,
  shape: TileShape,
  limitOf: (row: number) => number,
  lut: Uint8ClampedArray,
  image: ImageData | null
): ImageData | null {
  const { width, height } = shape
  for (const tile of tiles) {
    const context = tile.context()
    if (!context) continue // no canvas drawing here (happy-dom)
    if (!image || image.width !== width || image.height !== height)
      image = context.createImageData(width, height)
    paintTile(image.data, data, tile.unit, width * height, limitOf(tile.unit), lut)
    context.putImageData(image, 0, 0)
  }
  return image
}
