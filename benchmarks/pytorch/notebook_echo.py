"""Seed 004 §3 (echo: RNN vs LSTM on sequences of 50 bits) as the notebook runs it, over several seeds, timed, as JSON.

    /usr/bin/python3 benchmarks/pytorch/notebook_echo.py [--seeds 5] [--threads 1]

The notebook's code (EchoDataset 2000/500 × 50, EchoRNN/EchoLSTM hidden 16, train_echo epochs=20 lr=1e-2) with a
seed loop, a timer and JSON output added; printing per epoch removed. Compare with `recurrent run echo --runs 5`.
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class EchoDataset(Dataset):
    def __init__(self, n_sequences=2000, seq_len=50):
        self.data = np.random.randint(0, 2, size=(n_sequences, seq_len)).astype(np.float32)
        self.targets = self.data[:, 0]

    def __len__(self):
        return len(self.data)

    def __getitem__(self, idx):
        return torch.tensor(self.data[idx]).unsqueeze(-1), torch.tensor(self.targets[idx])


class EchoRNN(nn.Module):
    def __init__(self, hidden_dim=16):
        super().__init__()
        self.rnn = nn.RNN(input_size=1, hidden_size=hidden_dim, batch_first=True)
        self.fc = nn.Linear(hidden_dim, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return torch.sigmoid(self.fc(out[:, -1, :]))


class EchoLSTM(nn.Module):
    def __init__(self, hidden_dim=16):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden_dim, batch_first=True)
        self.fc = nn.Linear(hidden_dim, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return torch.sigmoid(self.fc(out[:, -1, :]))


def train_echo(model, train_loader, test_loader, epochs=20, lr=1e-2):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.BCELoss()
    test_acc = 0.0
    for _ in range(epochs):
        model.train()
        for xb, yb in train_loader:
            yb = yb.unsqueeze(-1)
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
        model.eval()
        correct = total = 0
        with torch.no_grad():
            for xb, yb in test_loader:
                yb = yb.unsqueeze(-1)
                correct += ((model(xb) > 0.5).float() == yb).sum().item()
                total += yb.size(0)
        test_acc = correct / total
    return test_acc


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    rows = []
    start = time.perf_counter()
    for seed in range(a.seeds):
        np.random.seed(seed)
        torch.manual_seed(seed)
        train = DataLoader(EchoDataset(2000, 50), batch_size=64, shuffle=True)
        test = DataLoader(EchoDataset(500, 50), batch_size=64, shuffle=False)
        rows.append({"seed": seed, "model": "rnn", "test_accuracy": train_echo(EchoRNN(16), train, test)})
        rows.append({"seed": seed, "model": "lstm", "test_accuracy": train_echo(EchoLSTM(16), train, test)})
    print(json.dumps({"seconds": time.perf_counter() - start, "threads": a.threads, "runs": rows}))
