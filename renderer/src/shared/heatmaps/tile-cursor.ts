// Moving a keyboard cursor over a grid of weight tiles: one pixel of one unit's tile at a time, so that
// every weight can be read and checked without a mouse.

import type { TileShape } from './heatmap'

export interface TileCursor {
  readonly unit: number
  readonly row: number
  readonly col: number
}

/**
 * The cursor after a key press, or null when the key does not move it. Arrows move one pixel, and
 * from a tile's left or right edge into the neighbouring tile (so all tiles read as one long strip);
 * Page Up / Page Down go to the previous / next tile at the same pixel; Home / End to the first / last tile.
 */
export function moveCursor(
  cursor: TileCursor,
  key: string,
  shape: TileShape,
  units: number
): TileCursor | null {
  const { unit, row, col } = cursor
  const lastUnit = units - 1
  switch (key) {
    case 'ArrowUp':
      return { unit, row: Math.max(0, row - 1), col }
    case 'ArrowDown':
      return { unit, row: Math.min(shape.height - 1, row + 1), col }
    case 'ArrowLeft':
      if (col > 0) return { unit, row, col: col - 1 }
      return unit > 0 ? { unit: unit - 1, row, col: shape.width - 1 } : cursor
    case 'ArrowRight':
      if (col < shape.width - 1) return { unit, row, col: col + 1 }
      return unit < lastUnit ? { unit: unit + 1, row, col: 0 } : cursor
    case 'PageUp':
      return { unit: Math.max(0, unit - 1), row, col }
    case 'PageDown':
      return { unit: Math.min(lastUnit, unit + 1), row, col }
    case 'Home':
      return { unit: 0, row, col }
    case 'End':
      return { unit: lastUnit, row, col }
    default:
      return null
  }
}
