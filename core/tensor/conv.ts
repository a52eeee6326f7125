// Convolution and max-pooling over batches of images, as plain loops: the specification that the
// Conv2D and MaxPool2D layers run and that the fast WebAssembly kernels are tested against.
//
// Every tensor is a row-major Float32Array. A batch of images is [B, C, H, W] (PyTorch's order): sample
// b, channel c, row h, column w sits at ((b·C + c)·H + h)·W + w. A convolution weight is [O, C, k, k],
// so each filter reads as a small image, and exports map one to one onto PyTorch and ONNX.

import { ShapeError } from '../errors'

/** The forward passes also run in float64 (core/explain's gradient checks): the same loops, wider numbers. */
export type FloatArray = Float32Array | Float64Array

/** One convolution over a batch: the sizes every kernel below needs, output size included. */
export interface ConvGeometry {
  readonly batch: number
  readonly inChannels: number
  readonly inHeight: number
  readonly inWidth: number
  readonly outChannels: number
  /** The filter is kernel × kernel. */
  readonly kernel: number
  readonly stride: number
  /** Zero rows (columns) added above and below (left and right) of the input. */
  readonly padding: number
  readonly outHeight: number
  readonly outWidth: number
}

/** One max-pooling over a batch: size × size windows, stride = size, no padding. */
export interface PoolGeometry {
  readonly batch: number
  readonly channels: number
  readonly inHeight: number
  readonly inWidth: number
  readonly size: number
  readonly outHeight: number
  readonly outWidth: number
}

/**
 * Output size of a convolution along one axis: ⌊(n + 2p − k) / s⌋ + 1 (rows or columns that do not fill
 * a whole window at the end are dropped, as in PyTorch). Below 1 means the filter does not fit.
 */
export function convOutputSize(
  inSize: number,
  kernel: number,
  stride: number,
  padding: number
): number {
  return Math.floor((inSize + 2 * padding - kernel) / stride) + 1
}

/** The geometry of a convolution, with its output size; throws when the filter does not fit. */
export function convGeometry(shape: Omit<ConvGeometry, 'outHeight' | 'outWidth'>): ConvGeometry {
  const { inHeight, inWidth, kernel, stride, padding } = shape
  const outHeight = convOutputSize(inHeight, kernel, stride, padding)
  const outWidth = convOutputSize(inWidth, kernel, stride, padding)
  if (outHeight < 1 || outWidth < 1) {
    throw new ShapeError(
      `a ${kernel}×${kernel} filter with padding ${padding} does not fit a ${inHeight}×${inWidth} input`
    )
  }
  return { ...shape, outHeight, outWidth }
}

/** The geometry of a max-pooling, with its output size ⌊n / size⌋; throws when a window does not fit. */
export function poolGeometry(shape: Omit<PoolGeometry, 'outHeight' | 'outWidth'>): PoolGeometry {
  const { inHeight, inWidth, size } = shape
  const outHeight = Math.floor(inHeight / size)
  const outWidth = Math.floor(inWidth / size)
  if (outHeight < 1 || outWidth < 1) {
    throw new ShapeError(
      `a ${size}×${size} pooling window does not fit a ${inHeight}×${inWidth} input`
    )
  }
  return { ...shape, outHeight, outWidth }
}

/**
 * The windows of a convolution, written once for the three kernels below. Output pixel (i, j) reads
 * input pixel (h, w) = (i·s + u − p, j·s + v − p) through filter tap (c, u, v); only the taps that land
 * inside the image are listed (outside it x = 0, so they add nothing). The taps of output position
 * pos = i·W' + j are tapStart[pos] ≤ t < tapStart[pos + 1], in (c, u, v) order, and tap t reads the
 * input at inputOffset[t] within one sample [C, H, W] and the weight at filterOffset[t] within one
 * filter [C, k, k]. Every sample and every filter shares these windows.
 */
interface ConvWindows {
  /** C·H·W: one sample's input. */
  readonly sampleSize: number
  /** C·k·k: one filter. */
  readonly filterSize: number
  /** [H'·W' + 1] */
  readonly tapStart: Int32Array
  readonly inputOffset: Int32Array
  readonly filterOffset: Int32Array
}

function convWindows(g: ConvGeometry): ConvWindows {
  const { inChannels: C, inHeight: H, inWidth: W, kernel: k } = g
  const { stride: s, padding: p, outHeight: Ho, outWidth: Wo } = g
  const positions = Ho * Wo
  const filterSize = C * k * k
  const tapStart = new Int32Array(positions + 1)
  // At most every tap of every window lands inside the image (no padding).
  const inputOffset = new Int32Array(positions * filterSize)
  const filterOffset = new Int32Array(positions * filterSize)
  let taps = 0
  for (let i = 0; i < Ho; i++) {
    for (let j = 0; j < Wo; j++) {
      for (let c = 0; c < C; c++) {
        for (let u = 0; u < k; u++) {
          const h = i * s + u - p
          if (h < 0 || h >= H) continue
          for (let v = 0; v < k; v++) {
            const col = j * s + v - p
            if (col < 0 || col >= W) continue
            inputOffset[taps] = (c * H + h) * W + col
            filterOffset[taps] = (c * k + u) * k + v
            taps++
          }
        }
      }
      tapStart[i * Wo + j + 1] = taps
    }
  }
  return { sampleSize: C * H * W, filterSize, tapStart, inputOffset, filterOffset }
}

/**
 * Visits every output pixel (b, o, i, j) of a convolution in row-major order, with its index
 * n = (b·O + o)·H'·W' + pos into y (or dy) and its position pos = i·W' + j within the channel.
 */
