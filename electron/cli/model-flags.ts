// Reading a model file named on the command line, with errors that name the file.

import { readFile, stat } from 'node:fs/promises'
import { ModelFileError, type ModelFile, type Sequential } from '../../core'
import { loadModelBytes } from '../files/model-bytes'
import { stringFlag, type ParsedArgs } from './args'
import { UsageError } from './errors'

/** Model files hold float32 weights as base64 text; anything above this is not one of ours. */
export const MAX_MODEL_FILE_BYTES = 512 * 1024 * 1024

/** The --model path, which the command requires; without it, a UsageError says where models come from. */
export function modelPathFlag(args: ParsedArgs): string {
  const path = stringFlag(args, 'model')
  if (path === undefined)
    throw new UsageError(
      '--model FILE is required (a model saved with `npm run train -- --save FILE`, or an .onnx file)'
    )
  return path
}

/** Reads and validates a model file or an ONNX file; errors say which file and what is wrong with it. */
export async function readModelFile(path: string): Promise<{ model: Sequential; file: ModelFile }> {
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new UsageError(`--model: ${path} is not a file`)
    size = info.size
  } catch (error) {
    if (error instanceof UsageError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(
      `--model: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(error)}`
    )
  }
  if (size > MAX_MODEL_FILE_BYTES)
    throw new UsageError(`--model: ${path} is ${size} bytes, too large to be a model file`)
  const bytes = await readFile(path)
  try {
    return loadModelBytes(bytes)
  } catch (error) {
    if (error instanceof ModelFileError) throw new ModelFileError(`${path}: ${error.message}`)
    throw error
  }
}
