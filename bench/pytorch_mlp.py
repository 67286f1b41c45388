#!/usr/bin/env python3
"""Independent PyTorch reference for fairkit's ERM, EOR and GCM MLPs: same split, same architecture and optimiser.

Reads the split that fairkit wrote (float32/uint8 little-endian files plus meta.json) from the folder given as the
first argument, trains an MLP (hidden sizes from meta, ReLU, one logit) with Adam and BCE-with-logits for the given
epochs on one thread, and prints one JSON object: seconds per epoch, test accuracy and AP (scikit-learn), and the
equalised-odds gap sum. meta["method"] (default "erm") adds a penalty, weighted by meta["params"]["lambda"], written
here from methods.md, not from fairkit's code (two groups only):
  eor: sum over y of |mean sigmoid(z) of group 0 - of group 1| among the batch's rows with label y (§6);
  gcm: sum over y and weights of |W0 |g0| - W1 |g1||, g_a the gradient of the summed BCE of cell (a, y),
       W_a = c_a ** T with c_a the cell's mean probability of its own label, a constant (§5, abs mismatch).
Needs Debian's python3-torch and python3-sklearn; never run by the test suite.
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


def eor_penalty(logits, y, g):
    """Sum over labels of the gap in mean probability between the two groups; a label missing a group adds 0."""
    p = torch.sigmoid(logits)
    total = logits.new_zeros(())
    for label in (0.0, 1.0):
        cells = [(y == label) & (g == group) for group in (0, 1)]
        if all(bool(cell.any()) for cell in cells):
            total = total + (p[cells[0]].mean() - p[cells[1]].mean()).abs()
    return total


def gcm_penalty(model, x, y, g, temperature):
    """GCM's matching loss over all weights, differentiable (create_graph); a label missing a group adds 0."""
    weights = list(model.parameters())
    total = x.new_zeros(())
    for label in (0.0, 1.0):
        cells = [(y == label) & (g == group) for group in (0, 1)]
        if not all(bool(cell.any()) for cell in cells):
            continue
        weighted = []
        for cell in cells:
            logits = model(x[cell]).squeeze(1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y[cell], reduction="sum")
            grads = torch.autograd.grad(loss, weights, create_graph=True)
            mean_p = torch.sigmoid(logits).mean().item()
            confidence = mean_p if label == 1.0 else 1.0 - mean_p
            weighted.append([confidence ** temperature * grad.abs() for grad in grads])
        total = total + sum((a - b).abs().sum() for a, b in zip(*weighted))
    return total


def main():
    folder = Path(sys.argv[1])
    meta = json.loads((folder / "meta.json").read_text())
    torch.set_num_threads(meta.get("threads", 1))
    torch.manual_seed(meta["seed"])
    x_train, y_train, g_train = load(folder, "train", meta)
    g_train = torch.from_numpy(g_train)
    method = meta.get("method", "erm")
    params = meta.get("params", {})
    if method not in ("erm", "eor", "gcm"):
        sys.exit(f"unknown method {method}: the reference knows erm, eor and gcm")
    if method != "erm" and int(g_train.max()) > 1:
        sys.exit("the EOR and GCM references handle two groups only")
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
            x, y, g = x_train[rows], y_train[rows], g_train[rows]
            logits = model(x).squeeze(1)
            loss = loss_fn(logits, y)
            if method == "eor":
                loss = loss + params["lambda"] * eor_penalty(logits, y, g)
            elif method == "gcm":
                loss = loss + params["lambda"] * gcm_penalty(model, x, y, g, params["T"])
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
