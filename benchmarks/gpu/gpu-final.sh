#!/usr/bin/env bash
# The figures of docs/performance.md in one call on the device machine (after `bash benchmarks/gpu/pack.sh`):
# every check of gpu-checks.sh with BenchmarkDotNet, then the same 4M-path `ce bench` for each build in
# .device/alt/NAME/ (dlls laid over the packed ones: an earlier commit, for ratios measured side by side),
# bracketed by the packed build before and after.
set -uo pipefail
OUT=${OUT:-/tmp/ce-gpu-out}; mkdir -p "$OUT"
export CUDA_HOME=${CUDA_HOME:-/usr/local/cuda} PATH=$PATH:/usr/local/cuda/bin
BENCH=${BENCH:-1} NCU=${NCU:-0} bash benchmarks/gpu/gpu-checks.sh > /dev/null 2>&1
exec > >(tee "$OUT/gpu-final.log") 2>&1
CE="bash .device/run.sh ComputeEconomics.Cli"
APP=/tmp/ce-device/app/ComputeEconomics.Cli
mkdir -p "$APP.main" && cp "$APP"/*.dll "$APP.main/"
row() { grep -E "path-months/s|time in|check: mean" "$1" | tr -s ' ' | sed 's/^ //' | tr '\n' ';'; echo; }
$CE bench --backend cuda --paths 4194304 > /tmp/side-main-1.txt 2>&1
for v in $(ls .device/alt 2>/dev/null); do
  cp .device/alt/"$v"/*.dll "$APP/"
  $CE bench --backend cuda --paths 4194304 > "/tmp/side-$v.txt" 2>&1
  cp "$APP.main"/*.dll "$APP/"
done
$CE bench --backend cuda --paths 4194304 > /tmp/side-main-2.txt 2>&1
echo "================ side by side, cuda, 4,194,304 paths x 120 months"
for f in /tmp/side-main-1.txt /tmp/side-*.txt; do echo "$(basename "$f" .txt): $(row "$f")"; done | sort -u
echo "================ checks (gpu-checks.log)"
sed -n '/================ summary/,$p' "$OUT/gpu-checks.log"
