"""SD-TPR, SD-FPR and balanced accuracy per configuration of a `fairkit bench --folds K` run, mean ± sd over the
folds, with the change against medl (docs/methods/fair-medl.md, "Cross-validated results"). Only the folds that every
configuration has finished are used (a run cut short still gives a paired comparison).
With several sensitive attributes, SD-TPR and SD-FPR are given per attribute (the trials' `test.byAttribute`).
For the mixed-effects trials (`test.medl`), two more tables: each output (FE, ME) with its per-attribute SD-TPR,
SD-FPR and balanced accuracy, changes against medl's same output; and the counterfactual flip rate per attribute
(FE / ME; "—" where the attribute is not a one-hot model input).

The change against medl is the mean over folds of the paired difference (configuration minus medl, same fold) as a
percent of medl's mean, with its 95% paired t interval (t quantile from scipy, n - 1 degrees of freedom); a change
whose interval excludes 0 is marked with *.

With --tune, each method with a λ_D grid also gets a row "METHOD tuned": in every fold the λ_D is chosen on that fold's
validation split (drawn from its training rows; bench records the final epoch's validation accuracy and
equalizedOddsSum): the smallest validation equalizedOddsSum among the λ_D whose validation accuracy is at least
(1 - TOLERANCE) × medl's on the same fold, else the highest validation accuracy. The test split plays no part in the
choice. The λ_D chosen per fold are printed below the table.

Usage: python3 experiments/medl-cv-summary.py BENCH_OUT_DIR [--tune]
"""
import argparse
import json
import math
import statistics
from collections import defaultdict

from scipy import stats

ACCURACY_TOLERANCE = 0.01
LEVEL = 0.95


def config_name(trial):
    return trial["method"] + "".join(f" {key} {value}" for key, value in sorted(trial["params"].items()))


def test_metrics(test):
    spreads = {f" {a}": f for a, f in test["byAttribute"].items()} if "byAttribute" in test else {"": test["fairness"]}
    metrics = {}
    for attribute, fairness in spreads.items():
        metrics[f"SD-TPR{attribute}"] = fairness["tprStd"]
        metrics[f"SD-FPR{attribute}"] = fairness["fprStd"]
    metrics["balanced accuracy"] = test["overall"]["balancedAccuracy"]
    return metrics


def read_runs(out_dir):
    """{config: {fold: {"test": metrics, "validation": final-epoch validation metrics, "method", "params"}}}"""
    runs = defaultdict(dict)
    with open(f"{out_dir}/results.jsonl") as lines:
        for line in lines:
            row = json.loads(line)
            trial, result = row["trial"], row["result"]
            fold = (trial["seed"], trial["fold"]["index"] if trial["fold"] else None)
            runs[config_name(trial)][fold] = {
                "method": trial["method"],
                "params": trial["params"],
                "test": test_metrics(result["test"]),
                "validation": result["history"][-1].get("validation", {}),
                "medl": result["test"].get("medl", {}),
            }
    return runs


def tuned_runs(runs):
    """One "METHOD tuned" configuration per method with a lambdaFairness grid, λ_D chosen per fold on validation."""
    grids = defaultdict(list)
    for name, folds in runs.items():
        first = next(iter(folds.values()))
        if "lambdaFairness" in first["params"]:
            grids[first["method"]].append(name)
    tuned, chosen = {}, {}
    for method, names in grids.items():
        tuned[f"{method} tuned"], chosen[method] = {}, {}
        for fold, reference in runs["medl"].items():
            candidates = [runs[name][fold] for name in names if fold in runs[name]]
            if len(candidates) < len(names):
                continue
            floor = (1 - ACCURACY_TOLERANCE) * reference["validation"]["accuracy"]
            eligible = [c for c in candidates if c["validation"]["accuracy"] >= floor]
            best = (min(eligible, key=lambda c: c["validation"]["equalizedOddsSum"]) if eligible
                    else max(candidates, key=lambda c: c["validation"]["accuracy"]))
            tuned[f"{method} tuned"][fold] = best
            chosen[method][fold] = best["params"]["lambdaFairness"]
    return tuned, chosen


def paired_change(folds, reference, metric):
    """Mean paired difference against medl and its t interval, as percent of medl's mean over the same folds."""
    shared = sorted(set(folds) & set(reference))
    differences = [folds[f]["test"][metric] - reference[f]["test"][metric] for f in shared]
    base = statistics.mean(reference[f]["test"][metric] for f in shared)
    mean = statistics.mean(differences)
    half = stats.t.ppf(0.5 + LEVEL / 2, len(shared) - 1) * statistics.stdev(differences) / math.sqrt(len(shared))
    low, high = 100 * (mean - half) / base, 100 * (mean + half) / base
    mark = "*" if low > 0 or high < 0 else ""
    return f"{100 * mean / base:+.1f}% [{low:+.1f}, {high:+.1f}]{mark}"


