#!/usr/bin/env bash
# Occupancy sweep of the CUDA fleet kernel on the device machine (after `bash benchmarks/gpu/pack.sh`), then
# the full checks (benchmarks/gpu/gpu-checks.sh) with the fastest launch shape. Prints a table last.
# Optional: .device/alt/ComputeEconomics.Kernels.dll, a variant kernel library timed with the same shapes.
set -uo pipefail
OUT=${OUT:-/tmp/ce-gpu-out}; mkdir -p "$OUT"
exec > >(tee "$OUT/gpu-tune.log") 2>&1
export CUDA_HOME=${CUDA_HOME:-/usr/local/cuda} PATH=$PATH:/usr/local/cuda/bin
CE="bash .device/run.sh ComputeEconomics.Cli"
PATHS=${PATHS:-2097152}
$CE --version >/dev/null
APP=/tmp/ce-device/app/ComputeEconomics.Cli
SHAPES=${SHAPES:-"256:0 256:2 256:3 256:4 128:4 128:6 128:8 64:16"}
results=()
time_shape() {  # label group min
  local r
  r=$(CE_CUDA_GROUP_SIZE=$2 CE_CUDA_MIN_GROUPS_PER_SM=$3 $CE bench --backend cuda --paths "$PATHS" 2>&1 | grep -E "path-months/s \(kernel\)" | tr -dc '0-9')
  echo "$1 group=$2 min_groups_per_sm=$3: ${r:-failed} path-months/s (kernel)"
  results+=("${r:-0} $1 $2 $3")
}
for s in $SHAPES; do time_shape ref "${s%%:*}" "${s##*:}"; done
if [ -f .device/alt/ComputeEconomics.Kernels.dll ]; then
  cp "$APP/ComputeEconomics.Kernels.dll" /tmp/kernels-main.dll
  cp .device/alt/ComputeEconomics.Kernels.dll "$APP/"
  for s in ${ALT_SHAPES:-"256:0 256:2 128:4"}; do time_shape alt "${s%%:*}" "${s##*:}"; done
  cp /tmp/kernels-main.dll "$APP/"
fi
# Registers and spills that ptxas reports for the float-math PTX at each shape (no GPU needed for this part).
if command -v ptxas >/dev/null; then
  for s in $SHAPES; do
    bash .device/run.sh ComputeEconomics.Benchmarks ptx /tmp/ptx "${s%%:*}" "${s##*:}" >/dev/null 2>&1
    f=/tmp/ptx/fleet-FloatMath-g${s%%:*}-m${s##*:}.ptx
    echo "ptxas $s: $(ptxas -v -arch=sm_90 "$f" -o /dev/null 2>&1 | grep -E 'registers|spill' | tr -s ' ' | tr '\n' ' ')"
  done
fi
best=$(printf '%s\n' "${results[@]}" | grep " ref " | sort -n | tail -1)
read -r rate label group minG <<<"$best"
echo "fastest: $label group=$group min_groups_per_sm=$minG ($rate path-months/s)"
CE_CUDA_GROUP_SIZE=$group CE_CUDA_MIN_GROUPS_PER_SM=$minG NCU=${NCU:-1} bash benchmarks/gpu/gpu-checks.sh > /dev/null 2>&1
cat "$OUT/gpu-checks.log" | tail -8
echo "================ occupancy sweep"
printf '%s\n' "${results[@]}" | sort -n
