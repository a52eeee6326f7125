// Painting saliency maps and digits, and the saliency panel's class choice and legend.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import type { SaliencyResult } from '@contract'
import SaliencyPanel from '@/evaluate/SaliencyPanel.vue'
import EvaluateImageThumb from '@/evaluate/EvaluateImageThumb.vue'
import { buildLut, DIVERGING_STOPS } from '@/shared/heatmaps/colormap'
import { INK_SHADOW, paintDigit, paintSaliency, saliencyLimit } from '@/evaluate/saliency'

const rgbAt = (rgba: Uint8ClampedArray, i: number) => Array.from(rgba.subarray(i * 4, i * 4 + 3))

describe('paintSaliency', () => {
  const lut = buildLut()
  const map = Float32Array.from([-2, -1, 0, 1, 2])
  const blank = new Float32Array(5)

  it('is white at zero, darkest blue at −limit and darkest red at +limit', () => {
    const rgba = new Uint8ClampedArray(5 * 4)
    paintSaliency(rgba, map, blank, saliencyLimit(map), lut)
    expect(saliencyLimit(map)).toBe(2)
    expect(rgbAt(rgba, 2)).toEqual([...DIVERGING_STOPS[5]])
    expect(rgbAt(rgba, 0)).toEqual([...DIVERGING_STOPS[0]])
    expect(rgbAt(rgba, 4)).toEqual([...DIVERGING_STOPS[10]])
    const [r1, , b1] = rgbAt(rgba, 1)
    const [r3, , b3] = rgbAt(rgba, 3)
    expect(b1).toBeGreaterThan(r1) // negative: blue
    expect(r3).toBeGreaterThan(b3) // positive: red
    expect(rgba[3]).toBe(255)
  })

  it('darkens the colour where the digit has ink, so its shape stays visible', () => {
    const rgba = new Uint8ClampedArray(5 * 4)
    const ink = Float32Array.from([0, 0, 1, 0, 0])
    paintSaliency(rgba, map, ink, 2, lut)
    expect(rgbAt(rgba, 2)).toEqual(DIVERGING_STOPS[5].map((c) => Math.round(c * (1 - INK_SHADOW))))
  })

  it('paints an all-zero map white instead of dividing by zero', () => {
    const rgba = new Uint8ClampedArray(4)
    paintSaliency(
      rgba,
      new Float32Array(1),
      new Float32Array(1),
      saliencyLimit(new Float32Array(1)),
      lut
    )
    expect(rgbAt(rgba, 0)).toEqual([...DIVERGING_STOPS[5]])
  })
})

describe('paintDigit', () => {
  it('draws bytes as white ink on black, and [0, 1] inputs when scaled by 255', () => {
    const rgba = new Uint8ClampedArray(8)
    paintDigit(rgba, Uint8Array.from([0, 200]))
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 200, 200, 200, 255])
    paintDigit(rgba, Float32Array.from([0.5, 1]), 255)
    expect(Array.from(rgba)).toEqual([128, 128, 128, 255, 255, 255, 255, 255])
  })
})

describe('SaliencyPanel', () => {
  const result: SaliencyResult = {
    input: new Float32Array(784),
    map: new Float32Array(784).fill(0.25),
    classIndex: 3,
    predicted: 3,
    probabilities: Array.from({ length: 10 }, (_, k) => (k === 3 ? 0.91 : 0.01))
  }
  const subject = { source: { kind: 'test' as const, index: 7 }, title: 'Test image 7', label: 5 }

  it('invites a click before any image is chosen', () => {
    const view = mount(SaliencyPanel, {
      props: { subject: null, result: null, classIndex: null, status: 'idle', error: null }
    })
    expect(view.text()).toContain('Click any image')
  })

  it('shows the input, the map with its scale, and one radio per class with the explained one checked', async () => {
    const view = mount(SaliencyPanel, {
      props: { subject, result, classIndex: 3, status: 'ready', error: null }
    })
    expect(view.find('[aria-label="Test image 7 as the network sees it"]').exists()).toBe(true)
    expect(view.find('[aria-label="Saliency of class 3 for Test image 7"]').exists()).toBe(true)
    expect(view.get('[aria-label="Colour scale"]').text()).toContain('+0.25')
    expect(view.text()).toContain('Predicted 3 with 91.0% (true label 5).')
    const radios = view.findAll('input[type="radio"]')
    expect(radios).toHaveLength(10)
    expect(radios[3].attributes('aria-label')).toBe('Class 3, probability 91.0%')
    expect((radios[3].element as HTMLInputElement).checked).toBe(true)
    await radios[5].setValue(true)
    expect(view.emitted('choose')).toEqual([[5]])
    await view.get('[aria-label="Close saliency"]').trigger('click')
    expect(view.emitted('close')).toHaveLength(1)
  })
})

describe('EvaluateImageThumb', () => {
  it('is a button named by index, true label, prediction and confidence', async () => {
    const image = {
      index: 12,
      label: 4,
      predicted: 9,
      confidence: 0.873,
      pixels: new Uint8Array(784)
    }
    const view = mount(EvaluateImageThumb, { props: { image } })
    expect(view.get('button').attributes('aria-label')).toBe(
      'Test image 12: true 4, predicted 9 with probability 87%'
    )
    expect(view.get('canvas').attributes('width')).toBe('28')
    expect(view.get('button').classes()).toContain('mistake')
    await view.get('button').trigger('click')
    expect(view.emitted('open')).toEqual([[image]])
  })
})
