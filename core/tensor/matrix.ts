// A dense float32 matrix: a Float32Array plus its shape, row-major (element [r, c] is data[r * cols + c]).

import { ShapeError } from '../errors'

/** A row-major float32 matrix. `data` may be a view into a larger reusable buffer. */
export class Matrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: Float32Array = new Float32Array(rows * cols)
  ) {
    if (data.length !== rows * cols) {
      throw new ShapeError(`Matrix: ${data.length} values cannot fill a ${rows}×${cols} matrix`)
    }
  }

  /** Element [row, col]. For clarity in tests and tools; hot loops index `data` directly. */
  get(row: number, col: number): number {
    return this.data[row * this.cols + col]
  }

  /** One row as a view (no copy). */
  row(row: number): Float32Array {
    return this.data.subarray(row * this.cols, (row + 1) * this.cols)
  }

  /** `[rows, cols]`, for messages and for comparing shapes. */
  get shape(): [number, number] {
    return [this.rows, this.cols]
  }
}

/**
 * A growable backing store for per-batch matrices, so a training step allocates nothing once warm.
 * PERF: a [batch, 784] input alone is 100 KB at batch 32; reallocating every layer's output every step
 * shows up in the profile and in GC pauses.
 */
export class MatrixBuffer {
  private storage = new Float32Array(0)

  /** A rows×cols matrix over this buffer's memory; its contents are whatever was there (not zeroed). */
  take(rows: number, cols: number): Matrix {
    const size = rows * cols
    if (this.storage.length < size) this.storage = new Float32Array(size)
    return new Matrix(rows, cols, this.storage.subarray(0, size))
  }
}

/** Throws a ShapeError naming `where` unless `m` is rows×cols. */
export function assertShape(where: string, m: Matrix, rows: number, cols: number): void {
  if (m.rows !== rows || m.cols !== cols) {
    throw new ShapeError(`${where}: expected a ${rows}×${cols} matrix, got ${m.rows}×${m.cols}`)
  }
}

/** Throws a ShapeError naming `where` unless `m` has `cols` columns (any number of rows). */
export function assertCols(where: string, m: Matrix, cols: number): void {
  if (m.cols !== cols) {
    throw new ShapeError(`${where}: expected ${cols} columns, got a ${m.rows}×${m.cols} matrix`)
  }
}
