#!/usr/bin/env bash
# Instructions executed per path-month by the cpu backend, counted (not timed) with valgrind's cachegrind: the same
# build gives the same count to a few parts in a million whatever the machine's load, so a change of 1 % is seen in one
# run where wall or CPU time on a shared machine needs many rounds (docs/performance.md, "CPU throughput of the fleet
# kernel"). Tiered compilation is off (DOTNET_TieredCompilation=0: every method compiled once, fully optimised, no
# profile-guided rewrites), because the tiers' timing is not deterministic under valgrind; the code measured is
# therefore close to, not the same as, the code of a normal run (no dynamic PGO), and a change is judged by both this
# count and the CPU time of benchmarks/cpu/ab-task-clock.sh.
#   bash benchmarks/cpu/ir-count.sh DIR [P1 P2]     DIR: a copy of src/ComputeEconomics.Cli/bin/Release/net10.0
# Prints the instructions of `ce bench --backend cpu --threads 1 --paths P` at P1 and P2 (default 2,048 and 4,096;
# about 30 and 45 s each) and the slope (I(P2) - I(P1)) / ((P2 - P1) x 120), which removes start-up, JIT and the
# bench's untimed warm-up run of min(2,048, P) paths (the same for both when P1 >= 2,048); the mean NPV of each run,
# which must agree between builds that claim the same results.
set -euo pipefail
dir=${1:?usage: ir-count.sh DIR [P1 P2]}; p1=${2:-2048}; p2=${3:-4096}
command -v valgrind >/dev/null || { echo "ir-count.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
count() {
  DOTNET_EnableWriteXorExecute=0 DOTNET_TieredCompilation=0 valgrind --tool=cachegrind --cache-sim=no \
    --smc-check=all-non-file --cachegrind-out-file=/dev/null dotnet "$dir/ce.dll" bench --backend cpu --threads 1 \
    --paths "$1" 2>&1 | awk '/I +refs:/ { gsub(",", "", $NF); ir = $NF } /mean NPV/ { npv = $NF } END { print ir, npv }'
}
(( p1 >= 2048 && p2 > p1 )) || { echo "ir-count.sh: need 2048 <= P1 < P2 (the warm-up is min(2048, P) paths)" >&2; exit 2; }
read -r i1 n1 < <(count "$p1")
read -r i2 n2 < <(count "$p2")
echo "$dir paths $p1: $i1 instructions (mean NPV $n1); paths $p2: $i2 (mean NPV $n2)"
python3 -c "print('$dir instructions per path-month: %.0f' % (($i2 - $i1) / (($p2 - $p1) * 120.0)))"
