// The host's validation of untrusted requests: envelopes, live updates, images, arity.

import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../core'
import { Channel } from '../../electron/contract'
import {
  checkArity,
  parseControlCommand,
  parseLiveUpdate,
  parsePixels,
  parseStartOptions,
  parseTrainConfigFor,
  parseWebRequest,
  STUDIO_METHODS
} from '../../electron/host/validation'

const MNIST_TRAIN = { name: 'MNIST training set', count: 60_000, rows: 28, cols: 28, classes: 10 }

describe('validation', () => {
  it('accepts the presets and delegates ranges to core', () => {
    for (const preset of Object.values(PRESETS))
      expect(parseTrainConfigFor(preset.config, MNIST_TRAIN)).toEqual(preset.config)
    expect(() =>
      parseTrainConfigFor({ ...PRESETS.seed.config, learningRate: 11 }, MNIST_TRAIN)
    ).toThrow('learningRate: must be a number > 0 and ≤ 10, got 11')
  })

  it('checks that the config fits the dataset', () => {
    const fashionSized = { ...MNIST_TRAIN, rows: 32, cols: 32 }
    expect(() => parseTrainConfigFor(PRESETS.seed.config, fashionSized)).toThrow(
      /^architecture\.inputShape: the model takes 784 inputs/
    )
    expect(() =>
      parseTrainConfigFor(
        { ...PRESETS.seed.config, batchSize: 1000 },
        { ...MNIST_TRAIN, count: 500 }
      )
    ).toThrow(/^batchSize: /)
  })

  it('parses control commands and start options', () => {
    expect(parseControlCommand('step')).toBe('step')
    expect(() => parseControlCommand('STEP')).toThrow(/^command: Invalid option/)
    expect(parseStartOptions(undefined)).toEqual({})
    expect(parseStartOptions({ paused: true })).toEqual({ paused: true })
    expect(() => parseStartOptions([])).toThrow(/^options: /)
  })

  it('parses live updates within core limits', () => {
    expect(parseLiveUpdate({ learningRate: 0.5 })).toEqual({ learningRate: 0.5 })
    expect(parseLiveUpdate({ momentum: 0 })).toEqual({ momentum: 0 })
    expect(() => parseLiveUpdate({ learningRate: Number.POSITIVE_INFINITY })).toThrow(
      /^learningRate: /
    )
    expect(() => parseLiveUpdate({ learningRate: '0.1' })).toThrow(
      'learningRate: must be a number > 0 and ≤ 10, got "0.1"'
    )
    expect(() => parseLiveUpdate({ learningRate: 0.1, batchSize: 8 })).toThrow(
      'update.batchSize: is not a known setting'
    )
    expect(() => parseLiveUpdate(null)).toThrow(/^update: /)
  })

  it('accepts an image as a Float32Array or a list, and copies it', () => {
    const pixels = new Float32Array(784).fill(0.5)
    const parsed = parsePixels(pixels, 784)
    expect(parsed).toEqual(pixels)
    expect(parsed).not.toBe(pixels)
    expect(parsePixels(new Array<number>(4).fill(1), 4)).toEqual(new Float32Array([1, 1, 1, 1]))
    expect(() => parsePixels([0, 0, 'x', 0], 4)).toThrow(
      'pixels[2]: must be a number from 0 to 1, got "x"'
    )
    expect(() => parsePixels(new Float64Array(4), 4)).toThrow(
      /^pixels: must be a Float32Array or a list/
    )
    expect(() => parsePixels({ length: 4 }, 4)).toThrow(/^pixels: /)
  })

  it('checks the WebSocket envelope and the number of arguments', () => {
    expect(parseWebRequest({ id: 3, method: Channel.GetInfo, params: [] })).toEqual({
      id: 3,
      method: Channel.GetInfo,
      params: []
    })
    expect(() => parseWebRequest({ id: 3, method: 'fs:readFile', params: [] })).toThrow(
      /^request\.method: /
    )
    expect(() => parseWebRequest({ id: -1, method: Channel.GetInfo, params: [] })).toThrow(
      /^request\.id: /
    )
    expect(() => parseWebRequest({ id: 1, method: Channel.GetInfo, params: [], extra: 1 })).toThrow(
      /^request\.extra: is not a known/
    )
    expect(() => parseWebRequest({ id: 1, method: Channel.GetInfo, params: [1] })).toThrow(
      'studio:info: takes at most 0 arguments, got 1'
    )
    expect(() => checkArity(Channel.Predict, [1, 2])).toThrow(/takes at most 1 argument, got 2/)
  })

  it('knows every StudioApi call and not the push channels', () => {
    expect([...STUDIO_METHODS].sort()).toEqual(
      Object.values(Channel)
        .filter(
          (c) =>
            c !== Channel.TrainingEvent && c !== Channel.MenuCommand && c !== Channel.OpenedFiles
        )
        .sort()
    )
  })
})
