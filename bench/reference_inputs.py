"""What every Python reference of `npm run bench` is given (numpy_reference.py, torch_reference.py): its
command line, as bench/references.ts passes it, and the MNIST files it names, read as numpy arrays the
same way for every reference."""

import argparse
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


def reference_parser(description):
    """The arguments every reference takes: DATA_DIR [--nets a,b] [--repeats N] [--seed S]."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("data_dir")
    parser.add_argument("--nets", default="seed,mlp,mlp-adam,lenet")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    return parser
