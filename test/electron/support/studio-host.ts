// A StudioHost for tests: the real built worker, in browser mode, with a fresh temporary data folder.

import { StudioHost } from '../../../electron/host/studio-host'
import { requireBuiltWorker } from './paths'
import { tempDir } from './temp-dir'

export function createHost(dataDir = tempDir()): StudioHost {
  return new StudioHost({
    workerPath: requireBuiltWorker(),
    mode: 'browser',
    version: 'test',
    dataDir
  })
}
