"""Summarise thresholds:eo runs (docs/postprocess.md): test accuracy and ΔEO sum (|ΔTPR| + |ΔFPR|), x100, mean ± sd
over seeds, per configuration, with the test-sampling floor of the randomised post-processor.

The floor is E|ΔTPR| + E|ΔFPR| measured on the test split for a classifier whose TRUE rates are equal in both groups
(each at the post-processed test rate pooled over groups): the empirical rate of a group with n positives is then
Binomial(n, r) / n, so even an exactly fair classifier shows this gap on a test split of this size. It ignores the
noise of fitting the thresholds on the validation split, so the expected gap of a real run is above it.

Reads `fairkit bench` journals (results.jsonl) and `fairkit train --format json` outputs (one JSON per file; the
configuration is the file name without its `-sN.json` tail). Two groups only.

Run: /usr/bin/python3 experiments/eo-gap-summary.py runs/adult-e20/results.jsonl compas-e20-seed*.json ...
"""
import collections
import json
import re
import statistics
import sys

import numpy as np
from scipy.stats import binom


def expected_abs_difference(n1, n2, rate):
    """E|X1/n1 - X2/n2| for independent Xi ~ Binomial(ni, rate)."""
    p1 = binom.pmf(np.arange(n1 + 1), n1, rate)
    p2 = binom.pmf(np.arange(n2 + 1), n2, rate)
    gaps = np.abs(np.arange(n1 + 1)[:, None] / n1 - np.arange(n2 + 1)[None, :] / n2)
    return float(p1 @ gaps @ p2)


def label_counts(group):
    """(positives, negatives) of a group, from its count, TPR, FPR and selection rate."""
    share = (group['selectionRate'] - group['fpr']) / (group['tpr'] - group['fpr'])
    positives = round(group['count'] * share)
    return positives, group['count'] - positives


def floor(test):
    if len(test['groups']) != 2:
        raise ValueError('the floor is computed for two groups only, got %d' % len(test['groups']))
    (pos1, neg1), (pos2, neg2) = (label_counts(g) for g in test['groups'])
    return 100 * (expected_abs_difference(pos1, pos2, test['overall']['tpr'])
                  + expected_abs_difference(neg1, neg2, test['overall']['fpr']))


def point(seed, test, with_floor, validation_accuracy=None):
    return (seed, 100 * test['overall']['accuracy'], 100 * test['fairness']['equalizedOddsSum'],
            floor(test) if with_floor else None, validation_accuracy)


def collect(paths):
    rows = collections.defaultdict(list)
    for path in paths:
        if path.endswith('.jsonl'):
            for line in open(path):
                entry = json.loads(line)
                trial, result = entry['trial'], entry['result']
                name = trial['method'] + ''.join(' %s=%s' % kv for kv in sorted(trial['params'].items()))
                name += ''.join(' %s=%s' % kv for kv in sorted(trial['training'].items()))
                rows[name].append(point(trial['seed'], result['test'], False))
                for post in result.get('postprocessed', []):
                    randomised = not post['spec'].endswith(':deterministic')
                    rows[name + ' +' + post['spec']].append(point(trial['seed'], post['test'], randomised))
        else:
            run = json.load(open(path))
            name = re.sub(r'-s(eed)?\d+\.json$', '', path.split('/')[-1])
            rows[name].append(point(run['seed'], run['test'], False))
            post = run['postprocessed']
            randomised = not post['spec'].endswith(':deterministic')
            # the post-processed classifier's expected accuracy on the validation split it was fitted on
            validation = 100 * (1 - post['validation']['expectedLoss'])
            rows[name + ' +' + post['spec']].append(point(run['seed'], post['test'], randomised, validation))
    return rows


def mean_sd(values):
    return '%.2f ± %.2f' % (statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0)


def main():
    if len(sys.argv) < 2:
        raise SystemExit('usage: eo-gap-summary.py RESULTS.jsonl|TRAIN.json ...')
    print('| configuration | seeds | accuracy | ΔEO sum | test-sampling floor | validation accuracy (fitted) |')
    print('|---|---|---|---|---|---|')
    for name, points in collect(sys.argv[1:]).items():
        points.sort()
        floors = [p[3] for p in points if p[3] is not None]
        validations = [p[4] for p in points if p[4] is not None]
        print('| %s | %s | %s | %s | %s | %s |' % (
            name, ','.join(str(p[0]) for p in points), mean_sd([p[1] for p in points]),
            mean_sd([p[2] for p in points]), '%.2f' % statistics.mean(floors) if floors else '',
            '%.2f' % statistics.mean(validations) if validations else ''))
        print('|  per seed | ' + ', '.join('%.2f / %.2f' % (p[1], p[2]) for p in points) + ' | | | | |')


main()
