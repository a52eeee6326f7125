// Measures a model on the held-out digit set: accuracy with core/vision preprocessing vs the naive
// baseline, broken down by how the images were made. Not a test: numbers, not pass/fail.
// Usage: npx tsx bench/digits/evaluate.ts --model FILE [--dir test/fixtures/digits] [--errors]

import { readModelFile } from '../../electron/cli/model-flags'
import { breakdown, scoreDigitSet } from './measure'

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const option = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`)
    return i >= 0 ? args[i + 1] : undefined
  }
  const modelPath = option('model')
  if (!modelPath) throw new Error('usage: evaluate.ts --model FILE [--dir DIR] [--errors]')
  const dir = option('dir') ?? 'test/fixtures/digits'
  const { model } = await readModelFile(modelPath)
  const started = Date.now()
  const score = await scoreDigitSet(model, dir)
  const pct = (v: number): string => `${(100 * v).toFixed(1)}%`
  console.log(
    `${dir}: ${score.count} images, ${((Date.now() - started) / score.count).toFixed(1)} ms per image`
  )
  console.log(`  with core/vision preprocessing: ${pct(score.accuracy)}`)
  console.log(`  naive (whole image → 28×28):    ${pct(score.naiveAccuracy)}`)
  const fields: [string, (o: (typeof score.outcomes)[number]) => string][] = [
    ['label', (o) => String(o.label)],
    [
      'style',
      (o) =>
        String(o.entry.style ?? '?').startsWith('font:')
          ? String(o.entry.style)
          : String(o.entry.style ?? '?')
    ],
    ['format', (o) => o.file.split('.').pop() ?? '?'],
    ['polarity', (o) => String(o.entry.polarity ?? '?')],
    ['transparent', (o) => String(o.entry.transparent ?? '?')],
    ['noisy', (o) => String(o.entry.noisy ?? '?')],
    ['blurred', (o) => String(o.entry.blurred ?? '?')]
  ]
  for (const [name, key] of fields) {
    const parts = [...breakdown(score.outcomes, key)].map(
      ([value, s]) => `${value} ${pct(s.accuracy)} (${s.count})`
    )
    console.log(`  by ${name}: ${parts.join(', ')}`)
  }
  if (args.includes('--errors')) {
    for (const o of score.outcomes)
      if (o.predicted !== o.label)
        console.log(
          `  ${o.file} label ${o.label} → ${o.predicted ?? '-'} ${o.error ?? ''} ${String(o.entry.style ?? '')}`
        )
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})
