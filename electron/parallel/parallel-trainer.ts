// Data-parallel training on several threads: the fast engine (core/fast) in one shared WebAssembly
// memory, the calling thread plus helper worker_threads each running a share of every step. The
// studio's worker, the CLI and the benchmark train on it (threaded-trainer.ts says when).
//
// How a step is shared (core/fast/step-work.ts): forward, loss and backward in chunks of batch rows;
// gradients and the optimizer's update in chunks of weight rows (each row summed over the whole batch in the
// same order, so nothing needs reducing). Dense nets (FastNetwork) and conv nets (ConvNetwork: one
// gradient chunk per layer, and a conv scratch per thread at the end of the memory) alike. Threads claim chunks as they go (work-queue.ts). The result
// is bit-identical to the single-threaded FastTrainer, whatever the thread count.

import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads'
import {
  checkConfigFitsDataset,
  createMemory,
  encodedOffsets,
  fastEngineBytes,
  FastNetwork,
  FastTrainer,
  type BatchImage,
  type Dataset,
  type HealthSample,
  type ModelArchitecture,
  type Optimizer,
  type Sequential,
  type StepMetrics,
  type StepTrainer,
  type TrainConfig,
  type TrainerState,
  type WasmMemory
} from '../../core'
import type { ModeChooserOptions } from './mode-chooser'
import { CONTROL_BYTES, SharedWorkQueue } from './work-queue'

/** The most threads a trainer may run on, the calling one included. */
export const MAX_THREADS = 16

/** What a helper thread is started with (workerData). */
export interface HelperData {
  readonly memory: WasmMemory
  readonly control: SharedArrayBuffer
  readonly errors: MessagePort
  readonly architecture: ModelArchitecture
  readonly batchSize: number
  readonly datasetCount: number
  readonly datasetEntries: number
  /** A dense net's cost of each weight row per layer (FastNetwork's gradient split); [] for a conv net. */
  readonly rowWeights: readonly (Float64Array | null)[]
  /** This helper's thread number (1 … threads − 1; the training thread is 0): its conv scratch. */
  readonly thread: number
}

export interface ParallelTrainerOptions {
  /** Threads in total, the calling one included (default 2). 1 means no helpers: FastTrainer alone. */
  readonly threads?: number
  /** When to share steps with the helpers (default: measured, see mode-chooser.ts). */
  readonly sharing?: ModeChooserOptions
  /**
   * The helper thread's built script (the studio's out/main/train-helper.js). Absent: helper-thread.ts
   * run through tsx, as the CLI, the benchmark and the tests run.
   */
  readonly helperScript?: string
}

/**
 * A StepTrainer whose steps run on up to `threads` threads. Same metrics as FastTrainer (bit for bit),
 * and Trainer's up to float32 rounding. Whether the helpers take part is measured as it trains (on a
 * busy or virtualised machine, a step alone can be faster); the results do not depend on it. Create with `await ParallelTrainer.create(...)`; call `close()`
 * when done (it stops the helper threads).
 * NOTE: step() blocks the calling thread until the helpers finish their shares (Atomics.wait): call
 * it from a worker thread or a CLI, never from Electron's main process or a renderer.
 */
export class ParallelTrainer implements StepTrainer {
  private constructor(
    private readonly inner: FastTrainer,
    private readonly queue: SharedWorkQueue | null,
    private readonly workers: readonly Worker[],
    readonly threads: number
  ) {}

