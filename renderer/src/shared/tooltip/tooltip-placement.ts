// Where a tooltip goes: below its anchor (or beside it, when asked), else above, so that it stays inside
// the window and covers nothing that must stay readable (the training status line). Pure geometry.

export interface Rect {
  readonly left: number
  readonly top: number
  readonly width: number
  readonly height: number
}

export interface Size {
  readonly width: number
  readonly height: number
}

export type TooltipSide = 'right' | 'below' | 'above'

export interface TooltipPlacement {
  readonly left: number
  readonly top: number
  readonly side: TooltipSide
}

/** Space between the anchor and its tooltip, and the least margin kept from the window's edges (px). */
export const TOOLTIP_GAP = 7
export const WINDOW_MARGIN = 6

function overlapArea(a: Rect, b: Rect): number {
  const width = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left)
  const height = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top)
  return width > 0 && height > 0 ? width * height : 0
}

/** How far [start, start + length) reaches outside [margin, limit − margin]. */
function overflow(start: number, length: number, limit: number): number {
  return Math.max(0, WINDOW_MARGIN - start) + Math.max(0, start + length - limit + WINDOW_MARGIN)
}

/** `start` moved so that [start, start + length) fits in [margin, limit − margin] (its start wins). */
function clampInto(start: number, length: number, limit: number): number {
  return Math.max(WINDOW_MARGIN, Math.min(start, limit - length - WINDOW_MARGIN))
}

/**
 * The tooltip's top-left corner, in viewport coordinates. Each side is tried in order (beside the
 * anchor's right edge first when `preferRight`, then below, then above): the first that stays in the
 * window and covers none of `avoid` wins; when none does, the one that hides the least (the area
 * outside the window counts as hidden). Below and above centre the tooltip on the anchor; beside it
 * aligns their tops.
 */
export function placeTooltip(
  anchor: Rect,
  tip: Size,
  viewport: Size,
  avoid: readonly Rect[] = [],
  preferRight = false
): TooltipPlacement {
  const centred = anchor.left + anchor.width / 2 - tip.width / 2
  const candidates: TooltipPlacement[] = [
    { side: 'below', left: centred, top: anchor.top + anchor.height + TOOLTIP_GAP },
    { side: 'above', left: centred, top: anchor.top - TOOLTIP_GAP - tip.height }
  ]
  if (preferRight)
    candidates.unshift({
      side: 'right',
      left: anchor.left + anchor.width + TOOLTIP_GAP,
      top: anchor.top
    })
  /**
   * Each side may slide along its anchor to stay in the window (below and above sideways, beside it up
   * and down), never across it: that would cover the anchor.
   */
  const slid = (place: TooltipPlacement): TooltipPlacement =>
    place.side === 'right'
      ? { ...place, top: clampInto(place.top, tip.height, viewport.height) }
      : { ...place, left: clampInto(place.left, tip.width, viewport.width) }
  const hidden = (place: TooltipPlacement): number => {
    const { left, top } = slid(place)
    const box = { left, top, width: tip.width, height: tip.height }
    const outside =
      overflow(box.left, tip.width, viewport.width) * tip.height +
      overflow(box.top, tip.height, viewport.height) * tip.width
    return outside + avoid.reduce((sum, rect) => sum + overlapArea(box, rect), 0)
  }
  const best = slid(candidates.reduce((a, b) => (hidden(b) < hidden(a) ? b : a)))
  // NOTE: what fits nowhere (taller or wider than the window) still starts inside it.
  return {
    side: best.side,
    left: clampInto(best.left, tip.width, viewport.width),
    top: clampInto(best.top, tip.height, viewport.height)
  }
}
