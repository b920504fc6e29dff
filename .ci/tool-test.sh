#!/usr/bin/env bash
# Packaging check (issue: reports, item 4): `dotnet pack` makes the ComputeEconomics.Cli .NET tool; installing it into a
# temporary tool path gives a `ce` that prints its version and commit and runs a scenario (and draws a report, which
# needs SkiaSharp's native library inside the package). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rm -rf ./nupkg
dotnet pack src/ComputeEconomics.Cli -c Release -o ./nupkg
ls -l ./nupkg

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private package folder, so an older ComputeEconomics.Cli of the same version in ~/.nuget cannot be installed instead.
NUGET_PACKAGES="$work/packages" dotnet tool install --tool-path "$work/tools" --add-source ./nupkg --ignore-failed-sources ComputeEconomics.Cli
ce="$work/tools/ce"

version=$("$ce" --version)
echo "ce --version: $version"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+[^\ ]*\ \(commit\ ([0-9a-f]{7,}|unknown)\)$ ]]; then
  echo "tool-test: ce --version printed '$version', expected 'X.Y.Z (commit HASH)'" >&2
  exit 1
fi

"$ce" run --paths 100
"$ce" run --paths 100 --backend cpu --quiet --out "$work/run" --report
test -s "$work/run/report.html" || { echo "tool-test: no report.html" >&2; exit 1; }
test -s "$work/run/charts/hist-npv.png" || { echo "tool-test: no chart PNG" >&2; exit 1; }
echo "tool-test: ok"
