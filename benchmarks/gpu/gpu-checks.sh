#!/usr/bin/env bash
# Every GPU check of docs/performance.md in one go, on the device machine, from the repository root,
# after `bash benchmarks/gpu/pack.sh` on a machine with .NET:   bash benchmarks/gpu/gpu-checks.sh
# Writes logs under $OUT (or /tmp/ce-gpu-out) and prints a short table last.
set -uo pipefail
OUT=${OUT:-/tmp/ce-gpu-out}; mkdir -p "$OUT"
W=/tmp/ce-gpu-work; rm -rf "$W"; mkdir -p "$W"   # run outputs; only logs go to $OUT
exec > >(tee "$OUT/gpu-checks.log") 2>&1
export CUDA_HOME=${CUDA_HOME:-/usr/local/cuda} PATH=$PATH:/usr/local/cuda/bin
CE="bash .device/run.sh ComputeEconomics.Cli"
BIG=${BIG:-4194304}
git_commit=$(cat .device/commit 2>/dev/null || echo unknown)
{
  echo "commit $git_commit, $(date -u +%FT%TZ), CE_CUDA_GROUP_SIZE=${CE_CUDA_GROUP_SIZE:-} CE_CUDA_MIN_GROUPS_PER_SM=${CE_CUDA_MIN_GROUPS_PER_SM:-}"
  nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,memory.total,power.limit --format=csv
} 
$CE devices 2>&1

bench() {  # name, env..., args...
  local name=$1; shift
  env "$@" 2>&1 | tee "$W/bench-$name.txt"
}
bench cuda-libdevice-1M  $CE bench --backend cuda --paths 1048576
bench cuda-libdevice-4M  $CE bench --backend cuda --paths "$BIG"
bench cuda-float-4M      CE_CUDA_MATH=float $CE bench --backend cuda --paths "$BIG"
bench cpu16              $CE bench --backend cpu --paths 400000
# Issue 17 item 2: end to end with the statistics reduced on the device (radix-sorted chunks of 2^20 paths, only
# summaries copied) against the kernel rate ("end to end / kernel rate"; target at least 80 %), and the same paths
# with every path copied and streamed on the host (sketch), to see what the device reduction saves.
bench cuda-device-4M     $CE bench --backend cuda --paths "$BIG" --statistics device
bench cuda-device-16M    $CE bench --backend cuda --paths $((4 * BIG)) --statistics device
bench cuda-sketch-4M     $CE bench --backend cuda --paths "$BIG" --statistics sketch
# The device's moments against the host's streamed ones on the same CUDA paths (equal but for fused multiply-adds).
$CE run benchmark-fleet --backend cuda --paths 2097152 --statistics device --json > "$W/device.json" 2>/dev/null
$CE run benchmark-fleet --backend cuda --paths 2097152 --statistics sketch --json > "$W/sketch.json" 2>/dev/null
python3 - "$W/device.json" "$W/sketch.json" <<'PY' | tee "$OUT/device-vs-sketch.txt"
import json, sys
d, s = (json.load(open(f)) for f in sys.argv[1:3])
dm, sm = d["metrics"], s["metrics"]
diffs = [(abs(dm[n]["mean"] - m["mean"]) / max(abs(m["mean"]), 1e-300), n) for n, m in sm.items()
         if isinstance(m.get("mean"), (int, float)) and isinstance(dm[n].get("mean"), (int, float))]
