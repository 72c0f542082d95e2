"""PyTorch reference data for RnnParityTests: outputs, final states and every gradient of RNN, LSTM (also with
proj_size) and GRU — 2 layers, bidirectional, odd sizes, variable lengths — plus 10 Adam steps of a small model.

Run with Debian's python3-torch (PyTorch 1.13, CPU):  /usr/bin/python3 tests/reference/make_rnn_parity.py
Writes tests/reference/data/*.json: every float written with repr(), so float64 values round-trip exactly.
"""
import json
import os

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
INPUT, HIDDEN, LAYERS, STEPS, BATCH = 4, 5, 2, 7, 3
LENGTHS = [7, 2, 5]  # unsorted on purpose: enforce_sorted=False


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def tensor_entry(t):
    return {"shape": list(t.shape), "data": flat(t)}


def make_case(name, cls, lengths, batch_first=False, **kwargs):
    torch.manual_seed(sum(map(ord, name)))  # stable across runs (hash() is salted)
    model = cls(INPUT, HIDDEN, num_layers=LAYERS, bidirectional=True, batch_first=batch_first, **kwargs).double()
    dirs = 2
    out_h = kwargs.get("proj_size", 0) or HIDDEN
    x = torch.randn((BATCH, STEPS, INPUT) if batch_first else (STEPS, BATCH, INPUT), dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(LAYERS * dirs, BATCH, out_h, dtype=torch.float64, requires_grad=True)
    is_lstm = cls is nn.LSTM
    c0 = torch.randn(LAYERS * dirs, BATCH, HIDDEN, dtype=torch.float64, requires_grad=True) if is_lstm else None
    state = (h0, c0) if is_lstm else h0

    if lengths is not None:
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=False)
        out_packed, final = model(packed, state)
        out, _ = pad_packed_sequence(out_packed, batch_first=batch_first, total_length=STEPS)
    else:
        out, final = model(x, state)
    h_n, c_n = final if is_lstm else (final, None)

    w_out = torch.randn_like(out)
    w_h = torch.randn_like(h_n)
    loss = (out * w_out).sum() + (h_n * w_h).sum()
    w_c = None
    if is_lstm:
        w_c = torch.randn_like(c_n)
        loss = loss + (c_n * w_c).sum()
    loss.backward()

    case = {
        "name": name,
        "cell": {nn.RNN: "rnn", nn.LSTM: "lstm", nn.GRU: "gru"}[cls],
        "input_size": INPUT, "hidden_size": HIDDEN, "num_layers": LAYERS, "bidirectional": True,
        "batch_first": batch_first, "proj_size": kwargs.get("proj_size", 0),
        "nonlinearity": kwargs.get("nonlinearity", "tanh"),
        "lengths": lengths,
        "x": tensor_entry(x), "h0": tensor_entry(h0),
        "w_out": tensor_entry(w_out), "w_h": tensor_entry(w_h),
        "output": tensor_entry(out), "h_n": tensor_entry(h_n),
        "grad_x": tensor_entry(x.grad), "grad_h0": tensor_entry(h0.grad),
        "loss": float(loss),
        "parameters": {n: tensor_entry(p) for n, p in model.named_parameters()},
        "grads": {n: tensor_entry(p.grad) for n, p in model.named_parameters()},
    }
    if is_lstm:
        case.update({"c0": tensor_entry(c0), "w_c": tensor_entry(w_c), "c_n": tensor_entry(c_n), "grad_c0": tensor_entry(c0.grad)})
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(case, f)
    print(f"{name}: loss {float(loss):.6f}")


def make_adam_case():
    """10 Adam steps of LSTM(5→8) + Linear(8→5) on MSE, float32, the copy-delay model at a small size."""
    torch.manual_seed(7)
    lstm = nn.LSTM(5, 8, batch_first=True)
    head = nn.Linear(8, 5)
    params = {f"lstm.{n}": p for n, p in lstm.named_parameters()}
    params.update({f"fc.{n}": p for n, p in head.named_parameters()})
    initial = {n: tensor_entry(p) for n, p in params.items()}
    x = torch.randn(4, 6, 5)
    target = torch.randn(4, 6, 5)
    opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=0.01)
    losses = []
    for _ in range(10):
        opt.zero_grad()
        out, _ = lstm(x)
        loss = nn.functional.mse_loss(head(out), target)
        loss.backward()
        opt.step()
        losses.append(float(loss))
    case = {"name": "adam_lstm", "x": tensor_entry(x), "target": tensor_entry(target), "lr": 0.01,
            "initial": initial, "losses": losses, "final": {n: tensor_entry(p) for n, p in params.items()}}
    with open(os.path.join(OUT, "adam_lstm.json"), "w") as f:
        json.dump(case, f)
    print("adam_lstm:", losses)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    for lengths, tag in [(LENGTHS, "packed"), (None, "full")]:
        make_case(f"rnn_tanh_{tag}", nn.RNN, lengths)
        make_case(f"rnn_relu_{tag}", nn.RNN, lengths, nonlinearity="relu")
        make_case(f"lstm_{tag}", nn.LSTM, lengths)
        make_case(f"lstm_proj_{tag}", nn.LSTM, lengths, proj_size=3)
        make_case(f"gru_{tag}", nn.GRU, lengths)
    make_case("lstm_batch_first_packed", nn.LSTM, LENGTHS, batch_first=True)
    make_case("gru_batch_first_full", nn.GRU, None, batch_first=True)
    make_adam_case()
