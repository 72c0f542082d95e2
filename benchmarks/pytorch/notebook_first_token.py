"""Seed 000 (first-token) exactly as the notebook runs it, timed, over several seeds, as JSON.

    /usr/bin/python3 benchmarks/pytorch/notebook_first_token.py [--seeds 5] [--threads 1]

The notebook's code with only a seed loop, a timer, a test set (the same 1000 fresh sequences for both models,
to compare with `recurrent run first-token`'s test_accuracy) and JSON output added.
"""
import argparse
import json
import time

import torch
import torch.nn as nn


def generate_data(n=1000, seq_len=20):
    X = torch.randint(0, 2, (n, seq_len)).float()
    y = X[:, 0]
    return X.unsqueeze(-1), y


class RNNModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(input_size=1, hidden_size=16, batch_first=True)
        self.fc = nn.Linear(16, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return torch.sigmoid(self.fc(out[:, -1, :]))


class LSTMModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=16, batch_first=True)
        self.fc = nn.Linear(16, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return torch.sigmoid(self.fc(out[:, -1, :]))


def train_model(model, X, y, epochs=20):
    loss_fn = nn.BCELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    losses = []
    for _ in range(epochs):
        pred = model(X).squeeze()
        loss = loss_fn(pred, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    rows = []
    start = time.perf_counter()
    for seed in range(a.seeds):
        torch.manual_seed(seed)
        X, y = generate_data()
        Xt, yt = generate_data()
        for name, cls in [("rnn", RNNModel), ("lstm", LSTMModel)]:
            model = cls()
            losses = train_model(model, X, y)
            with torch.no_grad():
                acc = ((model(Xt).squeeze() > 0.5).float() == yt).float().mean().item()
            rows.append({"seed": seed, "model": name, "final_loss": losses[-1], "test_accuracy": acc})
    print(json.dumps({"seconds": time.perf_counter() - start, "threads": a.threads, "runs": rows}))
