#!/usr/bin/env python3
"""Independent PyTorch reference for fairkit's ERM MLP: same split, same architecture and optimiser.

Reads the split that fairkit wrote (float32/uint8 little-endian files plus meta.json) from the folder given as the
first argument, trains an MLP (hidden sizes from meta, ReLU, one logit) with Adam and BCE-with-logits for the given
epochs on one thread, and prints one JSON object: seconds per epoch, test accuracy and AP (scikit-learn), and the
equalised-odds gap sum. Needs Debian's python3-torch and python3-sklearn; never run by the test suite.
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import accuracy_score, average_precision_score


def load(folder: Path, name: str, meta: dict):
    rows = meta[f"{name}Rows"]
    x = np.fromfile(folder / f"{name}-X.f32", dtype="<f4").reshape(rows, meta["features"])
    y = np.fromfile(folder / f"{name}-y.u8", dtype=np.uint8).astype(np.float32)
    g = np.fromfile(folder / f"{name}-groups.i32", dtype="<i4")
    return torch.from_numpy(x), torch.from_numpy(y), g


def equalized_odds_sum(y, pred, groups):
    tprs, fprs = [], []
    for g in np.unique(groups):
        mask = groups == g
        tprs.append(pred[mask & (y == 1)].mean())
        fprs.append(pred[mask & (y == 0)].mean())
    return float(max(tprs) - min(tprs) + max(fprs) - min(fprs))


def main():
    folder = Path(sys.argv[1])
    meta = json.loads((folder / "meta.json").read_text())
    torch.set_num_threads(1)
    torch.manual_seed(meta["seed"])
    x_train, y_train, _ = load(folder, "train", meta)
    x_test, y_test, g_test = load(folder, "test", meta)
    layers, width = [], meta["features"]
    for hidden in meta["hidden"]:
        layers += [torch.nn.Linear(width, hidden), torch.nn.ReLU()]
        width = hidden
    model = torch.nn.Sequential(*layers, torch.nn.Linear(width, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=meta["learningRate"])
    loss_fn = torch.nn.BCEWithLogitsLoss()
    generator = torch.Generator().manual_seed(meta["seed"])
    seconds = []
    for _ in range(meta["epochs"]):
        started = time.perf_counter()
        order = torch.randperm(len(y_train), generator=generator)
        for start in range(0, len(order), meta["batchSize"]):
            rows = order[start:start + meta["batchSize"]]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[rows]).squeeze(1), y_train[rows])
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - started)
    with torch.no_grad():
        scores = torch.sigmoid(model(x_test).squeeze(1)).numpy()
    y = y_test.numpy()
    pred = (scores >= 0.5).astype(np.float64)
    print(json.dumps({
        "secondsPerEpoch": float(np.mean(seconds)),
        "accuracy": float(accuracy_score(y, pred)),
        "ap": float(average_precision_score(y, scores)),
        "equalizedOddsSum": equalized_odds_sum(y, pred, g_test),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
