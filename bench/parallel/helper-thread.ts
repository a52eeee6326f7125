// Entry point of a training helper thread: binds the fast engine to the shared memory and runs chunks
// of every step until told to stop. Started by parallel-trainer.ts.

import { parentPort, workerData } from 'node:worker_threads'
import { FastNetwork } from '../../core'
import type { HelperData } from './parallel-trainer'
import { serveJobs } from './work-queue'

const data = workerData as HelperData
const network = new FastNetwork(
  data.architecture,
  data.batchSize,
  data.memory,
  data.datasetCount,
  data.datasetEntries,
  data.kernels
)
data.rowWeights.forEach(
  (weights, layer) => weights && network.gradientSplits.setRowWeights(layer, weights)
)
parentPort?.postMessage('ready')
serveJobs(data.control, data.errors, network)
