#!/usr/bin/env bash
# Merge job: runs after every array task succeeded (--dependency=afterok:ARRAYJOB) and writes OUTDIR/merged.
#   sbatch --dependency=afterok:JOBID deploy/slurm/merge.sh OUTDIR N [ce merge options...]
#SBATCH --job-name=ce-merge
#SBATCH --cpus-per-task=1

#SBATCH --time=00:30:00
#SBATCH --output=%x-%j.log
set -euo pipefail
out=${1:?usage: merge.sh OUTDIR N [ce merge options...]}
n=${2:?usage: merge.sh OUTDIR N [ce merge options...]}
shift 2
ce=${CE:-ce}
dirs=()
for ((k = 0; k < n; k++)); do dirs+=("$out/shard-$k"); done
exec $ce merge "${dirs[@]}" --out "$out/merged" --quiet "$@"
