// The first-steps guide: which step is next, the strip's words and buttons, and a dismissal that is
// saved in the host's settings so the guide never comes back.
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Settings, StudioApi } from '@contract'
import GuideStrip from '@/app/GuideStrip.vue'
import { GUIDE_STEPS, guideStates } from '@/app/guide'
import { useSettingsStore } from '@/app/settings-store'

const studio = vi.hoisted(() => ({
  getSettings: vi.fn(),
  updateSettings: vi.fn(async (patch: Partial<Settings>) => patch),
  getInfo: vi.fn()
}))
vi.mock('@/shared/api', () => ({ useStudio: (): StudioApi => studio as unknown as StudioApi }))

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
})

describe('guideStates', () => {
  it('makes the first step not done the current one, in order', () => {
    expect(guideStates({ trained: false, drew: false, explained: false })).toEqual({
      train: 'current',
      draw: 'later',
      explain: 'later'
    })
    expect(guideStates({ trained: true, drew: false, explained: false })).toEqual({
      train: 'done',
      draw: 'current',
      explain: 'later'
    })
    // Drawing before training still leaves training as the step to do.
    expect(guideStates({ trained: false, drew: true, explained: false })).toEqual({
      train: 'current',
      draw: 'done',
      explain: 'later'
    })
    expect(guideStates({ trained: true, drew: true, explained: true })).toEqual({
      train: 'done',
      draw: 'done',
      explain: 'done'
    })
  })

  it('gives each step one sentence and a button', () => {
    expect(GUIDE_STEPS.map((step) => step.id)).toEqual(['train', 'draw', 'explain'])
    for (const step of GUIDE_STEPS) {
      expect(step.sentence.split(/\. /)).toHaveLength(1)
      expect(step.action.length).toBeGreaterThan(0)
    }
  })
})

describe('GuideStrip', () => {
  it("shows the current step's sentence and button, marks done steps, and can be dismissed", async () => {
    const strip = mount(GuideStrip, {
      props: { states: guideStates({ trained: true, drew: false, explained: false }) }
    })
    expect(strip.get('[aria-current="step"]').text()).toContain('Draw')
    expect(strip.text()).toContain('Train (done)')
    expect(strip.get('.guide-sentence').text()).toBe(GUIDE_STEPS[1].sentence)
    await strip.get('.guide-action').trigger('click')
    expect(strip.emitted('act')).toEqual([['draw']])
    await strip.get('[aria-label="Hide this guide for good"]').trigger('click')
    expect(strip.emitted('dismiss')).toHaveLength(1)
  })

  it('has no button left once every step is done, only the way on', () => {
    const strip = mount(GuideStrip, {
      props: { states: guideStates({ trained: true, drew: true, explained: true }) }
    })
    expect(strip.find('.guide-action').exists()).toBe(false)
    expect(strip.text()).toMatch(/whole loop/)
  })
})

describe('dismissing the guide', () => {
  it('is saved in the settings, and a window that opens later does not show it', async () => {
    studio.getSettings.mockResolvedValue({
      lastConfig: null,
      theme: 'system',
      guideDismissed: false
    })
    const settings = useSettingsStore()
    await settings.load()
    expect(settings.guideDismissed).toBe(false)
    await settings.dismissGuide()
    expect(settings.guideDismissed).toBe(true)
    expect(studio.updateSettings).toHaveBeenCalledWith({ guideDismissed: true })

    setActivePinia(createPinia())
    studio.getSettings.mockResolvedValue({
      lastConfig: null,
      theme: 'system',
      guideDismissed: true
    })
    const later = useSettingsStore()
    await later.load()
    expect(later.guideDismissed).toBe(true)
  })
})
