// ONNX graphs written by hand (plain data, as core/io/onnx-graph.ts types them), for tests that need a
// file from "another exporter" without python: PyTorch's operator choices, spelled out.

import {
  ONNX_OPSET,
  type OnnxAttribute,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor
} from '../../core'

/** A float32 constant with values in float_data (as some exporters write them, not raw_data). */
export function floatConstant(name: string, dims: number[], values: ArrayLike<number>): OnnxTensor {
  return { name, dims, dataType: 1, floatData: Array.from(values) }
}

/** An int64 constant (Reshape's shape). */
export function int64Constant(name: string, values: number[]): OnnxTensor {
  return { name, dims: [values.length], dataType: 7, int64Data: values }
}

export function ints(name: string, values: number[]): OnnxAttribute {
  return { name, type: 7, ints: values }
}

export function int(name: string, value: number): OnnxAttribute {
  return { name, type: 2, i: value }
}

/** `count` deterministic values in about [−0.5, 0.5). */
export function values(count: number, seed = 1): number[] {
  return Array.from({ length: count }, (_, i) => ((i * 7919 + seed * 104729) % 1000) / 1000 - 0.5)
}

/**
 * A model whose nodes form a chain from `input` ([N, ...inputDims]): each node reads the previous node's
 * output (or `input`) first, then its `constants` by name; the last node's output is the graph's output.
 */
export function chainModel(
  inputDims: number[],
  steps: { op: string; constants?: OnnxTensor[]; attribute?: OnnxAttribute[]; name?: string }[],
  opset = ONNX_OPSET
): OnnxModel {
  const initializer: OnnxTensor[] = []
  const node: OnnxNode[] = []
  let current = 'input'
  steps.forEach((step, i) => {
    const output = `t${i + 1}`
    initializer.push(...(step.constants ?? []))
    node.push({
      name: step.name ?? `/${i}/${step.op}`,
      opType: step.op,
      input: [current, ...(step.constants ?? []).map((c) => c.name ?? '')],
      output: [output],
      attribute: step.attribute ?? []
    })
    current = output
  })
  const valueInfo = (name: string, dims: (number | string)[]) => ({
    name,
    type: {
      tensorType: {
        elemType: 1,
        shape: {
          dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }))
        }
      }
    }
  })
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'a test',
    graph: {
      name: 'test',
      node,
      initializer,
      input: [valueInfo('input', ['batch', ...inputDims])],
      output: [valueInfo(current, ['batch', 10])]
    }
  }
}
