// Regression: the training view's keyboard shortcuts (S, R, Space, arrows) must not act while another
// view is shown. Views are kept alive, so the training view is deactivated, not unmounted.
import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h, KeepAlive, nextTick, ref } from 'vue'
import { useShortcuts } from '@/train/useShortcuts'

describe('training shortcuts with kept-alive views', () => {
  it('listen only while the training view is the one shown', async () => {
    const step = vi.fn()
    const Training = defineComponent({
      setup() {
        useShortcuts({
          toggle: vi.fn(),
          step,
          stop: vi.fn(),
          reset: vi.fn(),
          resetNewSeed: vi.fn()
        })
        return () => h('p', 'train')
      }
    })
    const Evaluate = defineComponent({ setup: () => () => h('p', 'evaluate') })
    const shown = ref<'train' | 'evaluate'>('train')
    const app = mount(
      defineComponent({
        setup: () => () => h(KeepAlive, null, [h(shown.value === 'train' ? Training : Evaluate)])
      }),
      {
        attachTo: document.body
      }
    )
    const press = (key: string) => window.dispatchEvent(new KeyboardEvent('keydown', { key }))

    press('ArrowRight')
    expect(step).toHaveBeenCalledTimes(1)
    shown.value = 'evaluate'
    await nextTick()
    press('ArrowRight')
    press('s')
    expect(step).toHaveBeenCalledTimes(1)
    shown.value = 'train'
    await nextTick()
    press('s')
    expect(step).toHaveBeenCalledTimes(2) // attached once again, not twice
    app.unmount()
    press('s')
    expect(step).toHaveBeenCalledTimes(2)
  })
})
