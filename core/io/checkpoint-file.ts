// The checkpoint file: a run's kept TrainerStates, binary, checksummed, validated when read (a file on
// disk is untrusted: anything in it may be wrong, and nothing is used before it is checked).
//
//   bytes 0–3    "BPCK"
//   bytes 4–7    version (u32 little-endian), CHECKPOINT_FORMAT_VERSION
//   bytes 8–11   header length h (u32), a multiple of 4
//   12 … 12+h    header: ASCII JSON (spaces pad it): the run's config, the engine, its live changes
//                (absent in files written before they were kept: none), every state's numbers and its
//                arrays' names and lengths
//   then         the arrays, in the header's order, little-endian: the data orders (u32), then each
//                state's parameters and slots (f32)
//   last 4       CRC-32 of every byte before it

import { CheckpointFileError, ConfigError } from '../errors'
import { parseTrainConfig, type TrainConfig } from '../train/config'
import type { SlotName } from '../optim/optimizer'
import type { DivergenceWatchState } from '../train/divergence'
import type { SettingChange } from '../train/live-changes'
import type { NamedValues, SlotValues, TrainerState, TrainingEngine } from '../train/trainer-state'
import { crc32 } from './crc32'

export const CHECKPOINT_FORMAT_VERSION = 1
const MAGIC = [0x42, 0x50, 0x43, 0x4b] // "BPCK"
const SLOT_NAMES: readonly SlotName[] = ['velocity', 'adam.m', 'adam.v']
const ENGINES: readonly TrainingEngine[] = ['reference', 'fast']
/** Whether typed arrays store their numbers little-endian here, as the file does. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/** One state in the header: its numbers (as in TrainerState), and which arrays follow for it. */
interface StateHeader extends Omit<TrainerState, 'engine' | 'parameters' | 'slots' | 'order'> {
  /** Index into the header's orders. */
  readonly order: number
  /** [name, length] per parameter; [slot, name, length] per slot. */
  readonly parameters: readonly [string, number][]
  readonly slots: readonly [SlotName, string, number][]
}

interface Header {
  readonly config: unknown
  readonly engine: TrainingEngine
  readonly changes: readonly SettingChange[]
  /** The length of each distinct data order (states of one epoch share theirs). */
  readonly orders: readonly number[]
  readonly states: readonly StateHeader[]
}

/** A run's checkpoints: the config it was started with, its kept states and the live changes of its
 *  learning rate and momentum (replayInto makes them again; none when left out). */
export interface CheckpointFile {
  readonly config: TrainConfig
  readonly states: readonly TrainerState[]
  readonly changes?: readonly SettingChange[]
}

/** The checkpoints as one file's bytes. Throws when a name is not ASCII (ours always are). */
export function encodeCheckpoints({ config, states, changes = [] }: CheckpointFile): Uint8Array {
  const orders: Uint32Array[] = []
  const orderIndex = (order: Uint32Array): number => {
    const found = orders.indexOf(order)
    return found >= 0 ? found : orders.push(order) - 1
  }
  const header: Header = {
    config,
    engine: states[0]?.engine ?? 'reference',
    changes,
    orders: [],
    states: states.map((s) => ({
      step: s.step,
      epoch: s.epoch,
      batchInEpoch: s.batchInEpoch,
      samplesSeen: s.samplesSeen,
      learningRate: s.learningRate,
      momentum: s.momentum,
      optimizerKind: s.optimizerKind,
      optimizerSteps: s.optimizerSteps,
      orderStream: s.orderStream,
      dropoutStream: s.dropoutStream,
      divergence: s.divergence,
      order: orderIndex(s.order),
      parameters: s.parameters.map((p) => [p.name, p.data.length]),
      slots: s.slots.map((v) => [v.slot, v.name, v.data.length])
    }))
  }
  if (states.some((s) => s.engine !== header.engine))
    throw new RangeError('checkpoints of one file come from one engine')
  let json = JSON.stringify({ ...header, orders: orders.map((o) => o.length) })
  json += ' '.repeat((4 - (json.length % 4)) % 4)
  const arrays: (Uint32Array | Float32Array)[] = [
    ...orders,
    ...states.flatMap((s) => [...s.parameters, ...s.slots].map((a) => a.data))
  ]
  const bodyBytes = arrays.reduce((sum, a) => sum + a.length * 4, 0)
  const bytes = new Uint8Array(12 + json.length + bodyBytes + 4)
  const view = new DataView(bytes.buffer)
  bytes.set(MAGIC, 0)
  view.setUint32(4, CHECKPOINT_FORMAT_VERSION, true)
  view.setUint32(8, json.length, true)
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i)
    if (code > 0x7f) throw new RangeError('checkpoint header: names must be ASCII')
    bytes[12 + i] = code
  }
  let at = 12 + json.length
  for (const array of arrays) {
    // PERF: on a little-endian machine (all we ship for) the array's own bytes are the file's: one
    // copy rather than a DataView call per number.
    if (LITTLE_ENDIAN)
      bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at)
    else
      for (let i = 0; i < array.length; i++)
        if (array instanceof Float32Array) view.setFloat32(at + 4 * i, array[i], true)
        else view.setUint32(at + 4 * i, array[i], true)
    at += array.byteLength
  }
  view.setUint32(at, crc32(bytes.subarray(0, at)), true)
  return bytes
}

