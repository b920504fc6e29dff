#!/usr/bin/env python3
"""Compare the metric percentiles of two `ce run --out` folders: max relative difference per metric.
usage: compare.py REF_DIR OTHER_DIR [METRIC ...]"""
import csv, sys

def load(d):
    with open(f"{d}/metrics.csv") as f:
        return {r["metric"]: r for r in csv.DictReader(f)}

ref, other = load(sys.argv[1]), load(sys.argv[2])
metrics = sys.argv[3:] or ["npv", "irr", "final_market_value", "earnings_overstatement", "total_revenue", "min_cash"]
cols = ["mean", "p1", "p5", "p25", "p50", "p75", "p95", "p99"]
worst = 0.0
for m in metrics:
    if m not in ref or m not in other:
        continue
    rels = []
    for c in cols:
        a, b = float(ref[m][c]), float(other[m][c])
        scale = max(abs(a), abs(b), 1e-300)
        rels.append(abs(a - b) / scale)
    mx = max(rels)
    if m == "npv":
        worst = mx
    print(f"{m:28s} max rel diff over mean,P1..P99: {mx:.3e}   (P50 ref {float(ref[m]['p50']):.6e} other {float(other[m]['p50']):.6e})")
print(f"NPV percentiles within 1e-4 relative: {'yes' if worst <= 1e-4 else 'NO'} ({worst:.3e})")
