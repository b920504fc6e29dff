#!/usr/bin/env bash
# Writes docs/scenarios.md from real runs of every built-in scenario.
#
#   bash scripts/scenarios-doc.sh [--paths N] [--seed S] [--backend B] [--ce PATH] [--out FILE] [--keep DIR]
#
# Defaults: 10,000 paths, seed 42, backend cpu, output docs/scenarios.md, `ce` built here in Release
# (`dotnet build src/ComputeEconomics.Cli -c Release`) unless --ce names one. The list of scenarios comes from
# `ce scenarios`, so a built-in scenario added later is picked up without touching this script. A scenario with a
# `sweep:` section runs with `ce sweep` (its points, transposed), every other one with `ce run --out` (its answer
# lines, metrics, event probabilities and, for uncertain inputs, their rank correlations with the headline).
# The prose comes from docs/scenarios.template.md (an introduction, then one "## NAME" section per scenario).
# The page is stamped with `git rev-parse --short HEAD` (with "+ uncommitted changes" when scenarios/, src/,
# kernels/ or the template differ from it), the UTC date, the backend, the path count and the seed.
#
# Needs bash, git, dotnet (or --ce) and python3 (3.8+, standard library only: json, csv) to read summary.json and
# points.csv and write Markdown; python3 is already needed by scripts/value-by-age.py and data/*.py.
set -euo pipefail
cd "$(dirname "$0")/.."

paths=10000; seed=42; backend=cpu; ce=""; out=docs/scenarios.md; keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --paths) paths="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --backend) backend="$2"; shift 2 ;;
    --ce) ce="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "scenarios-doc.sh: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
command -v python3 >/dev/null || { echo "scenarios-doc.sh: python3 is needed to read the runs' JSON" >&2; exit 1; }

if [ -z "$ce" ]; then
  dotnet build src/ComputeEconomics.Cli -c Release -v q -nologo >&2
  ce=src/ComputeEconomics.Cli/bin/Release/net10.0/ce
fi

work="${keep:-$(mktemp -d)}"
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT

commit=$(git rev-parse --short HEAD)
if ! git diff --quiet HEAD -- scenarios src kernels docs/scenarios.template.md; then commit="$commit + uncommitted changes"; fi
stamp_date=$(date -u '+%Y-%m-%d %H:%M UTC')
version=$("$ce" --version 2>/dev/null | head -n 1 || true)

# the default scenario first, then the others in `ce scenarios` order
"$ce" scenarios > "$work/scenarios.txt"
{ grep '(default)$' "$work/scenarios.txt" || true; grep -v '(default)$' "$work/scenarios.txt" || true; } \
  | awk 'NF {print $1 "\t" $2}' > "$work/list.tsv"
total_start=$(date +%s)
while IFS=$'\t' read -r name kind; do
  [ -n "$name" ] || continue
  dir="$work/$name"; rm -rf "$dir"; mkdir -p "$dir"
  start=$(date +%s.%N)
  if [ -f "scenarios/$name.yaml" ] && grep -q '^sweep:' "scenarios/$name.yaml"; then
    cmd="ce sweep $name --paths $paths --seed $seed --backend $backend --out DIR"
    "$ce" sweep "$name" --paths "$paths" --seed "$seed" --backend "$backend" --out "$dir/out" > "$dir/console.txt" 2>&1
    echo sweep > "$dir/type"
  else
    cmd="ce run $name --paths $paths --seed $seed --backend $backend --out DIR"
    "$ce" run "$name" --paths "$paths" --seed "$seed" --backend "$backend" --out "$dir/out" > "$dir/console.txt" 2>&1
    echo run > "$dir/type"
    # parameter uncertainty: scenarios/uncertain/NAME.yaml, one "FIELD: DISTRIBUTION" a line, applied with --set
    if [ -f "scenarios/uncertain/$name.yaml" ]; then
      sets=()
      while IFS= read -r line; do
        case "$line" in ''|'#'*) continue ;; esac
        sets+=(--set "${line%%: *}=${line#*: }")
      done < "scenarios/uncertain/$name.yaml"
      "$ce" run "$name" --paths "$paths" --seed "$seed" --backend "$backend" "${sets[@]}" --out "$dir/uncertain" \
        > "$dir/uncertain.txt" 2>&1 || true
    fi
    # variants named in the template's section: "variant: LABEL | --set k=v --set k=v"
    awk -v n="$name" '/^## /{s=($2==n)} s && /^variant: /{sub(/^variant: /,""); print}' docs/scenarios.template.md > "$dir/variants.txt"
    i=0
    while IFS= read -r v; do
      i=$((i+1)); label="${v%%|*}"; read -ra vargs <<< "${v#*|}"
      echo "$label" > "$dir/variant$i.label"; echo "${v#*|}" > "$dir/variant$i.args"
      "$ce" run "$name" --paths "$paths" --seed "$seed" --backend "$backend" "${vargs[@]}" --json \
        > "$dir/variant$i.json" 2> "$dir/variant$i.err" || true
    done < "$dir/variants.txt"
  fi
  end=$(date +%s.%N)
  echo "$cmd" > "$dir/command"
  echo "$kind" > "$dir/kind"
  python3 -c "print(f'{$end - $start:.1f}')" > "$dir/seconds"
  echo "scenarios-doc.sh: $name ($kind) $(cat "$dir/seconds") s" >&2
