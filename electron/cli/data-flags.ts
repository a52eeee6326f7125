// Which dataset a command uses: the bundled real MNIST, or any IDX pair named by flags.

import type { Dataset } from '../../core'
import { loadIdxPair, loadMnist } from '../files/datasets'
import { stringFlag, type FlagSpec, type ParsedArgs } from './args'
import { UsageError } from './errors'

export const DATA_FLAGS = {
  'train-images': 'string',
  'train-labels': 'string',
  'test-images': 'string',
  'test-labels': 'string'
} as const satisfies FlagSpec

/** The test set: MNIST's, or --test-images with --test-labels. */
export async function testSetFromFlags(args: ParsedArgs): Promise<Dataset> {
  const pair = idxPair(args, 'test')
  return pair ? loadIdxPair(pair.images, pair.labels, 'test set') : (await loadMnist()).test
}

/** Training and test sets: MNIST's, or the IDX files named by the --train-… and --test-… flags. */
export async function datasetsFromFlags(
  args: ParsedArgs
): Promise<{ train: Dataset; test: Dataset }> {
  const train = idxPair(args, 'train')
  const test = idxPair(args, 'test')
  if (!train && !test) return loadMnist()
  if (!train || !test)
    throw new UsageError(
      'give both a training pair (--train-images, --train-labels) and a test pair (--test-images, --test-labels)'
    )
  const [trainSet, testSet] = await Promise.all([
    loadIdxPair(train.images, train.labels, 'training set'),
    loadIdxPair(test.images, test.labels, 'test set')
  ])
  return { train: trainSet, test: testSet }
}

function idxPair(
  args: ParsedArgs,
  split: 'train' | 'test'
): { images: string; labels: string } | null {
  const images = stringFlag(args, `${split}-images`)
  const labels = stringFlag(args, `${split}-labels`)
  if (images === undefined && labels === undefined) return null
  if (images === undefined || labels === undefined)
    throw new UsageError(`--${split}-images and --${split}-labels go together`)
  return { images, labels }
}
