// The loss and optimizer WebAssembly SIMD kernels (core/wasm/kernels.wat) against their plain references:
// softmax_cross_entropy against SoftmaxCrossEntropy, and the SGD and Adam kernels against core/optim's
// sgd.ts and adam.ts. The sparse dense layer's kernels are in kernels.test.ts.

import { describe, expect, it } from 'vitest'
import { Matrix, Adam, Sgd, SoftmaxCrossEntropy, type Optimizer } from '../../../core'
import { seededValues } from '../../helpers/gradcheck'
import { Arena, expectClose, sparseValues, unpad } from '../../helpers/kernel-arena'

describe('softmax_cross_entropy against SoftmaxCrossEntropy', () => {
  for (const classes of [10, 3, 5, 16]) {
    it(`${classes} classes: loss, ∂L/∂z and correctness of every row`, () => {
      const a = new Arena()
      const rows = 9
      const m = Math.ceil(classes / 4) * 4
      const z = seededValues(rows * classes, classes, -6, 6)
      z.fill(80, 0, classes) // a row of huge logits (exp overflows without the max shift)
      z[classes + 2] = -120 // a probability far below float32's smallest normal
      const labels = Uint8Array.from({ length: rows }, (_, r) => (r * 7) % classes)
      const reference = new SoftmaxCrossEntropy(classes)
      const expectedLoss = reference.forward(new Matrix(rows, classes, z), labels)
      const expectedGrad = reference.backward().data
      const p = reference.probabilities

      const padded = new Float32Array(rows * m)
      for (let r = 0; r < rows; r++) padded.set(z.subarray(r * classes, (r + 1) * classes), r * m)
      const logits = a.floats(padded)
      const labelsAt = a.take(rows)
      a.u8.set(labels, labelsAt)
      const samples = a.take(rows * 4)
      a.i32.set(
        Array.from({ length: rows }, (_, r) => r),
        samples >> 2
      )
      const grad = a.take(rows * m * 4)
      const shift = a.take(rows * 8)
      const sum = a.take(rows * 4)
      const correct = a.take(rows)
      a.kernels.softmax_cross_entropy(
        0,
        rows,
        logits,
        m,
        classes,
        labelsAt,
        samples,
        grad,
        1 / rows,
        shift,
        sum,
        correct
      )

      const f64 = new Float64Array(a.f32.buffer)
      let loss = 0
      for (let r = 0; r < rows; r++) {
        loss += f64[(shift >> 3) + r] + Math.log(a.f32[(sum >> 2) + r])
        let best = 0
        for (let c = 1; c < classes; c++) if (p.get(r, c) > p.get(r, best)) best = c
        expect(a.u8[correct + r], `row ${r}`).toBe(best === labels[r] ? 1 : 0)
      }
      expect(Math.abs(loss / rows - expectedLoss)).toBeLessThanOrEqual(1e-6 * (1 + expectedLoss))
      const g = a.readFloats(grad, rows * m)
      expectClose(unpad(g, rows, m, classes), expectedGrad, 1e-6)
      for (let r = 0; r < rows; r++) for (let c = classes; c < m; c++) expect(g[r * m + c]).toBe(0)
    })
  }

  it('a NaN logit gives a NaN loss (so a diverged run is caught)', () => {
    const a = new Arena()
    const logits = a.floats([1, NaN, 2, 0])
    const labels = a.take(1)
    const samples = a.take(4)
    const shift = a.take(8)
    const sum = a.take(4)
    a.kernels.softmax_cross_entropy(
      0,
      1,
      logits,
      4,
      3,
      labels,
      samples,
      a.take(16),
      1,
      shift,
      sum,
      a.take(1)
    )
    expect(new Float64Array(a.f32.buffer)[shift >> 3] + Math.log(a.f32[sum >> 2])).toBeNaN()
  })
})

describe('optimizer kernels against core/optim (sgd.ts, adam.ts), driven by their fusedStep', () => {
  const cases: [string, () => Optimizer][] = [
    ['SGD', () => new Sgd({ learningRate: 0.1 })],
    ['SGD, weight decay', () => new Sgd({ learningRate: 0.1, weightDecay: 0.01 })],
    ['SGD, momentum', () => new Sgd({ learningRate: 0.1, momentum: 0.9 })],
    [
      'SGD, momentum and weight decay',
      () => new Sgd({ learningRate: 0.1, momentum: 0.9, weightDecay: 0.01 })
    ],
    ['Adam', () => new Adam({ learningRate: 0.01 })],
    [
      'Adam, β2 0.99, weight decay',
      () => new Adam({ learningRate: 0.01, beta2: 0.99, weightDecay: 0.01 })
    ]
  ]
  for (const [name, create] of cases) {
    it(`${name}: 60 steps with sparse gradients and a learning rate changed halfway`, () => {
      const a = new Arena()
      const size = 36
      const w0 = seededValues(size, 1)
      const parameter = {
        name: 'w',
        shape: [size],
        data: Float32Array.from(w0),
        grad: new Float32Array(size),
        decays: true
      }
      const reference = create()
      const fused = create()
      const w = a.floats(w0)
      const g = a.take(size * 4)
      const m = a.floats(new Float32Array(size))
      const v = a.floats(new Float32Array(size))
      for (let step = 0; step < 60; step++) {
        if (step === 30) reference.learningRate = fused.learningRate = 0.05
        const grads = sparseValues(size, 10 + step, 0.5) // zeros, as for pixels that are 0 in a batch
        parameter.grad.set(grads)
        a.f32.set(grads, g >> 2)
        reference.step([parameter])
        const rule = fused.fusedStep!()
        if (rule.rule === 'sgd' && rule.momentum === 0)
          a.kernels.sgd(w, g, size, rule.learningRate, rule.weightDecay)
        else if (rule.rule === 'sgd')
          a.kernels.sgd_momentum(w, g, m, size, rule.learningRate, rule.momentum, rule.weightDecay)
        else
          a.kernels.adam(
            w,
            g,
            m,
            v,
            size,
            rule.learningRate,
            rule.beta1,
            1 - rule.beta1,
            rule.beta2,
            1 - rule.beta2,
            rule.epsilon,
            rule.weightDecay,
            rule.correction1,
            rule.correction2
          )
      }
      expect(a.readFloats(w, size)).not.toEqual(Float32Array.from(w0))
      expectClose(a.readFloats(w, size), parameter.data, 1e-6)
    })
  }
})
