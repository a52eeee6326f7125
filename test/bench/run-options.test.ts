// `npm run bench`'s command line (bench/run-options.ts): --help asks for the usage, and a flag it does
// not know is an error, never silently ignored (it used to run the whole benchmark regardless).

import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { parseBenchOptions, USAGE } from '../../bench/run-options'
import { UsageError } from '../../electron/cli/errors'

describe('npm run bench options', () => {
  it('--help returns no options (the caller prints USAGE and exits), whatever else is given', () => {
    expect(parseBenchOptions(['--help'])).toBeNull()
    expect(parseBenchOptions(['--nets', 'seed', '--help'])).toBeNull()
    for (const flag of ['--json', '--threads', '--sharing', '--repeats', '--nets', '--python'])
      expect(USAGE).toContain(flag)
  })

  it('rejects an unknown flag, suggesting the one meant', () => {
    expect(() => parseBenchOptions(['--repeat', '3'])).toThrow(UsageError)
    expect(() => parseBenchOptions(['--repeat', '3'])).toThrow(/unknown flag --repeat.*--repeats/)
    expect(() => parseBenchOptions(['--fast'])).toThrow(/unknown flag --fast/)
    expect(() => parseBenchOptions(['seed'])).toThrow(/unexpected argument "seed"/)
  })

  it('rejects bad values with the flag named', () => {
    expect(() => parseBenchOptions(['--nets', 'seed,resnet'])).toThrow(
      /--nets: unknown net "resnet"/
    )
    expect(() => parseBenchOptions(['--threads', '0'])).toThrow(/--threads must be 1 to 16/)
    expect(() => parseBenchOptions(['--threads', 'two'])).toThrow(
      /--threads: "two" is not a number/
    )
    expect(() => parseBenchOptions(['--repeats', '1.5'])).toThrow(
      /--repeats must be a whole number/
    )
    expect(() => parseBenchOptions(['--sharing', 'always'])).toThrow(/--sharing must be one of/)
    expect(() => parseBenchOptions(['--python'])).toThrow(/--python needs a value/)
  })

  it('defaults: every net, 5 repeats, ours on each net’s own thread count, references on all cores', () => {
    const options = parseBenchOptions([])
    expect(options).toMatchObject({
      json: false,
      threads: null,
      referenceThreads: availableParallelism(),
      sharing: 'measure',
      repeats: 5,
      nets: ['seed', 'mlp', 'mlp-adam', 'lenet'],
      numpy: true,
      pytorch: true
    })
  })

  it('reads every flag it documents', () => {
    const options = parseBenchOptions([
      '--json',
      '--threads=2',
      '--sharing',
      'alone',
      '--repeats',
      '3',
      '--nets',
      'seed,mlp',
      '--python',
      '/opt/py',
      '--no-numpy',
      '--no-pytorch'
    ])
    expect(options).toEqual({
      json: true,
      threads: 2,
      referenceThreads: 2,
      sharing: 'alone',
      repeats: 3,
      nets: ['seed', 'mlp'],
      python: '/opt/py',
      numpy: false,
      pytorch: false
    })
  })
})
