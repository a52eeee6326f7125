// Where a LeNet step's time goes: FastTrainer on `npm run bench`'s lenet net (batch 64, SGD), one
// thread, real MNIST, with every convolution and pooling kernel call timed by CPU time (this process's,
// so other processes' turns on a shared machine are not counted). The rest of the step (the dense
// layers, softmax + cross-entropy, the input encoding and the optimizer's update) is the step's time
// minus the timed kernels.
//
//   npx tsx bench/conv-step-profile.ts [--steps N]     (default 300 timed steps after 60 warm-up steps)
//       [--dense-weight-gradient]   conv2's weight gradient by the GEMM, as before it went over dy's
//                                   nonzeros (for an A/B of whole steps: run both ways alternately)
//       [--all-kernels]             also time every dense-engine and map kernel call (kernels.wat,
//                                   map-kernels.wat: the dense layers, loss, encoding, activations,
//                                   update), so "the rest" is only the TypeScript between the calls
//
// NOTE: the timers wrap ConvKernelCalls' methods (a prototype patch in this script only), so each
// timed call also pays ~1 µs for reading the clock twice.

import { ConvKernelCalls, FastTrainer } from '../core'
import { loadMnist } from '../electron/files/datasets'
import { formatNumber, formatTable, loadWarning } from './harness'
import { BENCH_NETS } from './nets'

type Method =
  | 'forward'
  | 'forwardSparse'
  | 'backwardInput'
  | 'backwardWeight'
  | 'backwardWeightSparse'
  | 'maxPoolForward'
  | 'maxPoolBackward'

const METHODS: readonly Method[] = [
  'forward',
  'forwardSparse',
  'backwardInput',
  'backwardWeight',
  'backwardWeightSparse',
  'maxPoolForward',
  'maxPoolBackward'
]

/** µs of CPU time per (method, call index within the step), summed over the timed steps. */
const spent = new Map<string, number>()
let callIndex = new Map<Method, number>()
let timing = false

const cpuMicros = (): number => {
  const { user, system } = process.cpuUsage()
  return user + system
}

const denseWeightGradient = process.argv.includes('--dense-weight-gradient')

for (const method of METHODS) {
  const original = ConvKernelCalls.prototype[method] as (...args: unknown[]) => void
  ConvKernelCalls.prototype[method] = function (this: ConvKernelCalls, ...args: unknown[]) {
    // backwardWeight(at, g, images, filters, dy): the DyMethod is its fifth argument
    if (denseWeightGradient && method === 'backwardWeight') args[4] = 'dense'
    if (!timing) return original.apply(this, args)
    const n = callIndex.get(method) ?? 0
    callIndex.set(method, n + 1)
    const start = cpuMicros()
    original.apply(this, args)
    const key = `${method} #${n + 1}`
    spent.set(key, (spent.get(key) ?? 0) + cpuMicros() - start)
  } as never
}

/**
 * Wraps every function of a kernels object (a WebAssembly instance's exports, frozen: so a copy) with
 * the same CPU timer, keyed `prefix.name`.
 */
function timedKernels<T extends object>(kernels: T, prefix: string): T {
  const timed: Record<string, unknown> = {}
  for (const [name, fn] of Object.entries(kernels)) {
    if (typeof fn !== 'function') continue
    timed[name] = (...args: unknown[]): unknown => {
      if (!timing) return (fn as (...a: unknown[]) => unknown)(...args)
      const start = cpuMicros()
      const result = (fn as (...a: unknown[]) => unknown)(...args)
      const key = `${prefix}.${name}`
      spent.set(key, (spent.get(key) ?? 0) + cpuMicros() - start)
      return result
    }
  }
  return timed as T
}

/** Puts timed copies of the dense-engine and map kernels where the conv engine's stages call them. */
function timeAllKernels(trainer: FastTrainer): void {
  // NOTE: reaches into private fields (this script only): the stage context and the batch input.
  const network = trainer.network as unknown as {
    context: { kernels: object; map: object }
    input: { kernels: object }
  }
  const context = network.context
  context.kernels = timedKernels(context.kernels, 'dense')
  context.map = timedKernels(context.map, 'map')
  network.input.kernels = timedKernels(network.input.kernels, 'dense')
}

async function main(): Promise<void> {
  const stepsArg = process.argv.indexOf('--steps')
  const steps = stepsArg > 0 ? Number(process.argv[stepsArg + 1]) : 300
  const { train } = await loadMnist()
  const trainer = new FastTrainer(BENCH_NETS.lenet, train)
  if (process.argv.includes('--all-kernels')) timeAllKernels(trainer)
  for (let i = 0; i < 60; i++) trainer.step()
  timing = true
  const start = cpuMicros()
  for (let i = 0; i < steps; i++) {
    callIndex = new Map()
    trainer.step()
  }
  const total = cpuMicros() - start
  timing = false

  const warning = loadWarning()
  if (warning) console.log(warning)
  const rows = [...spent.entries()].map(([name, micros]) => [name, formatNumber(micros / steps, 0)])
  const kernels = [...spent.values()].reduce((a, b) => a + b, 0)
  const all = process.argv.includes('--all-kernels')
  rows.push([
    all
      ? 'the rest (TypeScript between the calls)'
      : 'the rest (dense layers, loss, encoding, update)',
    formatNumber((total - kernels) / steps, 0)
  ])
  rows.push(['whole step', formatNumber(total / steps, 0)])
  const how = denseWeightGradient ? ' (weight gradients by the GEMM)' : ''
  console.log(`LeNet step, batch 64, SGD, one thread${how}: CPU µs per step over ${steps} steps`)
  console.log(formatTable(['kernel call (#n: n-th call in a step)', 'µs / step'], rows))
}

void main()
