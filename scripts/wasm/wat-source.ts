// A kernel module's WAT text, read from its module file: the module file (core/wasm/NAME.wat) holds the
// module's conventions and its memory import, and names its parts in order, one line each:
//
//     (module
//       (import "env" "memory" (memory 1 65536))
//       ;; include: conv-kernels/gemm.wat
//       ;; include: conv-kernels/im2col.wat
//     )
//
// Each such line is replaced by that file's text (a path relative to the module file), so a long module
// is split by concept into files of a few hundred lines while wabt still assembles ONE module (its
// functions call each other directly). A part is plain WAT (functions, comments); it includes nothing.

import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** `;; include: PATH` on a line of its own (leading spaces allowed). */
const INCLUDE = /^[ \t]*;;[ \t]*include:[ \t]*(\S+)[ \t]*$/m

/** The module file at `path` with every include line replaced by the part it names. */
export function readWatModule(path: string): string {
  const folder = dirname(path)
  const includes = new RegExp(INCLUDE.source, 'gm')
  return readFileSync(path, 'utf8').replace(includes, (_, part: string) => {
    const text = readFileSync(join(folder, part), 'utf8')
    if (INCLUDE.test(text)) throw new Error(`${part}: a part of ${path} may not include another`)
    return text
  })
}
