// Sharing the chunks of a step between the training thread and helper threads, through a few slots of
// a SharedArrayBuffer and Atomics: no message per step (postMessage costs tens of µs, about a whole
// step of the seed net), only loads, stores, compare-exchanges and, when idle, futex waits.
//
//   training thread                                   helper threads
//   publish job (seqlock on GEN) ─────────────────▶   see GEN change, snapshot the job
//   claim chunks (CAS on NEXT), run them        ⇄     claim chunks (CAS on NEXT), run them
//   wait until FINISHED = chunks  ◀───────────────    FINISHED += 1 per chunk run
//
// Chunks are claimed, not assigned: when a helper is slow to wake, the training thread runs more
// chunks itself and never waits for a helper that has not started. Which thread runs a chunk changes
// nothing in the result (core/fast/step-work.ts), and neither does running a step alone: ModeChooser
// decides per window of steps, by measuring, whether sharing pays on this machine at this moment.
//
// Tickets: NEXT only ever grows; job g owns tickets base_g … base_g + chunks_g − 1. A helper holding a
// stale snapshot finds NEXT past its range and claims nothing (differences are taken mod 2³², so
// wrapping is harmless).

import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads'
import {
  jobChunks,
  runChunk,
  serialWork,
  type FastEngine,
  type FusedUpdate,
  type StepJob,
  type StepPlan,
  type WorkSharing
} from '../../core'
import { ModeChooser, type ModeChooserOptions } from './mode-chooser'

// Int32 slots of the control block.
const GEN = 0 // odd while the training thread writes a job, even once published
const NEXT = 1
const FINISHED = 2
const FAILED = 3
const KIND = 4
const BASE = 5
const CHUNKS = 6
const ROWS = 7
const SPLITS = 8 // gradients job
const PIXELS = 9 // rows job: the batch source
const LABELS = 10
const SAMPLES = 11
const UPDATE = 12 // gradients job: the optimizer's rule (see UpdateRule), its numbers in the Float64 slots
const ENCODED = 13 // rows job: whether the source is the pre-encoded dataset
const INT_SLOTS = 16
// Float64 slots, after the Int32 ones: the numbers of a gradients job's update rule, in this order.
const UPDATE_NUMBERS = [
  'learningRate',
  'weightDecay',
  'momentum',
  'beta1',
  'beta2',
  'epsilon',
  'correction1',
  'correction2'
] as const
/** Bytes of a control block. */
export const CONTROL_BYTES = INT_SLOTS * 4 + UPDATE_NUMBERS.length * 8

const UpdateRule = { None: 0, Sgd: 1, Adam: 2 } as const

/** Writes a step's update rule into the control block (the Int32 slot and the Float64 slots). */
function writeUpdate(c: Int32Array, numbers: Float64Array, update: FusedUpdate | null): void {
  c[UPDATE] = !update ? UpdateRule.None : update.rule === 'sgd' ? UpdateRule.Sgd : UpdateRule.Adam
  if (!update) return
  const fields: Partial<Record<(typeof UPDATE_NUMBERS)[number], number>> = update
  UPDATE_NUMBERS.forEach((name, i) => (numbers[i] = fields[name] ?? 0))
}

/** Reads back what writeUpdate wrote. */
function readUpdate(c: Int32Array, numbers: Float64Array): FusedUpdate | null {
  const n = Object.fromEntries(UPDATE_NUMBERS.map((name, i) => [name, numbers[i]])) as Record<
    (typeof UPDATE_NUMBERS)[number],
    number
  >
  switch (c[UPDATE]) {
    case UpdateRule.Sgd:
      return {
        rule: 'sgd',
        learningRate: n.learningRate,
        momentum: n.momentum,
        weightDecay: n.weightDecay
      }
    case UpdateRule.Adam:
      return {
        rule: 'adam',
        learningRate: n.learningRate,
        beta1: n.beta1,
        beta2: n.beta2,
        epsilon: n.epsilon,
        weightDecay: n.weightDecay,
        correction1: n.correction1,
        correction2: n.correction2
      }
    default:
      return null
  }
}

const Kind = { Rows: 1, Gradients: 2, Stop: 3 } as const

/** Spin budgets (ms) before sleeping in Atomics.wait: a helper between jobs; the trainer for a last chunk. */
const HELPER_SPIN_MS = 0.05
const TRAINER_SPIN_MS = 0.5

/** Waits while control[slot] === value: spins for up to `spinMs`, then sleeps in Atomics.wait. */
function waitWhileEqual(control: Int32Array, slot: number, value: number, spinMs: number): void {
  if (Atomics.load(control, slot) !== value) return
  const spinUntil = performance.now() + spinMs
  let spins = 0
  while (Atomics.load(control, slot) === value) {
    if ((++spins & 127) === 0 && performance.now() > spinUntil) {
      while (Atomics.load(control, slot) === value) Atomics.wait(control, slot, value)
      return
    }
  }
}

/** Claims and runs chunks of the job owning tickets base … base + chunks − 1 until none are left. */
function claimAndRun(
  control: Int32Array,
  base: number,
  chunks: number,
  run: (chunk: number) => void
): void {
  for (;;) {
    const ticket = Atomics.load(control, NEXT)
    const chunk = (ticket - base) | 0
    if (chunk < 0 || chunk >= chunks) return
    if (Atomics.compareExchange(control, NEXT, ticket, (ticket + 1) | 0) !== ticket) continue
    try {
      run(chunk)
    } catch (error) {
      Atomics.store(control, FAILED, 1)
      throw error
    }
    if (Atomics.add(control, FINISHED, 1) + 1 === chunks) Atomics.notify(control, FINISHED)
  }
}

