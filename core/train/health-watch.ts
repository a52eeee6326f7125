// When a run's health calls for a pause, and which layer to blame: the rules that watch each health
// sample (health.ts), with their constants, and the alarm they raise. Pure.

import { formatFactor } from '../number-format'
import { describeDivergence, type Divergence } from './divergence'
import type { HealthSample, LayerHealth } from './health'

/**
 * A layer's gradient has exploded when its norm passes this many times its running median (the
 * median of its last GRADIENT_HISTORY measured norms): gradients do shrink and grow as a run goes, by
 * a few times, never a hundredfold between two measurements of a run that is learning.
 */
export const EXPLODING_GRADIENT_FACTOR = 100
/** How many of a layer's past gradient norms the running median is taken over. */
export const GRADIENT_HISTORY = 32
/** Fewer past norms than this, and there is no median to compare with yet. */
export const GRADIENT_HISTORY_MIN = 3
/** A ReLU layer has gone dead when more than this fraction of its units output 0 for every image. */
export const DEAD_LAYER_FRACTION = 0.9

/**
 * What was seen in the culprit layer: its outputs or gradients turned NaN/±∞ ('not-finite'), its
 * gradient norm passed EXPLODING_GRADIENT_FACTOR × its running median ('exploding-gradient'), more than
 * DEAD_LAYER_FRACTION of its ReLU units went dead ('dead-layer'), or, when none of these names a
 * layer of a run whose loss diverged, it has the largest gradient for the size of its weights
 * ‖∂L/∂W‖ / ‖W‖ ('largest-gradient': the layer the next update would change the most).
 */
export type HealthAlarmKind =
  'not-finite' | 'exploding-gradient' | 'dead-layer' | 'largest-gradient'

/** Why a run was paused, as data (the window writes its sentence with describeAlarm). */
export interface HealthAlarm {
  readonly kind: HealthAlarmKind
  /** The culprit, as the model names it ('dense1', 'conv2', …), and what its units are. */
  readonly layer: string
  readonly layerKind: LayerHealth['kind']
  /** The step whose batch showed it (1-based). */
  readonly step: number
  /**
   * 'dead-layer': the dead fraction; 'exploding-gradient': the norm ÷ its running median;
   * 'largest-gradient': ‖∂L/∂W‖ / ‖W‖; 'not-finite': null.
   */
  readonly value: number | null
  /** The divergence of the loss at that step (core/train/divergence.ts), when that is what stopped it. */
  readonly divergence: Divergence | null
}

/** The median of a non-empty list: the middle value, or the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Watches one run's health samples in step order. Each layer's dead-layer alarm is raised once (a
 * learner who resumes a run with a dead layer has seen it), the other alarms whenever they hold.
 */
export class HealthWatch {
  private readonly norms = new Map<string, number[]>()
  private readonly reportedDead = new Set<string>()

  /** Takes the next sample; returns the alarm it raises (the first layer's first), or null. */
  observe(sample: HealthSample): HealthAlarm | null {
    const alarm = this.findAlarm(sample, null)
    if (alarm?.kind === 'dead-layer') this.reportedDead.add(alarm.layer)
    this.remember(sample)
    return alarm
  }

  /**
   * The layer to blame for a step whose loss diverged, measured at that step (always a name: a
   * dead layer is named even when it was reported before, and with no rule holding, the layer with
   * the largest gradient for its weights).
   */
  culprit(sample: HealthSample, divergence: Divergence): HealthAlarm {
    const alarm = this.findAlarm(sample, divergence)
    this.remember(sample)
    if (alarm) return alarm
    const ratio = (health: LayerHealth): number =>
      health.weightNorm > 0 ? health.gradientNorm / health.weightNorm : 0
    const largest = sample.layers.reduce((a, b) => (ratio(b) > ratio(a) ? b : a))
    return {
      kind: 'largest-gradient',
      layer: largest.layer,
      layerKind: largest.kind,
      step: sample.step,
      value: ratio(largest),
      divergence
    }
  }

  /** The first rule that holds, looking layer by layer in the order not-finite, dead, exploding. */
  private findAlarm(sample: HealthSample, divergence: Divergence | null): HealthAlarm | null {
    const raise = (
      kind: HealthAlarmKind,
      layer: LayerHealth,
      value: number | null
    ): HealthAlarm => ({
      kind,
      layer: layer.layer,
      layerKind: layer.kind,
      step: sample.step,
      value,
      divergence
    })
    // NaN spreads forward through the outputs, and backward through the gradients: blame where it
    // starts, the first layer with a broken output, else the last with a broken gradient.
    const broken =
      sample.layers.find((health) => !health.finite) ??
      [...sample.layers].reverse().find((health) => !Number.isFinite(health.gradientNorm))
    if (broken) return raise('not-finite', broken, null)
    const dead = sample.layers.find(
      (health) =>
        (health.deadFraction ?? 0) > DEAD_LAYER_FRACTION &&
        (divergence !== null || !this.reportedDead.has(health.layer))
    )
    if (dead) return raise('dead-layer', dead, dead.deadFraction)
    for (const health of sample.layers) {
      const growth = this.growth(health)
      if (growth !== null && growth > EXPLODING_GRADIENT_FACTOR)
        return raise('exploding-gradient', health, growth)
    }
    return null
  }

  /** The layer's gradient norm ÷ its running median, or null with too short a history. */
  private growth(health: LayerHealth): number | null {
    const past = this.norms.get(health.layer) ?? []
    if (past.length < GRADIENT_HISTORY_MIN) return null
    const typical = median(past)
    return typical > 0 ? health.gradientNorm / typical : null
  }

  private remember(sample: HealthSample): void {
    for (const health of sample.layers) {
      if (!Number.isFinite(health.gradientNorm)) continue
      const past = this.norms.get(health.layer) ?? []
      past.push(health.gradientNorm)
      if (past.length > GRADIENT_HISTORY) past.shift()
      this.norms.set(health.layer, past)
    }
  }
}

/** A fraction as a whole percentage: 0.97 → "97 %". */
const percent = (fraction: number): string => `${Math.round(fraction * 100)} %`

/**
 * The alarm in one or two sentences, for the window and the command line:
 * "dense1 went dead at step 340: 97 % of its units output 0 for every image of the batch."
 * With a divergence, its own sentence comes first.
 */
export function describeAlarm(alarm: HealthAlarm): string {
  const { layer, step, value } = alarm
  const unitsAre = alarm.layerKind === 'conv' ? 'filters' : 'units'
  const cause = ((): string => {
    switch (alarm.kind) {
      case 'dead-layer':
        return `${layer} went dead at step ${step}: ${percent(value!)} of its ${unitsAre} output 0 for every image of the batch`
      case 'exploding-gradient':
        return `${layer}'s gradient exploded at step ${step}: its norm is ${formatFactor(value!)} its running median`
      case 'not-finite':
        return `${layer}'s outputs or gradients became NaN or infinite at step ${step}`
      case 'largest-gradient':
        return `${layer} has the largest gradient for its weights at step ${step} (‖∂L/∂W‖ is ${formatFactor(value!)} ‖W‖): its updates are the ones that overshoot`
    }
  })()
  const divergence = alarm.divergence ? `${describeDivergence(alarm.divergence)}. ` : ''
  return `${divergence}${cause}.`
}
