"""PyTorch reference data for LossParityTests and OptimParityTests: every loss x reduction x mask in float64
(values and input gradients, scaled by an upstream gradient), SGD/Adam/AdamW step sequences, gradient clipping.

Run with Debian's python3-torch (PyTorch 1.13, CPU):  /usr/bin/python3 tests/reference/make_loss_parity.py
Writes tests/reference/data/loss_parity.json and optim_parity.json; floats via json (repr), so float64 round-trips.
A masked loss is computed from reduction='none' as sum(mask*l) / (sum(mask) * C) (cross-entropy: / sum(mask) over
the non-ignored rows): what PyTorch's own reduction gives on the selected rows when the mask is 0/1.
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
B, T, C = 3, 4, 5  # predictions [B, T, C], mask [B, T]


def entry(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def int_entry(t):
    return {"shape": list(t.shape), "data": [int(v) for v in t.reshape(-1).tolist()]}


def loss_case(kind, reduction, masked, ignore_index=-100):
    g = torch.Generator().manual_seed(sum(map(ord, f"{kind}{reduction}{masked}{ignore_index}")))
    x = torch.randn(B, T, C, dtype=torch.float64, generator=g)
    mask = torch.tensor([[1.0, 0.0, 0.5, 2.0], [0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 1.0, 0.0]], dtype=torch.float64)
    if kind == "bce":
        x = torch.sigmoid(x)
        x[0, 0, 0] = 0.0   # the clamped logs
        x[2, 1, 3] = 1.0
    if kind == "ce":
        target = torch.randint(0, C, (B, T), generator=g)
        target[0, 2] = ignore_index
        target[1, 3] = ignore_index
        target[2, 0] = ignore_index
    elif kind == "mse":
        target = torch.randn(B, T, C, dtype=torch.float64, generator=g)
    else:
        target = torch.rand(B, T, C, dtype=torch.float64, generator=g)
        target[1, 1, 1] = 1.0
        target[1, 1, 2] = 0.0
    x.requires_grad_(True)
    if kind == "ce":
        per = F.cross_entropy(x.reshape(-1, C), target.reshape(-1), ignore_index=ignore_index, reduction="none").reshape(B, T)
    else:
        fn = {"mse": F.mse_loss, "bce": F.binary_cross_entropy, "bce_logits": F.binary_cross_entropy_with_logits}[kind]
        per = fn(x, target, reduction="none")
    if masked:
        w = mask if kind == "ce" else mask[..., None]
        total = (w * per).sum()
        if reduction == "mean":
            denom = (mask * (target != ignore_index)).sum() if kind == "ce" else mask.sum() * C
            loss = total / denom
        else:
            loss = total
    else:
        # PyTorch's own reductions
        if kind == "ce":
            loss = F.cross_entropy(x.reshape(-1, C), target.reshape(-1), ignore_index=ignore_index, reduction=reduction)
        else:
            fn = {"mse": F.mse_loss, "bce": F.binary_cross_entropy, "bce_logits": F.binary_cross_entropy_with_logits}[kind]
            loss = fn(x, target, reduction=reduction)
    grad_output = torch.tensor(1.3, dtype=torch.float64)
    loss.backward(grad_output)
    name = f"{kind}_{reduction}_{'mask' if masked else 'nomask'}" + (f"_ignore{ignore_index}" if ignore_index != -100 else "")
    return name, {
        "kind": kind, "reduction": reduction, "masked": masked, "ignore_index": ignore_index,
        "input": entry(x), "target": int_entry(target) if kind == "ce" else entry(target),
        "mask": entry(mask), "grad_output": float(grad_output), "loss": float(loss), "grad_input": entry(x.grad),
    }


def optim_case(name, make_opt, steps=5, dtype=torch.float64):
    g = torch.Generator().manual_seed(sum(map(ord, name)))
    params = [torch.randn(7, dtype=dtype, generator=g).requires_grad_(True),
              torch.randn(3, 5, dtype=dtype, generator=g).requires_grad_(True)]
    initial = [entry(p) for p in params]
    opt = make_opt(params)
    grads, after = [], []
    for _ in range(steps):
        gs = [torch.randn(p.shape, dtype=dtype, generator=g) for p in params]
        for p, gr in zip(params, gs):
            p.grad = gr.clone()
        opt.step()
        grads.append([entry(gr) for gr in gs])
        after.append([entry(p) for p in params])
    state = {}
    for i, p in enumerate(params):
        st = opt.state[p]
        state[str(i)] = {k: entry(v) for k, v in st.items() if torch.is_tensor(v) and k != "step"}
    return name, {"initial": initial, "grads": grads, "after": after, "state": state}


def clip_case(name, max_norm, scale):
    g = torch.Generator().manual_seed(sum(map(ord, name)))
    params = [torch.zeros(7, dtype=torch.float64, requires_grad=True), torch.zeros(3, 5, dtype=torch.float64, requires_grad=True)]
    grads = [scale * torch.randn(p.shape, dtype=torch.float64, generator=g) for p in params]
    for p, gr in zip(params, grads):
        p.grad = gr.clone()
    norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
    clipped = [entry(p.grad) for p in params]
    for p, gr in zip(params, grads):
        p.grad = gr.clone()
    torch.nn.utils.clip_grad_value_(params, 0.5)
    return name, {"max_norm": max_norm, "grads": [entry(gr) for gr in grads], "norm": float(norm),
                  "clipped": clipped, "value_clipped": [entry(p.grad) for p in params]}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    losses = dict(loss_case(k, r, m) for k in ["mse", "bce", "bce_logits", "ce"] for r in ["mean", "sum"] for m in [False, True])
    losses.update(dict([loss_case("ce", "mean", True, ignore_index=3), loss_case("ce", "mean", False, ignore_index=3)]))
    with open(os.path.join(OUT, "loss_parity.json"), "w") as f:
        json.dump(losses, f)
    for n, c in losses.items():
        print(f"{n}: {c['loss']:.10f}")

    optim = dict([
        optim_case("sgd_nesterov", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
        optim_case("sgd_dampening", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, dampening=0.3)),
        optim_case("sgd_plain", lambda p: torch.optim.SGD(p, lr=0.05, weight_decay=0.1)),
        optim_case("adamw", lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1)),
        optim_case("adam_l2", lambda p: torch.optim.Adam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05)),
        clip_case("clip_big", 1.0, 3.0),
        clip_case("clip_small", 100.0, 1.0),
    ])
    with open(os.path.join(OUT, "optim_parity.json"), "w") as f:
        json.dump(optim, f)
    print("optim:", list(optim))
