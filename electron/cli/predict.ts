// `npm run predict -- --model FILE [--json] IMAGE...`: classifies image files with a saved model,
// through the same core/vision preprocessing as the app. Each file succeeds or fails on its own.

import {
  classify,
  describeArchitecture,
  FRAME_SIZE,
  imageMismatch,
  preprocessDigit,
  type Sequential
} from '../../core'
import { readImageFile } from '../images/image-decode'
import { booleanFlag, parseCommandLine } from './args'
import { describeError, runCommand, UsageError } from './errors'
import { modelPathFlag, readModelFile } from './model-flags'

const FLAGS = { model: 'string', json: 'boolean', help: 'boolean' } as const

const USAGE = `Usage: npm run predict -- --model FILE [--json] IMAGE...

Classifies each image (PNG, JPEG, WebP, GIF or BMP, recognised by content, up to 8192×8192 pixels
in every frame; JPEG up to about 29 megapixels, 44 with 4:2:0 subsampling: see the README) with a
model saved by \`npm run train -- --save FILE\`. Each image is turned into MNIST's format first:
transparency flattened, dark-on-light inverted, background and noise removed, cropped, scaled to 20 px
and centred in 28×28 by its centre of mass.

  --json   one JSON object per line: {"file","prediction","probabilities"} or {"file","error"}

The exit status is 1 when any file could not be classified.`

/** A top probability below this is flagged in the table as a guess. */
const LOW_CONFIDENCE = 0.5

type PredictOutcome =
  | { readonly file: string; readonly prediction: number; readonly probabilities: number[] }
  | { readonly file: string; readonly error: string }

/** Decodes, preprocesses and classifies one file; never throws (a failure is an outcome). */
async function predictFile(model: Sequential, file: string): Promise<PredictOutcome> {
  try {
    const image = await readImageFile(file)
    const result = preprocessDigit(image)
    if (!result.ok) return { file, error: result.message }
    const { probabilities, predicted } = classify(model, result.input)
    if (!probabilities.every(Number.isFinite))
      return {
        file,
        error:
          "the model's outputs are not finite numbers (NaN or ±∞) for this image: its weights overflow float32"
      }
    return {
      file,
      prediction: predicted,
      probabilities: Array.from(probabilities, (p) => Number(p.toFixed(6)))
    }
  } catch (error) {
    return {
      file,
      error:
        error instanceof Error && error.name === 'ImageDecodeError'
          ? error.message
          : describeError(error)
    }
  }
}

async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(argv, FLAGS, USAGE, { positionals: true })
  if (!args) return
  const modelPath = modelPathFlag(args)
  if (args.positionals.length === 0)
    throw new UsageError('name at least one image file to classify (see --help)')
  const { model, file } = await readModelFile(modelPath)
  const { outputSize } = file.architecture
  const mismatch = imageMismatch(file.architecture, FRAME_SIZE, FRAME_SIZE, 'digit images')
  if (mismatch)
    throw new UsageError(`--model: ${describeArchitecture(file.architecture)} ${mismatch}`)
  if (outputSize !== 10)
    throw new UsageError(`--model: the model has ${outputSize} classes; digit images need 10 (0–9)`)

  const json = booleanFlag(args, 'json')
  const nameWidth = Math.min(48, Math.max(4, ...args.positionals.map((f) => f.length)))
  if (!json) process.stdout.write(`${'FILE'.padEnd(nameWidth)}  DIGIT  CONFIDENCE\n`)
  let failures = 0
  for (const image of args.positionals) {
    const outcome = await predictFile(model, image)
    if ('error' in outcome) failures++
    process.stdout.write((json ? JSON.stringify(outcome) : formatRow(outcome, nameWidth)) + '\n')
  }
  if (!json && args.positionals.length > 1) {
    process.stdout.write(
      `\n${args.positionals.length - failures} of ${args.positionals.length} images classified\n`
    )
  }
  if (failures > 0) process.exitCode = 1
}

/** One table row: the file, the digit and its probability, or the error. */
function formatRow(outcome: PredictOutcome, nameWidth: number): string {
  const name =
    outcome.file.length > nameWidth
      ? '…' + outcome.file.slice(-(nameWidth - 1))
      : outcome.file.padEnd(nameWidth)
  if ('error' in outcome) return `${name}  error: ${outcome.error}`
  const confidence = outcome.probabilities[outcome.prediction]
  const hint = confidence < LOW_CONFIDENCE ? '  (low confidence: a guess)' : ''
  return `${name}  ${String(outcome.prediction).padEnd(5)}  ${(confidence * 100).toFixed(1).padStart(9)}%${hint}`
}

runCommand(() => main(process.argv.slice(2)), { json: process.argv.includes('--json') })
