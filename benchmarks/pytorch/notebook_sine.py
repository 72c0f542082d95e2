"""Seed 004 §2 (noisy sine, next-step prediction) as the notebook runs it, over several seeds, timed, as JSON.

    /usr/bin/python3 benchmarks/pytorch/notebook_sine.py [--seeds 5] [--threads 1]

The notebook's code (1000 samples, noise 0.1, windows of 50, 80/20 split in order, SineLSTM hidden 32, Adam 1e-3,
batch 32, 15 epochs) with a seed loop, a timer and JSON output added; the notebook trains the LSTM only, and so do we
here. Compare with `recurrent run sine --runs 5 --models lstm` (test_mse is the last epoch's test loss).
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


def generate_sine_data(n_samples=1000, noise_std=0.1):
    x = np.linspace(0, 40 * np.pi, n_samples)
    return np.sin(x) + noise_std * np.random.randn(n_samples)


def create_sequences(series, seq_len=50):
    X = np.array([series[i:i + seq_len] for i in range(len(series) - seq_len)], dtype=np.float32)
    Y = np.array([series[i + seq_len] for i in range(len(series) - seq_len)], dtype=np.float32)
    return X, Y


class SineDataset(Dataset):
    def __init__(self, X, Y):
        self.X, self.Y = X, Y

    def __len__(self):
        return len(self.X)

    def __getitem__(self, idx):
        return torch.tensor(self.X[idx]).unsqueeze(-1), torch.tensor(self.Y[idx])


class SineLSTM(nn.Module):
    def __init__(self, hidden_dim=32, num_layers=1):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden_dim, num_layers=num_layers, batch_first=True)
        self.fc = nn.Linear(hidden_dim, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1, :])


def run(seed):
    np.random.seed(seed)
    torch.manual_seed(seed)
    X, Y = create_sequences(generate_sine_data(), 50)
    split = int(0.8 * len(X))
    train = DataLoader(SineDataset(X[:split], Y[:split]), batch_size=32, shuffle=True)
    test = DataLoader(SineDataset(X[split:], Y[split:]), batch_size=32, shuffle=False)
    model = SineLSTM(32)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.MSELoss()
    test_loss = 0.0
    for _ in range(15):
        model.train()
        for xb, yb in train:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb.unsqueeze(-1))
            loss.backward()
            optimizer.step()
        model.eval()
        running = 0.0
        with torch.no_grad():
            for xb, yb in test:
                running += criterion(model(xb), yb.unsqueeze(-1)).item() * xb.size(0)
        test_loss = running / len(test.dataset)
    return test_loss


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    start = time.perf_counter()
    rows = [{"seed": s, "model": "lstm", "test_mse": run(s)} for s in range(a.seeds)]
    print(json.dumps({"seconds": time.perf_counter() - start, "threads": a.threads, "runs": rows}))
