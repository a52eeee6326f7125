// `npm run evaluate -- --model FILE [--json]`: a saved model's test accuracy, loss and confusion matrix.

import { describeArchitecture, evaluateOnEngine, type Evaluation } from '../../core'
import { booleanFlag, parseCommandLine } from './args'
import { DATA_FLAGS, testSetFromFlags } from './data-flags'
import { NonFiniteOutputError, runCommand } from './errors'
import { modelPathFlag, readModelFile } from './model-flags'

const FLAGS = {
  model: 'string',
  json: 'boolean',
  help: 'boolean',
  'test-images': DATA_FLAGS['test-images'],
  'test-labels': DATA_FLAGS['test-labels']
} as const

const USAGE = `Usage: npm run evaluate -- --model FILE [--json] [--test-images F --test-labels F]

Prints a saved model's accuracy and loss on the MNIST test set (or the given IDX pair),
its 10×10 confusion matrix (rows: true digit, columns: predicted digit) and per-digit accuracy.`

async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(argv, FLAGS, USAGE)
  if (!args) return
  const path = modelPathFlag(args)
  const { model, file } = await readModelFile(path)
  const test = await testSetFromFlags(args)
  const result = evaluateOnEngine(model, test)
  // NOTE: weights can be finite and still overflow float32 in a forward pass (3e38 × 784 inputs):
  // the loss is then NaN or ∞, and an accuracy computed from NaN logits would be a made-up number.
  if (!Number.isFinite(result.loss))
    throw new NonFiniteOutputError(
      `${path}: the model's outputs are not finite numbers (its loss on ${test.name} is ${result.loss}); ` +
        'its weights overflow float32, so it has nothing to evaluate'
    )
  if (booleanFlag(args, 'json')) {
    process.stdout.write(
      JSON.stringify({
        model: path,
        architecture: describeArchitecture(file.architecture),
        count: result.count,
        testAccuracy: result.accuracy,
        testLoss: result.loss,
        confusion: result.confusion,
        perClassAccuracy: result.perClassAccuracy
      }) + '\n'
    )
    return
  }
  process.stdout.write(
    `${describeArchitecture(file.architecture)} on ${test.name} (${result.count} images)\n` +
      `Test accuracy ${(result.accuracy * 100).toFixed(2)}%, test loss ${result.loss.toFixed(4)}\n\n` +
      formatConfusion(result)
  )
}

/** The confusion matrix as an aligned table, with per-class accuracy as the last column. */
export function formatConfusion(result: Evaluation): string {
  const classes = result.confusion.length
  const width = Math.max(5, String(Math.max(...result.confusion.flat())).length + 1)
  const cell = (text: string | number) => String(text).padStart(width)
  const header = `${'true\\pred'.padEnd(10)}${Array.from({ length: classes }, (_, c) => cell(c)).join('')}   accuracy`
  const rows = result.confusion.map(
    (row, c) =>
      `${String(c).padEnd(10)}${row.map(cell).join('')}   ${(result.perClassAccuracy[c] * 100).toFixed(1).padStart(6)}%`
  )
  return [header, ...rows].join('\n') + '\n'
}

runCommand(() => main(process.argv.slice(2)), { json: process.argv.includes('--json') })
