"""Seed 004 §5 (hidden-state trajectory of §2's sine LSTM, PCA to 2-D) as the notebook runs it, over seeds, timed, as JSON.

    /usr/bin/python3 benchmarks/pytorch/notebook_hidden_pca.py [--seeds 5] [--threads 1]

The notebook's code: §2 (noisy sine of 1000 samples, windows of 50, 80/20 split in order, SineLSTM hidden 32, Adam
1e-3, batch 32, 15 epochs with a test pass per epoch) and then §5 (x0 = the first window of
series[split : split+seq_len_sine+100], the LSTM's outputs over its 50 steps, PCA to 2 components), with a seed loop,
a timer and JSON output added. scikit-learn is not installed for Debian's python3 here, so PCA(n_components=2) is
written out as sklearn computes it: centre the states, SVD, explained_variance_ratio_ = s² / Σ s² (the full-SVD
solver's definition; for a 50 × 32 matrix sklearn's "auto" solver picks the full SVD). Compare with
`recurrent run hidden-pca --runs 5` (pca_variance_pc1, pca_variance_pc2, pca_variance_2d, test_mse).
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

device = torch.device("cpu")


def generate_sine_data(n_samples=1000, noise_std=0.1):
    x = np.linspace(0, 40 * np.pi, n_samples)
    y = np.sin(x) + noise_std * np.random.randn(n_samples)
    return y


def create_sequences(series, seq_len=50):
    X, Y = [], []
    for i in range(len(series) - seq_len):
        X.append(series[i:i + seq_len])
        Y.append(series[i + seq_len])
    X = np.array(X, dtype=np.float32)
    Y = np.array(Y, dtype=np.float32)
    return X, Y


class SineDataset(Dataset):
    def __init__(self, X, Y):
        self.X = X
        self.Y = Y

    def __len__(self):
        return len(self.X)

    def __getitem__(self, idx):
        return torch.tensor(self.X[idx]).unsqueeze(-1), torch.tensor(self.Y[idx])


class SineLSTM(nn.Module):
    def __init__(self, hidden_dim=32, num_layers=1):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden_dim, num_layers=num_layers, batch_first=True)
        self.fc = nn.Linear(hidden_dim, 1)

    def forward(self, x, hidden=None):
        out, hidden = self.lstm(x, hidden)
        return self.fc(out[:, -1, :])


def train_sine(model, optimizer_s, criterion_s, train_loader, test_loader, epochs=15):
    train_losses, test_losses = [], []
    for epoch in range(epochs):
        model.train()
        running = 0.0
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device).unsqueeze(-1)
            optimizer_s.zero_grad()
            loss = criterion_s(model(xb), yb)
            loss.backward()
            optimizer_s.step()
            running += loss.item() * xb.size(0)
        train_losses.append(running / len(train_loader.dataset))
        model.eval()
        running = 0.0
        with torch.no_grad():
            for xb, yb in test_loader:
                xb, yb = xb.to(device), yb.to(device).unsqueeze(-1)
                running += criterion_s(model(xb), yb).item() * xb.size(0)
        test_losses.append(running / len(test_loader.dataset))
    return train_losses, test_losses


def pca_2d(hidden_states):
    """sklearn.decomposition.PCA(n_components=2).fit_transform and explained_variance_ratio_, with numpy."""
    centred = hidden_states - hidden_states.mean(axis=0)
    u, s, vt = np.linalg.svd(centred, full_matrices=False)
    ratio = s ** 2 / np.sum(s ** 2)
    return centred @ vt[:2].T, ratio[:2]


def run(seed):
    np.random.seed(seed)
    torch.manual_seed(seed)
    series = generate_sine_data()
    seq_len_sine = 50
    X, Y = create_sequences(series, seq_len=seq_len_sine)
    split = int(0.8 * len(X))
    train_loader_s = DataLoader(SineDataset(X[:split], Y[:split]), batch_size=32, shuffle=True)
    test_loader_s = DataLoader(SineDataset(X[split:], Y[split:]), batch_size=32, shuffle=False)
    sine_model = SineLSTM(hidden_dim=32).to(device)
    optimizer_s = torch.optim.Adam(sine_model.parameters(), lr=1e-3)
    train_losses, test_losses = train_sine(sine_model, optimizer_s, nn.MSELoss(), train_loader_s, test_loader_s, epochs=15)

    # §5
    segment = series[split:split + seq_len_sine + 100]  # some part from test region
    x_segment, _ = create_sequences(segment, seq_len=seq_len_sine)
    x0 = torch.tensor(x_segment[0]).unsqueeze(0).unsqueeze(-1).to(device)  # (1,T,1)
    sine_model.eval()
    with torch.no_grad():
        out, (h_n, c_n) = sine_model.lstm(x0)
        hidden_states = out.squeeze(0).cpu().numpy()  # (T,hidden_dim)
    _, ratio = pca_2d(hidden_states)
    return {"final_train_loss": train_losses[-1], "test_mse": test_losses[-1], "pca_variance_pc1": float(ratio[0]),
            "pca_variance_pc2": float(ratio[1]), "pca_variance_2d": float(ratio[0] + ratio[1])}


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    start = time.perf_counter()
    rows = [dict(seed=s, model="lstm", **run(s)) for s in range(a.seeds)]
    print(json.dumps({"seconds": time.perf_counter() - start, "threads": a.threads, "runs": rows}))
