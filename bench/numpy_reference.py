#!/usr/bin/env python3
"""The numpy reference for `npm run bench`: the same nets, trained the way numpy is at its best.

One epoch of minibatch SGD (or Adam) over the 60 000 MNIST training images, fully vectorised (every product is one
OpenBLAS call), float32 throughout, the whole training set normalised to [0, 1] once before the clock
starts. Per step, exactly what our engine does per step:

    x, y  <- next minibatch of a seeded random permutation (the last batch may be smaller)
    h = x @ W1 + b1,  a = max(h, 0),  z = a @ W2 + b2          forward
    p = softmax(z),   loss = mean(-log p[y]),  accuracy          the metrics our Trainer reports per step
    dz = (p - onehot(y)) / B                                     fused softmax + cross-entropy gradient
    dW2 = a.T @ dz,  db2 = sum(dz),  da = dz @ W2.T,  dh = da * (h > 0)
    dW1 = x.T @ dh,  db1 = sum(dh)
    W -= lr * dW,  b -= lr * db                                  plain SGD, in place
    (mlp-adam: Adam's update instead, as core/optim/adam.ts: m, v per parameter, bias-corrected)

Init: He, W ~ N(0, 2 / fan_in), biases 0 (the same family as our `he` init; the random streams differ).
Timing covers the epoch loop only (batch gathering included, as in ours); the median of `--repeats`
epochs is reported, each from fresh weights, after one warm-up epoch.

Threads: OpenBLAS reads OPENBLAS_NUM_THREADS when numpy is imported; `bench/run.ts` sets it (and the
OMP/MKL variants) to the thread count it reports. Output: one JSON line per net on stdout, e.g.
  {"impl": "numpy", "net": "seed", "samplesPerSec": ..., "epochSeconds": ..., "testAccuracy": ..., ...}
A net this reference does not know gets {"impl": "numpy", "net": ..., "skipped": why}.

Usage: python3 bench/numpy_reference.py DATA_DIR [--nets seed,mlp] [--repeats 3] [--seed 1]
"""

import json
import os
import statistics
import sys
import time

import numpy as np

import numpy_lenet
from reference_inputs import load_mnist, reference_parser

NETS = {
    # name: (hidden units or "lenet", batch size, learning rate, optimizer) -- the same nets as bench/nets.ts
    "seed": (10, 32, 0.03, "sgd"),
    "mlp": (128, 64, 0.1, "sgd"),
    "mlp-adam": (128, 64, 0.001, "adam"),
    "lenet": ("lenet", 64, 0.05, "sgd"),
}
ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON = 0.9, 0.999, 1e-8


def init_params(hidden, rng):
    if hidden == "lenet":
        return numpy_lenet.init_params(rng)

    def he(fan_in, fan_out):
        return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(np.float32)

    return [he(784, hidden), np.zeros(hidden, np.float32), he(hidden, 10), np.zeros(10, np.float32)]


def sgd(params, lr):
    """w <- w - lr * g, in place, for each (parameter, gradient) pair of a step."""
    lr = np.float32(lr)

    def update(grads):
        for w, g in zip(params, grads):
            w -= lr * g

    return update


def adam(params, lr):
    """Adam, in place: m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  w <- w - lr m^ / (sqrt(v^) + eps)."""
    moments = [np.zeros_like(w) for w in params]
    squares = [np.zeros_like(w) for w in params]
    t = 0

    def update(grads):
        nonlocal t
        t += 1
        step_size = np.float32(lr / (1 - ADAM_BETA1**t))
        root_c2 = np.float32(np.sqrt(1 - ADAM_BETA2**t))
        for w, g, m, v in zip(params, grads, moments, squares):
            m *= np.float32(ADAM_BETA1)
            m += np.float32(1 - ADAM_BETA1) * g
            v *= np.float32(ADAM_BETA2)
            v += np.float32(1 - ADAM_BETA2) * g * g
            w -= step_size * m / (np.sqrt(v) / root_c2 + np.float32(ADAM_EPSILON))

    return update


