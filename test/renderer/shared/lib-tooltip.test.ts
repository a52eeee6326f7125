// Where the window's one tooltip goes: inside the window, flipped above near the bottom, beside the
// settings panel when asked, and never over the status line.
import { describe, expect, it } from 'vitest'
import { placeTooltip, TOOLTIP_GAP, WINDOW_MARGIN } from '@/shared/tooltip/tooltip-placement'

const viewport = { width: 900, height: 600 }
const tip = { width: 200, height: 40 }
const anchor = (left: number, top: number, width = 80, height = 30) => ({
  left,
  top,
  width,
  height
})

describe('tooltip placement', () => {
  it('goes below its anchor, centred on it', () => {
    expect(placeTooltip(anchor(400, 100), tip, viewport)).toEqual({
      side: 'below',
      left: 340,
      top: 130 + TOOLTIP_GAP
    })
  })

  it('flips above when below would leave the window', () => {
    const placed = placeTooltip(anchor(400, 560), tip, viewport)
    expect(placed).toEqual({ side: 'above', left: 340, top: 560 - TOOLTIP_GAP - 40 })
  })

  it('slides sideways to stay inside the window (a button at the left or right edge)', () => {
    expect(placeTooltip(anchor(2, 100), tip, viewport).left).toBe(WINDOW_MARGIN)
    expect(placeTooltip(anchor(850, 100), tip, viewport).left).toBe(900 - 200 - WINDOW_MARGIN)
  })

  it('goes above rather than over the status line', () => {
    const statusLine = { left: 300, top: 140, width: 500, height: 24 }
    const placed = placeTooltip(anchor(400, 100), tip, viewport, [statusLine])
    expect(placed.side).toBe('above')
    expect(placed.top + tip.height).toBeLessThanOrEqual(100)
  })

  it('sits beside the settings panel when asked, and falls back below when there is no room', () => {
    expect(placeTooltip(anchor(16, 200, 240, 30), tip, viewport, [], true)).toEqual({
      side: 'right',
      left: 256 + TOOLTIP_GAP,
      top: 200
    })
    const narrow = { width: 400, height: 600 }
    expect(placeTooltip(anchor(16, 200, 360, 30), tip, narrow, [], true).side).toBe('below')
    // Near the bottom it stays beside the panel, moved up, rather than over the fields above.
    expect(placeTooltip(anchor(16, 570, 240, 30), tip, viewport, [], true)).toEqual({
      side: 'right',
      left: 256 + TOOLTIP_GAP,
      top: 600 - 40 - WINDOW_MARGIN
    })
  })

  it('keeps its start inside the window even when nothing fits', () => {
    const tall = { width: 200, height: 700 }
    const placed = placeTooltip(anchor(400, 300), tall, viewport)
    expect(placed.top).toBe(WINDOW_MARGIN)
  })
})
