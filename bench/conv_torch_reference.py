"""PyTorch CPU timings of the layers bench/conv-kernels.ts times, and of a whole LeNet training step.

The speed reference a learner would otherwise use: the same shapes (batch 64, float32), each kernel on
its own (forward with its ReLU, input gradient, weight + bias gradient, max-pool forward and backward,
through the same ATen operators autograd calls), at 1 thread (CPU time, as bench/conv-kernels.ts) and 2
threads (wall-clock time), median and best of repeats.

    python3 bench/conv_torch_reference.py [--threads 1,2] [--json]

Needs `pip install torch` (CPU build). Numbers only, never pass/fail. On a shared machine two threads
can be much slower than one: report both and say the load.
"""

import argparse
import json
import os
import statistics
import time

import torch
import torch.nn.functional as F

B = 64

# (name, C, H, O, k, stride, padding, input gradient?) as in bench/conv-kernels.ts
CONVS = [
    ("LeNet conv1 1→6 5×5 same 28×28", 1, 28, 6, 5, 1, 2, False),
    ("LeNet conv2 6→16 5×5 14×14→10×10", 6, 14, 16, 5, 1, 0, True),
    ("CNN 1→32 3×3 same 28×28", 1, 28, 32, 3, 1, 1, False),
    ("CNN 32→64 3×3 stride 2 28×28→14×14", 32, 28, 64, 3, 2, 1, True),
]
POOLS = [("LeNet pool1 6×28×28", 6, 28), ("LeNet pool2 16×10×10", 16, 10)]


CLOCK = time.perf_counter


def timed(fn, rounds=30, target_s=0.005):
    """Median and best microseconds per call over rounds of CLOCK, after a warm-up."""
    for _ in range(5):
        fn()
    start = CLOCK()
    calls = 0
    while CLOCK() - start < 0.1:
        fn()
        calls += 1
    per_round = max(1, int(calls * target_s / 0.1))
    samples = []
    for _ in range(rounds):
        t = CLOCK()
        for _ in range(per_round):
            fn()
        samples.append((CLOCK() - t) * 1e6 / per_round)
    return statistics.median(samples), min(samples)


def conv_rows():
    rows = []
    for name, C, H, O, k, s, p, input_grad in CONVS:
        x = torch.rand(B, C, H, H)
        w = torch.randn(O, C, k, k) * 0.2
        b = torch.randn(O) * 0.1
        y = F.conv2d(x, w, b, stride=s, padding=p)
        dy = torch.randn_like(y) * 1e-3

        def backward(mask):
            return lambda: torch.ops.aten.convolution_backward(
                dy, x, w, [O], [s, s], [p, p], [1, 1], False, [0, 0], 1, mask
            )

        rows.append((f"{name} forward (+ReLU)", timed(lambda: F.relu_(F.conv2d(x, w, b, stride=s, padding=p)))))
        if input_grad:
            rows.append((f"{name} input gradient", timed(backward([True, False, False]))))
        rows.append((f"{name} weight gradient", timed(backward([False, True, True]))))
        if name.startswith("LeNet conv1"):
            pool_rows(rows, POOLS[0])
        if name.startswith("LeNet conv2"):
            pool_rows(rows, POOLS[1])
    return rows


def pool_rows(rows, pool):
    name, C, H = pool
    x = torch.rand(B, C, H, H)
    y, indices = torch.ops.aten.max_pool2d_with_indices(x, [2, 2], [2, 2])
    dy = torch.randn_like(y)
    rows.append((f"{name} forward", timed(lambda: torch.ops.aten.max_pool2d_with_indices(x, [2, 2], [2, 2]))))
    rows.append(
        (
            f"{name} backward",
            timed(
                lambda: torch.ops.aten.max_pool2d_with_indices_backward(
                    dy, x, [2, 2], [2, 2], [0, 0], [1, 1], False, indices
                )
            ),
        )
    )


def lenet_step():
    """One SGD step of LeNet (conv 5×5×6 same, pool, conv 5×5×16, pool, 120, 84, 10), batch 64."""
    torch.manual_seed(1)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 6, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(400, 120), torch.nn.ReLU(), torch.nn.Linear(120, 84), torch.nn.ReLU(),
        torch.nn.Linear(84, 10),
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    x = torch.rand(B, 1, 28, 28) * (torch.rand(B, 1, 28, 28) < 0.19)  # MNIST's sparsity, for show
    labels = torch.randint(0, 10, (B,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), labels).backward()
        optimizer.step()

    return ("whole LeNet SGD step (forward, backward, update)", timed(step, rounds=20, target_s=0.02))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {}
    global CLOCK
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        # CPU time on one thread (other processes' turns on a shared machine are not counted, as in
        # bench/conv-kernels.ts); wall-clock time on more, since CPU time would add the threads up
        CLOCK = time.process_time if threads == 1 else time.perf_counter
        rows = conv_rows() + [lenet_step()]
        results[threads] = rows
    if args.json:
        for threads, rows in results.items():
            for name, (med, best) in rows:
                print(json.dumps({"kernel": name, "threads": threads, "medianMicros": med, "bestMicros": best}))
        return
    print(
        f"PyTorch {torch.__version__} CPU, batch {B}: µs per call, median (best); 1 thread: CPU time, "
        f"more: wall-clock; load {os.getloadavg()[0]:.1f}"
    )
    names = [name for name, _ in next(iter(results.values()))]
    header = "kernel".ljust(52) + "".join(f"{t} thread{'s' if t > 1 else ''}".rjust(20) for t in results)
    print(header)
    for i, name in enumerate(names):
        cells = "".join(f"{results[t][i][1][0]:10.1f} ({results[t][i][1][1]:7.1f})" for t in results)
        print(name.ljust(52) + cells)


if __name__ == "__main__":
    main()
