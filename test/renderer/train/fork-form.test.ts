// The fork form: the optimizer may change (SGD, SGD with momentum, Adam), the form says what carries
// over from the parent's state (core's optimizerSwitchNote), and the request carries the new optimizer.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import type { TrainConfig } from '@contract'
import { DEFAULT_ADAM } from '@core/train/config'
import { optimizerSwitchNote } from '@core/train/optimizer-switch'
import { PRESETS } from '@core/train/presets'
import ForkForm from '@/train/ForkForm.vue'

const sgdParent: TrainConfig = { ...PRESETS.seed.config, optimizer: { kind: 'sgd', momentum: 0.9 } }
const adamParent: TrainConfig = { ...PRESETS.seed.config, optimizer: DEFAULT_ADAM }

const mountForm = (parent: TrainConfig) =>
  mount(ForkForm, { props: { step: 40, parent }, attachTo: document.body })
type Form = ReturnType<typeof mountForm>

/** A field by its label's text, as a learner finds it. */
function field(form: Form, label: string) {
  const found = form.findAll('label').find((l) => l.text().startsWith(label))
  if (!found) throw new Error(`no field labelled ${label}`)
  return found.get('input, select')
}
const switchNote = (form: Form) => form.find('[role="note"][aria-label="Optimizer switch"]')

async function submit(form: Form): Promise<TrainConfig> {
  await form.get('form').trigger('submit')
  const forks = form.emitted('fork')
  expect(forks).toHaveLength(1)
  return forks![0][0] as TrainConfig
}

describe('ForkForm', () => {
  it("defaults to the parent's optimizer, says nothing about a switch, and forks with it", async () => {
    const form = mountForm(sgdParent)
    expect((field(form, 'Optimizer').element as HTMLSelectElement).value).toBe('sgd')
    expect(
      form
        .get('select')
        .findAll('option')
        .map((o) => o.text())
    ).toEqual(['SGD', 'Adam'])
    expect((field(form, 'Momentum').element as HTMLInputElement).value).toBe('0.9')
    expect(switchNote(form).exists()).toBe(false)
    expect((await submit(form)).optimizer).toEqual({ kind: 'sgd', momentum: 0.9 })
    form.unmount()
  })

  it('forks SGD with momentum to Adam, saying that Adam starts fresh', async () => {
    const form = mountForm(sgdParent)
    await field(form, 'Optimizer').setValue('adam')
    expect(form.findAll('label').some((l) => l.text().startsWith('Momentum'))).toBe(false)
    expect(switchNote(form).text()).toBe(optimizerSwitchNote(sgdParent.optimizer, DEFAULT_ADAM))
    expect(switchNote(form).text()).toContain('Adam starts fresh')
    expect((await submit(form)).optimizer).toEqual(DEFAULT_ADAM)
    form.unmount()
  })

  it('forks Adam to SGD with momentum, saying where the velocity comes from', async () => {
    const form = mountForm(adamParent)
    expect(field(form, 'Optimizer').element).toHaveProperty('value', 'adam')
    await field(form, 'Optimizer').setValue('sgd')
    await field(form, 'Momentum').setValue('0.5')
    const sgd = { kind: 'sgd', momentum: 0.5 } as const
    expect(switchNote(form).text()).toBe(optimizerSwitchNote(DEFAULT_ADAM, sgd))
    const forked = await submit(form)
    expect(forked.optimizer).toEqual(sgd)
    expect(forked.architecture).toEqual(adamParent.architecture) // the net is the parent's
    form.unmount()
  })

  it('says so when only the momentum changes (plain SGD → SGD with momentum)', async () => {
    const form = mountForm({ ...sgdParent, optimizer: { kind: 'sgd', momentum: 0 } })
    expect(switchNote(form).exists()).toBe(false)
    await field(form, 'Momentum').setValue('0.9')
    expect(switchNote(form).text()).toContain('momentum velocity')
    form.unmount()
  })
})