/** The training thread's side: a WorkSharing that publishes each job to the helpers and joins in. */
export class SharedWorkQueue implements WorkSharing {
  private readonly control: Int32Array
  private readonly settings: Float64Array
  private readonly chooser: ModeChooser
  private shared = false
  private stepStart = -1
  private stepMs = 0

  constructor(
    controlBuffer: SharedArrayBuffer,
    /** Where helpers report an exception (read synchronously when FAILED is set). */
    private readonly errors: readonly MessagePort[],
    private readonly threads: number,
    chooser: ModeChooserOptions = {}
  ) {
    this.control = new Int32Array(controlBuffer, 0, INT_SLOTS)
    this.settings = new Float64Array(controlBuffer, INT_SLOTS * 4, UPDATE_NUMBERS.length)
    this.chooser = new ModeChooser(chooser)
  }

  /** Fraction of the steps so far that the helpers took part in. */
  get sharedFraction(): number {
    return this.chooser.sharedFraction
  }

  beginStep(rows: number): StepPlan {
    if (this.stepStart >= 0) this.chooser.record(this.stepMs)
    this.stepStart = 0
    this.stepMs = 0
    this.shared = this.chooser.shared
    // Shared: enough chunks that a thread finishing early finds more work, few enough to stay cheap.
    return this.shared
      ? { rowChunks: Math.min(rows, 2 * this.threads), gradientSplits: 2 * this.threads }
      : serialWork.beginStep(rows)
  }

  run(job: StepJob, network: FastEngine): void {
    const start = performance.now()
    if (this.shared) this.runShared(job, network)
    else serialWork.run(job, network)
    this.stepMs += performance.now() - start
  }

  private runShared(job: StepJob, network: FastEngine): void {
    const c = this.control
    const chunks = jobChunks(job, network)
    const base = Atomics.load(c, NEXT)
    const gen = Atomics.load(c, GEN)
    Atomics.store(c, GEN, gen + 1) // odd: writing
    c[KIND] = job.kind === 'rows' ? Kind.Rows : Kind.Gradients
    c[BASE] = base
    c[CHUNKS] = chunks
    c[ROWS] = job.rows
    c[FINISHED] = 0
    if (job.kind === 'rows') {
      c[ENCODED] = job.source.encoded ? 1 : 0
      c[PIXELS] = job.source.pixels
      c[LABELS] = job.source.labels
      c[SAMPLES] = job.source.samples
    } else {
      c[SPLITS] = job.splits
      writeUpdate(c, this.settings, job.update)
    }
    Atomics.store(c, GEN, gen + 2) // even: published (Atomics order the plain writes above before it)
    Atomics.notify(c, GEN)

    claimAndRun(c, base, chunks, (chunk) => runChunk(network, job, chunk))
    for (let done = Atomics.load(c, FINISHED); done < chunks; done = Atomics.load(c, FINISHED)) {
      waitWhileEqual(c, FINISHED, done, TRAINER_SPIN_MS)
    }
    if (Atomics.load(c, FAILED) !== 0) {
      const message = this.errors
        .map((port) => receiveMessageOnPort(port)?.message)
        .find((m) => m !== undefined)
      throw new Error(`a training helper thread failed: ${String(message ?? 'unknown error')}`)
    }
  }

  /** Tells the helpers to leave their loops. */
  stop(): void {
    const c = this.control
    const gen = Atomics.load(c, GEN)
    Atomics.store(c, GEN, gen + 1)
    c[KIND] = Kind.Stop
    Atomics.store(c, GEN, gen + 2)
    Atomics.notify(c, GEN)
  }
}

/**
 * A helper thread's loop: wait for a job, snapshot it, claim and run chunks, repeat until Stop.
 * An exception is reported on `errors`, counted as a finished chunk (so the trainer wakes up and
 * throws), and ends the loop.
 */
export function serveJobs(
  controlBuffer: SharedArrayBuffer,
  errors: MessagePort,
  network: FastEngine
): void {
  const c = new Int32Array(controlBuffer, 0, INT_SLOTS)
  const settings = new Float64Array(controlBuffer, INT_SLOTS * 4, UPDATE_NUMBERS.length)
  let seen = 0
  for (;;) {
    waitWhileEqual(c, GEN, seen, HELPER_SPIN_MS)
    // Snapshot the job (seqlock): retry while the trainer is writing, or if it published a newer one meanwhile.
    let gen: number
    let job: StepJob | null
    let base: number
    let chunks: number
    do {
      gen = Atomics.load(c, GEN)
      while (gen & 1) gen = Atomics.load(c, GEN)
      const kind = c[KIND]
      base = c[BASE]
      chunks = c[CHUNKS]
      job =
        kind === Kind.Rows
          ? {
              kind: 'rows',
              chunks,
              rows: c[ROWS],
              source: {
                encoded: c[ENCODED] === 1,
                pixels: c[PIXELS],
                labels: c[LABELS],
                samples: c[SAMPLES]
              }
            }
          : kind === Kind.Gradients
            ? {
                kind: 'gradients',
                splits: c[SPLITS],
                rows: c[ROWS],
                update: readUpdate(c, settings)
              }
            : null
    } while (Atomics.load(c, GEN) !== gen)
    seen = gen
    if (!job) return // Stop
    const current = job
    try {
      claimAndRun(c, base, chunks, (chunk) => runChunk(network, current, chunk))
    } catch (error) {
      errors.postMessage(
        error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)
      )
      if (Atomics.add(c, FINISHED, 1) + 1 >= chunks) Atomics.notify(c, FINISHED)
      return
    }
  }
}
