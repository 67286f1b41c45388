"""SD-TPR, SD-FPR and balanced accuracy per configuration of a `fairkit bench --folds K` run, mean ± sd over the
folds, with the percent change of the mean against medl (docs/methods/fair-medl.md, "Cross-validated results").
With several sensitive attributes, SD-TPR and SD-FPR are given per attribute (the trials' `test.byAttribute`).
For the mixed-effects trials (`test.medl`), two more tables: each output (FE, ME) with its per-attribute SD-TPR,
SD-FPR and balanced accuracy, changes against medl's same output; and the counterfactual flip rate per attribute
(FE / ME; "—" where the attribute is not a one-hot model input).

Usage: python3 experiments/medl-cv-summary.py BENCH_OUT_DIR
"""
import json
import statistics
import sys
from collections import defaultdict

values = defaultdict(lambda: defaultdict(list))
per_output = defaultdict(lambda: defaultdict(list))
flips = defaultdict(lambda: defaultdict(list))
with open(f"{sys.argv[1]}/results.jsonl") as lines:
    for line in lines:
        row = json.loads(line)
        trial, test = row["trial"], row["result"]["test"]
        name = trial["method"] + "".join(f" {key} {value}" for key, value in sorted(trial["params"].items()))
        for output, metrics in test.get("medl", {}).get("outputs", {}).items():
            for spread in metrics["spreads"]:
                per_output[(name, output)][f"SD-TPR {spread['attribute']}"].append(spread["tprStd"])
                per_output[(name, output)][f"SD-FPR {spread['attribute']}"].append(spread["fprStd"])
            per_output[(name, output)]["balanced accuracy"].append(metrics["balancedAccuracy"])
        for entry in test.get("medl", {}).get("counterfactual", []):
            for output in ("fe", "me"):
                flips[name][(entry["attribute"], output)].append(entry["flipRate"][output] if entry["flipRate"] else None)
        spreads = {f" {a}": f for a, f in test["byAttribute"].items()} if "byAttribute" in test else {"": test["fairness"]}
        for attribute, fairness in spreads.items():
            values[name][f"SD-TPR{attribute}"].append(fairness["tprStd"])
            values[name][f"SD-FPR{attribute}"].append(fairness["fprStd"])
        values[name]["balanced accuracy"].append(test["overall"]["balancedAccuracy"])



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


table(values, lambda key: "medl")
if per_output:
    print("\nPer output (test.medl), change against medl's same output:\n")
    table(per_output, lambda key: ("medl", key[1]))
if flips:
    print("\nCounterfactual flip rate, FE / ME:\n")
    attributes = list(dict.fromkeys(attribute for name in flips for attribute, _ in flips[name]))
    print("| run | " + " | ".join(attributes) + " |")
    print("|---" * (len(attributes) + 1) + "|")
    for name in sorted(flips):
        print(f"| {name} | " + " | ".join(" / ".join(mean_sd(flips[name][(attribute, output)])[1] for output in ("fe", "me")) for attribute in attributes) + " |")
