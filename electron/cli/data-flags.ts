// Which dataset a command uses: the bundled real MNIST, or any IDX pair named by flags.

import type { Dataset } from '../../core'
import { DatasetFileError, loadIdxPair, loadMnist } from '../files/datasets'
import { stringFlag, type FlagSpec, type ParsedArgs } from './args'
import { UsageError } from './errors'

export const DATA_FLAGS = {
  'train-images': 'string',
  'train-labels': 'string',
  'test-images': 'string',
  'test-labels': 'string'
} as const satisfies FlagSpec

type Split = 'train' | 'test'

/** The test set: MNIST's, or --test-images with --test-labels. */
export async function testSetFromFlags(args: ParsedArgs): Promise<Dataset> {
  const pair = idxPair(args, 'test')
  return pair ? loadFlaggedPair(pair, 'test') : (await loadMnist()).test
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
    loadFlaggedPair(train, 'train'),
    loadFlaggedPair(test, 'test')
  ])
  return { train: trainSet, test: testSet }
}

interface IdxPaths {
  readonly images: string
  readonly labels: string
}

function idxPair(args: ParsedArgs, split: Split): IdxPaths | null {
  const images = stringFlag(args, `${split}-images`)
  const labels = stringFlag(args, `${split}-labels`)
  if (images === undefined && labels === undefined) return null
  if (images === undefined || labels === undefined)
    throw new UsageError(`--${split}-images and --${split}-labels go together`)
  return { images, labels }
}

/**
 * Loads a pair named by flags. A file that cannot be read is reported with the flag that named it
 * (a folder given as --test-images: "--test-images: /data is a folder, not an IDX file"), and a set
 * without images is an error: accuracy over no images is 0/0, not a number to print.
 */
async function loadFlaggedPair(paths: IdxPaths, split: Split): Promise<Dataset> {
  const name = split === 'train' ? 'training set' : 'test set'
  let dataset: Dataset
  try {
    dataset = await loadIdxPair(paths.images, paths.labels, name)
  } catch (error) {
    if (!(error instanceof DatasetFileError)) throw error
    const flag = error.path === paths.images ? `${split}-images` : `${split}-labels`
    throw new DatasetFileError(`--${flag}: ${error.message}`, error.path)
  }
  if (dataset.count === 0)
    throw new UsageError(
      `--${split}-images: ${paths.images} holds no images; a ${name} needs at least one`
    )
  return dataset
}