function forEachOutputPixel(
  g: ConvGeometry,
  visit: (n: number, b: number, o: number, pos: number) => void
): void {
  const positions = g.outHeight * g.outWidth
  for (let b = 0; b < g.batch; b++) {
    for (let o = 0; o < g.outChannels; o++) {
      for (let pos = 0; pos < positions; pos++)
        visit((b * g.outChannels + o) * positions + pos, b, o, pos)
    }
  }
}

/**
 * y[b, o, i, j] = bias[o] + Σ_c Σ_u Σ_v  w[o, c, u, v] · x[b, c, i·s + u − p, j·s + v − p]
 * with x = 0 outside the image (zero padding). A cross-correlation, as PyTorch's Conv2d computes.
 * Shapes: x [B, C, H, W], w [O, C, k, k], bias [O] → y [B, O, H', W'] (overwritten).
 */
export function conv2dForward(
  x: FloatArray,
  w: FloatArray,
  bias: FloatArray,
  y: FloatArray,
  g: ConvGeometry
): void {
  const { sampleSize, filterSize, tapStart, inputOffset, filterOffset } = convWindows(g)
  forEachOutputPixel(g, (n, b, o, pos) => {
    let sum = bias[o]
    for (let t = tapStart[pos]; t < tapStart[pos + 1]; t++) {
      sum += w[o * filterSize + filterOffset[t]] * x[b * sampleSize + inputOffset[t]]
    }
    y[n] = sum
  })
}

/**
 * dx[b, c, h, w] = Σ_o Σ_(i,u: i·s+u−p = h) Σ_(j,v: j·s+v−p = w)  dy[b, o, i, j] · w[o, c, u, v]
 * Every input pixel collects the gradient of each output pixel whose window covered it, weighted by
 * the filter value that joined them. For stride 1 this is the "full" convolution of dy with the
 * filter flipped by 180°. Written as a scatter from each output pixel through its window; shapes:
 * dy [B, O, H', W'], w [O, C, k, k] → dx [B, C, H, W] (overwritten).
 */
export function conv2dBackwardInput(
  dy: Float32Array,
  w: Float32Array,
  dx: Float32Array,
  g: ConvGeometry
): void {
  const { sampleSize, filterSize, tapStart, inputOffset, filterOffset } = convWindows(g)
  dx.fill(0, 0, g.batch * sampleSize)
  forEachOutputPixel(g, (n, b, o, pos) => {
    const grad = dy[n]
    if (grad === 0) return
    for (let t = tapStart[pos]; t < tapStart[pos + 1]; t++) {
      dx[b * sampleSize + inputOffset[t]] += grad * w[o * filterSize + filterOffset[t]]
    }
  })
}

/**
 * dw[o, c, u, v] += Σ_b Σ_i Σ_j  dy[b, o, i, j] · x[b, c, i·s + u − p, j·s + v − p]
 * db[o]          += Σ_b Σ_i Σ_j  dy[b, o, i, j]
 * The filter's gradient is the correlation of the input with the output gradient; the bias is added
 * at every output pixel, so its gradient sums them. Accumulates (+=), like Dense.backward.
 * Shapes: x [B, C, H, W], dy [B, O, H', W'] → dw [O, C, k, k], db [O].
 */
export function conv2dBackwardWeight(
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
  db: Float32Array,
  g: ConvGeometry
): void {
  const { sampleSize, filterSize, tapStart, inputOffset, filterOffset } = convWindows(g)
  forEachOutputPixel(g, (n, b, o, pos) => {
    const grad = dy[n]
    db[o] += grad
    if (grad === 0) return
    for (let t = tapStart[pos]; t < tapStart[pos + 1]; t++) {
      dw[o * filterSize + filterOffset[t]] += grad * x[b * sampleSize + inputOffset[t]]
    }
  })
}

/**
 * y[b, c, i, j] = max over u, v < size of x[b, c, i·size + u, j·size + v]
 * argmax[n] records the index into x of output n's winner: the first maximum in row-major order
 * within the window (PyTorch's choice on CPU). Shapes: x [B, C, H, W] → y, argmax [B, C, H', W'].
 */
export function maxPool2dForward(
  x: FloatArray,
  y: FloatArray,
  argmax: Uint32Array,
  g: PoolGeometry
): void {
  const { batch, channels, inHeight: H, inWidth: W, size, outHeight: Ho, outWidth: Wo } = g
  for (let plane = 0; plane < batch * channels; plane++) {
    for (let i = 0; i < Ho; i++) {
      for (let j = 0; j < Wo; j++) {
        let best = plane * H * W + i * size * W + j * size
        for (let u = 0; u < size; u++) {
          for (let v = 0; v < size; v++) {
            const index = plane * H * W + (i * size + u) * W + j * size + v
            if (x[index] > x[best]) best = index
          }
        }
        const n = (plane * Ho + i) * Wo + j
        y[n] = x[best]
        argmax[n] = best
      }
    }
  }
}

/**
 * dx[argmax[n]] += dy[n], every other dx = 0: the maximum is the only input that moved the output,
 * so each window's gradient goes to its winner alone. Shapes: dy, argmax [B, C, H', W'] → dx [B, C, H, W]
 * (overwritten).
 */
export function maxPool2dBackward(
  dy: Float32Array,
  argmax: Uint32Array,
  dx: Float32Array,
  g: PoolGeometry
): void {
  const { batch, channels, inHeight: H, inWidth: W, outHeight: Ho, outWidth: Wo } = g
  dx.fill(0, 0, batch * channels * H * W)
  const outputs = batch * channels * Ho * Wo
  for (let n = 0; n < outputs; n++) dx[argmax[n]] += dy[n]
}
