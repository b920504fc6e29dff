#!/usr/bin/env python3
"""Observed rent ratios between generations quoted by the same vendor, on the same day, under the same contract
(data/gpu_rents.csv): for each such quote, SXM parts only (the A100 80 GB SXM where the vendor lists it, else the 40 GB),
the ratio older/newer and each generation's age in months since volume availability (A100 2020-05, H100 2022-09,
H200 2024-06, B200 2025-01; docs/sources.md section 1). Prints a Markdown table. Usage: python3 data/generation_ratios.py"""
import csv
import collections

AVAILABLE = {"A100": (2020, 5), "H100": (2022, 9), "H200": (2024, 6), "B200": (2025, 1)}
ORDER = ["A100", "H100", "H200", "B200"]


def age(gen, date):
    y, m = int(date[:4]), int(date[5:7])
    return (y - AVAILABLE[gen][0]) * 12 + m - AVAILABLE[gen][1]


def sxm_price(rows, gen):
    """The SXM quote of a generation (80 GB first for A100); None when the vendor lists only PCIe/NVL parts."""
    cands = [r for r in rows if r["generation"] == gen and "PCIe" not in r["product"] and "NVL" not in r["product"]]
    cands.sort(key=lambda r: ("80" not in r["product"], r["product"]))
    return float(cands[0]["value"]) if cands else None


def main():
    rows = [r for r in csv.DictReader(open("data/gpu_rents.csv")) if r["series"] == "gpu_rent" and r["generation"] in ORDER]
    groups = collections.defaultdict(list)
    for r in rows:
        groups[(r["date"], r["vendor"], r["contract"])].append(r)
    print("| date | vendor | contract | pair | older | newer | ratio older/newer | age older, months | age newer, months |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (date, vendor, contract), rs in sorted(groups.items()):
        gens = [g for g in ORDER if any(r["generation"] == g for r in rs)]
        for i in range(len(gens) - 1):
            old, new = gens[i], gens[i + 1]
            po, pn = sxm_price(rs, old), sxm_price(rs, new)
            if po is None or pn is None:
                continue
            print(f"| {date} | {vendor} | {contract} | {old}/{new} | {po:.2f} | {pn:.2f} | {po / pn:.2f} | "
                  f"{age(old, date)} | {age(new, date)} |")


if __name__ == "__main__":
    main()