/**
 * The states a checkpoint file holds, validated: magic, version, checksum, a header of the expected
 * shape, arrays that fill the file exactly, data orders that are permutations, finite numbers.
 * Throws CheckpointFileError saying what is wrong. Whether the states fit a model is checked when one
 * is restored (restoreState).
 */
export function decodeCheckpoints(bytes: Uint8Array): CheckpointFile {
  const fail = (problem: string): never => {
    throw new CheckpointFileError(`not a valid checkpoint file: ${problem}`)
  }
  if (bytes.length < 16 || MAGIC.some((b, i) => bytes[i] !== b)) fail('it does not start with BPCK')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint32(4, true)
  if (version !== CHECKPOINT_FORMAT_VERSION)
    fail(`version ${version}; this studio reads version ${CHECKPOINT_FORMAT_VERSION}`)
  const end = bytes.length - 4
  if (view.getUint32(end, true) !== crc32(bytes.subarray(0, end)))
    fail('the checksum does not match (the file is damaged or incomplete)')
  const headerLength = view.getUint32(8, true)
  if (headerLength % 4 !== 0 || 12 + headerLength > end) fail('the header length is wrong')
  let json = ''
  for (let i = 12; i < 12 + headerLength; i++) json += String.fromCharCode(bytes[i])
  let header: Header
  let config: TrainConfig
  try {
    header = checkHeader(JSON.parse(json))
    config = parseTrainConfig(header.config)
  } catch (error) {
    if (error instanceof ConfigError) fail(`its config: ${error.message}`)
    return fail(`its header ${error instanceof Error ? error.message : String(error)}`)
  }
  const floats = header.states.reduce(
    (sum, s) =>
      sum +
      s.parameters.reduce((n, [, length]) => n + length, 0) +
      s.slots.reduce((n, [, , length]) => n + length, 0),
    0
  )
  const words = header.orders.reduce((sum, n) => sum + n, 0) + floats
  if (12 + headerLength + words * 4 !== end) fail('its arrays do not fill it exactly')

  let at = 12 + headerLength
  /** The next `length` numbers of the file into `values` (a fresh array: the file's bytes may go). */
  const next = <T extends Uint32Array | Float32Array>(values: T): T => {
    if (LITTLE_ENDIAN) new Uint8Array(values.buffer).set(bytes.subarray(at, at + values.byteLength))
    else
      for (let i = 0; i < values.length; i++)
        values[i] =
          values instanceof Float32Array
            ? view.getFloat32(at + 4 * i, true)
            : view.getUint32(at + 4 * i, true)
    at += values.byteLength
    return values
  }
  const orders = header.orders.map((length) => {
    const order = next(new Uint32Array(length))
    if (!isPermutation(order)) fail('a data order is not a permutation of the images')
    return order
  })
  const floatArray = (length: number): Float32Array => next(new Float32Array(length))
  const states = header.states.map((s): TrainerState => {
    const parameters: NamedValues[] = s.parameters.map(([name, n]) => ({
      name,
      data: floatArray(n)
    }))
    const slots: SlotValues[] = s.slots.map(([slot, name, n]) => ({
      slot,
      name,
      data: floatArray(n)
    }))
    if ([...parameters, ...slots].some((p) => !p.data.every(Number.isFinite)))
      fail(`the state at step ${s.step} holds a value that is not finite`)
    const { parameters: _p, slots: _s, order, ...numbers } = s
    return { engine: header.engine, ...numbers, parameters, slots, order: orders[order] }
  })
  return { config, states, changes: header.changes }
}

