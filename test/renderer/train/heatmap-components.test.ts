// The first-layer heatmaps in happy-dom, with a recording stand-in for the 2D canvas: WeightHeatmaps
// paints every tile itself, each from its own unit's row, and a new snapshot re-renders no tile.
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import type { WeightSnapshot } from '@contract'
import WeightHeatmaps from '@/train/WeightHeatmaps.vue'
import WeightHeatmapsTile from '@/train/WeightHeatmapsTile.vue'
import { lutFor } from '@/shared/heatmaps/colormap'
import { paintTile, tileLimits } from '@/shared/heatmaps/heatmap'
import { recordPaints } from '../shared/recording-canvas'

function snapshot(step: number, rows = 3, cols = 4): WeightSnapshot {
  const data = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.7 + step))
  return { layer: 'dense1.weight', step, rows, cols, rowsAre: 'units', data }
}

/** The pixels paintTile makes of `unit`'s row under the shared scale: what its canvas must show. */
function expectedPixels(s: WeightSnapshot, unit: number): number[] {
  const pixels = new Uint8ClampedArray(s.cols * 4)
  paintTile(
    pixels,
    s.data,
    unit,
    s.cols,
    tileLimits(s.data, s.rows, s.cols, 'shared')[unit],
    lutFor(false)
  )
  return Array.from(pixels)
}

afterEach(() => {
  vi.restoreAllMocks()
  performance.clearMeasures()
})

describe('WeightHeatmaps', () => {
  it('paints each tile from its own unit, again on every snapshot, without re-rendering the tiles', async () => {
    const painted = recordPaints()
    const first = snapshot(1)
    const view = mount(WeightHeatmaps, { props: { snapshot: first }, attachTo: document.body })
    await nextTick()
    for (let unit = 0; unit < 3; unit++)
      expect(painted.get(`Unit ${unit} incoming weights`)).toEqual(expectedPixels(first, unit))

    const tiles = view.findAllComponents(WeightHeatmapsTile)
    const renders = tiles.map((tile) => tile.vm.$.subTree) // a re-render replaces a component's subTree
    const second = snapshot(2)
    await view.setProps({ snapshot: second })
    await nextTick()
    for (let unit = 0; unit < 3; unit++)
      expect(painted.get(`Unit ${unit} incoming weights`)).toEqual(expectedPixels(second, unit))
    expect(tiles.every((tile, i) => tile.vm.$.subTree === renders[i])).toBe(true)
    // bench/app.ts reads these; one per snapshot after the first.
    expect(performance.getEntriesByName('studio:heatmap-redraw')).toHaveLength(1)
    view.unmount()
  })

  it('names the unit of a picked pixel', async () => {
    const view = mount(WeightHeatmaps, {
      props: { snapshot: snapshot(1) },
      attachTo: document.body
    })
    view.findAllComponents(WeightHeatmapsTile)[2].vm.$emit('pick', 2, { row: 0, col: 3 })
    expect(view.emitted('pick')).toEqual([[{ unit: 2, row: 0, col: 3 }]])
    view.unmount()
  })
  it('says why the weights stop one step short of a diverged step, and only then', async () => {
    const view = mount(WeightHeatmaps, { props: { snapshot: snapshot(2), refusedStep: 3 } })
    const subtitle = () => view.find('.panel-subtitle').text()
    expect(subtitle()).toBe(
      'dense1.weight · 3 × 4 · weights after step 2 (step 3’s update was refused)'
    )
    await view.setProps({ refusedStep: null })
    expect(subtitle()).toBe('dense1.weight · 3 × 4 · step 2')
    // A snapshot of the refused step itself or later (none should come) reads as a plain step.
    await view.setProps({ snapshot: snapshot(3), refusedStep: 3 })
    expect(subtitle()).toBe('dense1.weight · 3 × 4 · step 3')
    view.unmount()
  })
})
