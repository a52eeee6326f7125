// Reading a model file named on the command line, with errors that name the file.

import { ModelFileError, type ModelFile, type Sequential } from '../../core'
import { USER_FILES } from '../files/file-limits'
import { loadModelBytes } from '../files/model-bytes'
import { readUserFile, UserFileError } from '../files/user-file'
import { stringFlag, type ParsedArgs } from './args'
import { UsageError } from './errors'

/** The --model path, which the command requires; without it, a UsageError says where models come from. */
export function modelPathFlag(args: ParsedArgs): string {
  const path = stringFlag(args, 'model')
  if (path === undefined)
    throw new UsageError(
      '--model FILE is required (a model saved with `npm run train -- --save FILE`, or an .onnx file)'
    )
  return path
}

/**
 * Reads and validates a model file or an ONNX file (a regular file within USER_FILES.model's cap; told
 * apart by content; a UTF-8 BOM allowed); errors say which file and what is wrong with it.
 */
export async function readModelFile(path: string): Promise<{ model: Sequential; file: ModelFile }> {
  let bytes: Uint8Array
  try {
    bytes = await readUserFile(path, USER_FILES.model)
  } catch (error) {
    if (error instanceof UserFileError) throw new UsageError(`--model: ${error.message}`)
    throw error
  }
  try {
    return loadModelBytes(bytes)
  } catch (error) {
    if (error instanceof ModelFileError) throw new ModelFileError(`${path}: ${error.message}`)
    throw error
  }
}
