// A model for PyTorch: a short script (core/io/pytorch-script.ts) and its weights as a .npz beside it.

import { basename, dirname, join } from 'node:path'
import { modelToStateDictArrays, pytorchScript, type Sequential } from '../../core'
import { mnistDataDir } from './datasets'
import { encodeNpz } from './npz'

/** The two files of a PyTorch export: the script and its weights, with their paths. */
export interface PytorchExport {
  readonly scriptPath: string
  readonly script: string
  readonly weightsPath: string
  readonly weights: Uint8Array
}

/**
 * The script for `scriptPath` (e.g. lenet.py) and its weights beside it (lenet.state_dict.npz: the
 * state_dict's arrays by name). The script's default --mnist is this machine's copy of MNIST.
 */
export function exportModelPytorch(
  model: Sequential,
  scriptPath: string,
  command: string
): PytorchExport {
  const stem = basename(scriptPath).replace(/\.py$/, '')
  const weightsFileName = `${stem}.state_dict.npz`
  const script = pytorchScript(model.architecture, {
    scriptFileName: basename(scriptPath),
    weightsFileName,
    mnistDir: mnistDataDir(),
    command
  })
  return {
    scriptPath,
    script,
    weightsPath: join(dirname(scriptPath), weightsFileName),
    weights: encodeNpz(modelToStateDictArrays(model.parameters()))
  }
}
