// The keyboard's way into the weight tiles: the grid is one Tab stop (a roving tabindex), arrow keys
// move a pixel cursor, Enter checks that weight's gradient, and the readout follows the cursor.

import { ref, type Ref } from 'vue'
import type { TileShape } from '@/shared/heatmaps/heatmap'
import { moveCursor, type TileCursor } from '@/shared/heatmaps/tile-cursor'

export interface TileCursorOptions {
  readonly shape: Ref<TileShape>
  readonly units: Ref<number>
  /** Where the cursor lands in a tile it enters by Tab: a weight that matters, not a blank corner. */
  readonly startPixel: (unit: number) => { row: number; col: number }
  /** Enter on a pixel. */
  readonly pick: (cursor: TileCursor) => void
  /** Moves the focus to unit `unit`'s tile (the cursor left the focused one). */
  readonly focusTile: (unit: number) => void
}

export function useTileCursor({ shape, units, startPixel, pick, focusTile }: TileCursorOptions) {
  /** The keyboard cursor, while a tile has the focus. */
  const cursor = ref<TileCursor | null>(null)
  /** The tile that takes the Tab stop: the last one the cursor was in. */
  const tabUnit = ref(0)

  function onFocus(unit: number): void {
    tabUnit.value = unit
    if (cursor.value?.unit !== unit) cursor.value = { unit, ...startPixel(unit) }
  }

  /** Focus left the tiles (to elsewhere on the page): the readout goes back to the pointer. */
  function onFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null
    if (!(event.currentTarget as HTMLElement).contains(next)) cursor.value = null
  }

  function onKeydown(event: KeyboardEvent): void {
    const current = cursor.value
    if (!current || event.altKey || event.ctrlKey || event.metaKey) return
    if (event.key === 'Enter') {
      pick(current)
    } else {
      const next = moveCursor(current, event.key, shape.value, units.value)
      if (!next) return
      cursor.value = next
      if (next.unit !== current.unit) {
        tabUnit.value = next.unit
        focusTile(next.unit)
      }
    }
    // NOTE: handled here, so not also a window-wide shortcut (→ would otherwise step a batch).
    event.preventDefault()
  }

  return { cursor, tabUnit, onFocus, onFocusOut, onKeydown }
}
