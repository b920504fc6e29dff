#!/usr/bin/env bash
# CPU time of `ce bench` on the cpu backend for two or more builds, alternating, several rounds (docs/performance.md,
# "CPU throughput of the fleet kernel"). CPU time (perf stat task-clock) is far steadier than wall time on a shared
# machine. Each DIR is a copy of src/ComputeEconomics.Cli/bin/Release/net10.0 of one build.
#   bash benchmarks/cpu/ab-task-clock.sh ROUNDS PATHS THREADS DIR_A DIR_B [DIR ...]
# Prints: DIR task-clock-ms kernel-path-months/s mean-NPV (the NPV must agree between builds). The CPU time per
# path-month is the slope between two path counts, (ms(P2) - ms(P1)) / ((P2 - P1) x 120), which removes start-up and JIT.
set -euo pipefail
rounds=${1:?rounds}; paths=${2:?paths}; threads=${3:?threads}; shift 3
for _ in $(seq "$rounds"); do
  for d in "$@"; do
    out=$(perf stat -e task-clock -x, dotnet "$d/ce.dll" bench --backend cpu --threads "$threads" --paths "$paths" 2>&1)
    echo "$d $(echo "$out" | grep task-clock | cut -d, -f1) $(echo "$out" | grep 'path-months/s (kernel)' | awk '{print $3}') $(echo "$out" | grep 'mean NPV' | awk '{print $NF}')"
  done
done
