#!/usr/bin/env bash
# Queue a sharded sweep: an N-task job array (one shard per task) and a merge job that waits for all of them.
#   deploy/slurm/submit.sh SWEEP.yaml OUTDIR N [ce sweep options...]
# Prints the two job ids. Per task: CE_GPUS_PER_TASK (default 1; 0 = none), CE_CPUS (default 4), CE_MEM (default 8G).
# Extra sbatch options go in SBATCH_ARRAY_OPTS / SBATCH_MERGE_OPTS (e.g. --partition=gpu). CE is the ce command.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sweep=${1:?usage: submit.sh SWEEP.yaml OUTDIR N [ce sweep options...]}
out=${2:?usage: submit.sh SWEEP.yaml OUTDIR N [ce sweep options...]}
n=${3:?usage: submit.sh SWEEP.yaml OUTDIR N [ce sweep options...]}
shift 3
mkdir -p "$out"
res=(--cpus-per-task="${CE_CPUS:-4}" --mem="${CE_MEM:-8G}")
[ "${CE_GPUS_PER_TASK:-1}" != 0 ] && res+=(--gres=gpu:"${CE_GPUS_PER_TASK:-1}")
# shellcheck disable=SC2086
array=$(sbatch --parsable --array=0-$((n - 1)) --chdir="$PWD" --export=ALL,CE_SHARDS="$n" "${res[@]}" ${SBATCH_ARRAY_OPTS:-} \
  "$here/sweep-array.sh" "$sweep" "$out" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes --chdir="$PWD" --export=ALL --mem="${CE_MERGE_MEM:-2G}" ${SBATCH_MERGE_OPTS:-} \
  "$here/merge.sh" "$out" "$n")
echo "array $array merge ${merge%%;*}"
