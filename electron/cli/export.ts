// `npm run export -- --model FILE [--npz OUT] [--onnx OUT] [--pytorch OUT]`: a saved model for numpy,
// for ONNX runtimes and tools (Netron, ONNX Runtime, …), and for PyTorch.

import { basename, resolve } from 'node:path'
import { describeArchitecture, type Sequential } from '../../core'
import { writeFileAtomic } from '../files/atomic-write'
import { exportModelNpz } from '../files/npz'
import { exportModelOnnx } from '../files/onnx/onnx-file'
import { exportModelPytorch } from '../files/pytorch'
import { parseCommandLine, stringFlag, type ParsedArgs } from './args'
import { runCommand, UsageError } from './errors'
import { modelPathFlag, readModelFile } from './model-flags'

const FLAGS = {
  model: 'string',
  npz: 'string',
  onnx: 'string',
  pytorch: 'string',
  help: 'boolean'
} as const

const USAGE = `Usage: npm run export -- --model FILE [--npz OUT.npz] [--onnx OUT.onnx] [--pytorch OUT.py]

FILE is a model saved by the studio (or an .onnx file). Give one or more outputs:

--npz OUT.npz     the weights for numpy, named and shaped as in the original numpy project:
                  W1 (784, h1), b1 (1, h1), …, float32, and activation ('relu', …):
                    m = np.load('model.npz')
                    a = np.maximum(X @ m['W1'] + m['b1'], 0)   # X: (n, 784) in [0, 1]
                    logits = a @ m['W2'] + m['b2']
--onnx OUT.onnx   the network as ONNX (opset 17): input "input" (N, 1, 28, 28) float32 in [0, 1],
                  outputs "logits" and "probabilities" (N, 10). Open it in Netron, or run it:
                    import onnxruntime as ort
                    session = ort.InferenceSession('model.onnx')
                    probabilities = session.run(['probabilities'], {'input': X.reshape(-1, 1, 28, 28)})[0]
--pytorch OUT.py  a PyTorch script that rebuilds the network (nn.Sequential), loads the weights from
                  OUT.state_dict.npz beside it and prints its MNIST test accuracy: python OUT.py`

/** Writes a file atomically; a failure is a UsageError naming the flag and the path. */
async function write(flag: string, path: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, data)
  } catch (error) {
    throw new UsageError(
      `--${flag}: cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`
    )
  }
}

/** The output path of --flag, or undefined; an empty value is a UsageError. */
function outputFlag(args: ParsedArgs, flag: string): string | undefined {
  const path = stringFlag(args, flag)
  if (path !== undefined && path.trim() === '')
    throw new UsageError(`--${flag} needs a file name to write`)
  return path === undefined ? undefined : resolve(path)
}

async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(argv, FLAGS, USAGE)
  if (!args) return
  const modelPath = modelPathFlag(args)
  const [npz, onnx, pytorch] = ['npz', 'onnx', 'pytorch'].map((flag) => outputFlag(args, flag))
  if (!npz && !onnx && !pytorch)
    throw new UsageError('give an output: --npz OUT.npz, --onnx OUT.onnx or --pytorch OUT.py')
  const { model, file } = await readModelFile(modelPath)
  const what = describeArchitecture(file.architecture)
  // NOTE: every file is built (and the ONNX one read back) before the first is written.
  const outputs: [string, string, string | Uint8Array][] = []
  if (npz) outputs.push(['npz', npz, exportModelNpz(model)])
  if (onnx) outputs.push(['onnx', onnx, exportModelOnnx(model)])
  if (pytorch) outputs.push(...pytorchOutputs(model, pytorch, argv))
  for (const [flag, path, data] of outputs) await write(flag, path, data)
  for (const [, path] of outputs) process.stdout.write(`Wrote ${what} to ${path}\n`)
  if (pytorch) process.stdout.write(`Run it: python ${basename(pytorch)}\n`)
}

function pytorchOutputs(
  model: Sequential,
  scriptPath: string,
  argv: string[]
): [string, string, string | Uint8Array][] {
  const command = `npm run export -- ${argv.join(' ')}`
  const files = exportModelPytorch(model, scriptPath, command)
  return [
    ['pytorch', files.scriptPath, files.script],
    ['pytorch', files.weightsPath, files.weights]
  ]
}

runCommand(() => main(process.argv.slice(2)))