/** The header, checked field by field (throws Error naming the field). */
function checkHeader(value: unknown): Header {
  const record = (v: unknown, what: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new Error(`${what}: not an object`)
    return v as Record<string, unknown>
  }
  const count = (v: unknown, what: string, max = 2 ** 32 - 1): number => {
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > max)
      throw new Error(`${what}: not a whole number from 0 to ${max}`)
    return v as number
  }
  const list = (v: unknown, what: string): unknown[] => {
    if (!Array.isArray(v)) throw new Error(`${what}: not a list`)
    return v
  }
  const name = (v: unknown, what: string): string => {
    if (typeof v !== 'string' || !/^[A-Za-z0-9_.]{1,64}$/.test(v))
      throw new Error(`${what}: not a name`)
    return v
  }
  const h = record(value, 'header')
  if (!ENGINES.includes(h.engine as TrainingEngine)) throw new Error('engine: unknown')
  const orders = list(h.orders, 'orders').map((n, i) => count(n, `orders[${i}]`, 2 ** 28))
  const changes = list(h.changes ?? [], 'changes').map((v, i): SettingChange => {
    const c = record(v, `changes[${i}]`)
    const value = (field: 'from' | 'to'): number => {
      const x = c[field]
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0)
        throw new Error(`changes[${i}].${field}`)
      return x
    }
    if (c.setting !== 'learningRate' && c.setting !== 'momentum')
      throw new Error(`changes[${i}].setting`)
    return {
      setting: c.setting,
      step: count(c.step, `changes[${i}].step`),
      from: value('from'),
      to: value('to')
    }
  })
  const states = list(h.states, 'states').map((v, i): StateHeader => {
    const s = record(v, `states[${i}]`)
    const at = (field: string): string => `states[${i}].${field}`
    const rate = s.learningRate
    if (typeof rate !== 'number' || !(rate > 0) || !Number.isFinite(rate))
      throw new Error(at('learningRate'))
    const momentum = s.momentum
    if (momentum !== null && (typeof momentum !== 'number' || !(momentum >= 0 && momentum < 1)))
      throw new Error(at('momentum'))
    if (s.optimizerKind !== 'sgd' && s.optimizerKind !== 'adam')
      throw new Error(at('optimizerKind'))
    const order = count(s.order, at('order'))
    if (order >= orders.length) throw new Error(`${at('order')}: no such order`)
    return {
      step: count(s.step, at('step')),
      epoch: count(s.epoch, at('epoch')),
      batchInEpoch: count(s.batchInEpoch, at('batchInEpoch')),
      samplesSeen: count(s.samplesSeen, at('samplesSeen'), Number.MAX_SAFE_INTEGER),
      learningRate: rate,
      momentum,
      optimizerKind: s.optimizerKind,
      optimizerSteps: count(s.optimizerSteps, at('optimizerSteps')),
      orderStream: count(s.orderStream, at('orderStream')),
      dropoutStream: count(s.dropoutStream, at('dropoutStream')),
      divergence: checkDivergence(record(s.divergence, at('divergence')), at('divergence')),
      order,
      parameters: list(s.parameters, at('parameters')).map((p, j) => {
        const [n, length] = list(p, at(`parameters[${j}]`))
        return [name(n, at(`parameters[${j}]`)), count(length, at(`parameters[${j}]`), 2 ** 28)]
      }),
      slots: list(s.slots, at('slots')).map((p, j) => {
        const [slot, n, length] = list(p, at(`slots[${j}]`))
        if (!SLOT_NAMES.includes(slot as SlotName)) throw new Error(at(`slots[${j}]`))
        return [
          slot as SlotName,
          name(n, at(`slots[${j}]`)),
          count(length, at(`slots[${j}]`), 2 ** 28)
        ]
      })
    }
  })
  return { config: h.config, engine: h.engine as TrainingEngine, changes, orders, states }
}

/** The divergence check's numbers: finite, a whole count, a positive limit or none yet. */
function checkDivergence(d: Record<string, unknown>, what: string): DivergenceWatchState {
  const { average, count, limit } = d
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
  if (!finite(average) || !Number.isInteger(count) || (count as number) < 0)
    throw new Error(`${what}: not a smoothed loss`)
  if (limit !== null && !(finite(limit) && limit > 0)) throw new Error(`${what}.limit`)
  return { average, count: count as number, limit }
}

/** Whether `order` holds each of 0 … length − 1 exactly once. */
function isPermutation(order: Uint32Array): boolean {
  const seen = new Uint8Array(order.length)
  for (const i of order) {
    if (i >= order.length || seen[i]) return false
    seen[i] = 1
  }
  return true
}
