// Matrix products for dense layers, on raw row-major Float32Arrays. Each product has a plain reference
// version (the specification) and a fast version; test/core/tensor/matmul.test.ts asserts they agree.
//
// A dense layer with weight W [out, in] needs three products per step:
//   forward        Y  = X · Wᵀ     [B, in] · [in, out]  → matmulABt
//   weight grad    dW += dYᵀ · X   [out, B] · [B, in]   → matmulAtBAccumulate
//   input grad     dX = dY · W     [B, out] · [out, in] → matmulAB

/**
 * The shape every product here shares: it reads A and B and writes C (row-major); the three sizes are
 * named by each product's formula below.
 */
export type MatrixProduct = (
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  size1: number,
  size2: number,
  size3: number
) => void

// ── reference versions: the definitions, written as the formula reads ──

/** Where an operand's entry [r, c] sits in its Float32Array: at r·row + c·col. */
interface Strides {
  readonly row: number
  readonly col: number
}

/** A row-major matrix with `columns` columns: entry [r, c] at r·columns + c. */
const rowMajor = (columns: number): Strides => ({ row: columns, col: 1 })

/**
 * A column-major matrix with `rows` rows: entry [r, c] at c·rows + r. NOTE: this is how the transpose
 * of a row-major matrix reads, so Aᵀ needs no copy: A [k, m] row-major is Aᵀ [m, k] column-major.
 */
const columnMajor = (rows: number): Strides => ({ row: 1, col: rows })

/**
 * The one loop behind the three references: C[i, j] = Σₚ A[i, p]·B[p, j] over p < k, with C [m, n]
 * row-major and A read as [m, k], B as [k, n] through their strides. `accumulate` adds the sum to C
 * instead of overwriting it.
 */
function stridedProduct(
  a: Float32Array,
  aAt: Strides,
  b: Float32Array,
  bAt: Strides,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  accumulate: boolean
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0
      for (let p = 0; p < k; p++) sum += a[i * aAt.row + p * aAt.col] * b[p * bAt.row + j * bAt.col]
      c[i * n + j] = accumulate ? c[i * n + j] + sum : sum
    }
  }
}

/** C[m, n] = A[m, k] · B[n, k]ᵀ, i.e. C[i, j] = Σₚ A[i, p]·B[j, p]. */
export const matmulABtReference: MatrixProduct = (a, b, c, m, k, n) =>
  stridedProduct(a, rowMajor(k), b, columnMajor(k), c, m, k, n, false)

/** C[m, n] += A[k, m]ᵀ · B[k, n], i.e. C[i, j] += Σₚ A[p, i]·B[p, j]. */
export const matmulAtBAccumulateReference: MatrixProduct = (a, b, c, k, m, n) =>
  stridedProduct(a, columnMajor(m), b, rowMajor(n), c, m, k, n, true)

/** C[m, n] = A[m, k] · B[k, n], i.e. C[i, j] = Σₚ A[i, p]·B[p, j]. */
export const matmulABReference: MatrixProduct = (a, b, c, m, k, n) =>
  stridedProduct(a, rowMajor(k), b, rowMajor(n), c, m, k, n, false)

// ── fast versions: same results up to float32 rounding ──

// PERF: about 81% of MNIST pixels are exactly 0, and after a ReLU about half of the activations are.
// A row with many zeros is first compressed to (index, value) pairs, and only those are multiplied.
// Scratch space for that compression is shared and grows once.
let nonzeroIndex = new Int32Array(0)
let nonzeroValue = new Float32Array(0)

/** Writes the nonzero entries of row[0..length) into the scratch arrays; returns how many there are. */
function compressRow(row: Float32Array, offset: number, length: number): number {
  if (nonzeroIndex.length < length) {
    nonzeroIndex = new Int32Array(length)
    nonzeroValue = new Float32Array(length)
  }
  let count = 0
  for (let p = 0; p < length; p++) {
    const value = row[offset + p]
    if (value !== 0) {
      nonzeroIndex[count] = p
      nonzeroValue[count] = value
      count++
    }
  }
  return count
}

/** Same as matmulABtReference. PERF: dot products of contiguous rows; zeros of A skipped. */
export const matmulABt: MatrixProduct = (a, b, c, m, k, n) => {
  for (let i = 0; i < m; i++) {
    const count = compressRow(a, i * k, k)
    const cRow = i * n
    for (let j = 0; j < n; j++) {
      const bRow = j * k
      let sum = 0
      for (let q = 0; q < count; q++) sum += nonzeroValue[q] * b[bRow + nonzeroIndex[q]]
      c[cRow + j] = sum
    }
  }
}

/**
 * Same as matmulAtBAccumulateReference. PERF: p-i-j order, so each step adds a scaled row of B to a
 * row of C (both contiguous); zeros of A (gradients of dead units) and of B (blank pixels) are skipped.
 */
export const matmulAtBAccumulate: MatrixProduct = (a, b, c, k, m, n) => {
  for (let p = 0; p < k; p++) {
    const count = compressRow(b, p * n, n)
    for (let i = 0; i < m; i++) {
      const api = a[p * m + i]
      if (api === 0) continue
      const cRow = i * n
      for (let q = 0; q < count; q++) c[cRow + nonzeroIndex[q]] += api * nonzeroValue[q]
    }
  }
}

/** Same as matmulABReference. PERF: i-p-j order streams rows of B into a row of C; zeros of A skipped. */
export const matmulAB: MatrixProduct = (a, b, c, m, k, n) => {
  c.fill(0, 0, m * n)
  for (let i = 0; i < m; i++) {
    const cRow = i * n
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]
      if (aip === 0) continue
      const bRow = p * n
      for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j]
    }
  }
}
