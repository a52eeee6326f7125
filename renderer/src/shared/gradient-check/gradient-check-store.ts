// Gradient checks on the real network: one clicked weight (from a heatmap) or a sample of a layer's
// weights, backprop's dL/dw next to a central difference, computed by the host on a fixed test batch.

import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type {
  GradientCheck,
  GradientCheckReport,
  GradientCheckRequest,
  ModelArchitecture
} from '@contract'
import { MAX_GRADIENT_CHECKS } from '@contract'
import { parameterShapes } from '@core/nn/shapes'
import { useStudio } from '@/shared/api'
import type { LoadStatus } from '@/shared/load-status'

/** Where the learner clicked, so the answer appears next to that heatmap. */
export type CheckOrigin = 'train' | 'step-through' | 'section'

/** A clicked weight: its parameter and flat index, and where it sits in the picture. */
export interface WeightTarget {
  readonly parameter: string
  readonly index: number
  /** e.g. "unit 3, pixel (14, 14)" or "h3 → 7". */
  readonly description: string
  /** For a first-layer weight: the unit and the pixel of its 28×28 tile (to mark it). */
  readonly pixel: { readonly unit: number; readonly row: number; readonly col: number } | null
  readonly origin: CheckOrigin
}

/** The target for pixel (row, col) of unit `unit`'s tile of a first-layer weight [units, side²]. */
export function pixelTarget(
  unit: number,
  row: number,
  col: number,
  side: number,
  origin: CheckOrigin,
  parameter = 'dense1.weight'
): WeightTarget {
  return {
    parameter,
    index: unit * side * side + row * side + col,
    description: `unit ${unit}, pixel (${row}, ${col})`,
    pixel: { unit, row, col },
    origin
  }
}

export interface WeightCheckState {
  readonly target: WeightTarget
  readonly status: LoadStatus
  readonly check: GradientCheck | null
  readonly batchSize: number | null
  readonly error: string | null
}

export interface LayerCheckState {
  readonly parameter: string
  readonly sampleCount: number
  readonly status: LoadStatus
  readonly report: GradientCheckReport | null
  readonly error: string | null
}

const DEFAULT_PARAMETERS = ['dense1.weight', 'dense1.bias', 'dense2.weight', 'dense2.bias']

/** Every parameter of a network with this architecture, in order (conv1.weight, …, dense1.bias, …). */
export function parameterNames(architecture: ModelArchitecture): string[] {
  return parameterShapes(architecture).map((parameter) => parameter.name)
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export const useGradientCheckStore = defineStore('gradient-check', () => {
  const weight = shallowRef<WeightCheckState | null>(null)
  const layer = shallowRef<LayerCheckState | null>(null)
  const parameter = ref('dense1.weight')
  const sampleCount = ref(50)
  const parameters = ref<string[]>(DEFAULT_PARAMETERS)
  let weightRequest = 0
  let layerRequest = 0

  const isCheckingLayer = computed(() => layer.value?.status === 'loading')

  /** The parameters of the current model, for the layer picker; keeps the defaults if the host cannot say. */
  async function loadParameters(): Promise<void> {
    try {
      const model = await useStudio().getModel()
      if (!model) return
      parameters.value = parameterNames(model.architecture)
      if (!parameters.value.includes(parameter.value)) parameter.value = parameters.value[0]
    } catch {
      // NOTE: the picker keeps its defaults; a check against a missing parameter explains itself.
    }
  }

  /** Checks one weight: the analytic dL/dw beside (L(w + h) − L(w − h)) / 2h. */
  async function checkWeight(target: WeightTarget): Promise<void> {
    await runWeightCheck(target, { parameter: target.parameter, indices: [target.index] })
  }

  /**
   * Checks the weight of `name` with the largest |dL/dw| on the batch, where a check says most (a
   * corner pixel compares 0 with 0). Returns its index, or null if the check failed.
   */
  async function checkStrongest(
    name: string,
    describe: (index: number) => string
  ): Promise<number | null> {
    const pending: WeightTarget = {
      parameter: name,
      index: 0,
      description: 'the weight with the largest gradient',
      pixel: null,
      origin: 'section'
    }
    const check = await runWeightCheck(pending, { parameter: name, strongest: 1 }, (found) => ({
      ...pending,
      index: found.index,
      description: describe(found.index)
    }))
    return check?.index ?? null
  }

  /** Runs a one-weight check; `located` names the weight once the answer says which it was. */
  async function runWeightCheck(
    target: WeightTarget,
    request: GradientCheckRequest,
    located: (check: GradientCheck) => WeightTarget = () => target
  ): Promise<GradientCheck | null> {
    const id = ++weightRequest
    weight.value = { target, status: 'loading', check: null, batchSize: null, error: null }
    try {
      const report = await useStudio().checkGradients(request)
      if (id !== weightRequest) return null
      const check = report.checks[0] ?? null
      weight.value = {
        target: check ? located(check) : target,
        status: 'ready',
        check,
        batchSize: report.batchSize,
        error: null
      }
      return check
    } catch (err) {
      if (id !== weightRequest) return null
      weight.value = {
        target,
        status: 'failed',
        check: null,
        batchSize: null,
        error: messageOf(err)
      }
      return null
    }
  }

  /** Samples `sampleCount` weights of `parameter` and reports the worst relative error. */
  async function checkLayer(): Promise<void> {
    const id = ++layerRequest
    const request = { parameter: parameter.value, sampleCount: sampleCount.value }
    layer.value = {
      ...request,
      status: 'loading',
      report: layer.value?.report ?? null,
      error: null
    }
    try {
      const report = await useStudio().checkGradients(request)
      if (id !== layerRequest) return
      layer.value = { ...request, status: 'ready', report: markRaw(report), error: null }
    } catch (err) {
      if (id !== layerRequest) return
      layer.value = { ...request, status: 'failed', report: null, error: messageOf(err) }
    }
  }

  function setSampleCount(count: number): void {
    if (Number.isInteger(count) && count >= 1 && count <= MAX_GRADIENT_CHECKS)
      sampleCount.value = count
  }

  function setParameter(name: string): void {
    if (parameters.value.includes(name)) parameter.value = name
  }

  function dismissWeight(): void {
    weightRequest++
    weight.value = null
  }

  return {
    weight,
    layer,
    parameter,
    sampleCount,
    parameters,
    isCheckingLayer,
    loadParameters,
    checkWeight,
    checkStrongest,
    checkLayer,
    setSampleCount,
    setParameter,
    dismissWeight
  }
})
