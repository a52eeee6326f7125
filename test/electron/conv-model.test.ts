// A conv net through StudioHost and the real worker: it trains (on the reference engine), and every
// view of the model works for it: weights (its filters), feature maps, prediction, saliency, gradient
// checks of conv parameters, model files and .npz, and the step-through (its numbers are core's on the
// same weights).

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  featureMaps,
  loadModel,
  PRESETS,
  saliency,
  stepThrough,
  type Dataset,
  type TrainConfig
} from '../../core'
import { loadMnist } from '../../electron/files/datasets'
import type { StudioHost } from '../../electron/host/studio-host'
import { EventLog } from './support/event-log'
import { createHost } from './support/studio-host'

const CNN: TrainConfig = {
  ...PRESETS.seed.config,
  architecture: {
    inputShape: [1, 28, 28],
    layers: [
      { kind: 'conv', filters: 4, kernel: 5, stride: 2, padding: 'same', activation: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dropout', rate: 0.1 }
    ],
    outputSize: 10
  },
  optimizer: { kind: 'sgd', momentum: 0.9 },
  learningRate: 0.05,
  batchCount: 100,
  augmentation: { shiftPixels: 1, rotationDegrees: 0, scale: 0 }
}

describe('a conv net through StudioHost', () => {
  let host: StudioHost
  let log: EventLog
  let test: Dataset
  const testInput = (index: number): Float32Array =>
    Float32Array.from(test.pixels.subarray(index * 784, (index + 1) * 784), (v) => v / 255)

  beforeAll(async () => {
    host = createHost()
    log = new EventLog((listener) => host.onTrainingEvent(listener))
    test = (await loadMnist()).test
    await host.startTraining(CNN)
    expect(await log.waitForEnd()).toMatchObject({ type: 'finished', step: 100 })
    // NOTE: 100 conv steps and a 10 000-image evaluation on the reference engine, in the worker: seconds
    // on an idle machine, more than the default 10 s hook timeout on a busy one.
  }, 120_000)

  afterAll(async () => {
    log.dispose()
    await host.close()
  })

  it('trains, evaluates at the end, and reports the model with its layer list', async () => {
    const evaluations = log.ofType('evaluation')
    expect(evaluations.at(-1)!.evaluation.accuracy).toBeGreaterThan(0.6)
    expect(await host.getModel()).toMatchObject({
      source: 'run',
      step: 100,
      architecture: CNN.architecture,
      trainingConfig: CNN
    })
  })

  it('shows the first conv layer’s filters as rows of k·k values', async () => {
    const weights = await host.getWeights()
    expect(weights).toMatchObject({ layer: 'conv1.weight', rows: 4, cols: 25, step: 100 })
    expect(log.ofType('weights').at(-1)!.snapshot.layer).toBe('conv1.weight')
  })

  it('predicts and explains: saliency through the conv layers, gradient checks of conv1, the step-through', async () => {
    const prediction = await host.predict(testInput(0))
    expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    const { model } = loadModel((await host.exportModel()).text)
    const map = await host.saliency({ source: { kind: 'test', index: 0 } })
    expect(map.map).toEqual(saliency(model, testInput(0), map.predicted))
    const report = await host.checkGradients({ parameter: 'conv1.weight', sampleCount: 10 })
    expect(report.checks).toHaveLength(10)
    for (const check of report.checks.filter((c) => !c.kink))
      expect(check.relativeError < 1e-3 || Math.abs(check.analytic - check.numeric) < 1e-7).toBe(
        true
      )
    await expect(
      host.checkGradients({ parameter: 'conv2.weight', sampleCount: 1 })
    ).rejects.toThrow(
      /has no conv2.weight; it has conv1.weight, conv1.bias, dense1.weight, dense1.bias/
    )
    // The step-through of a conv net: the worker's numbers are core's on the same weights.
    const step = await host.explainStep({ source: { kind: 'test', index: 0 }, learningRate: 0.1 })
    const local = stepThrough(model, testInput(0), step.label, 0.1)
    expect(step.stages.map((s) => s.id)).toEqual(local.stages.map((s) => s.id))
    expect(step.stages.find((s) => s.id === 'z1')!.value.values).toEqual(
      local.stages.find((s) => s.id === 'z1')!.value.values
    )
    expect(step.stages.find((s) => s.id === 'dW1')!.dims).toEqual([4, 1, 5, 5])
    expect(step.convolution!.convs[0]).toMatchObject({ name: 'conv1', input: 'x', output: 'z1' })
  })

  it('gives the feature maps of a test image and of the user’s pixels, as core computes them', async () => {
    const { model } = loadModel((await host.exportModel()).text)
    const maps = await host.featureMaps({ kind: 'test', index: 3 })
    expect(maps).toMatchObject({ step: 100, label: test.labels[3] })
    expect(maps.input).toEqual(testInput(3))
    expect(maps.prediction).toEqual(await host.predict(testInput(3)))
    expect(maps.layers.map((m) => `${m.name} (${m.shape.join(', ')})`)).toEqual([
      'conv1 (4, 14, 14)',
      'pool1 (4, 7, 7)'
    ])
    expect(maps.layers).toEqual(featureMaps(model, testInput(3)))
    const drawn = await host.featureMaps({ kind: 'pixels', pixels: testInput(5) })
    expect(drawn.label).toBeNull()
    expect(drawn.layers).toEqual(featureMaps(model, testInput(5)))
  })

  it('saves and loads the model file, and exports its .npz', async () => {
    const file = await host.exportModel()
    expect(file.fileName).toBe('mnist-conv5x5x4s2-pool2-flatten-dropout0.1-10-step100.json')
    const summary = await host.importModel(file.text, 'cnn.json')
    expect(summary).toMatchObject({ source: 'loaded', architecture: CNN.architecture })
    const npz = await host.exportNpz()
    expect(Array.from(npz.bytes.subarray(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04])
  })
})
