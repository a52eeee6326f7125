// Flatten: where a net stops reading images and starts reading vectors.

import { assertCols, type Matrix } from '../tensor/matrix'
import type { Layer, Parameter } from './layer'

/**
 * [B, C, H, W] → [B, C·H·W]: y = x, dx = dy.
 * NOTE: a no-op on the data. A Matrix row already holds one sample's C·H·W values in CHW order (the
 * order PyTorch's flatten gives), so only the way the next layer reads the row changes: a dense layer
 * after it sees input i = (c·H + h)·W + w. It is a layer so that the list says where that happens.
 */
export class Flatten implements Layer {
  constructor(
    readonly name: string,
    /** C·H·W, for the shape checks of the layers around it. */
    readonly size: number
  ) {}

  forward(x: Matrix): Matrix {
    assertCols(`${this.name}.forward`, x, this.size)
    return x
  }

  backward(dy: Matrix): Matrix {
    return dy
  }

  parameters(): Parameter[] {
    return []
  }
}
