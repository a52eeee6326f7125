// The checkpoint file (core/io/checkpoint-file.ts): states read back equal to those written, and a
// damaged or crafted file is refused before anything in it is used.

import { beforeAll, describe, expect, it } from 'vitest'
import {
  CheckpointFileError,
  CheckpointStore,
  crc32,
  createTrainer,
  decodeCheckpoints,
  encodeCheckpoints,
  PRESETS,
  takeFirst,
  type Dataset,
  type SettingChange,
  type TrainConfig,
  type TrainerState
} from '../../../core'
import { loadMnist } from '../../../electron/files/datasets'
import { denseNet } from '../../helpers/architectures'

let train: Dataset
let states: readonly TrainerState[]
const config: TrainConfig = {
  ...PRESETS.seed.config,
  architecture: denseNet([8]),
  optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  learningRate: 0.003,
  batchSize: 32,
  batchCount: 'all',
  epochs: 2
}
beforeAll(async () => {
  train = takeFirst((await loadMnist()).train, 320)
  const trainer = createTrainer(config, train, 'fast')
  const store = new CheckpointStore({ every: 4, budgetBytes: 1e8 })
  store.add(trainer.captureState())
  while (!trainer.done) {
    trainer.step()
    if (store.wants(trainer.stepsCompleted)) store.add(trainer.captureState())
  }
  states = store.states
})

/** `bytes` with its checksum recomputed, as a crafted (not merely damaged) file would have it. */
function resealed(bytes: Uint8Array): Uint8Array {
  const end = bytes.length - 4
  new DataView(bytes.buffer).setUint32(end, crc32(bytes.subarray(0, end)), true)
  return bytes
}

describe('checkpoint file', () => {
  it('reads back the states it was given, bit for bit, one data order per epoch', () => {
    expect(states.map((s) => s.step)).toEqual([0, 4, 8, 12, 16, 20])
    const bytes = encodeCheckpoints({ config, states })
    const { config: readConfig, states: read } = decodeCheckpoints(bytes)
    expect(readConfig).toEqual(config)
    expect(read).toEqual(states)
    expect(read[1].order).toBe(read[2].order) // epoch 1's states share theirs, as in memory
    // header, 3 orders (step 0: the identity; epochs 1 and 2: shuffled once, twice), the floats, CRC
    const json = new DataView(bytes.buffer).getUint32(8, true)
    const floats = states.reduce(
      (n, s) => n + [...s.parameters, ...s.slots].reduce((m, a) => m + a.data.length, 0),
      0
    )
    expect(bytes.length).toBe(12 + json + 3 * 320 * 4 + floats * 4 + 4)
  })

  it('keeps the run’s live changes; a file from before they were kept has none; a crafted one is refused', () => {
    const changes: SettingChange[] = [
      { setting: 'learningRate', step: 7, from: 0.003, to: 0.0005 },
      { setting: 'momentum', step: 9, from: 0.9, to: 0.5 }
    ]
    const bytes = encodeCheckpoints({ config, states, changes })
    expect(decodeCheckpoints(bytes).changes).toEqual(changes)
    const header = (b: Uint8Array) => new TextDecoder().decode(b.subarray(12, 12 + 2000))
    const edited = (from: string, to: string): Uint8Array => {
      expect(to.length).toBe(from.length) // the header keeps its length
      const text = header(bytes)
      expect(text).toContain(from)
      const copy = bytes.slice()
      copy.set(new TextEncoder().encode(text.replace(from, to)), 12)
      return resealed(copy)
    }
    const none = encodeCheckpoints({ config, states })
    const old = none.slice()
    const unkept = header(none).replace('"changes":[],', ' '.repeat('"changes":[],'.length))
    old.set(new TextEncoder().encode(unkept), 12)
    expect(decodeCheckpoints(resealed(old))).toMatchObject({ states, changes: [] })
    expect(() => decodeCheckpoints(edited('"momentum","step"', '"momentux","step"'))).toThrow(
      /changes\[1\]\.setting/
    )
  })

  it('goes on exactly from a state read back from the file', () => {
    const [, , state] = decodeCheckpoints(encodeCheckpoints({ config, states })).states
    const a = createTrainer(config, train, 'fast')
    a.restoreState(state)
    const b = createTrainer(config, train, 'fast')
    b.restoreState(states[2])
    for (let i = 0; i < 5; i++) expect(a.step()).toEqual(b.step())
  })

  it('refuses a damaged, truncated, foreign or crafted file, saying why', () => {
    const good = encodeCheckpoints({ config, states })
    const refuse = (bytes: Uint8Array, why: RegExp): void => {
      expect(() => decodeCheckpoints(bytes)).toThrow(CheckpointFileError)
      expect(() => decodeCheckpoints(bytes)).toThrow(why)
    }
    const flipped = good.slice()
    flipped[good.length - 100] ^= 1
    refuse(flipped, /checksum/)
    refuse(good.subarray(0, good.length - 8), /checksum/)
    refuse(new TextEncoder().encode('{"format":"backprop-studio-model"}'), /BPCK/)
    const future = good.slice()
    future[4] = 9
    refuse(resealed(future), /version 9/)
    // A header edited to claim one more parameter value than the file holds.
    const text = new TextDecoder().decode(good.subarray(12, 12 + 1500))
    const edited = text.replace('["dense1.bias",8]', '["dense1.bias",9]')
    expect(edited).not.toBe(text)
    const crafted = good.slice()
    crafted.set(new TextEncoder().encode(edited), 12)
    refuse(resealed(crafted), /do not fill it exactly/)
    // A config outside the studio's limits.
    const badConfig = good.slice()
    badConfig.set(new TextEncoder().encode(text.replace('"batchSize":32', '"batchSize":-2')), 12)
    refuse(resealed(badConfig), /its config: batchSize/)
    // A data order that repeats an image.
    const json = new DataView(good.buffer).getUint32(8, true)
    const repeated = good.slice()
    new DataView(repeated.buffer).setUint32(12 + json + 4, 0, true)
    refuse(resealed(repeated), /not a permutation/)
    // A weight that is NaN.
    const nan = good.slice()
    new DataView(nan.buffer).setFloat32(good.length - 8, NaN, true)
    refuse(resealed(nan), /not finite/)
  })
})