worst = max(diffs) if diffs else (float("nan"), "none")
print(f"device vs sketch on cuda, 2,097,152 paths: largest relative difference of a mean {worst[0]:.3g} ({worst[1]}); rank bounds {d['statistics']['quantile_rank_error']:.3g} / {s['statistics']['quantile_rank_error']:.3g}")
PY
# The lane kernel (CE_FLEET_KERNEL=lanes, 8 lanes a path) against the classic kernel above, in the same run.
bench lanes-libdevice-1M CE_FLEET_KERNEL=lanes $CE bench --backend cuda --paths 1048576
bench lanes-libdevice-4M CE_FLEET_KERNEL=lanes $CE bench --backend cuda --paths "$BIG"
bench lanes-float-4M     CE_FLEET_KERNEL=lanes CE_CUDA_MATH=float $CE bench --backend cuda --paths "$BIG"
# ptxas's registers and spills of both kernels at the launch shape (classic fleet-*, lanes fleet-lanes-*).
if command -v ptxas >/dev/null; then
  G=${CE_CUDA_GROUP_SIZE:-384}; M=${CE_CUDA_MIN_GROUPS_PER_SM:-1}
  bash .device/run.sh ComputeEconomics.Benchmarks ptx "$W/ptx" "$G" "$M" >/dev/null 2>&1
  for f in "$W"/ptx/*.ptx; do
    echo "ptxas $(basename "$f"): $(ptxas -v -arch=sm_90 "$f" -o /dev/null 2>&1 | grep -oE 'Used [0-9]+ registers|[0-9]+ bytes spill stores' | tr '\n' ' ')" | tee -a "$OUT/ptxas.txt"
  done
  python3 benchmarks/gpu/ptx-count.py "$W"/ptx/*.ptx | tee -a "$OUT/ptxas.txt"
fi

# Correctness: the same 100,000 paths on the cpu backend (all double) and on CUDA with each math path.
$CE run benchmark-fleet --backend cpu  --paths 100000 --out "$W/ref-cpu" --quiet
$CE run benchmark-fleet --backend cuda --paths 100000 --out "$W/cuda-libdevice" --quiet
CE_CUDA_MATH=float $CE run benchmark-fleet --backend cuda --paths 100000 --out "$W/cuda-float" --quiet
echo "== cuda libdevice vs cpu" | tee "$OUT/compare.txt"
python3 benchmarks/gpu/compare.py "$W/ref-cpu" "$W/cuda-libdevice" | tee -a "$OUT/compare.txt"
echo "== cuda float vs cpu" | tee -a "$OUT/compare.txt"
python3 benchmarks/gpu/compare.py "$W/ref-cpu" "$W/cuda-float" | tee -a "$OUT/compare.txt"
CE_FLEET_KERNEL=lanes $CE run benchmark-fleet --backend cuda --paths 100000 --out "$W/lanes-libdevice" --quiet
echo "== cuda lanes (libdevice) vs cuda classic (libdevice)" | tee -a "$OUT/compare.txt"
python3 benchmarks/gpu/compare.py "$W/cuda-libdevice" "$W/lanes-libdevice" | tee -a "$OUT/compare.txt"

# Profile one launch of the timed run (the warm-up launch is skipped).
if [ "${NCU:-1}" = 1 ] && command -v ncu >/dev/null; then
  timeout "${NCU_TIMEOUT:-180}" ncu --launch-skip 1 --launch-count 1 --section LaunchStats --section Occupancy \
    --section SpeedOfLight --section MemoryWorkloadAnalysis --section ComputeWorkloadAnalysis --section WarpStateStats --section SchedulerStats --section InstructionStats \
    $CE bench --backend cuda --paths 1048576 > "$OUT/ncu.txt" 2>&1 || echo "ncu failed: $?" >> "$OUT/ncu.txt"
  grep -E "Registers Per|Local Memory|Achieved Occupancy|Theoretical Occupancy|Duration|Memory Throughput|DRAM Throughput|Compute \(SM\)|L1/TEX Hit|L2 Hit|Block Size|Grid Size" "$OUT/ncu.txt" | head -30
fi

echo "================ summary"
for f in "$W"/bench-*.txt; do
  echo "$(basename "$f" .txt): $(grep -E 'path-months/s|time in statistics|end to end / kernel|time in device reduction' "$f" | tr -s ' ' | tr '\n' ';')  $(grep -E 'backend / math' "$f" | tr -s ' ' | cut -c1-60)"
done
grep -E "within 1e-4" "$OUT/compare.txt"

# BenchmarkDotNet on the GPU (BENCH=1): the CUDA fleet kernel at 1 M and 4 M paths, ShortRun.
if [ "${BENCH:-0}" = 1 ]; then
  (cd /tmp && timeout 240 bash "$OLDPWD/.device/run.sh" ComputeEconomics.Benchmarks --filter '*CudaFleetKernel*' --job short --inProcess 2>&1 \
    | grep -E "^\|| Cuda|Mean|Runtime|GPU|Error" | tail -12)
fi
