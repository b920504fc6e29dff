#!/usr/bin/env bash
# Packs the .NET runtime and the published programs for a GPU machine that has no .NET (like
# the project-wide device pack script, but linux-x64 assets only, so the payload stays small):
#   bash benchmarks/gpu/pack.sh [PROJECT.csproj ...]     (default: the CLI and the benchmarks)
# Writes .device/{payload.tar.gz,run.sh,commit}; on the GPU machine: bash .device/run.sh ComputeEconomics.Cli bench
set -euo pipefail
root=$(git rev-parse --show-toplevel); cd "$root"
mkdir -p .git/info; grep -qx '/.device/' .git/info/exclude 2>/dev/null || echo '/.device/' >> .git/info/exclude
rm -rf .device && mkdir -p .device/stage/app .device/stage/dotnet/shared/Microsoft.NETCore.App
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
rt=$(ls -d "$dotnet_root"/shared/Microsoft.NETCore.App/* | sort -V | tail -n 1)
cp -r "$rt" .device/stage/dotnet/shared/Microsoft.NETCore.App/
cp -r "$dotnet_root/host" "$dotnet_root/dotnet" .device/stage/dotnet/
projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(src/ComputeEconomics.Cli/ComputeEconomics.Cli.csproj benchmarks/ComputeEconomics.Benchmarks/ComputeEconomics.Benchmarks.csproj)
for p in "${projects[@]}"; do
  name=$(basename "$p" .csproj)
  echo "publishing $name" >&2
  dotnet publish "$p" -c Release -r linux-x64 --self-contained false -o ".device/stage/app/$name" --nologo -v q -p:UseAppHost=false >&2
done
tar -C .device/stage -czf .device/payload.tar.gz dotnet app
rm -rf .device/stage
git rev-parse --short HEAD > .device/commit
git diff --quiet HEAD || echo "$(cat .device/commit)+dirty" > .device/commit
cat > .device/run.sh <<'RUN'
#!/usr/bin/env bash
# Unpacks the carried runtime and programs (once per machine), then runs: run.sh PROGRAM [ARGS...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ -f /tmp/ce-device/.unpacked ] || { mkdir -p /tmp/ce-device && tar -C /tmp/ce-device -xzf "$here/payload.tar.gz" && touch /tmp/ce-device/.unpacked; }
export DOTNET_ROOT=/tmp/ce-device/dotnet PATH=/tmp/ce-device/dotnet:$PATH
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
prog=$1; shift
dll=/tmp/ce-device/app/$prog/$prog.dll; [ -f "$dll" ] || dll=$(ls /tmp/ce-device/app/$prog/*.runtimeconfig.json | head -1 | sed "s/.runtimeconfig.json$/.dll/")
exec dotnet "$dll" "$@"
RUN
chmod +x .device/run.sh
du -sh .device >&2
