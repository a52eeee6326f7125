// Connected components of the ink map, and the choice of which ones make up the digit (specks go).

import type { Box, Plane } from './image'

/** One 8-connected blob of ink. */
export interface Component {
  readonly label: number
  /** Number of ink pixels. */
  readonly area: number
  /** Sum of ink strengths (a faint blob weighs less than a solid one of the same area). */
  readonly mass: number
  readonly box: Box
}

/**
 * Labels the 8-connected components of the pixels with ink > 0.
 * Returns labels (0 = paper, k ≥ 1 = component k) with one Component per label, in label order.
 * 8-connectivity because a thin diagonal stroke is connected only through pixel corners.
 */
export function labelComponents(ink: Plane): { labels: Int32Array; components: Component[] } {
  const { width, height, data } = ink
  const labels = new Int32Array(width * height)
  const components: Component[] = []
  const stack = new Int32Array(width * height)
  for (let start = 0; start < labels.length; start++) {
    if (data[start] <= 0 || labels[start] !== 0) continue
    const label = components.length + 1
    let top = 0
    stack[top++] = start
    labels[start] = label
    let area = 0
    let mass = 0
    let x0 = width
    let y0 = height
    let x1 = -1
    let y1 = -1
    while (top > 0) {
      const i = stack[--top]
      const x = i % width
      const y = (i - x) / width
      area++
      mass += data[i]
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      if (y > y1) y1 = y
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy
        if (yy < 0 || yy >= height) continue
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx
          if (xx < 0 || xx >= width) continue
          const j = yy * width + xx
          if (data[j] > 0 && labels[j] === 0) {
            labels[j] = label
            stack[top++] = j
          }
        }
      }
    }
    components.push({
      label,
      area,
      mass,
      box: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }
    })
  }
  return { labels, components }
}

/**
 * Chooses the components that form the digit. The heaviest component is the digit's core; then, from
 * heavy to light, a component joins when it is
 *   - overlapping the digit's box so far and at least 0.5% of the core's mass (broken or dotted strokes), or
 *   - within 25% of the box size of it and at least 3% of the core's mass (a detached bar of a 5 or 7), or
 *   - within one box size and at least 30% of the core's mass (a digit drawn in two separate parts).
 * Everything else is a speck, a smudge or a distant mark, and is removed.
 * Returns the labels kept (the core first) and the union box of the kept components.
 */
export function selectDigitComponents(
  components: readonly Component[]
): { kept: number[]; box: Box } | null {
  if (components.length === 0) return null
  const byMass = [...components].sort((a, b) => b.mass - a.mass)
  const core = byMass[0]
  let box = core.box
  const kept = [core.label]
  const rest = byMass.slice(1)
  // Joining can grow the box and bring others in range, so repeat until nothing changes.
  for (let changed = true; changed;) {
    changed = false
    for (let k = 0; k < rest.length; k++) {
      const c = rest[k]
      const size = Math.max(box.width, box.height)
      const gap = boxGap(box, c.box)
      const share = c.mass / core.mass
      const joins =
        (gap === 0 && share >= 0.005) ||
        (gap <= 0.25 * size && share >= 0.03) ||
        (gap <= size && share >= 0.3)
      if (!joins) continue
      kept.push(c.label)
      box = unionBox(box, c.box)
      rest.splice(k--, 1)
      changed = true
    }
  }
  return { kept, box }
}

/** Chebyshev gap between two boxes: 0 when they overlap, 1 when they are edge neighbours, and so on. */
export function boxGap(a: Box, b: Box): number {
  const dx = Math.max(0, b.x - (a.x + a.width - 1), a.x - (b.x + b.width - 1))
  const dy = Math.max(0, b.y - (a.y + a.height - 1), a.y - (b.y + b.height - 1))
  return Math.max(dx, dy)
}

/** The smallest box containing both. */
export function unionBox(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x)
  const y = Math.min(a.y, b.y)
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y
  }
}
