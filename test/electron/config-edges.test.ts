// Configs at the edges of every limit (issue 15 item 5): each CONFIG_LIMITS value at its bound, just
// inside and just outside, sent to the host (the real worker) and typed on the command line. Inside a
// range a config runs, or is refused up front with the reason (a model that does not match MNIST's
// images, more batches than the training set holds, more memory than a run may use); outside it is
// refused on the field. Never an internal error.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  checkConfigFitsDataset,
  CONFIG_LIMITS,
  ConfigError,
  parseTrainConfig,
  PRESETS,
  type Dataset
} from '../../core'
import { parseArgs } from '../../electron/cli/args'
import { CONFIG_FLAGS, configFromFlags, withFlagNames } from '../../electron/cli/config-flags'
import { UsageError } from '../../electron/cli/errors'
import type { StudioHost } from '../../electron/host/studio-host'
import { runBytes } from '../../core/train/memory-budget'
import { configEdges, type EdgeCase } from '../helpers/config-edges'
import { createHost } from './support/studio-host'

const EDGES = configEdges()
/** MNIST's training set as the host knows it: its shape, not its pixels. */
const MNIST_SHAPE: Dataset = {
  name: 'MNIST training set',
  count: 60_000,
  rows: 28,
  cols: 28,
  inputSize: 784,
  pixels: new Uint8Array(0),
  labels: new Uint8Array(0)
}
/**
 * Runs the worker may really build here: a config within range but needing more (the 99.96 M parameter
 * net takes 1.6 GB) is checked up to the worker's door, never allocated on a machine tests share.
 */
const BUILD_AT_MOST_BYTES = 512 * 1024 * 1024

describe('the host at the edges of every limit', () => {
  let host: StudioHost
  beforeAll(async () => {
    host = createHost()
    await host.getInfo()
  })
  afterAll(() => host.close())

  it('covers every limit, each at, inside and outside its bounds', () => {
    const limits = new Set(EDGES.map((edge) => edge.limit))
    expect([...limits].sort()).toEqual(Object.keys(CONFIG_LIMITS).sort())
    for (const limit of limits) {
      const edges = EDGES.filter((edge) => edge.limit === limit)
      expect(edges.some((edge) => edge.inRange) && edges.some((edge) => !edge.inRange)).toBe(true)
    }
  })

  for (const edge of EDGES) {
    it(edge.name, async () => {
      if (!edge.inRange) {
        await expectRefusedOnField(() => host.startTraining(edge.config), edge)
        return
      }
      const refusal = upFrontRefusal(edge.config)
      if (refusal) {
        // Refused up front for a reason other than the range (the data, the memory): the host says the
        // same, in a sentence, without building anything.
        expect(refusal).not.toMatch(/must be .*, got/)
        const error = await refusalOf(host.startTraining(edge.config))
        expect(error).toMatchObject({ code: 'invalid-config' })
        expect(error.message).toBe(refusal)
        return
      }
      // It would run: the worker builds it, unless it is too large to build here. A bound itself starts a
      // run (paused, then stopped); a value just inside resets the model to it, which builds the same
      // network without loading the training set into the fast engine (half the time).
      if (runBytes(parseTrainConfig(edge.config), 60_000) > BUILD_AT_MOST_BYTES) return
      if (edge.atBound) {
        await host.startTraining(edge.config, { paused: true, replace: true })
        await host.controlTraining('stop')
      } else {
        await host.resetTraining(edge.config)
      }
    })
  }
})

/** The message a config within range is refused with before anything is built, or null. */
function upFrontRefusal(raw: unknown): string | null {
  try {
    checkConfigFitsDataset(parseTrainConfig(raw), MNIST_SHAPE, 10)
    return null
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).message
  }
}

describe('the command line at the edges of every limit', () => {
  for (const edge of EDGES) {
    it(edge.name, () => {
      const check = (): void => {
        const config = configFromFlags(parseArgs(flagsOf(edge.config), CONFIG_FLAGS))
        // What `npm run train` checks next, before it allocates anything (createTrainer).
        withFlagNames(() => checkConfigFitsDataset(config, MNIST_SHAPE, 10))
      }
      if (edge.inRange) {
        try {
          check()
        } catch (error) {
          // Refused up front for another reason: a usage line naming the flag, not the range.
          expect(error).toBeInstanceOf(UsageError)
          expect((error as Error).message).toMatch(/^--[a-z0-9-]+: /)
          expect((error as Error).message).not.toMatch(/must be .*, got/)
        }
      } else {
        expect(check).toThrow(UsageError)
        expect(check).toThrow(/^--[a-z0-9-]+: .*must be /)
      }
    })
  }
})

/** The StudioError a call is refused with (failing the test when the call succeeds). */
async function refusalOf(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await call.then(
    () => null,
    (caught: { code: string; message: string }) => caught
  )
  expect(error, 'the call succeeded').not.toBeNull()
  return error!
}

async function expectRefusedOnField(start: () => Promise<unknown>, edge: EdgeCase): Promise<void> {
  const error = await refusalOf(start())
  expect(error).toMatchObject({ code: 'invalid-config' })
  expect(error.message).toMatch(new RegExp(`^${escaped(edge.field)}: `))
  expect(error.message).toMatch(/must be|at most|at least/)
}

/** A raw config as `npm run train` flags: the numbers as flags, the layers as --layers-json. */
function flagsOf(config: Record<string, unknown>): string[] {
  const seed = PRESETS.seed.config
  const flags = [
    '--lr',
    config.learningRate,
    '--lr-decay',
    config.learningRateDecay,
    '--weight-decay',
    config.weightDecay,
    '--batch-size',
    config.batchSize,
    '--batches',
    config.batchCount,
    '--epochs',
    config.epochs,
    '--seed',
    config.seed,
    '--evaluate-every',
    config.evaluateEvery,
    '--layers-json',
    JSON.stringify(config.architecture)
  ].map(String)
  const optimizer = config.optimizer as Record<string, number | string>
  if (optimizer !== seed.optimizer) {
    flags.push('--optimizer', String(optimizer.kind))
    for (const key of ['momentum', 'beta1', 'beta2', 'epsilon'])
      if (key in optimizer) flags.push(`--${key}`, String(optimizer[key]))
  }
  const augmentation = config.augmentation as Record<string, number>
  flags.push(
    '--augment',
    `shift=${augmentation.shiftPixels},rotate=${augmentation.rotationDegrees},scale=${augmentation.scale}`
  )
  return flags
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
