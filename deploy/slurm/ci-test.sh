#!/usr/bin/env bash
# Proves the Slurm path end to end on one machine (Debian 12, root): installs slurm-wlm and munge from Debian's
# packages, starts munged, slurmctld and slurmd on localhost, builds ce, runs a small sweep in one process, submits
# the same sweep as a 4-task job array plus a dependent merge job on the CPU backend, waits, and compares the merged
# points.csv and points.parquet byte for byte with the single-process ones. Stops the daemons it started (by pid).
# Exit 0 on identical results; non-zero on any mismatch, failure or timeout (CE_CI_TIMEOUT seconds, default 600).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
limit=${CE_CI_TIMEOUT:-600}
deadline=$((SECONDS + limit))
left() { local l=$((deadline - SECONDS)); [ "$l" -gt 0 ] || { echo "ci-test: out of time (${limit} s)" >&2; exit 1; }; echo "$l"; }
log() { echo "ci-test: $*" >&2; }

work=$(mktemp -d /tmp/ce-slurm-ci.XXXXXX)
started=()
cleanup() {
  local rc=$?
  for pidfile in "${started[@]}"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
  if [ "$rc" -ne 0 ]; then
    log "failed (exit $rc); logs:"
    tail -n 30 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log "$work"/*.log 2>/dev/null >&2 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  timeout "$(left)" apt-get update -qq
  timeout "$(left)" apt-get install -y -qq slurm-wlm munge >/dev/null
fi

log "building ce"
timeout "$(left)" dotnet build "$root/src/ComputeEconomics.Cli" -c Release -v q -nologo >/dev/null
export CE="dotnet $root/src/ComputeEconomics.Cli/bin/Release/net10.0/ce.dll"

# Stale daemons of an earlier run of this script (same pid files) would hold the ports.
for pidfile in /run/slurmctld.pid /run/slurmd.pid; do
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then kill "$(cat "$pidfile")"; sleep 1; fi
done

h=$(hostname)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ce
SlurmctldHost=$h
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmdSpoolDir=/var/spool/slurmd
StateSaveLocation=/var/spool/slurmctld
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
NodeName=$h CPUs=$(nproc) RealMemory=2000 State=UNKNOWN
PartitionName=debug Nodes=$h Default=YES MaxTime=INFINITE State=UP
CONF
[ -f /etc/munge/munge.key ] || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
chown munge:munge /etc/munge/munge.key /run/munge
chmod 400 /etc/munge/munge.key
if ! munge -n >/dev/null 2>&1; then
  /usr/sbin/munged --force
  started+=(/run/munge/munged.pid)
fi
/usr/sbin/slurmctld
started+=(/run/slurmctld.pid)
sleep 2
/usr/sbin/slurmd
started+=(/run/slurmd.pid)
until sinfo -h -o '%T' 2>/dev/null | grep -qE '^idle'; do sleep 1; left >/dev/null; done
log "cluster up: $(sinfo -h -o '%P %a %D %T')"

cd "$work"
cat > sweep.yaml <<'YAML'
scenario: neocloud-h100
sweep:
  axes:
    - { field: fleet.financing.debt_share, from: 0.3, to: 0.8, steps: 4 }
    - { field: fleet.depreciation.book.useful_life_months, name: book_life, values: [48, 72] }
YAML
opts=(--paths 400 --set horizon_months=60 --backend cpu --threads 1)
log "single-process sweep"
timeout "$(left)" $CE sweep sweep.yaml "${opts[@]}" --out single --quiet

log "submitting a 4-task array and a dependent merge"
ids=$(CE_GPUS_PER_TASK=0 CE_CPUS=1 CE_MEM=400M CE_MERGE_MEM=400M "$root/deploy/slurm/submit.sh" sweep.yaml slurm 4 "${opts[@]}")
log "$ids"
array=$(echo "$ids" | awk '{print $2}')
merge=$(echo "$ids" | awk '{print $4}')
while [ -n "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]; do sleep 2; left >/dev/null; done

for f in points.csv points.parquet; do
  [ -f "slurm/merged/$f" ] || { log "slurm/merged/$f missing: a job failed"; exit 1; }
  cmp "single/$f" "slurm/merged/$f" || { log "$f differs from the single-process run"; exit 1; }
done
for k in 0 1 2 3; do
  grep -q "\"shard\": \"$k/4\"" "slurm/shard-$k/manifest.json" || { log "shard $k manifest missing"; exit 1; }
done
log "identical: merged points.csv and points.parquet equal the single-process run ($(($(wc -l < single/points.csv) - 1)) points)"
