#!/usr/bin/env bash
# Regression proof for refactors that must not change a result: runs every shipped scenario (and the fleet under
# each replacement policy) on the cpu backend with a fixed seed and path count, writing the output folders under
# DIR. Compare two builds with: diff -r DIR_A DIR_B (metrics.csv, bands.csv, histograms.csv, survival.csv,
# sweep points.csv). Not a test: the expected values are the code's own output, used only to show a change is neutral.
#   bash scripts/golden.sh OUT_DIR [PATHS]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: golden.sh OUT_DIR [PATHS]}; paths=${2:-3000}
dotnet build src/ComputeEconomics.Cli -c Release -v q -nologo >/dev/null
ce() { dotnet src/ComputeEconomics.Cli/bin/Release/net10.0/ce.dll "$@"; }
mkdir -p "$out"
for f in scenarios/*.yaml; do
  n=$(basename "$f" .yaml)
  if grep -q '^sweep:' "$f"; then
    ce sweep "$f" --paths "$paths" --backend cpu --out "$out/$n" --quiet >/dev/null
  else
    ce run "$f" --paths "$paths" --seed 7 --backend cpu --out "$out/$n" --quiet >/dev/null
  fi
done
# The fleet kernel's branches: replacement and failure policies, every book method, a covenant, contracts.
variant() { local name=$1; shift
  ce run scenarios/neocloud-h100.yaml --paths "$paths" --seed 7 --backend cpu "$@" --out "$out/variant-$name" --quiet >/dev/null; }
variant fixed_age --set fleet.replacement.policy=fixed_age
variant margin --set fleet.replacement.policy=margin --set fleet.replacement.margin_months=3
variant retire --set fleet.failures.policy=retire
for m in declining_balance sum_of_years_digits units_of_production; do
  variant "book-$m" --set fleet.depreciation.book.method=$m
done
variant ltv --set fleet.financing.ltv_max=0.9
variant contract --set fleet.operations.contract.share=0.8 --set fleet.operations.contract.price=2.4 --set fleet.operations.contract.term_months=60
variant tax-sl --set fleet.depreciation.tax.method=straight_line
variant bench-antithetic --set sampling=antithetic
variant bench-qmc --set sampling=qmc
# Only the result files: summary.json and scenario.yaml carry versions and timestamps.
find "$out" -type f ! \( -name 'metrics.csv' -o -name 'bands.csv' -o -name 'histograms.csv' -o -name 'survival.csv' -o -name 'points.csv' \) -delete
echo "golden outputs in $out"