def mean_sd(numbers):
    """Mean ± sd (ddof 1; no sd from one run) of the finite values, and how many runs there were."""
    numbers = [number for number in numbers if number is not None]
    if not numbers:
        return None, "—"
    sd = f" ± {statistics.stdev(numbers):.3f}" if len(numbers) > 1 else ""
    return statistics.mean(numbers), f"{statistics.mean(numbers):.3f}{sd}"


def table(rows, reference_of):
    """Markdown rows of mean ± sd per metric, with the change of the mean against the reference row's mean."""
    metrics = list(next(iter(rows.values())))
    print("| run | " + " | ".join(metrics) + " |")
    print("|---" * (len(metrics) + 1) + "|")
    for key in sorted(rows):
        cells = []
        for metric in metrics:
            mean, text = mean_sd(rows[key][metric])
            reference_key = reference_of(key)
            reference = mean_sd(rows[reference_key][metric])[0] if reference_key in rows else None
            change = f" ({100 * (mean / reference - 1):+.1f}%)" if key != reference_key and mean is not None and reference else ""
            cells.append(text + change)
        label = key if isinstance(key, str) else f"{key[0]}, {key[1].upper()}"
        print(f"| {label} | " + " | ".join(cells) + " |")


def print_output_tables(runs):
    """Per output (FE, ME) spreads and balanced accuracy, and the flip rates, of the trials that carry test.medl."""
    per_output = defaultdict(lambda: defaultdict(list))
    flips = defaultdict(lambda: defaultdict(list))
    for name, folds in runs.items():
        for run in folds.values():
            for output, metrics in run["medl"].get("outputs", {}).items():
                for spread in metrics["spreads"]:
                    per_output[(name, output)][f"SD-TPR {spread['attribute']}"].append(spread["tprStd"])
                    per_output[(name, output)][f"SD-FPR {spread['attribute']}"].append(spread["fprStd"])
                per_output[(name, output)]["balanced accuracy"].append(metrics["balancedAccuracy"])
            for entry in run["medl"].get("counterfactual", []):
                for output in ("fe", "me"):
                    flips[name][(entry["attribute"], output)].append(entry["flipRate"][output] if entry["flipRate"] else None)
    if per_output:
        print("\nPer output (test.medl), change of the mean against medl's same output:\n")
        table(per_output, lambda key: ("medl", key[1]))
    if flips:
        print("\nCounterfactual flip rate, FE / ME:\n")
        attributes = list(dict.fromkeys(attribute for name in flips for attribute, _ in flips[name]))
        print("| run | " + " | ".join(attributes) + " |")
        print("|---" * (len(attributes) + 1) + "|")
        for name in sorted(flips):
            print(f"| {name} | " + " | ".join(" / ".join(mean_sd(flips[name][(attribute, output)])[1] for output in ("fe", "me")) for attribute in attributes) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--tune", action="store_true", help="add λ_D chosen per fold on its validation split")
    args = parser.parse_args()
    runs = read_runs(args.out_dir)
    chosen = {}
    if args.tune:
        tuned, chosen = tuned_runs(runs)
        runs.update(tuned)
    complete = set.intersection(*(set(folds) for folds in runs.values()))
    if len(complete) < 2:
        raise SystemExit(f"{args.out_dir}: {len(complete)} fold(s) finished by every configuration; a paired interval needs 2")
    runs = {name: {fold: run for fold, run in folds.items() if fold in complete} for name, folds in runs.items()}
    reference = runs["medl"]
    metrics = list(next(iter(reference.values()))["test"])
    print(f"{len(reference)} folds run by every configuration (seed, fold index: {sorted(complete)}); change against medl: paired mean [{LEVEL:.0%} t interval], * = interval excludes 0")
    print()
    print("| method | " + " | ".join(metrics) + " |")
    print("|---" * (len(metrics) + 1) + "|")
    for name in sorted(runs):
        cells = []
        for metric in metrics:
            values = [run["test"][metric] for run in runs[name].values()]
            change = "" if name == "medl" else f" ({paired_change(runs[name], reference, metric)})"
            cells.append(f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}{change}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    for method, by_fold in chosen.items():
        print()
        print(f"{method}: λ_D chosen per fold on validation: " + ", ".join(f"{by_fold[f]:g}" for f in sorted(by_fold)))
    print_output_tables(runs)


main()
