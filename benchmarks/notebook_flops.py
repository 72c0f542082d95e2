"""Multiply-adds of the short notebooks' own work, and what they cost at this machine's best speed.

    python3 benchmarks/notebook_flops.py [--gflops 200]

The floor of `recurrent run NAME --runs 5` against the notebook's 10× bar (benchmarks/RESULTS.md, "The floor of the
short notebooks"): only the products of the recurrent layers and heads are counted (forward, and backward as dH, dW_hh,
dW_ih and, below another layer, dX), for the training the notebook does, 5 seeds, every model it compares. Gate math,
losses and Adam are left out, so the time is a lower bound. --gflops is two cores at SGEMM speed (1024³, measured
170–207 GFLOP/s with 2 threads, RESULTS.md "SGEMM against OpenBLAS").
"""
import argparse


def recurrent_layer(gates, batch, steps, inputs, hidden, input_gradient):
    """Multiply-adds of one layer's forward and backward over a batch (gates = H, 4H or 3H wide)."""
    forward = batch * steps * gates * (inputs + hidden)
    backward = batch * steps * gates * (hidden + hidden + inputs + (inputs if input_gradient else 0))
    return forward + backward


def head(batch, rows_per_example, hidden, outputs):
    """Linear(H → O): forward, dW and dX."""
    return 3 * batch * rows_per_example * hidden * outputs


def first_token():
    # Seed 000: X [1000, 20, 1], 20 full-batch epochs, RNN(16) and LSTM(16), head on the last step.
    per_epoch = sum(recurrent_layer(g, 1000, 20, 1, 16, False) + head(1000, 1, 16, 1) for g in (16, 64))
    return 20 * per_epoch


def mean_stacked():
    # Seed 003: X [1000, 20, 1], 100 full-batch epochs, RNN(16) with 1 layer and with 2.
    single = recurrent_layer(16, 1000, 20, 1, 16, False)
    stacked = recurrent_layer(16, 1000, 20, 1, 16, False) + recurrent_layer(16, 1000, 20, 16, 16, True)
    return 100 * (single + stacked + 2 * head(1000, 1, 16, 1))


def char_lstm():
    # Seeds 002/004: 73 windows of 40 characters a epoch, 20 epochs, Embedding(30, 32) → RNN(64) and LSTM(64) →
    # Linear(64, 30) on every step (the embedding's gradient is a dX of the layer).
    per_epoch = sum(recurrent_layer(g, 73, 40, 32, 64, True) + head(73, 40, 64, 30) for g in (64, 256))
    return 20 * per_epoch


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--gflops", type=float, default=200.0)
    args = parser.parse_args()
    for name, macs in (("first-token", first_token()), ("mean-stacked", mean_stacked()), ("char-lstm", char_lstm())):
        flops = 2 * 5 * macs  # 5 seeds, 2 FLOPs a multiply-add
        print(f"{name:13s} {flops / 1e9:6.1f} GFLOP   {flops / (args.gflops * 1e9):5.2f} s at {args.gflops:.0f} GFLOP/s")