  static async create(
    config: TrainConfig,
    trainSet: Dataset,
    { threads = 2, sharing, helperScript }: ParallelTrainerOptions = {}
  ): Promise<ParallelTrainer> {
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS)
      throw new RangeError(`threads must be 1 to ${MAX_THREADS}, got ${threads}`)
    checkConfigFitsDataset(config, trainSet) // before sizing a memory for it (FastTrainer checks again)
    const helpers = threads - 1
    const datasetOffsets = encodedOffsets(trainSet)
    const entries = datasetOffsets[trainSet.count]
    const { architecture, batchSize } = config
    const layoutBytes = fastEngineBytes(architecture, batchSize, trainSet.count, entries, threads)
    const memory = createMemory(layoutBytes, helpers > 0)
    if (helpers === 0)
      return new ParallelTrainer(
        new FastTrainer(config, trainSet, { memory, datasetOffsets }),
        null,
        [],
        1
      )
    const control = new SharedArrayBuffer(CONTROL_BYTES)
    const channels = Array.from({ length: helpers }, () => new MessageChannel())
    const queue = new SharedWorkQueue(
      control,
      channels.map((channel) => channel.port1),
      threads,
      sharing
    )
    const inner = new FastTrainer(config, trainSet, { memory, work: queue, datasetOffsets })
    const network = inner.network
    const rowWeights =
      network instanceof FastNetwork
        ? network.layout.layers.map((_, layer) => network.gradientSplits.rowWeights(layer))
        : []
    const workers = channels.map((channel, i) => {
      const data: HelperData = {
        memory,
        control,
        errors: channel.port2,
        architecture: config.architecture,
        batchSize: config.batchSize,
        datasetCount: trainSet.count,
        datasetEntries: entries,
        rowWeights,
        thread: i + 1
      }
      return startHelper(data, [channel.port2], helperScript)
    })
    const trainer = new ParallelTrainer(inner, queue, workers, threads)
    try {
      await Promise.all(workers.map(untilReady))
    } catch (error) {
      await trainer.close() // the helpers that did start: no thread outlives a failed start
      throw error
    }
    return trainer
  }

  get model(): Sequential {
    return this.inner.model
  }
  captureState(): TrainerState {
    return this.inner.captureState()
  }
  restoreState(state: TrainerState): void {
    this.inner.restoreState(state)
  }
  get optimizer(): Optimizer {
    return this.inner.optimizer
  }
  get stepsPerEpoch(): number {
    return this.inner.stepsPerEpoch
  }
  get totalSteps(): number {
    return this.inner.totalSteps
  }
  get config(): TrainConfig {
    return this.inner.config
  }
  get stepsCompleted(): number {
    return this.inner.stepsCompleted
  }
  get samplesSeen(): number {
    return this.inner.samplesSeen
  }
  get epoch(): number {
    return this.inner.epoch
  }
  get done(): boolean {
    return this.inner.done
  }
  get atEpochEnd(): boolean {
    return this.inner.atEpochEnd
  }

  /** Fraction of the steps so far that the helper threads took part in (0 with one thread). */
  get sharedFraction(): number {
    return this.queue?.sharedFraction ?? 0
  }

  step(): StepMetrics {
    return this.inner.step()
  }

  setLearningRate(learningRate: number): void {
    this.inner.setLearningRate(learningRate)
  }

  setMomentum(momentum: number): void {
    this.inner.setMomentum(momentum)
  }

  requestHealth(): void {
    this.inner.requestHealth()
  }
  get lastHealth(): HealthSample | null {
    return this.inner.lastHealth
  }
  lastBatchImage(): BatchImage | null {
    return this.inner.lastBatchImage()
  }

  /** Stops the helper threads. The trainer cannot step afterwards (its model stays readable). */
  async close(): Promise<void> {
    this.queue?.stop()
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }
}

/**
 * Starts a helper thread: `script` when given (a built helper), else helper-thread.ts through tsx.
 * NOTE: a helper's exception inside a step reaches the trainer through the work queue (its step
 * throws); the listener below only keeps an exception outside one (while starting) from reaching
 * this thread as an uncaught 'error' event: untilReady reports that one.
 */
function startHelper(data: HelperData, transferList: MessagePort[], script?: string): Worker {
  const options = { workerData: data, transferList }
  const worker = script
    ? new Worker(script, options)
    : new Worker(
        `require(${JSON.stringify(createRequire(import.meta.url).resolve('tsx/cjs'))});` +
          `require(${JSON.stringify(join(dirname(fileURLToPath(import.meta.url)), 'helper-thread.ts'))});`,
        { ...options, eval: true }
      )
  worker.on('error', () => undefined)
  worker.unref() // a forgotten trainer must not keep the process alive
  return worker
}

function untilReady(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', (error) =>
      reject(new Error(`a training helper thread could not start: ${error.message}`))
    )
    worker.once('exit', (code) =>
      reject(new Error(`a training helper thread exited (code ${code}) before it was ready`))
    )
  })
}
