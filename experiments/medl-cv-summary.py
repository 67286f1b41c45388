"""SD-TPR, SD-FPR and balanced accuracy per configuration of a `fairkit bench --folds K` run, mean ± sd over the
folds, with the percent change of the mean against medl (docs/methods/fair-medl.md, "Cross-validated results").
With several sensitive attributes, SD-TPR and SD-FPR are given per attribute (the trials' `test.byAttribute`).

Usage: python3 experiments/medl-cv-summary.py BENCH_OUT_DIR
"""
import json
import statistics
import sys
from collections import defaultdict

values = defaultdict(lambda: defaultdict(list))
with open(f"{sys.argv[1]}/results.jsonl") as lines:
    for line in lines:
        row = json.loads(line)
        trial, test = row["trial"], row["result"]["test"]
        name = trial["method"] + "".join(f" {key} {value}" for key, value in sorted(trial["params"].items()))
        spreads = {f" {a}": f for a, f in test["byAttribute"].items()} if "byAttribute" in test else {"": test["fairness"]}
        for attribute, fairness in spreads.items():
            values[name][f"SD-TPR{attribute}"].append(fairness["tprStd"])
            values[name][f"SD-FPR{attribute}"].append(fairness["fprStd"])
        values[name]["balanced accuracy"].append(test["overall"]["balancedAccuracy"])

metrics = list(values["medl"])
reference = {metric: statistics.mean(values["medl"][metric]) for metric in metrics}
print("| method | " + " | ".join(metrics) + " |")
print("|---" * (len(metrics) + 1) + "|")
for name in sorted(values):
    cells = []
    for metric in metrics:
        mean, sd = statistics.mean(values[name][metric]), statistics.stdev(values[name][metric])
        change = "" if name == "medl" else f" ({100 * (mean / reference[metric] - 1):+.1f}%)"
        cells.append(f"{mean:.3f} ± {sd:.3f}{change}")
    print(f"| {name} | " + " | ".join(cells) + " |")
