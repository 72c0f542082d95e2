"""Seed 001 (copy-delay) exactly as the notebook runs it (delays 1..29 step 4, 5 runs, both models), timed, as JSON.

    /usr/bin/python3 benchmarks/pytorch/notebook_copy_delay.py [--threads 1] [--delays 1 5 9 ...] [--runs 5]

The notebook's code with only a seed, a timer, per-run accuracies kept and JSON output added.
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

input_size = 5
hidden_size = 32
output_size = input_size
batch_size = 32
learning_rate = 0.01
max_epochs = 15
patience = 3
device = 'cpu'


def generate_batch_delay(batch_size, delay, input_size):
    seq_len = delay * 2
    seq = torch.zeros(batch_size, seq_len, input_size)
    seq[:, :delay, :] = (torch.rand(batch_size, delay, input_size) > 0.5).float()
    target = torch.zeros_like(seq)
    target[:, delay:, :] = seq[:, :delay, :]
    return seq.to(device), target.to(device), seq_len


class VanillaRNN(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.rnn = nn.RNN(input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out)


class LSTMModel(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.lstm = nn.LSTM(input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out)


def binary_accuracy(output, target):
    preds = (torch.sigmoid(output) > 0.5).float()
    return (preds == target).float().mean().item()


def train_for_delay_early_stopping(model, delay):
    criterion = nn.BCEWithLogitsLoss()
    optimizer = optim.Adam(model.parameters(), lr=learning_rate)
    best_val_loss = float('inf')
    epochs_no_improve = 0
    best_model_state = None
    for epoch in range(max_epochs):
        model.train()
        for _ in range(100):
            seq_in, seq_target, _ = generate_batch_delay(batch_size, delay, input_size)
            optimizer.zero_grad()
            output = model(seq_in)
            loss = criterion(output[:, delay:, :], seq_target[:, delay:, :])
            loss.backward()
            optimizer.step()
        model.eval()
        val_loss = 0.0
        with torch.no_grad():
            for _ in range(20):
                seq_in, seq_target, _ = generate_batch_delay(batch_size, delay, input_size)
                output = model(seq_in)
                val_loss += criterion(output[:, delay:, :], seq_target[:, delay:, :]).item()
        val_loss /= 20
        if val_loss < best_val_loss:
            best_val_loss = val_loss
            best_model_state = model.state_dict()
            epochs_no_improve = 0
        else:
            epochs_no_improve += 1
            if epochs_no_improve >= patience:
                break
    if best_model_state:
        model.load_state_dict(best_model_state)
    return model


def evaluate_for_delay(model, delay, trials=20):
    model.eval()
    acc = 0
    with torch.no_grad():
        for _ in range(trials):
            seq_in, seq_target, _ = generate_batch_delay(batch_size, delay, input_size)
            output = model(seq_in)
            acc += binary_accuracy(output[:, delay:, :], seq_target[:, delay:, :])
    return acc / trials


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--delays", type=int, nargs="+", default=list(range(1, 30, 4)))
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rows = []
    start = time.perf_counter()
    for delay in a.delays:
        for run in range(a.runs):
            rnn = train_for_delay_early_stopping(VanillaRNN(input_size, hidden_size, output_size), delay)
            rows.append({"delay": delay, "run": run, "model": "rnn", "accuracy": evaluate_for_delay(rnn, delay)})
            lstm = train_for_delay_early_stopping(LSTMModel(input_size, hidden_size, output_size), delay)
            rows.append({"delay": delay, "run": run, "model": "lstm", "accuracy": evaluate_for_delay(lstm, delay)})
    print(json.dumps({"seconds": time.perf_counter() - start, "threads": a.threads, "runs": rows}))
