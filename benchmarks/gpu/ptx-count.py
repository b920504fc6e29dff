#!/usr/bin/env python3
"""Instruction counts of PTX files (docs/performance.md, "The lane kernel: PTX against the classic kernel").

    python3 benchmarks/gpu/ptx-count.py FILE.ptx [FILE.ptx ...]

instructions: statements ending in ';' that are not directives (.reg, .param, .loc, ...), labels or comments, in the
whole file ("all") and in the .entry function alone ("entry"); .funcs: how many .func bodies the file has; .reg: the
virtual registers the .entry function declares per type (ILGPU does not reuse virtual registers, so these measure code
size, not occupancy: ptxas allocates the physical ones); ld / st / bra / shfl / bar: instructions of the whole file by
opcode prefix (ld.*, st.*, bra*, shfl.*, bar.*).
"""
import re
import sys


def statements(text):
    """(function kind, statement) for every statement of the file, comments removed."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    kind = None
    depth = 0
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if depth == 0 and re.match(r"^(\.visible\s+|\.weak\s+)?\.entry\b", s):
            kind = "entry"
        elif depth == 0 and re.match(r"^(\.visible\s+|\.weak\s+|\.extern\s+)?\.func\b", s):
            kind = "func"
        depth += s.count("{") - s.count("}")
        for part in s.split(";")[:-1]:
            yield kind if depth > 0 else None, part.strip()


def count(path):
    text = open(path).read()
    all_ins, entry_ins = 0, 0
    ops = {"ld": 0, "st": 0, "bra": 0, "shfl": 0, "bar": 0}
    regs = {}
    for kind, st in statements(text):
        st = re.sub(r"^[\w$]+:\s*", "", st)           # a label before the statement
        st = re.sub(r"^@!?%\w+\s+", "", st)             # a predicate guard
        if not st or st.startswith(".") or st.startswith("{") or st.startswith("}"):
            m = re.match(r"\.reg\s+\.(\w+)\s+%\w+<(\d+)>", st)
            if m and kind == "entry":
                regs[m.group(1)] = regs.get(m.group(1), 0) + int(m.group(2))
            continue
        if kind is None:
            continue
        all_ins += 1
        if kind == "entry":
            entry_ins += 1
        op = st.split()[0]
        for prefix in ops:
            if op == prefix or op.startswith(prefix + "."):
                ops[prefix] += 1
    funcs = len(re.findall(r"^\s*(?:\.visible\s+|\.weak\s+)?\.func\b[^;]*$", text, flags=re.M))
    return all_ins, entry_ins, funcs, regs, ops


def main():
    print("| file | instructions all / entry | .funcs | entry .reg f64 / b64 / b32 / pred | ld / st / bra | shfl | bar |")
    print("|---|---|---|---|---|---|---|")
    for path in sys.argv[1:]:
        a, e, f, r, o = count(path)
        print(f"| {path.split('/')[-1]} | {a:,} / {e:,} | {f} | {r.get('f64', 0):,} / {r.get('b64', 0):,} / {r.get('b32', 0):,} / "
              f"{r.get('pred', 0):,} | {o['ld']:,} / {o['st']:,} / {o['bra']:,} | {o['shfl']:,} | {o['bar']:,} |")


if __name__ == "__main__":
    main()
