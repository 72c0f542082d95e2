"""Seed 003 (predict the mean of a sequence: single-layer vs stacked RNN) as the notebook runs it, over seeds, timed, as JSON.

    /usr/bin/python3 benchmarks/pytorch/notebook_mean_stacked.py [--seeds 5] [--threads 1] [--hidden 16]

The notebook's code (generate_data(seq_length=20, num_samples=1000), SingleLayerRNN, StackedRNN(num_layers=2),
train(model, X, y, epochs=100, lr=0.01): full-batch Adam on MSE) with a seed loop, a timer and JSON output added.
The notebook never shows the cell that builds the models, so hidden_size is not known; 16 here, as `recurrent`'s
default. Both models train on the same X_train (the notebook's figure compares them on one data set). Added, to
compare with `recurrent run mean-stacked --runs 5`'s test_mse: a fresh test set from generate_data, scored after
training. final_loss is the notebook's losses[-1] (the loss of the last epoch, before its step).
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim


def generate_data(seq_length=20, num_samples=1000):
    X = np.random.rand(num_samples, seq_length, 1)  # Random sequences
    y = X.mean(axis=1)  # Target: mean of sequence
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)


class SingleLayerRNN(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super(SingleLayerRNN, self).__init__()
        self.rnn = nn.RNN(input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        out, _ = self.rnn(x)
        out = self.fc(out[:, -1, :])  # Using the last time-step output
        return out


class StackedRNN(nn.Module):
    def __init__(self, input_size, hidden_size, output_size, num_layers=2):
        super(StackedRNN, self).__init__()
        self.rnn = nn.RNN(input_size, hidden_size, num_layers=num_layers, batch_first=True)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        out, _ = self.rnn(x)
        out = self.fc(out[:, -1, :])  # Using the last time-step output
        return out


def train(model, X_train, y_train, epochs=100, lr=0.01):
    criterion = nn.MSELoss()
    optimizer = optim.Adam(model.parameters(), lr=lr)
    losses = []

    for epoch in range(epochs):
        optimizer.zero_grad()
        output = model(X_train)
        loss = criterion(output, y_train)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

    return losses


def test_mse(model, X_test, y_test):
    with torch.no_grad():
        return nn.MSELoss()(model(X_test), y_test).item()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--hidden", type=int, default=16)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    rows = []
    start = time.perf_counter()
    for seed in range(a.seeds):
        np.random.seed(seed)
        torch.manual_seed(seed)
        X_train, y_train = generate_data()
        X_test, y_test = generate_data()
        single = SingleLayerRNN(1, a.hidden, 1)
        single_losses = train(single, X_train, y_train, epochs=100, lr=0.01)
        stacked = StackedRNN(1, a.hidden, 1, num_layers=2)
        stacked_losses = train(stacked, X_train, y_train, epochs=100, lr=0.01)
        for depth, model, losses in (("single", single, single_losses), ("stacked", stacked, stacked_losses)):
            rows.append({"seed": seed, "depth": depth, "final_loss": losses[-1], "test_mse": test_mse(model, X_test, y_test),
                         "test_mse_constant": y_test.var(unbiased=False).item()})
    print(json.dumps({"seconds": time.perf_counter() - start, "threads": a.threads, "runs": rows}))
