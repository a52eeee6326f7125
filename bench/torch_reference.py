#!/usr/bin/env python3
"""The PyTorch CPU reference for `npm run bench`: the same nets, written as a learner would write them.

What a learner would use instead of our engine: torch.nn layers, torch.optim, autograd. One epoch over
the 60 000 MNIST training images per timed run, float32, the whole training set normalised to [0, 1]
once into a tensor before the clock starts, each minibatch taken from a seeded random permutation by
indexing (faster than a DataLoader, so PyTorch at its best). Per step, what our engine does per step:

    logits = model(x);  loss = cross_entropy(logits, y);  accuracy = mean(argmax(logits) == y)
    optimizer.zero_grad();  loss.backward();  optimizer.step()

Init: He (kaiming_normal_, fan_in, ReLU) weights and zero biases, as the numpy reference and our `he`.
Threads: each net runs with torch.set_num_threads(1) and then (2), each after an untimed warm-up epoch;
both are reported, bench/run.ts compares with the better one. NOTE: on a shared 2-core machine two
PyTorch threads can collapse by 10-50x while another process holds a core (they spin): when a warm-up
epoch runs past COLLAPSE times the best epoch already measured, it is cut short and that thread count
is reported as skipped, with the reason. Output: one JSON line per net and thread
count on stdout, e.g.
  {"impl": "pytorch", "net": "mlp", "threads": 1, "samplesPerSec": ..., "epochSeconds": ..., "testAccuracy": ..., ...}
A net this reference does not know gets {"impl": "pytorch", "net": ..., "skipped": why}.

Usage: python bench/torch_reference.py DATA_DIR [--nets seed,mlp,mlp-adam,lenet] [--repeats 3] [--seed 1] [--threads 1,2]
"""

import json
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

from reference_inputs import load_mnist, reference_parser

# name: (model, batch size, learning rate, optimizer) -- the same nets as bench/nets.ts. A model is
# the hidden width of a 784-h-10 MLP, or "lenet". To add a net, add its model to build_model and its row
# here and in bench/nets.ts.
NETS = {
    "seed": (10, 32, 0.03, "sgd"),
    "mlp": (128, 64, 0.1, "sgd"),
    "mlp-adam": (128, 64, 0.001, "adam"),
    "lenet": ("lenet", 64, 0.05, "sgd"),
}
COLLAPSE = 5


def build_model(hidden):
    if hidden == "lenet":
        # LeNet-5 as our `lenet` preset: conv 5x5x6 same, pool, conv 5x5x16 valid, pool, 120, 84, 10.
        model = nn.Sequential(
            nn.Unflatten(1, (1, 28, 28)),
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
        )
    else:
        model = nn.Sequential(nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
    return model


def build_optimizer(kind, params, lr):
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr)
    return torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8)


def train_epoch(model, optimizer, x_train, y_train, batch, generator, deadline=None):
    """One epoch. Returns the last step's loss and accuracy (read each step, as our trainer reports them),
    or None when time.perf_counter() passes `deadline` first."""
    order = torch.randperm(len(x_train), generator=generator)
    loss_fn = nn.CrossEntropyLoss()
    loss = accuracy = 0.0
    for step, start in enumerate(range(0, len(order), batch)):
        if deadline is not None and step % 50 == 0 and time.perf_counter() > deadline:
            return None
        idx = order[start : start + batch]
        x, y = x_train[idx], y_train[idx]
        logits = model(x)
        step_loss = loss_fn(logits, y)
        optimizer.zero_grad(set_to_none=True)
        step_loss.backward()
        optimizer.step()
        loss = step_loss.item()
        accuracy = (logits.argmax(1) == y).float().mean().item()
    return loss, accuracy


@torch.no_grad()
def test_accuracy(model, x, y):
    return (model(x).argmax(1) == y).float().mean().item()


def measure(net, threads, data, repeats, seed, best_so_far):
    (x_train, y_train), (x_test, y_test) = data
    hidden, batch, lr, kind = NETS[net]
    torch.set_num_threads(threads)

    def fresh(run_seed):
        torch.manual_seed(run_seed)
        model = build_model(hidden)
        return model, build_optimizer(kind, model.parameters(), lr), torch.Generator().manual_seed(run_seed)

    model, optimizer, generator = fresh(1000 + seed)  # warm-up: thread pool, allocator, first calls
    t0 = time.perf_counter()
    deadline = None if best_so_far is None else t0 + COLLAPSE * best_so_far
    if train_epoch(model, optimizer, x_train, y_train, batch, generator, deadline) is None:
        why = f"{threads} threads collapsed (a warm-up epoch past {COLLAPSE}x the {best_so_far:.2f} s of the best): the machine is busy"
        return {"impl": "pytorch", "net": net, "threads": threads, "skipped": why}
    times, accuracies = [], []
    for r in range(repeats):
        model, optimizer, generator = fresh(seed + r)
        t0 = time.perf_counter()
        train_epoch(model, optimizer, x_train, y_train, batch, generator)
        times.append(time.perf_counter() - t0)
        accuracies.append(test_accuracy(model, x_test, y_test))
    seconds = statistics.median(times)
    return {
        "impl": "pytorch",
        "net": net,
        "threads": threads,
        "samplesPerSec": round(len(x_train) / seconds),
        "epochSeconds": round(seconds, 4),
        "testAccuracy": round(statistics.median(accuracies), 4),
        "epochSecondsAll": [round(t, 4) for t in times],
        "testAccuracyAll": [round(a, 4) for a in accuracies],
        "torch": torch.__version__,
    }


def main():
    parser = reference_parser(__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,2")
    args = parser.parse_args()

    torch.set_num_interop_threads(1)
    data = [tuple(torch.from_numpy(array) for array in part) for part in load_mnist(args.data_dir)]
    for net in args.nets.split(","):
        if net not in NETS:
            print(json.dumps({"impl": "pytorch", "net": net, "skipped": f"the PyTorch reference has no net {net!r}"}), flush=True)
            continue
        best = None
        for threads in (int(t) for t in args.threads.split(",")):
            result = measure(net, threads, data, args.repeats, args.seed, best)
            print(json.dumps(result), flush=True)
            if "epochSeconds" in result:
                best = min(best or result["epochSeconds"], result["epochSeconds"])


if __name__ == "__main__":
    sys.exit(main())