done < "$work/list.tsv"
total=$(( $(date +%s) - total_start ))

python3 - "$work" "$out" "$commit" "$stamp_date" "$paths" "$seed" "$backend" "$total" "$version" "$(nproc)" <<'PY'
import csv, json, math, os, re, sys
work, out, commit, stamp_date, paths, seed, backend, total, version, cores = sys.argv[1:11]

def fmt(x, unit=""):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    if unit in ("fraction", "fraction/yr"):
        return f"{100 * x:.1f}%"
    a = abs(x)
    if unit == "USD" or a >= 1e4:
        for div, suf in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
            if a >= div:
                return f"{x / div:.2f}{suf}"
    if a >= 100:
        return f"{x:,.0f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"

def unit_label(u):
    return {"fraction": "%", "fraction/yr": "%/yr"}.get(u, u or "")

# the template: introduction, then "## NAME" sections
intro, blurbs, cur = [], {}, None
text = open("docs/scenarios.template.md").read()
text = re.sub(r"<!--.*?-->\n?", "", text, flags=re.S)
for line in text.splitlines():
    m = re.match(r"^## (\S+)\s*$", line)
    if m:
        cur = m.group(1); blurbs[cur] = []; continue
    if line.startswith("variant: "):
        continue
    (intro if cur is None else blurbs[cur]).append(line)

lines = [l for l in intro]
while lines and not lines[-1].strip():
    lines.pop()
lines += ["", f"Generated by `bash scripts/scenarios-doc.sh --paths {paths} --seed {seed} --backend {backend}` at commit "
          f"`{commit}` on {stamp_date} ({version or 'ce'}; {cores} cores shared with other jobs): every scenario at "
          f"{int(paths):,} paths and seed {seed}; all runs together took {total} s. `ce` below stands for "
          f"`dotnet run --project src/ComputeEconomics.Cli -c Release --`. Runs are bit-reproducible for the same seed, "
          f"path count and backend; other backends agree to rounding; the scenarios' own `paths:` may be larger.", ""]

