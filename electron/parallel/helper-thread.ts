// Entry point of a training helper thread: binds the fast engine to the shared memory and runs chunks
// of every step until told to stop. Started by parallel-trainer.ts (built as out/main/train-helper.js
// for the studio's worker: electron.vite.config.ts).

import { parentPort, workerData } from 'node:worker_threads'
import {
  ConvNetwork,
  createRng,
  FastNetwork,
  runsOnDenseNetwork,
  type FastEngine
} from '../../core'
import type { HelperData } from './parallel-trainer'
import { serveJobs } from './work-queue'

const data = workerData as HelperData

/** The engine over the shared memory, as the training thread's but with this thread's scratch. */
function bindEngine(): FastEngine {
  const { architecture, batchSize, memory, datasetCount, datasetEntries } = data
  if (!runsOnDenseNetwork(architecture)) {
    // NOTE: a helper never draws dropout masks (the training thread does, in beginStep): no stream.
    return new ConvNetwork(architecture, batchSize, memory, createRng(0), {
      datasetCount,
      datasetEntries,
      thread: data.thread
    })
  }
  const network = new FastNetwork(architecture, batchSize, memory, datasetCount, datasetEntries)
  data.rowWeights.forEach(
    (weights, layer) => weights && network.gradientSplits.setRowWeights(layer, weights)
  )
  return network
}

const network = bindEngine()
parentPort?.postMessage('ready')
serveJobs(data.control, data.errors, network)
