// The feature-map layers in happy-dom, with a recording stand-in for the 2D canvas: each layer titled
// with its name and shape, one tile per map shown, painted from its own channel on the layer's one
// scale; the readout names the value under the pointer.
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import type { FeatureMap } from '@contract'
import FeatureMapsLayers from '@/train/feature-maps/FeatureMapsLayers.vue'
import WeightHeatmapsTile from '@/train/WeightHeatmapsTile.vue'
import { formatValue } from '@/shared/format'
import { lutFor } from '@/shared/heatmaps/colormap'
import { maxAbs, paintTile } from '@/shared/heatmaps/heatmap'
import { recordPaints } from '../shared/recording-canvas'

/** `shown` maps of height × width out of `channels`, values a smooth function of the index. */
function layer(
  name: string,
  kind: FeatureMap['kind'],
  [channels, height, width]: [number, number, number],
  shown = channels
): FeatureMap {
  const data = Float32Array.from({ length: shown * height * width }, (_, i) => Math.sin(i * 0.3))
  const description = kind === 'conv' ? 'conv 3×3 ReLU' : 'pool 2'
  return { name, kind, description, shape: [channels, height, width], data, shownChannels: shown }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('FeatureMapsLayers', () => {
  it('titles each layer with its name and shape and paints each map from its own channel', async () => {
    const painted = recordPaints()
    const conv = layer('conv1', 'conv', [3, 4, 4])
    const pool = layer('pool1', 'maxpool', [40, 2, 2], 32)
    const view = mount(FeatureMapsLayers, { props: { layers: [conv, pool] } })
    await nextTick()
    expect(view.findAll('h3').map((h) => h.text())).toEqual([
      'conv1 · (3, 4, 4) conv 3×3 ReLU',
      'pool1 · (40, 2, 2) pool 2: each window’s maximum'
    ])
    expect(view.findAll('canvas')).toHaveLength(3 + 32)
    expect(view.text()).toContain('Showing the first 32 of 40 maps.')
    for (let channel = 0; channel < 3; channel++) {
      const pixels = new Uint8ClampedArray(16 * 4)
      paintTile(pixels, conv.data, channel, 16, maxAbs(conv.data), lutFor(false))
      expect(painted.get(`conv1 map ${channel}`)).toEqual(Array.from(pixels))
    }
    view.unmount()
  })

  it('reads the value under the pointer: layer, map, row, column', async () => {
    const conv = layer('conv2', 'conv', [2, 3, 5])
    const view = mount(FeatureMapsLayers, { props: { layers: [conv] } })
    view.findAllComponents(WeightHeatmapsTile)[1].vm.$emit('hover', 1, { row: 2, col: 4 })
    await nextTick()
    const value = conv.data[(1 * 3 + 2) * 5 + 4] // channel 1, row 2, col 4 of 2 × 3 × 5 (CHW)
    expect(value).not.toBe(conv.data[(0 * 3 + 2) * 5 + 4]) // another channel would read otherwise
    expect(view.find('.readout').text()).toBe(
      `conv2 · map 1 · row 2, col 4 · ${formatValue(value)}`
    )
    view.unmount()
  })

  it('lets the keyboard reach every map: one Tab stop per layer, arrows and Page Down read values', async () => {
    const conv = layer('conv2', 'conv', [2, 3, 5])
    const pool = layer('pool2', 'maxpool', [2, 1, 2])
    const view = mount(FeatureMapsLayers, {
      props: { layers: [conv, pool] },
      attachTo: document.body
    })
    const canvases = () => view.findAll('canvas')
    // One Tab stop per layer: its first map; the others are reached with the keys.
    expect(canvases().map((c) => c.attributes('tabindex'))).toEqual(['0', '-1', '0', '-1'])
    const readout = () => view.find('.readout').text()
    const valueAt = (channel: number, row: number, col: number) =>
      formatValue(conv.data[(channel * 3 + row) * 5 + col])

    await canvases()[0].trigger('focus')
    // The cursor lands on map 0's strongest value (|sin| largest at index 5: row 1, col 0).
    expect(readout()).toBe(`conv2 · map 0 · row 1, col 0 · ${valueAt(0, 1, 0)}`)
    await canvases()[0].trigger('keydown', { key: 'ArrowRight' })
    expect(readout()).toBe(`conv2 · map 0 · row 1, col 1 · ${valueAt(0, 1, 1)}`)
    await canvases()[0].trigger('keydown', { key: 'PageDown' })
    expect(readout()).toBe(`conv2 · map 1 · row 1, col 1 · ${valueAt(1, 1, 1)}`)
    expect(document.activeElement?.getAttribute('aria-label')).toBe('conv2 map 1')
    expect(canvases().map((c) => c.attributes('tabindex'))).toEqual(['-1', '0', '0', '-1'])
    await canvases()[1].trigger('keydown', { key: 'Enter' })
    expect(readout()).toBe(`conv2 · map 1 · row 1, col 1 · ${valueAt(1, 1, 1)}`)
    // Leaving the maps gives the readout back to the pointer.
    await canvases()[1].trigger('focusout', { relatedTarget: null })
    expect(readout()).toContain('Hover or Tab to a map')
    view.unmount()
  })
})