def softmax_cross_entropy(z, y):
    """Mean cross-entropy of softmax(z) against labels y, the batch accuracy, and
    dL/dz = (p - onehot(y)) / n. Overwrites z (the logits are not needed afterwards)."""
    n = len(y)
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    loss = float(-np.log(p[rows, y] + np.float32(1e-30)).mean())
    accuracy = float((p.argmax(axis=1) == y).mean())
    dz = p
    dz[rows, y] -= 1
    dz *= np.float32(1.0 / n)
    return loss, accuracy, dz


def train_epoch(params, x_train, y_train, batch, update, rng):
    """One epoch, in place; `update` applies the optimizer. Returns the last step's loss (so nothing is optimised away)."""
    if len(params) == 10:
        return train_epoch_lenet(params, x_train, y_train, batch, update, rng)
    W1, b1, W2, b2 = params
    order = rng.permutation(len(x_train))
    loss = 0.0
    for start in range(0, len(order), batch):
        idx = order[start : start + batch]
        x = x_train[idx]
        y = y_train[idx]
        h = x @ W1
        h += b1
        a = np.maximum(h, 0)
        z = a @ W2
        z += b2
        loss, _accuracy, dz = softmax_cross_entropy(z, y)
        dW2 = a.T @ dz
        db2 = dz.sum(axis=0)
        da = dz @ W2.T
        da *= h > 0
        dW1 = x.T @ da
        db1 = da.sum(axis=0)
        update([dW1, db1, dW2, db2])
    return loss


def train_epoch_lenet(params, x_train, y_train, batch, update, rng):
    """train_epoch for LeNet (numpy_lenet.py): the same loop, softmax and metrics."""
    order = rng.permutation(len(x_train))
    loss = 0.0
    for start in range(0, len(order), batch):
        idx = order[start : start + batch]
        y = y_train[idx]
        z, cache = numpy_lenet.forward(params, x_train[idx])
        loss, _accuracy, dz = softmax_cross_entropy(z, y)
        update(numpy_lenet.backward(params, cache, dz))
    return loss


def accuracy(params, x, y):
    if len(params) == 10:
        return float((numpy_lenet.logits(params, x).argmax(axis=1) == y).mean())
    W1, b1, W2, b2 = params
    z = np.maximum(x @ W1 + b1, 0) @ W2 + b2
    return float((z.argmax(axis=1) == y).mean())


def main():
    parser = reference_parser(__doc__.splitlines()[0])
    args = parser.parse_args()

    (x_train, y_train), (x_test, y_test) = load_mnist(args.data_dir)
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    for net in args.nets.split(","):
        if net not in NETS:
            print(json.dumps({"impl": "numpy", "net": net, "skipped": f"the numpy reference has no net {net!r}"}), flush=True)
            continue
        hidden, batch, lr, optimizer = NETS[net]
        optimizer = sgd if optimizer == "sgd" else adam
        # Warm-up: one epoch (page faults, BLAS thread pool start-up, numpy's first-call costs).
        warm = init_params(hidden, np.random.default_rng(1000 + args.seed))
        train_epoch(warm, x_train, y_train, batch, optimizer(warm, lr), np.random.default_rng(0))
        times, accuracies = [], []
        for r in range(args.repeats):
            rng = np.random.default_rng(args.seed + r)
            params = init_params(hidden, rng)
            update = optimizer(params, lr)
            t0 = time.perf_counter()
            train_epoch(params, x_train, y_train, batch, update, rng)
            times.append(time.perf_counter() - t0)
            accuracies.append(accuracy(params, x_test, y_test))
        seconds = statistics.median(times)
        print(
            json.dumps(
                {
                    "impl": "numpy",
                    "net": net,
                    "samplesPerSec": round(len(x_train) / seconds),
                    "epochSeconds": round(seconds, 4),
                    "testAccuracy": round(statistics.median(accuracies), 4),
                    "epochSecondsAll": [round(t, 4) for t in times],
                    "testAccuracyAll": [round(a, 4) for a in accuracies],
                    "threads": threads,
                    "numpy": np.__version__,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
