"""MNIST for the Python references of `npm run bench` (numpy_reference.py, torch_reference.py): the IDX
files read as numpy arrays, the same way for every reference, as core/data reads them for ours."""

import os

import numpy as np


def read_idx(path):
    """An IDX file as a uint8 array: big-endian magic (its low byte is the number of dimensions), the
    dimensions as big-endian int32, then the bytes."""
    with open(path, "rb") as f:
        data = f.read()
    dims = int.from_bytes(data[0:4], "big") & 0xFF
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_mnist(data_dir):
    """((train x, train y), (test x, test y)): x float32 [N, 784] in [0, 1] (contiguous), y int64 [N]."""

    def part(images, labels):
        x = read_idx(os.path.join(data_dir, images)).reshape(-1, 784).astype(np.float32) / np.float32(255)
        y = read_idx(os.path.join(data_dir, labels)).astype(np.int64)
        return np.ascontiguousarray(x), y

    return part("train-images-idx3-ubyte", "train-labels-idx1-ubyte"), part("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
