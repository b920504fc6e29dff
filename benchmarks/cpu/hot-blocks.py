#!/usr/bin/env python3
"""Samples per basic block of one JIT-compiled method (docs/performance.md, "CPU throughput of the fleet kernel").

Record with the JIT's perf map and its disassembly of the method, then name the method's Tier1 code:
  DOTNET_EnableWriteXorExecute=0 DOTNET_PerfMapEnabled=1 DOTNET_JitDisasm='Simulate OperatingPass' \
    DOTNET_JitStdOutFile=/tmp/disasm.txt perf record -F 1999 -o /tmp/perf.data \
    dotnet src/ComputeEconomics.Cli/bin/Release/net10.0/ce.dll bench --backend cpu --threads 1 --paths 30000
  grep 'FleetModel::OperatingPass.*OptimizedTier1' /tmp/perf-PID.map     # start address and size (hex)
  python3 benchmarks/cpu/hot-blocks.py /tmp/perf.data START SIZE /tmp/disasm.txt OperatingPass [BLOCKS]
The sampled address is the instruction after the one that stalled (skid): read a block's hot offset with that in mind.
"""
import bisect
import collections
import re
import subprocess
import sys


def main():
    data, base, size, disasm, name = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3], 16), sys.argv[4], sys.argv[5]
    blocks = int(sys.argv[6]) if len(sys.argv) > 6 else 6
    ips = subprocess.run(['perf', 'script', '-i', data, '-F', 'ip'], capture_output=True, text=True, check=True).stdout.split()
    hits = collections.Counter(int(ip, 16) - base for ip in ips if 0 <= int(ip, 16) - base < size)
    print(f'samples {len(ips)}, in the method {sum(hits.values())}')
    lines = open(disasm).read().split('\n')
    start = max(i for i, l in enumerate(lines) if 'Assembly listing' in l and name in l and '(Tier1)' in l)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith('; Total bytes'))
    lines = lines[start:end]
    groups = [(int(m.group(2), 16), m.group(1), i) for i, l in enumerate(lines)
              if (m := re.match(r'(G_M\d+_IG\d+):.*offset=0x([0-9A-F]+)', l))]
    offsets = [g[0] for g in groups]
    per_group = collections.Counter()
    for off, n in hits.items():
        per_group[bisect.bisect_right(offsets, off) - 1] += n
    for off, n in hits.most_common(8):
        print(f'offset 0x{off:04X}: {n}')
    for g, n in per_group.most_common(blocks):
        first = groups[g][2]
        last = groups[g + 1][2] if g + 1 < len(groups) else first + 30
        print(f'===== {n} samples in {groups[g][1]} (0x{groups[g][0]:X})')
        print('\n'.join(lines[first:min(last, first + 45)]))


if __name__ == '__main__':
    main()
