"""Summarise experiments/crossfit-thresholds.ts outputs (JSON lines): per configuration the mean ± sd over seeds of
the sampled test accuracy and ΔEO sum, the expected (probability-weighted) ones and the base score's accuracy at 0.5
(×100), the floors where the lines have them, and per cross-fit configuration its paired difference from validation-fit on the same seeds (mean and a 95%
t interval over seeds).

Run: /usr/bin/python3 experiments/crossfit-summary.py runs/crossfit/cf-adult-s0-4.jsonl [more.jsonl ...]
"""
import collections
import json
import statistics
import sys

from scipy.stats import t

COLUMNS = ['accuracy', 'eo', 'expectedAccuracy', 'expectedEo', 'plainAccuracy']
# the test-sampling floors of the sampled and the expected ΔEO sum, in the lines of later runs only
FLOORS = ['floorSampled', 'floorExpected']


def mean_sd(values):
    return '%.2f ± %.2f' % (statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0)


def interval(differences):
    mean = statistics.mean(differences)
    if len(differences) < 2:
        return '%+.2f' % mean
    half = t.ppf(0.975, len(differences) - 1) * statistics.stdev(differences) / len(differences) ** 0.5
    return '%+.2f [%+.2f, %+.2f]' % (mean, mean - half, mean + half)


def main(paths):
    runs = collections.defaultdict(dict)
    for path in paths:
        for line in open(path):
            row = json.loads(line)
            runs[row['config']][row['seed']] = row
    print('configuration | seeds | accuracy | ΔEO sum | expected accuracy | expected ΔEO sum | score accuracy at 0.5')
    for config, by_seed in runs.items():
        rows = [by_seed[seed] for seed in sorted(by_seed)]
        floors = ' | floors (sampled / expected) %s / %s' % tuple(mean_sd([r[c] for r in rows]) for c in FLOORS) if all(c in r for r in rows for c in FLOORS) else ''
        print('%s | %s | %s%s' % (config, ','.join(map(str, sorted(by_seed))), ' | '.join(mean_sd([r[c] for r in rows]) for c in COLUMNS), floors))
    base = runs.get('validation-fit', {})
    for config, by_seed in runs.items():
        seeds = sorted(set(by_seed) & set(base))
        if config == 'validation-fit' or not seeds:
            continue
        print('%s − validation-fit, paired over seeds %s: %s' % (config, ','.join(map(str, seeds)), ', '.join(
            '%s %s' % (c, interval([by_seed[s][c] - base[s][c] for s in seeds])) for c in COLUMNS[:4])))


if __name__ == '__main__':
    main(sys.argv[1:])
