#!/usr/bin/env bash
# Kernel variants x launch shapes on the device machine (after `bash benchmarks/gpu/pack.sh`): times the CUDA
# fleet kernel for the packed build ("main") and for each variant build in .device/alt/NAME/ (dlls laid over the
# packed ones), with ptxas's register and spill report for each; then profiles main (NCU=1) and, with CHECKS=1,
# runs benchmarks/gpu/gpu-checks.sh with the fastest shape of main. Prints a table last.
set -uo pipefail
OUT=${OUT:-/tmp/ce-gpu-out}; mkdir -p "$OUT"
exec > >(tee "$OUT/gpu-tune.log") 2>&1
export CUDA_HOME=${CUDA_HOME:-/usr/local/cuda} PATH=$PATH:/usr/local/cuda/bin
CE="bash .device/run.sh ComputeEconomics.Cli"
PATHS=${PATHS:-2097152}
SHAPES=${SHAPES:-256:0 384:1 256:2}
$CE --version
APPS="/tmp/ce-device/app/ComputeEconomics.Cli /tmp/ce-device/app/ComputeEconomics.Benchmarks"
for a in $APPS; do mkdir -p "$a.main" && cp "$a"/*.dll "$a.main/"; done
use() {  # variant name: main or a folder under .device/alt
  for a in $APPS; do cp "$a.main"/*.dll "$a/"; [ "$1" = main ] || cp ".device/alt/$1"/*.dll "$a/"; done
}
results=()
for v in main $(ls .device/alt 2>/dev/null); do
  use "$v"
  for s in $SHAPES; do
    g=${s%%:*}; m=${s##*:}
    r=$(CE_CUDA_GROUP_SIZE=$g CE_CUDA_MIN_GROUPS_PER_SM=$m $CE bench --backend cuda --paths "$PATHS" 2>&1 | grep -E "path-months/s \(kernel\)" | tr -dc '0-9')
    regs=""
    if command -v ptxas >/dev/null; then
      bash .device/run.sh ComputeEconomics.Benchmarks ptx "/tmp/ptx-$v" "$g" "$m" >/dev/null 2>&1
      for math in DoubleMath FloatMath; do
        f=/tmp/ptx-$v/fleet-$math-g$g-m$m.ptx
        regs+="$math: $(ptxas -v -arch=sm_90 "$f" -o /dev/null 2>&1 | grep -oE 'Used [0-9]+ registers|[0-9]+ bytes spill stores' | tr '\n' ' ')"
      done
    fi
    echo "$v group=$g min_groups_per_sm=$m: ${r:-failed} path-months/s (kernel) | $regs"
    results+=("${r:-0} $v $g $m")
  done
done
use main
if [ "${NCU:-1}" = 1 ] && command -v ncu >/dev/null; then
  timeout 150 ncu --launch-skip 1 --launch-count 1 --section LaunchStats --section Occupancy --section SpeedOfLight \
    --section InstructionStats --section WarpStateStats --section ComputeWorkloadAnalysis \
    $CE bench --backend cuda --paths 1048576 > "$OUT/ncu.txt" 2>&1 || echo "ncu failed: $?" >> "$OUT/ncu.txt"
  grep -E "Registers Per|Achieved Occupancy|Duration|Executed Ipc A|Warp Cycles Per Issued" "$OUT/ncu.txt" | head
fi
if [ "${CHECKS:-0}" = 1 ]; then
  best=$(printf '%s\n' "${results[@]}" | grep " main " | sort -n | tail -1)
  read -r rate v group minG <<<"$best"
  CE_CUDA_GROUP_SIZE=$group CE_CUDA_MIN_GROUPS_PER_SM=$minG NCU=0 bash benchmarks/gpu/gpu-checks.sh > /dev/null 2>&1
  tail -8 "$OUT/gpu-checks.log"
fi
echo "================ variants x shapes (path-months/s of the kernel, $PATHS paths x 120 months)"
printf '%s\n' "${results[@]}" | sort -n
