#!/usr/bin/env bash
# One shard of a ComputeEconomics sweep per Slurm array task, on the GPU of its node.
# Submit with deploy/slurm/submit.sh (which also queues the dependent merge), or by hand:
#   sbatch --array=0-$((N-1)) deploy/slurm/sweep-array.sh SWEEP.yaml OUTDIR [ce sweep options...]
# GPUs, CPUs and memory per task are set by submit.sh (CE_GPUS_PER_TASK, CE_CPUS, CE_MEM), so the same script runs
# on GPU nodes and on the CPU-only test cluster of ci-test.sh.
# Each task writes OUTDIR/shard-K (K = SLURM_ARRAY_TASK_ID, N = SLURM_ARRAY_TASK_COUNT) and checkpoints there:
# a requeued or preempted task resumes where it stopped (--resume), with identical results.
#SBATCH --job-name=ce-sweep
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --output=%x-%A_%a.log
set -euo pipefail
sweep=${1:?usage: sweep-array.sh SWEEP.yaml OUTDIR [ce sweep options...]}
out=${2:?usage: sweep-array.sh SWEEP.yaml OUTDIR [ce sweep options...]}
shift 2
k=${SLURM_ARRAY_TASK_ID:?run as a job array (sbatch --array=0-N)}
n=${CE_SHARDS:-${SLURM_ARRAY_TASK_COUNT:?run as a job array}}
ce=${CE:-ce}
resume=()
[ -f "$out/shard-$k/.checkpoint.csv" ] && resume=(--resume)
# --backend defaults to auto (CUDA on a GPU node); pass --backend cpu to run on CPUs.
exec $ce sweep "$sweep" --shard "$k/$n" --out "$out/shard-$k" --quiet "${resume[@]}" "$@"
