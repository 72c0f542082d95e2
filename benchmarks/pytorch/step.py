"""PyTorch side of `recurrent bench step`: one training step of a one-layer RNN/LSTM/GRU (batch-first [B, T, I]),
a Linear(H -> I) head on every step's output, MSE against a random [B, T, I] target, backward, Adam.

Run with Debian's python3-torch (PyTorch 1.13 CPU, OpenBLAS):
    /usr/bin/python3 benchmarks/pytorch/step.py [--threads 1 2] [--json]
Prints ms per step (median over about 2 s after a warm-up) for the sizes the issue names.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

SIZES = [  # (cell, B, I, H, T)
    ("lstm", 32, 5, 32, 40),
    ("lstm", 64, 128, 128, 100),
    ("lstm", 64, 512, 512, 100),
    ("gru", 64, 128, 128, 100),
    ("rnn", 64, 128, 128, 100),
]


def measure(cell, b, i, h, t, seconds=2.0):
    torch.manual_seed(1)
    rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell](i, h, batch_first=True)
    head = nn.Linear(h, i)
    opt = torch.optim.Adam(list(rnn.parameters()) + list(head.parameters()), lr=1e-3)
    x = torch.rand(b, t, i) * 2 - 1
    target = torch.rand(b, t, i) * 2 - 1
    loss_fn = nn.MSELoss()

    def step():
        opt.zero_grad()
        out, _ = rnn(x)
        loss = loss_fn(head(out), target)
        loss.backward()
        opt.step()
        return loss.item()

    start = time.perf_counter()
    n = 0
    while n < 5 or time.perf_counter() - start < min(1.0, seconds / 2):
        step()
        n += 1
    samples = []
    start = time.perf_counter()
    while len(samples) < 5 or time.perf_counter() - start < seconds:
        s = time.perf_counter()
        step()
        samples.append((time.perf_counter() - s) * 1e3)
    return statistics.median(samples)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", type=int, nargs="+", help="indices into SIZES (0 = small LSTM … 4 = RNN); default all")
    args = parser.parse_args()
    sizes = [SIZES[k] for k in args.only] if args.only else SIZES
    rows = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        for cell, b, i, h, t in sizes:
            ms = measure(cell, b, i, h, t, args.seconds)
            rows.append({"cell": cell, "batch": b, "input": i, "hidden": h, "seq_len": t, "threads": threads, "ms_per_step": round(ms, 3)})
            if not args.json:
                print(f"torch {torch.__version__} {cell} B={b} I={i} H={h} T={t} threads={threads}: {ms:.3f} ms/step", flush=True)
    if args.json:
        print(json.dumps(rows))
