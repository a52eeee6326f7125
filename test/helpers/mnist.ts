// The real MNIST for the test files that train or evaluate on it: loaded once per file (or describe
// block), before its tests.

import { beforeAll } from 'vitest'
import { loadMnist, type DatasetPair } from '../../electron/files/datasets'

/**
 * Registers a `beforeAll` that loads the real MNIST and returns it for the tests to read (reading
 * it before the tests run, e.g. while collecting them, throws instead of handing out nothing).
 */
export function useMnist(): DatasetPair {
  let loaded: DatasetPair | undefined
  beforeAll(async () => {
    loaded = await loadMnist()
  })
  const mnist = (): DatasetPair => {
    if (!loaded) throw new Error('MNIST is loaded before the tests: read it inside a test or hook')
    return loaded
  }
  return {
    get train() {
      return mnist().train
    },
    get test() {
      return mnist().test
    }
  }
}
