// The command line of `npm run bench` (bench/run.ts): its usage text and its parsing. Flags are parsed
// as the CLI's are (electron/cli/args.ts), so an unknown or misspelled flag is an error with a
// suggestion instead of being ignored (a typo used to run the whole benchmark as if it were not there).

import { availableParallelism } from 'node:os'
import { booleanFlag, numberFlag, parseArgs, stringFlag, type FlagSpec } from '../electron/cli/args'
import { UsageError } from '../electron/cli/errors'
import { BENCH_NETS, type NetName } from './nets'
import { choosePython } from './references'

export const USAGE = `npm run bench -- [options]

One epoch over the 60 000 MNIST training images for each net of bench/nets.ts, ours against a
PyTorch CPU reference (when a python with torch is found) and our numpy reference, one after the other.

Options:
  --json           one JSON line per net on stdout: ours, PyTorch's best, numpy's best and the ratios
                   (a reference that did not run says why); progress goes to stderr
  --threads N      our engine on N threads (default: as the studio and the CLI train that net: dense
                   nets on 1, conv nets on every core up to 4); the references run on 1 and on N
                   threads (default: all cores) and are compared at their better count
  --sharing MODE   when our helper threads take part (with more than one thread): measure (default:
                   timed while training, used where faster), shared (every step) or alone (never)
  --repeats R      timed epochs per net and implementation, median reported (default 5)
  --nets a,b       which nets (default: all: ${Object.keys(BENCH_NETS).join(', ')})
  --python PATH    the python for the references (default: $BENCH_PYTHON, else python3); PyTorch
                   needs \`pip install torch\` there, numpy \`pip install numpy\`
  --no-numpy, --no-pytorch   skip a reference
  --help           this text`

const SPEC: FlagSpec = {
  json: 'boolean',
  threads: 'string',
  sharing: 'string',
  repeats: 'string',
  nets: 'string',
  python: 'string',
  'no-numpy': 'boolean',
  'no-pytorch': 'boolean',
  help: 'boolean'
}

export const SHARING_MODES = ['measure', 'shared', 'alone'] as const
export type SharingMode = (typeof SHARING_MODES)[number]

export interface BenchOptions {
  readonly json: boolean
  /** Our threads, or null: each net on the thread count the studio and the CLI give it. */
  readonly threads: number | null
  /** The references' second thread count (their first is 1). */
  readonly referenceThreads: number
  readonly sharing: SharingMode
  readonly repeats: number
  readonly nets: NetName[]
  readonly python: string
  readonly numpy: boolean
  readonly pytorch: boolean
}

/** The options of `argv`, or null for --help. Throws a UsageError for anything it does not know. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | null {
  const args = parseArgs(argv, SPEC)
  if (booleanFlag(args, 'help')) return null
  const known = Object.keys(BENCH_NETS)
  const nets = (stringFlag(args, 'nets') ?? known.join(',')).split(',') as NetName[]
  for (const net of nets)
    if (!known.includes(net))
      throw new UsageError(`--nets: unknown net "${net}" (${known.join(', ')})`)
  const threads = numberFlag(args, 'threads') ?? null
  if (threads !== null && (!Number.isInteger(threads) || threads < 1 || threads > 16))
    throw new UsageError('--threads must be 1 to 16')
  const repeats = numberFlag(args, 'repeats') ?? 5
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new UsageError('--repeats must be a whole number ≥ 1')
  const sharing = (stringFlag(args, 'sharing') ?? 'measure') as SharingMode
  if (!SHARING_MODES.includes(sharing))
    throw new UsageError(`--sharing must be one of ${SHARING_MODES.join(', ')}`)
  return {
    json: booleanFlag(args, 'json'),
    threads,
    referenceThreads: threads ?? availableParallelism(),
    sharing,
    repeats,
    nets,
    python: choosePython(stringFlag(args, 'python')),
    numpy: !booleanFlag(args, 'no-numpy'),
    pytorch: !booleanFlag(args, 'no-pytorch')
  }
}
