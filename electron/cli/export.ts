// `npm run export -- --model FILE --npz OUT`: a saved model's weights as a numpy .npz archive.

import { resolve } from 'node:path'
import { describeArchitecture } from '../../core'
import { writeFileAtomic } from '../files/atomic-write'
import { exportModelNpz } from '../files/npz'
import { parseCommandLine, stringFlag } from './args'
import { runCommand, UsageError } from './errors'
import { modelPathFlag, readModelFile } from './model-flags'

const FLAGS = { model: 'string', npz: 'string', help: 'boolean' } as const

const USAGE = `Usage: npm run export -- --model FILE --npz OUT.npz

Writes the model's weights as a numpy archive, named and shaped as in the original numpy project:
W1 (784, h1), b1 (1, h1), W2 (h1, h2), b2 (1, h2), …, float32, and activation ('relu', …):

  import numpy as np
  m = np.load('model.npz')
  a = np.maximum(X @ m['W1'] + m['b1'], 0)   # X: (n, 784) in [0, 1]
  logits = a @ m['W2'] + m['b2']`

async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(argv, FLAGS, USAGE)
  if (!args) return
  const modelPath = modelPathFlag(args)
  const npzPath = stringFlag(args, 'npz')
  if (npzPath === undefined || npzPath.trim() === '')
    throw new UsageError('--npz OUT is required (where to write the .npz file)')
  const { model, file } = await readModelFile(modelPath)
  const out = resolve(npzPath)
  try {
    await writeFileAtomic(out, exportModelNpz(model))
  } catch (error) {
    throw new UsageError(
      `--npz: cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`
    )
  }
  process.stdout.write(`Wrote ${describeArchitecture(file.architecture)} to ${out}\n`)
}

runCommand(() => main(process.argv.slice(2)))
