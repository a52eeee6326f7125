// The scalar backprop explorer: which expression, its leaf values, where the learner is on the
// forward/backward timeline, and the history of the updates applied. The math is core's (Value,
// explainBackward, gradientDescent), run in the renderer (no host needed); Values are rebuilt on
// demand and never kept in reactive state.

import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import {
  explainBackward,
  gradientDescent,
  traceGraph,
  type BackwardStep,
  type ValueGraph
} from '@core/autograd'
import type { Point } from '@/shared/charts/series'
import { defaultValues, SCALAR_PRESETS, type ScalarPresetName } from './scalar-presets'
import {
  forwardText,
  gradientsAfter,
  revealedCount,
  timelinePoint,
  updateLines
} from './scalar-steps'

/** Most iterations one click may run (each is a forward and a backward pass on a few nodes). */
export const MAX_ITERATIONS = 10_000

interface Trace {
  /** After the forward pass: data set, every grad 0. */
  readonly forward: ValueGraph
  /** After the backward pass: data and the final gradients. */
  readonly backward: ValueGraph
  readonly steps: readonly BackwardStep[]
}

/** Builds the preset's expression from `values` and traces its forward and backward passes. */
function trace(presetName: ScalarPresetName, values: Readonly<Record<string, number>>): Trace {
  const output = SCALAR_PRESETS[presetName].build(values)
  const forward = traceGraph(output)
  const steps = explainBackward(output)
  return { forward, backward: traceGraph(output), steps }
}

export const useScalarGraphStore = defineStore('scalar-graph', () => {
  const presetName = ref<ScalarPresetName>('original')
  const values = ref<Record<string, number>>(defaultValues(SCALAR_PRESETS.original))
  const learningRate = ref(SCALAR_PRESETS.original.learningRate)
  const iterationsToRun = ref(50)
  /** Timeline position: 0 = nothing computed, then one forward reveal per node, then one backward step per node visited. */
  const position = ref(0)
  const current = shallowRef<Trace>(trace('original', values.value))
  /** The output after each update (x = updates applied so far), starting with the current value. */
  const history = shallowRef<readonly Point[]>([])
  const updatesApplied = ref(0)

  const preset = computed(() => SCALAR_PRESETS[presetName.value])
  const graph = computed(() => current.value.forward)
  const steps = computed(() => current.value.steps)
  const nodeCount = computed(() => graph.value.nodes.length)
  const lastPosition = computed(() => nodeCount.value + steps.value.length)
  const point = computed(() => timelinePoint(position.value, nodeCount.value, steps.value))
  const revealed = computed(() => revealedCount(position.value, nodeCount.value))
  const backwardDone = computed(() => Math.max(0, position.value - nodeCount.value))
  const grads = computed(() => gradientsAfter(graph.value, steps.value, backwardDone.value))
  const output = computed(() => graph.value.nodes[graph.value.outputId])
  const currentStep = computed(() =>
    point.value.phase === 'backward' ? steps.value[point.value.index] : null
  )
  /** The forward pass written out, one line per node revealed so far. */
  const forwardLines = computed(() =>
    graph.value.nodes.slice(0, revealed.value).map((n) => forwardText(n, graph.value.nodes))
  )
  const parameterNames = computed(() =>
    preset.value.inputs.filter((i) => i.role === 'parameter').map((i) => i.name)
  )
  /** What one update would do, from the full backward pass at the current values. */
  const pendingUpdate = computed(() => {
    const byLabel = new Map(current.value.backward.nodes.map((n) => [n.label, n]))
    const parameters = parameterNames.value.map((name) => ({
      name,
      data: byLabel.get(name)!.data,
      grad: byLabel.get(name)!.grad
    }))
    return updateLines(parameters, learningRate.value)
  })
  const canUpdate = computed(
    () =>
      Number.isFinite(learningRate.value) &&
      learningRate.value > 0 &&
      Number.isFinite(output.value.data)
  )

  function retrace(): void {
    current.value = trace(presetName.value, values.value)
    position.value = Math.min(position.value, lastPosition.value)
  }

  function restartHistory(): void {
    updatesApplied.value = 0
    history.value = [{ x: 0, y: output.value.data }]
  }

  function choosePreset(name: ScalarPresetName): void {
    presetName.value = name
    values.value = defaultValues(SCALAR_PRESETS[name])
    learningRate.value = SCALAR_PRESETS[name].learningRate
    position.value = 0
    retrace()
    restartHistory()
  }

  /** Sets one leaf's value; ignored unless it is a finite number. The timeline position is kept. */
  function setValue(name: string, value: number): void {
    if (!Number.isFinite(value) || !(name in values.value) || values.value[name] === value) return
    values.value = { ...values.value, [name]: value }
    retrace()
    restartHistory()
  }

  function setLearningRate(value: number): void {
    if (Number.isFinite(value) && value > 0) learningRate.value = value
  }

  function setIterations(count: number): void {
    if (Number.isInteger(count) && count >= 1 && count <= MAX_ITERATIONS)
      iterationsToRun.value = count
  }

  function goTo(next: number): void {
    position.value = Math.max(0, Math.min(lastPosition.value, Math.round(next)))
  }
  const stepForward = () => goTo(position.value + 1)
  const stepBack = () => goTo(position.value - 1)
  const finishForward = () => goTo(nodeCount.value)
  const finishBackward = () => goTo(lastPosition.value)
  const rewind = () => goTo(0)

  /** Applies `count` updates (1 = the "Apply update" button), records the output after each, and shows the new forward pass. */
  function runIterations(count = iterationsToRun.value): void {
    if (!canUpdate.value || count < 1) return
    if (history.value.length === 0) restartHistory()
    const { values: next, losses } = gradientDescent(
      preset.value.build,
      values.value,
      parameterNames.value,
      learningRate.value,
      Math.min(count, MAX_ITERATIONS)
    )
    values.value = next
    const start = updatesApplied.value
    history.value = [...history.value, ...losses.map((y, i) => ({ x: start + i + 1, y }))]
    updatesApplied.value = start + losses.length
    current.value = trace(presetName.value, next)
    position.value = nodeCount.value // the new values are computed; their gradients are not yet
  }

  const applyUpdate = () => runIterations(1)

  function resetValues(): void {
    choosePreset(presetName.value)
  }

  restartHistory()

  return {
    presetName,
    preset,
    values,
    learningRate,
    iterationsToRun,
    position,
    history,
    updatesApplied,
    graph,
    steps,
    nodeCount,
    lastPosition,
    point,
    revealed,
    backwardDone,
    grads,
    output,
    currentStep,
    forwardLines,
    parameterNames,
    pendingUpdate,
    canUpdate,
    choosePreset,
    setValue,
    setLearningRate,
    setIterations,
    goTo,
    stepForward,
    stepBack,
    finishForward,
    finishBackward,
    rewind,
    applyUpdate,
    runIterations,
    resetValues
  }
})
