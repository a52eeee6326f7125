// A model as a short PyTorch program: the network as an nn.Sequential whose modules carry our layer
// names (so its state_dict keys are our parameter names), the weights loaded by name from a .npz beside
// it, and an evaluation on the MNIST test set that prints the accuracy. The text only: the CLI writes it.

import type { LayerActivation, ModelArchitecture } from '../nn/architecture'
import { describeArchitecture } from '../nn/architecture'
import { inferShapes, paddingOf, shapeSize, type TensorShape } from '../nn/shapes'
import type { Parameter } from '../nn/layer'
import type { NpyArray } from './npy'

export interface PytorchScriptOptions {
  /** The script's own file name, for the example commands in its header. */
  readonly scriptFileName: string
  /** The weights file's name, looked up beside the script (see modelToStateDictArrays). */
  readonly weightsFileName: string
  /** The default --mnist folder: where this machine keeps t10k-images-idx3-ubyte and its labels. */
  readonly mnistDir: string
  /** The command that wrote the script, for its header. */
  readonly command: string
}

const TORCH_ACTIVATIONS: Record<Exclude<LayerActivation, 'none'>, string> = {
  relu: 'nn.ReLU()',
  sigmoid: 'nn.Sigmoid()',
  tanh: 'nn.Tanh()'
}

/**
 * The parameters as the arrays of a PyTorch state_dict, stored under .npz-safe names: 'conv1.weight'
 * becomes conv1_weight. PyTorch's layouts are ours (Linear [out, in], Conv2d [out, in, k, k]), so
 * nothing is transposed.
 */
export function modelToStateDictArrays(parameters: readonly Parameter[]): NpyArray[] {
  return parameters.map((p) => ({
    name: p.name.replace('.', '_'),
    shape: p.shape,
    data: p.data.slice()
  }))
}

/** The Python source (see the header it writes for what it does and how to run it). */
export function pytorchScript(
  architecture: ModelArchitecture,
  { scriptFileName, weightsFileName, mnistDir, command }: PytorchScriptOptions
): string {
  const [channels, height, width] = architecture.inputShape
  return `# A Backprop Studio model in PyTorch: ${describeArchitecture(architecture)}
# Written by: ${command}
#
# It rebuilds the network as an nn.Sequential, loads the trained weights by name from ${weightsFileName}
# (beside this file), and measures the network's accuracy on the MNIST test set:
#
#   pip install torch numpy
#   python ${scriptFileName}                  # MNIST from the folder below, or:
#   python ${scriptFileName} --mnist DIR      # a folder with t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte

import argparse
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
from torch import nn

WEIGHTS = Path(__file__).with_name(${pythonString(weightsFileName)})
MNIST = ${pythonString(mnistDir)}

model = nn.Sequential(OrderedDict([
${moduleLines(architecture).join('\n')}
]))


def load_weights(model, path):
    """Every parameter by name; conv1.weight is stored as conv1_weight, in PyTorch's own layout."""
    arrays = np.load(path)
    model.load_state_dict({name: torch.from_numpy(arrays[name.replace('.', '_')]) for name in model.state_dict()})


def read_idx(path):
    """An IDX file (MNIST's format): a big-endian header with the dimensions, then unsigned bytes."""
    data = Path(path).read_bytes()
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(data[3])]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description='Evaluate the model on the MNIST test set.')
    parser.add_argument('--mnist', default=MNIST, help='folder with the MNIST test files (default: %(default)s)')
    parser.add_argument('--predictions', help='also write the predicted digit of every test image to this file')
    args = parser.parse_args()

    load_weights(model, WEIGHTS)
    model.eval()  # dropout off, as in the studio outside training
    images = read_idx(Path(args.mnist) / 't10k-images-idx3-ubyte')
    labels = torch.from_numpy(read_idx(Path(args.mnist) / 't10k-labels-idx1-ubyte').astype(np.int64))
    x = torch.from_numpy(images.astype(np.float32) / 255).reshape(-1, ${channels}, ${height}, ${width})  # pixels / 255, as in the studio
    with torch.no_grad():
        predictions = torch.cat([model(batch).argmax(1) for batch in x.split(1000)])
    correct = int((predictions == labels).sum())
    print(f'test accuracy: {correct / len(labels):.2%} ({correct} of {len(labels)} MNIST test images)')
    if args.predictions:
        Path(args.predictions).write_text('\\n'.join(map(str, predictions.tolist())) + '\\n')
`
}

/** One `('name', nn.Module(...)),` line per module, each with the shape it gives. */
function moduleLines(architecture: ModelArchitecture): string[] {
  const lines: string[] = []
  const activationCounts = new Map<string, number>()
  /** A module line, with the shape it gives as a comment when `shape` is given. */
  const line = (name: string, module: string, shape?: TensorShape | string): void => {
    const gives =
      shape === undefined ? '' : `  # → ${typeof shape === 'string' ? shape : shape.join('×')}`
    lines.push(`    (${pythonString(name)}, ${module}),${gives}`)
  }
  for (const { name, spec, inputShape, outputShape, index } of inferShapes(architecture)) {
    switch (spec.kind) {
      case 'conv': {
        const { filters, kernel, stride } = spec
        const padding = paddingOf(kernel, spec.padding)
        const module = `nn.Conv2d(${inputShape[0]}, ${filters}, kernel_size=${kernel}, stride=${stride}, padding=${padding})`
        line(name, module, outputShape)
        break
      }
      case 'maxpool':
        line(name, `nn.MaxPool2d(${spec.size})`, outputShape)
        break
      case 'flatten':
        line(name, 'nn.Flatten()', outputShape)
        break
      case 'dropout':
        line(name, `nn.Dropout(${spec.rate})`, 'the same (identity outside training)')
        break
      case 'dense':
        // NOTE: our dense layers read an image as its C·H·W values; nn.Linear needs it flattened.
        if (inputShape.length === 3) line('input_flatten', 'nn.Flatten()', [shapeSize(inputShape)])
        line(
          name,
          `nn.Linear(${shapeSize(inputShape)}, ${spec.units})`,
          index === -1 ? `${spec.units} logits (softmax gives the probabilities)` : outputShape
        )
    }
    if ((spec.kind === 'conv' || spec.kind === 'dense') && spec.activation !== 'none') {
      const count = (activationCounts.get(spec.activation) ?? 0) + 1
      activationCounts.set(spec.activation, count)
      line(`${spec.activation}${count}`, TORCH_ACTIVATIONS[spec.activation])
    }
  }
  return lines
}

/** A Python string literal (JSON's escapes are valid Python). */
function pythonString(text: string): string {
  return JSON.stringify(text)
}
