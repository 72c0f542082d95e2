"""Seed 004 §4 (palindrome, uni vs bidirectional RNN) as the notebook runs it, over several seeds, timed, as JSON.

    /usr/bin/python3 benchmarks/pytorch/notebook_palindrome.py [--seeds 5] [--threads 1]

The notebook's code (datasets, models, train_palindrome with epochs=15, lr=1e-2) with a seed loop, a timer and JSON
output added; printing per epoch removed. Compare with `recurrent run palindrome --runs 5`.
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class PalindromeDataset(Dataset):
    def __init__(self, n_samples=2000, seq_len=5):
        self.n_samples = n_samples
        self.seq_len = seq_len
        self.data, self.labels = self._generate()

    def _generate(self):
        data, labels = [], []
        for _ in range(self.n_samples):
            if np.random.rand() < 0.5:
                half = np.random.randint(0, 10, size=(self.seq_len // 2,))
                if self.seq_len % 2 == 1:
                    middle = np.random.randint(0, 10, size=(1,))
                    seq = np.concatenate([half, middle, half[::-1]])
                else:
                    seq = np.concatenate([half, half[::-1]])
                label = 1
            else:
                seq = np.random.randint(0, 10, size=(self.seq_len,))
                if np.all(seq == seq[::-1]):
                    seq[0] = (seq[0] + 1) % 10
                label = 0
            data.append(seq)
            labels.append(label)
        return np.array(data, dtype=np.int64), np.array(labels, dtype=np.int64)

    def __len__(self):
        return self.n_samples

    def __getitem__(self, idx):
        return torch.tensor(self.data[idx]), torch.tensor(self.labels[idx])


class UniRNNClassifier(nn.Module):
    def __init__(self, vocab_size=10, embed_dim=8, hidden_dim=16):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.rnn = nn.RNN(embed_dim, hidden_dim, batch_first=True)
        self.fc = nn.Linear(hidden_dim, 1)

    def forward(self, x):
        out, _ = self.rnn(self.embed(x))
        return torch.sigmoid(self.fc(out[:, -1, :]))


class BiRNNClassifier(nn.Module):
    def __init__(self, vocab_size=10, embed_dim=8, hidden_dim=16):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.rnn = nn.RNN(embed_dim, hidden_dim, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(hidden_dim * 2, 1)

    def forward(self, x):
        out, _ = self.rnn(self.embed(x))
        return torch.sigmoid(self.fc(out[:, -1, :]))  # the notebook's "concat of forward/backward hidden states"


def train_palindrome(model, train_loader, test_loader, epochs=15, lr=1e-2):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.BCELoss()
    test_acc = 0.0
    for _ in range(epochs):
        model.train()
        for xb, yb in train_loader:
            yb = yb.unsqueeze(-1).float()
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
        model.eval()
        correct = total = 0
        with torch.no_grad():
            for xb, yb in test_loader:
                yb = yb.unsqueeze(-1).float()
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
        train = DataLoader(PalindromeDataset(3000, 7), batch_size=64, shuffle=True)
        test = DataLoader(PalindromeDataset(1000, 7), batch_size=64, shuffle=False)
        rows.append({"seed": seed, "model": "uni", "test_accuracy": train_palindrome(UniRNNClassifier(), train, test)})
        rows.append({"seed": seed, "model": "bi", "test_accuracy": train_palindrome(BiRNNClassifier(), train, test)})
    print(json.dumps({"seconds": time.perf_counter() - start, "threads": a.threads, "runs": rows}))
