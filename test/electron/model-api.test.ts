// The model half of the extended StudioApi, on the real worker and the real MNIST: evaluation, test-image
// queries, saliency, step-through, gradient checks, and saving / loading / exporting the current model.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createRng,
  evaluate,
  loadModel,
  PRESETS,
  saliency,
  Sequential,
  serializeModel,
  type Dataset,
  type Evaluation,
  type TrainConfig
} from '../../core'
import type { Prediction } from '../../electron/contract'
import { loadMnist } from '../../electron/files/datasets'
import type { StudioHost } from '../../electron/host/studio-host'
import { EventLog } from './support/event-log'
import { LONG_RUN, LONG_RUN_PACE } from './support/long-run'
import { denseNet, ONE_HIDDEN_LAYER_STAGES } from '../helpers/architectures'
import { createHost } from './support/studio-host'

const SEED: TrainConfig = PRESETS.seed.config
/** The seed net over one whole epoch (1875 steps, ~90%): enough mistakes of every kind to query. */
const TRAINED: TrainConfig = { ...SEED, batchCount: 'all' }

describe('the current model through StudioHost', () => {
  let host: StudioHost
  let log: EventLog
  let test: Dataset
  /** The trained seed net's own file, and core's evaluation of it: the oracle the worker must match. */
  let trainedText: string
  let oracle: Evaluation

  const testInput = (index: number): Float32Array =>
    Float32Array.from(test.pixels.subarray(index * 784, (index + 1) * 784), (v) => v / 255)
  const predictions = (indices: number[]): Promise<Prediction[]> =>
    Promise.all(indices.map((i) => host.predict(testInput(i))))

  beforeAll(async () => {
    host = createHost()
    log = new EventLog((listener) => host.onTrainingEvent(listener))
    test = (await loadMnist()).test
    await host.startTraining(TRAINED)
    expect(await log.waitForEnd()).toMatchObject({
      type: 'finished',
      reason: 'completed',
      step: 1875
    })
    trainedText = (await host.exportModel()).text
    oracle = evaluate(loadModel(trainedText).model, test)
  })

  afterAll(async () => {
    log.dispose()
    await host.close()
  })

  it('describes the trained model, with the test results of exactly these weights', async () => {
    const model = await host.getModel()
    expect(model).toMatchObject({
      source: 'run',
      step: 1875,
      fileName: null,
      trainingConfig: TRAINED,
      architecture: SEED.architecture,
      metrics: { steps: 1875, samplesSeen: 60_000, testAccuracy: oracle.accuracy }
    })
    expect(model!.metrics.trainSeconds).toBeGreaterThan(0)
  })

  it('evaluates like core evaluate does, without the per-image arrays', async () => {
    const since = log.mark()
    const summary = await host.evaluateModel()
    // The worker evaluates on the fast engine (evaluateFast): the reference's results up to float32
    // rounding of the logits, so the same predictions here, and losses equal to about 1e-6.
    expect(summary.accuracy).toBe(oracle.accuracy)
    expect(summary.loss).toBeCloseTo(oracle.loss, 5)
    expect(summary.confusion).toEqual(oracle.confusion)
    expect(summary.perClassAccuracy).toEqual(oracle.perClassAccuracy)
    expect(summary).not.toHaveProperty('predictions')
    const progress = log.ofType('evaluationProgress', since)
    expect(progress.at(-1)).toEqual({ type: 'evaluationProgress', done: 10_000, total: 10_000 })
  })

  it('reports progress from 0 to the whole test set when it really evaluates', async () => {
    await host.resetTraining(SEED)
    const since = log.mark()
    const summary = await host.evaluateModel()
    expect(summary.count).toBe(10_000)
    const done = log.ofType('evaluationProgress', since).map((e) => e.done)
    expect(done[0]).toBe(0)
    expect(done.at(-1)).toBe(10_000)
    expect(done).toEqual([...done].sort((a, b) => a - b))
    expect(done.length).toBeLessThanOrEqual(22) // ~10 a second at most, plus the first and the last
    const model = await host.getModel()
    expect(model).toMatchObject({
      source: 'reset',
      step: 0,
      metrics: { steps: 0, testAccuracy: summary.accuracy }
    })
    await host.importModel(trainedText, 'trained.json') // back to the trained net for the tests below
  })

  it('lists a confusion cell: true 3, predicted 5, as many as the matrix counts, most confident first', async () => {
    const cell = oracle.confusion[3][5]
    expect(cell).toBeGreaterThan(0)
    const page = await host.queryTestImages({
      trueClass: 3,
      predictedClass: 5,
      order: 'confidence-desc',
      offset: 0,
      limit: 200
    })
    expect(page.total).toBe(cell)
    expect(page.items).toHaveLength(Math.min(cell, 200))
    for (const item of page.items) {
      expect([item.label, item.predicted]).toEqual([3, 5])
      expect(test.labels[item.index]).toBe(3)
      expect(item.confidence).toBeCloseTo(oracle.confidences[item.index], 5) // fast engine: see above
      expect(item.pixels).toEqual(test.pixels.subarray(item.index * 784, (item.index + 1) * 784))
    }
    const confidences = page.items.map((item) => item.confidence)
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a))
  })

  it('pages through the mistakes in a stable order', async () => {
    const mistakes = oracle.count - Math.round(oracle.accuracy * oracle.count)
    const all = await host.queryTestImages({
      onlyMistakes: true,
      order: 'confidence-asc',
      offset: 0,
      limit: 200
    })
    expect(all.total).toBe(mistakes)
    expect(all.items.every((item) => item.label !== item.predicted)).toBe(true)
    const first = await host.queryTestImages({
      onlyMistakes: true,
      order: 'confidence-asc',
      offset: 0,
      limit: 50
    })
    const second = await host.queryTestImages({
      onlyMistakes: true,
      order: 'confidence-asc',
      offset: 50,
      limit: 50
    })
    expect([...first.items, ...second.items].map((i) => i.index)).toEqual(
      all.items.slice(0, 100).map((i) => i.index)
    )
    expect(second.offset).toBe(50)
    const byIndex = await host.queryTestImages({
      trueClass: 7,
      order: 'index',
      offset: 0,
      limit: 10
    })
    expect(byIndex.total).toBe(oracle.classCounts[7])
    expect(byIndex.items.map((i) => i.index)).toEqual(
      [...byIndex.items.map((i) => i.index)].sort((a, b) => a - b)
    )
    const beyond = await host.queryTestImages({ order: 'index', offset: 20_000, limit: 10 })
    expect(beyond).toEqual({ total: 10_000, offset: 20_000, items: [] })
  })

  it('rejects bad queries before they reach the worker', async () => {
    await expect(host.queryTestImages({ order: 'index', offset: 0, limit: 201 })).rejects.toThrow(
      /^query\.limit: /
    )
    await expect(
      host.queryTestImages({ order: 'index', offset: 0, limit: 5, trueClass: 12 })
    ).rejects.toThrow(/^query\.trueClass: must be a whole number from 0 to 9, got 12/)
    await expect(host.queryTestImages({ offset: 0, limit: 5 })).rejects.toThrow(/^query\.order: /)
  })

  it('computes saliency exactly as core does, for the predicted class or a chosen one', async () => {
    const model = loadModel(trainedText).model
    const input = testInput(0)
    const result = await host.saliency({ source: { kind: 'test', index: 0 } })
    expect(result.input).toEqual(input)
    expect(result.predicted).toBe(oracle.predictions[0])
    expect(result.classIndex).toBe(result.predicted)
    expect(result.map).toEqual(saliency(model, input, result.predicted))
    expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)

    const chosen = await host.saliency({ source: { kind: 'pixels', pixels: input }, classIndex: 2 })
    expect(chosen.classIndex).toBe(2)
    expect(chosen.map).toEqual(saliency(model, input, 2))
    await expect(host.saliency({ source: { kind: 'test', index: 10_000 } })).rejects.toThrow(
      /^request\.source\.index: /
    )
  })

  it('steps through one image of the seed net: every stage, with numpy shapes', async () => {
    const step = await host.explainStep({ source: { kind: 'test', index: 0 } })
    expect(step.label).toBe(test.labels[0]) // the test label by default
    expect(step.stages.map((s) => s.id)).toEqual(ONE_HIDDEN_LAYER_STAGES)
    const stage = (id: string) => step.stages.find((s) => s.id === id)!
    expect(stage('z1').shapes).toBe('(1, 784) · (784, 10) + (1, 10) → (1, 10)')
    expect(stage('dW1').value).toMatchObject({ rows: 10, cols: 784 })
    expect(stage('W1′').title).toContain('learning rate 0.03') // the config's, by default
    const withOptions = await host.explainStep({
      source: { kind: 'pixels', pixels: testInput(0) },
      label: 9,
      learningRate: 0.5
    })
    expect(withOptions.label).toBe(9)
    expect(withOptions.stages.find((s) => s.id === 'W1′')!.title).toContain('learning rate 0.5')
    const ownImage = await host.explainStep({ source: { kind: 'pixels', pixels: testInput(1) } })
    expect(ownImage.label).toBe(ownImage.predicted) // no true label for the user's own image: the prediction
  })

  it('checks gradients against central differences on the first 32 test images', async () => {
    for (const parameter of ['dense2.weight', 'dense2.bias']) {
      const report = await host.checkGradients({ parameter, sampleCount: 40 })
      expect(report.batchSize).toBe(32)
      expect(report.checks).toHaveLength(parameter === 'dense2.bias' ? 10 : 40) // a bias has only 10 values
      expect(report.worstRelativeError).toBeLessThan(1e-3)
      expect(report.worstRelativeError).toBe(
        Math.max(...report.checks.filter((c) => !c.kink).map((c) => c.relativeError))
      )
    }
    // The numeric side is a float64 pass with h = 1e-6: first-layer checks agree to float32 precision,
    // and the rare check that straddles a ReLU kink is flagged and left out of the worst error.
    const first = await host.checkGradients({ parameter: 'dense1.weight', sampleCount: 40 })
    const clean = first.checks.filter((c) => !c.kink)
    expect(first.kinks).toBe(first.checks.length - clean.length)
    expect(clean.length).toBeGreaterThanOrEqual(36)
    expect(first.worstRelativeError).toBe(Math.max(...clean.map((c) => c.relativeError)))
    expect(first.worstRelativeError).toBeLessThan(1e-3)

    const pixel = await host.checkGradients({ parameter: 'dense1.weight', indices: [14 * 28 + 14] })
    expect(pixel.checks).toMatchObject([{ parameter: 'dense1.weight', index: 406 }])
    // Where a check says most: the weights with the largest |dL/dw| on the batch, largest first.
    const strongest = await host.checkGradients({ parameter: 'dense1.weight', strongest: 5 })
    const magnitudes = strongest.checks.map((c) => Math.abs(c.analytic))
    expect(magnitudes).toEqual([...magnitudes].sort((a, b) => b - a))
    expect(magnitudes[0]).toBeGreaterThanOrEqual(
      Math.max(...first.checks.map((c) => Math.abs(c.analytic)))
    )
    const again = await host.checkGradients({ parameter: 'dense1.weight', sampleCount: 40 })
    expect(again.checks.map((c) => c.index)).toEqual(first.checks.map((c) => c.index)) // seeded: the same sample
    await expect(
      host.checkGradients({ parameter: 'dense3.weight', sampleCount: 5 })
    ).rejects.toThrow(/^request\.parameter: the current model has no dense3\.weight/)
    await expect(
      host.checkGradients({ parameter: 'dense1.weight', indices: [7840] })
    ).rejects.toThrow(/^request\.indices\[0\]: /)
  })

  it('round-trips the model through its file: same predictions, named by its shape and steps', async () => {
    const file = await host.exportModel()
    expect(file.fileName).toBe('mnist-784-10-10-step1875.json')
    const parsed = loadModel(file.text).file
    expect(parsed.trainingConfig).toEqual(TRAINED)
    expect(parsed.metrics).toMatchObject({ steps: 1875, testAccuracy: oracle.accuracy })
    const before = await predictions([0, 1, 2, 3])

    await host.resetTraining(SEED)
    expect(await predictions([0, 1, 2, 3])).not.toEqual(before)
    const since = log.mark()
    const loaded = await host.importModel(file.text, file.fileName)
    expect(loaded).toMatchObject({
      source: 'loaded',
      fileName: file.fileName,
      step: 1875,
      trainingConfig: TRAINED
    })
    expect(await host.getModel()).toEqual(loaded)
    expect(await predictions([0, 1, 2, 3])).toEqual(before)
    expect(log.ofType('modelLoaded', since)).toEqual([{ type: 'modelLoaded', model: loaded }])
    expect(log.ofType('weights', since)[0].snapshot).toMatchObject({
      layer: 'dense1.weight',
      step: 1875,
      rows: 10
    })
  })

  it('refuses bad model files with a clear message, and changes nothing', async () => {
    const before = await predictions([0, 1, 2])
    const modelBefore = await host.getModel()
    const since = log.mark()
    const tampered = trainedText.replace(
      /("data": ")(.)/,
      (_m, prefix: string, c: string) => prefix + (c === 'A' ? 'B' : 'A')
    )
    const otherInput = serializeModel(new Sequential(denseNet([], 'relu', 100), 'he', createRng(1)))
    const cases: [string, RegExp][] = [
      [
        trainedText.slice(0, trainedText.length / 2),
        /not valid JSON: it is probably truncated or damaged/
      ],
      [tampered, /do not match the file's checksum|not valid base64/],
      ['{"format":"keras","version":1}', /not a Backprop Studio model file/],
      ['PK\u0003\u0004 this is a zip', /this is not a model file \(it is not JSON\)/],
      [
        otherInput,
        /this model takes 100 inputs but MNIST training set images have 28×28 = 784 pixels/
      ]
    ]
    for (const [text, message] of cases)
      await expect(host.importModel(text, 'bad.json')).rejects.toThrow(message)
    await expect(host.importModel('x'.repeat(64 * 1024 * 1024 + 1), 'huge.json')).rejects.toThrow(
      /^text: the file is 64\.0 MB/
    )
    await expect(host.importModel(trainedText, '')).rejects.toThrow(/^fileName: /)
    expect(await predictions([0, 1, 2])).toEqual(before)
    expect(await host.getModel()).toEqual(modelBefore)
    expect(log.events.slice(since)).toEqual([])
  })

  it('loading a model stops the run in progress', async () => {
    const since = log.mark()
    await host.startTraining(LONG_RUN, LONG_RUN_PACE)
    await log.waitFor('progress', { since })
    const loaded = await host.importModel(trainedText, 'trained.json')
    const end = await log.waitForEnd(since)
    expect(end).toMatchObject({ type: 'finished', reason: 'stopped' })
    const types = log.events.slice(since).map((e) => e.type)
    expect(types.indexOf('modelLoaded')).toBeGreaterThan(types.indexOf('finished'))
    expect(loaded.source).toBe('loaded')
    await expect(host.controlTraining('pause')).rejects.toThrow(/no training run is in progress/)
  })

  it('exports the weights as .npz: a zip named like the model', async () => {
    const npz = await host.exportNpz()
    expect(npz.fileName).toBe('mnist-784-10-10-step1875.npz')
    expect(npz.bytes).toBeInstanceOf(Uint8Array)
    expect(Array.from(npz.bytes.subarray(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04])
  })

  it('exports ONNX and loads it back: the same predictions, named like the model', async () => {
    const onnx = await host.exportOnnx()
    expect(onnx.fileName).toMatch(/^mnist-784-10-10-step\d+\.onnx$/)
    const before = await predictions([0, 1, 2, 3])
    await host.resetTraining(SEED)
    const loaded = await host.importOnnx(onnx.bytes, onnx.fileName)
    expect(loaded).toMatchObject({ source: 'loaded', fileName: onnx.fileName, step: 0 })
    expect(loaded.architecture).toEqual(TRAINED.architecture)
    expect(await predictions([0, 1, 2, 3])).toEqual(before)
    await expect(host.importOnnx(Uint8Array.of(0x08, 0x08, 0xff), 'bad.onnx')).rejects.toThrow(
      /not an ONNX model/
    )
    await host.importModel(trainedText, 'trained.json') // back to the trained net for the tests below
  })

  it('answers inspection requests while a run trains, between its steps', async () => {
    const since = log.mark()
    await host.startTraining(LONG_RUN, LONG_RUN_PACE)
    await log.waitFor('progress', { since })
    const [page, model] = await Promise.all([
      host.queryTestImages({ trueClass: 1, order: 'confidence-desc', offset: 0, limit: 5 }),
      host.getModel()
    ])
    expect(page.items).toHaveLength(5)
    expect(model).toMatchObject({ source: 'run' })
    expect(model!.step).toBeGreaterThan(0)
    await host.controlTraining('stop')
    await log.waitForEnd(since)
  })
})
