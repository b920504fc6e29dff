#!/usr/bin/env python3
"""Convert Epoch AI's "Hardware prices.csv" (github.com/epoch-research/training-cost-trends, data/) into the tidy
files data/gpu_rents.csv (rental rows) and data/gpu_purchase_prices.csv (purchase rows), then append the later
points of docs/sources.md kept in data/sources_md_rows.csv.

Usage: python3 data/import_epoch.py "PATH/TO/Hardware prices.csv"
The Epoch file has no licence file: Epoch AI is credited as the compiler on every row (licence column) and each
row keeps its own original source (the vendor page or archive snapshot Epoch cites) in the source column.
"""
import csv
import re
import sys

COLUMNS = ["date", "series", "generation", "product", "vendor", "contract", "value", "unit", "source", "licence", "note"]
EPOCH = ("compiled by Epoch AI, Hardware prices.csv (github.com/epoch-research/training-cost-trends, no licence "
         "file); the figure is the cited source's")
EPOCH_FILE = "https://github.com/epoch-research/training-cost-trends/blob/main/data/Hardware%20prices.csv"
CONTRACTS = [("Price per chip-hour (on-demand)", "on_demand"),
             ("Price per chip-hour (1-year CUD)", "term_1y"),
             ("Price per chip-hour (3-year CUD)", "term_3y")]


def generation(model):
    """Coarse generation: 'NVIDIA H100 SXM5 80GB' -> H100, 'Google TPU v5e' -> TPU-v5e, 'AMD Instinct MI300A' -> MI300A."""
    m = re.sub(r"^(NVIDIA|AMD|Google|Intel)\s+", "", model.strip())
    m = re.sub(r"^(Tesla|Instinct|GeForce|Quadro)\s+", "", m)
    if m.startswith("TPU"):
        return "TPU-" + m.split()[1]
    parts = m.split()
    if parts and parts[0] in ("RTX", "GTX") and len(parts) > 1:
        return parts[0] + "-" + parts[1]
    return parts[0] if parts else ""


def note(row):
    parts = []
    if row["Number of GPUs"].strip():
        parts.append(f"{row['Number of GPUs'].strip()} GPUs per instance")
    if row["Location"].strip():
        parts.append(row["Location"].strip())
    for key in ("Cloud GPU description", "Notes"):
        if row[key].strip():
            parts.append(" ".join(row[key].split()))
    return "; ".join(parts)


def main(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8-sig")))
    rents, buys, skipped = [], [], 0
    for r in rows:
        date = r["Price date"].strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            skipped += 1
            continue
        source, row_note = r["Price source"].strip(), note(r)
        if source.lower() in ("", "unknown"):   # no original source: cite Epoch's file, where the figure can be found
            source, row_note = EPOCH_FILE, "; ".join(x for x in (row_note, "Epoch AI gives no original source") if x)
        common = dict(date=date, generation=generation(r["Hardware model"]), product=r["Hardware model"].strip(),
                      source=source, licence=EPOCH, note=row_note)
        for col, contract in CONTRACTS:
            if r[col].strip():
                rents.append(dict(common, series="gpu_rent", vendor=r["Vendor"].strip(), contract=contract,
                                  value=r[col].strip(), unit="USD/GPU-hour"))
        buy = r["Price (hardware purchase)"].strip()
        if buy and "not a real sale price" not in r["Notes"]:
            buys.append(dict(common, series="gpu_purchase_price", vendor=r["Vendor"].strip(), contract="",
                             value=buy, unit="USD/GPU"))
        elif buy:
            skipped += 1
    extra = list(csv.DictReader(open("data/sources_md_rows.csv", encoding="utf-8")))
    rents += [e for e in extra if e["series"].startswith("gpu_rent")]
    buys += [e for e in extra if e["series"].startswith("gpu_purchase")]
    for name, data in (("data/gpu_rents.csv", rents), ("data/gpu_purchase_prices.csv", buys)):
        data.sort(key=lambda d: (d["generation"], d["date"], d["vendor"], d["contract"], d["product"]))
        with open(name, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(data)
        print(f"{name}: {len(data)} rows")
    print(f"skipped {skipped} Epoch rows (no date, or an estimate marked 'not a real sale price')")


if __name__ == "__main__":
    main(sys.argv[1])