names = [l.split("\t")[0] for l in open(os.path.join(work, "list.tsv")).read().splitlines() if l.strip()]
for name in names:
    d = os.path.join(work, name)
    kind = open(os.path.join(d, "kind")).read().strip()
    typ = open(os.path.join(d, "type")).read().strip()
    cmd = open(os.path.join(d, "command")).read().strip()
    secs = open(os.path.join(d, "seconds")).read().strip()
    console = open(os.path.join(d, "console.txt")).read()
    lines += [f"## {name} ({kind}{', a sweep' if typ == 'sweep' else ''})", ""]
    summ_path = os.path.join(d, "out", "summary.json")
    summ = json.load(open(summ_path)) if os.path.exists(summ_path) else None
    question = summ.get("question") if summ else None
    if not question:
        m = re.search(r"^question:\s*(.+)$", open(f"scenarios/{name}.yaml").read(), re.M) if os.path.exists(f"scenarios/{name}.yaml") else None
        question = m.group(1).strip() if m else ""
    if question:
        lines += [f"**{question}**", ""]
    body = blurbs.get(name, [])
    while body and not body[0].strip(): body = body[1:]
    while body and not body[-1].strip(): body = body[:-1]
    if body:
        lines += body + [""]
    lines += [f"`{cmd.replace('DIR', 'out/' + name)}` ({secs} s wall on this machine for this scenario's runs, "
              f"its variants included):", ""]
    if typ == "run":
        if summ is None:
            lines += ["The run failed:", "", "```", console.strip()[-2000:], "```", ""]
            continue
        # answer lines: after the question line, up to the first blank line
        def answer_lines(console_text):
            cl, ans = console_text.splitlines(), []
            for i, l in enumerate(cl):
                if question and l.strip() == question.strip():
                    for l2 in cl[i + 1:]:
                        if not l2.strip():
                            if ans: break
                            continue
                        ans.append(l2.rstrip())
                    break
            return ans
        ans = answer_lines(console)
        if ans:
            lines += ["```"] + ans + ["```", ""]
        probs = summ.get("probabilities") or {}
        if probs:
            lines += ["| event | probability | 95% interval |", "|---|---|---|"]
            for k, v in probs.items():
                p, se = v.get("p"), v.get("stderr") or 0.0
                if p is None: continue
                lo, hi = max(0.0, p - 1.96 * se), min(1.0, p + 1.96 * se)
                lines.append(f"| {k} | {100 * p:.1f}% | {100 * lo:.1f}% - {100 * hi:.1f}% |")
            lines.append("")
        mets = summ.get("metrics") or {}
        if mets:
            lines += ["| metric | unit | mean | 95% interval of the mean | P5 | P50 | P95 | paths with a value |",
                      "|---|---|---|---|---|---|---|---|"]
            for k, v in mets.items():
                if not v.get("count"):
                    continue
                u = v.get("unit", "")
                mean, se = v.get("mean"), v.get("stderr") or 0.0
                ci = f"{fmt(mean - 1.96 * se, u)} .. {fmt(mean + 1.96 * se, u)}"
                n = v.get("count", 0) ; a = v.get("absent", 0)
                lines.append(f"| {k} | {unit_label(u)} | {fmt(mean, u)} | {ci} | {fmt(v.get('p5'), u)} | "
                             f"{fmt(v.get('p50'), u)} | {fmt(v.get('p95'), u)} | {100 * n / max(1, n + a):.0f}% |")
            lines.append("")
        usumm_path = os.path.join(d, "uncertain", "summary.json")
        if os.path.exists(os.path.join(d, "uncertain.txt")):
            lines += [f"**With the parameter uncertainty** of `scenarios/uncertain/{name}.yaml` (each line applied with "
                      f"`--set`; same paths and seed):", ""]
            if os.path.exists(usumm_path):
                summ = json.load(open(usumm_path))
                ua = answer_lines(open(os.path.join(d, "uncertain.txt")).read())
                if ua:
                    lines += ["```"] + ua + ["```", ""]
            else:
                lines += ["The run failed:", "", "```", open(os.path.join(d, "uncertain.txt")).read().strip()[-2000:], "```", ""]
        k = 1
        vrows = []
        while os.path.exists(os.path.join(d, f"variant{k}.label")):
            label = open(os.path.join(d, f"variant{k}.label")).read().strip()
            args = open(os.path.join(d, f"variant{k}.args")).read().strip()
            try:
                vs = json.load(open(os.path.join(d, f"variant{k}.json")))
            except Exception:
                vs = None
            vrows.append((label, args, vs))
            k += 1
        if vrows:
            base = json.load(open(summ_path))
            ev = list((base.get("probabilities") or {}).keys())
            m0 = next(iter(base.get("metrics") or {}), None)
            u0 = (base.get("metrics") or {}).get(m0, {}).get("unit", "")
            lines += [f"Variants (point values as in the file, then the changes shown; same paths and seed):", "",
                      "| variant | changes | " + " | ".join(f"P({e})" for e in ev) + (f" | {m0} mean |" if m0 else " |"),
                      "|---|---|" + "---|" * (len(ev) + (1 if m0 else 0))]
            for label, args, vs in [("as in the file", "-", base)] + vrows:
                if vs is None:
                    lines.append(f"| {label} | `{args}` | failed |"); continue
                pr = vs.get("probabilities") or {}
                cells = [f"{100 * pr[e]['p']:.1f}%" if e in pr else "-" for e in ev]
                mm = (vs.get("metrics") or {}).get(m0, {}).get("mean") if m0 else None
                lines.append(f"| {label} | {('`' + args + '`') if args != '-' else '-'} | " + " | ".join(cells) +
                             (f" | {fmt(mm, u0)} |" if m0 else " |"))
            lines.append("")
        inputs = summ.get("inputs") or {}
        ranked = []
        for field, v in inputs.items():
            for key, rho in v.items():
                if key.startswith("rank_correlation_") and isinstance(rho, (int, float)):
                    ranked.append((field, key[len("rank_correlation_"):], rho, v))
        if ranked:
            head = ranked[0][1]
            ranked.sort(key=lambda r: -abs(r[2]))
            lines += [f"What drives the headline ({head}): the rank correlation of each uncertain input's draw with it, "
                      f"largest first.", "",
                      f"| input | distribution | sampled mean | rank correlation with {head} | rho^2 |", "|---|---|---|---|---|"]
            for field, h, rho, v in ranked:
                dist = v.get("distribution") or v.get("description") or ""
                sm = v.get("mean")
                lines.append(f"| `{field}` | {dist} | {fmt(sm) if isinstance(sm, (int, float)) else '-'} | {rho:+.3f} | {rho * rho:.3f} |")
            lines.append("")
        else:
            lines += ["No uncertain inputs: every path has the same parameters, so `ce run` ranks no input; the spread "
                      "above comes from the market paths (and, where modelled, failures) alone.", ""]
    else:
        pts = os.path.join(d, "out", "points.csv")
        if not os.path.exists(pts):
            lines += ["The sweep failed:", "", "```", console.strip()[-2000:], "```", ""]
            continue
        rows = list(csv.DictReader(open(pts)))
        man = json.load(open(os.path.join(d, "out", "manifest.json")))
        units = man.get("units") or {}
        axes = [a.get("name") or a.get("field") for a in man.get("axes", [])] if isinstance(man.get("axes"), list) else []
        cols = list(rows[0].keys()) if rows else []
        axes = [a for a in axes if a in cols] or [c for c in cols[1:2]]
        head = "| | " + " | ".join(", ".join(f"{a} {r[a]}" for a in axes) for r in rows) + " |"
        lines += [f"Means over {int(paths):,} paths at each point (common random numbers: the points see the same paths):", "",
                  head, "|---" * (len(rows) + 1) + "|"]
        for c in cols:
            if c.endswith("_mean"):
                m = c[:-5]; u = units.get(m, "")
                vals = [float(r[c]) if r[c] not in ("", None) else None for r in rows]
                if all(v is None for v in vals): continue
                lines.append(f"| {m} ({unit_label(u)}) | " + " | ".join(fmt(v, u) for v in vals) + " |")
            elif c.endswith("_probability"):
                vals = [float(r[c]) if r[c] not in ("", None) else None for r in rows]
                lines.append(f"| P({c[:-12]}) | " + " | ".join("-" if v is None else f"{100 * v:.1f}%" for v in vals) + " |")
        lines.append("")
        lines += [f"What drives it: the swept axis ({', '.join(axes)}), point by point in the table above.", ""]

tmp = out + ".tmp"
with open(tmp, "w") as f:
    f.write("\n".join(lines).rstrip() + "\n")
os.replace(tmp, out)
print(f"wrote {out}", file=sys.stderr)
PY
