// How fast a run's checkpoints become a file's bytes (encodeCheckpoints), and how much of it is the
// CRC-32: the slice-by-8 crc32 against the byte-wise crc32Reference on the same bytes.
//
//   npx tsx bench/checkpoint-encoding.ts [--states N] [--repeats R]
//
// The states are the mlp preset's (784 → 128 → 10, Adam: weights, m and v, 1.2 MB a state, plus the
// epoch's data order): N of them (default 17, a 20.6 MB file like the studio's larger saves), captured
// a step apart from a trainer on the real MNIST. Each figure is the least CPU time (process.cpuUsage,
// user + system) of R repeats (default 9): on a shared machine the least is the least disturbed.
// Numbers only, never pass/fail.

import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { crc32, crc32Reference, createTrainer, encodeCheckpoints, type TrainerState } from '../core'
import { PRESETS } from '../core/train/presets'
import { loadMnist } from '../electron/files/datasets'

const { values } = parseArgs({
  options: { states: { type: 'string', default: '17' }, repeats: { type: 'string', default: '9' } }
})
const stateCount = Number(values.states)
const repeats = Number(values.repeats)

/** The least CPU time of `repeats` calls of `work`, in seconds. */
function leastCpuSeconds(work: () => unknown): number {
  let least = Infinity
  for (let r = 0; r < repeats; r++) {
    const before = process.cpuUsage()
    work()
    const { user, system } = process.cpuUsage(before)
    least = Math.min(least, (user + system) / 1e6)
  }
  return least
}

async function main(): Promise<void> {
  const config = PRESETS.mlp.config
  const trainer = createTrainer(config, (await loadMnist()).train, 'fast')
  const states: TrainerState[] = [trainer.captureState()]
  while (states.length < stateCount) {
    trainer.step()
    states.push(trainer.captureState())
  }
  const file = { config, states }
  const bytes = encodeCheckpoints(file)
  const megabytes = bytes.length / 1024 / 1024

  const encode = leastCpuSeconds(() => encodeCheckpoints(file))
  const fast = leastCpuSeconds(() => crc32(bytes))
  const reference = leastCpuSeconds(() => crc32Reference(bytes))
  // NOTE: encodeCheckpoints calls crc32 once over every byte but the last 4: with the byte-wise CRC
  // (before slice-by-8) it took the same copy and header work plus the reference's time.
  const before = encode - fast + reference
  const rate = (seconds: number) => `${(megabytes / seconds).toFixed(0)} MB/s`
  const ms = (seconds: number) => `${(seconds * 1000).toFixed(1)} ms`
  console.log(`mlp preset, ${stateCount} states: a ${megabytes.toFixed(1)} MB checkpoint file`)
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; least CPU of ${repeats}`
  )
  console.log(`crc32 (slice-by-8)        ${ms(fast)}  ${rate(fast)}`)
  console.log(`crc32Reference (bytewise) ${ms(reference)}  ${rate(reference)}`)
  console.log(`encodeCheckpoints now     ${ms(encode)}  ${rate(encode)}`)
  console.log(`encodeCheckpoints before  ${ms(before)}  ${rate(before)} (now − crc32 + reference)`)
}

void main()
