// Command-line flags: `--name value`, `--name=value`, boolean `--name`, and positional arguments.
// Written out rather than util.parseArgs because that refuses `--lr -1` as "ambiguous", and a learner
// typing a negative learning rate deserves the range error, not a parsing riddle.

import { UsageError } from './errors'

export type FlagKind = 'string' | 'boolean'
export type FlagSpec = Readonly<Record<string, FlagKind>>

export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, string | true>
  readonly positionals: readonly string[]
}

/** Parses argv against `spec`. Unknown flags and missing values are UsageErrors with a suggestion. */
export function parseArgs(
  argv: readonly string[],
  spec: FlagSpec,
  { positionals = false } = {}
): ParsedArgs {
  const flags = new Map<string, string | true>()
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      rest.push(...argv.slice(i + 1))
      break
    }
    if (!arg.startsWith('--') || arg === '--') {
      if (!positionals)
        throw new UsageError(`unexpected argument "${arg}" (flags start with --; see --help)`)
      rest.push(arg)
      continue
    }
    const equals = arg.indexOf('=')
    const name = arg.slice(2, equals < 0 ? undefined : equals)
    const kind = spec[name]
    if (!kind)
      throw new UsageError(`unknown flag --${name}${suggest(name, Object.keys(spec))} (see --help)`)
    if (kind === 'boolean') {
      if (equals >= 0) throw new UsageError(`--${name} takes no value`)
      flags.set(name, true)
      continue
    }
    let value: string
    if (equals >= 0) value = arg.slice(equals + 1)
    else if (i + 1 < argv.length) value = argv[++i]
    else throw new UsageError(`--${name} needs a value`)
    flags.set(name, value)
  }
  return { flags, positionals: rest }
}

/**
 * A command's arguments, parsed as by parseArgs; with --help, prints `usage` and returns null instead
 * (the command then does nothing else). The spec must declare `help: 'boolean'`.
 */
export function parseCommandLine(
  argv: readonly string[],
  spec: FlagSpec,
  usage: string,
  options: { positionals?: boolean } = {}
): ParsedArgs | null {
  const args = parseArgs(argv, spec, options)
  if (!booleanFlag(args, 'help')) return args
  process.stdout.write(usage + '\n')
  return null
}

/** The flag's text value, or undefined when absent. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name)
  return typeof value === 'string' ? value : undefined
}

/** The flag as a number, or undefined when absent; "abc" or "" is a UsageError naming the flag. */
export function numberFlag(args: ParsedArgs, name: string): number | undefined {
  const text = stringFlag(args, name)
  if (text === undefined) return undefined
  const value = text.trim() === '' ? Number.NaN : Number(text)
  if (!Number.isFinite(value)) throw new UsageError(`--${name}: "${text}" is not a number`)
  return value
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags.get(name) === true
}

/** " (did you mean --x?)" for a likely typo, else "". */
function suggest(name: string, known: readonly string[]): string {
  let best = ''
  let bestDistance = 3 // only suggest close matches
  for (const candidate of known) {
    const distance = editDistance(name, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best ? ` (did you mean --${best}?)` : ''
}

/** Levenshtein distance: the fewest single-character edits turning a into b. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)
      )
    }
    previous = current
  }
  return previous[b.length]
}
