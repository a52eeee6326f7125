// The draw pad's strokes as plain data, and how they are painted: a round, slightly soft white pen on
// black, sized so that a digit drawn across the pad looks like an MNIST digit once scaled to 28×28.

/** The pad is drawn at this many pixels square, whatever its size on screen: 10 per MNIST pixel. */
export const PAD_SIZE = 280
/**
 * Pen width in pad pixels. A digit drawn ~200 px tall becomes 20 px tall in MNIST's frame (÷10), so a
 * 20 px pen becomes a 2 px stroke: MNIST's own pen width.
 */
export const BRUSH_WIDTH = 20
/** Blur radius of the pen's edge (pad pixels): MNIST strokes are antialiased, not hard-edged. */
export const BRUSH_SOFTNESS = 2.5
export const PAD_BACKGROUND = '#000000'
export const PAD_INK = '#ffffff'
/** A new point closer than this to the last one (pad pixels) adds nothing visible and is skipped. */
export const MIN_POINT_DISTANCE = 1

export interface PadPoint {
  readonly x: number
  readonly y: number
  /** Pen width at this point, in pad pixels. */
  readonly width: number
}

export type Stroke = readonly PadPoint[]

/** The on-screen rectangle of the pad (DOMRect fits). */
export interface PadRect {
  readonly left: number
  readonly top: number
  readonly width: number
  readonly height: number
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v))

/**
 * Pen width for a pointer. Only a pen's pressure means anything: a mouse reports 0.5 while a button is
 * down and touch screens report 0 or 1, so both get the standard width. A pen ranges over 0.7×…1.3×.
 */
export function brushWidth(pressure: number, pointerType: string): number {
  if (pointerType !== 'pen' || !(pressure > 0)) return BRUSH_WIDTH
  return BRUSH_WIDTH * (0.7 + 0.6 * clamp(pressure, 0, 1))
}

/** Client (CSS pixel) coordinates → pad pixels, whatever size the pad is shown at; clamped to the pad. */
export function toPadPoint(
  clientX: number,
  clientY: number,
  rect: PadRect,
  width = BRUSH_WIDTH,
  size = PAD_SIZE
): PadPoint {
  const x = ((clientX - rect.left) / Math.max(1, rect.width)) * size
  const y = ((clientY - rect.top) / Math.max(1, rect.height)) * size
  return { x: clamp(x, 0, size), y: clamp(y, 0, size), width }
}

/** Appends `point` unless it is too close to the stroke's last point; returns whether it was added. */
export function extendStroke(
  stroke: PadPoint[],
  point: PadPoint,
  minDistance = MIN_POINT_DISTANCE
): boolean {
  const last = stroke.at(-1)
  if (last && Math.hypot(point.x - last.x, point.y - last.y) < minDistance) return false
  stroke.push(point)
  return true
}

/** The parts of CanvasRenderingContext2D the pad paints with (a recording fake in tests). */
export interface PadContext {
  fillStyle: string | CanvasGradient | CanvasPattern
  strokeStyle: string | CanvasGradient | CanvasPattern
  shadowColor: string
  shadowBlur: number
  lineWidth: number
  lineCap: CanvasLineCap
  lineJoin: CanvasLineJoin
  fillRect(x: number, y: number, w: number, h: number): void
  beginPath(): void
  moveTo(x: number, y: number): void
  lineTo(x: number, y: number): void
  arc(x: number, y: number, radius: number, startAngle: number, endAngle: number): void
  stroke(): void
  fill(): void
}

function penStyle(context: PadContext): void {
  context.strokeStyle = PAD_INK
  context.fillStyle = PAD_INK
  context.shadowColor = PAD_INK
  context.shadowBlur = BRUSH_SOFTNESS
  context.lineCap = 'round'
  context.lineJoin = 'round'
}

/** Paints the segment from point `index − 1` to `index` of a stroke (or a dot for a one-point stroke). */
export function paintSegment(context: PadContext, stroke: Stroke, index: number): void {
  penStyle(context)
  const to = stroke[index]
  const from = stroke[index - 1]
  context.beginPath()
  if (!from) {
    context.arc(to.x, to.y, to.width / 2, 0, 2 * Math.PI)
    context.fill()
    return
  }
  // Round caps make consecutive segments of different widths join without gaps.
  context.lineWidth = (from.width + to.width) / 2
  context.moveTo(from.x, from.y)
  context.lineTo(to.x, to.y)
  context.stroke()
}

/** Paints the whole pad: background, then every stroke in order. */
export function paintPad(context: PadContext, strokes: readonly Stroke[], size = PAD_SIZE): void {
  context.shadowBlur = 0
  context.fillStyle = PAD_BACKGROUND
  context.fillRect(0, 0, size, size)
  for (const stroke of strokes)
    for (let i = 0; i < stroke.length; i++) paintSegment(context, stroke, i)
}
