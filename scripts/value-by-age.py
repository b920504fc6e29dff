#!/usr/bin/env python3
"""Value of one H100 by age under the default scenario (scenarios/neocloud-h100.yaml) on its expected price path,
running every month (the old value) and with the option to idle (docs/model.md 5), against dated H100 rents of
docs/sources.md section 2. Prints the markdown table of docs/model.md "Value by age". Exact Black-Scholes sums
(no interpolation): the kernel's table interpolation differs by at most 0.5% of a month's revenue.
With a path argument it also writes the chart (SVG): python3 scripts/value-by-age.py docs/value-by-age.svg"""
import math
import sys

P0, MU, SIGMA, THETA, ELEC, PUE, IDLE, COLO, KW, WACC, LIFE = 3.49, -0.068, 0.177, 0.75, 0.0962, 1.3, 0.3, 184, 1.275, 0.12, 84
OBSERVED = {0: "3.49 (Lambda, 2024-01)", 9: "2.99 (SemiAnalysis, 2024-10)", 21: "1.70 low (SemiAnalysis 1-yr index, 2025-10)",
            26: "2.35 (1-yr index, 2026-03)", 28: "2.95 (37-provider median, aimultiple, 2026-05)"}


def phi(z):
    return 0.5 * math.erfc(-z / math.sqrt(2))


OBSERVED_RENT = [(0, 3.49), (9, 2.99), (21, 1.70), (26, 2.35), (28, 2.95)]   # months from 2024-01, USD/h (docs/sources.md 2)


def values(age, rho, cost):
    """Expected rent, value running every month, value with the option to idle, at the given age."""
    price = P0 * math.exp(MU * age / 12)
    revenue = price * THETA * 730
    forward = option = 0.0
    for k in range(1, LIFE - age + 1):
        f, v, d = revenue * math.exp(MU * k / 12), SIGMA * math.sqrt(k / 12), (1 + rho) ** -k
        forward += d * (f - cost)
        d1 = (math.log(f / cost) + v * v / 2) / v
        option += d * (f * phi(d1) - cost * phi(d1 - v))
    return price, max(0.0, forward), option


def svg(rho, cost, path):
    """Two panels: the unit's value by age (old and new), and the expected rent path against the dated rents."""
    w, h, left, top, pw, ph = 860, 330, 60, 30, 340, 240
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">']
    ages = list(range(0, LIFE + 1, 2))
    rows = [values(a, rho, cost) for a in ages]
    for panel, (title, ymax, series) in enumerate([
            ("H100 value by age, USD (neocloud-h100, expected price path)", 80000,
             [("#999", [r[1] for r in rows], "running every month (old)"), ("#c33", [r[2] for r in rows], "option to idle (new)")]),
            ("H100 rent, USD/h: model's expected path and dated quotes", 4.0, [("#36c", [r[0] for r in rows], "model P_0 e^(mu t/12)")])]):
        x0 = left + panel * (pw + 90)
        out.append(f'<text x="{x0}" y="{top - 12}">{title}</text>')
        out.append(f'<rect x="{x0}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#000"/>')
        sx = lambda a: x0 + pw * a / LIFE
        sy = lambda v: top + ph * (1 - v / ymax)
        for t in range(0, LIFE + 1, 12):
            out.append(f'<text x="{sx(t):.1f}" y="{top + ph + 14}" text-anchor="middle">{t}</text>')
        out.append(f'<text x="{x0 + pw / 2}" y="{top + ph + 28}" text-anchor="middle">age in months (from 2024-01)</text>')
        for i in range(5):
            v = ymax * i / 4
            out.append(f'<text x="{x0 - 4}" y="{sy(v) + 4:.1f}" text-anchor="end">{v:,.0f}</text>' if ymax > 10 else
                       f'<text x="{x0 - 4}" y="{sy(v) + 4:.1f}" text-anchor="end">{v:.1f}</text>')
        for j, (colour, ys, label) in enumerate(series):
            pts = " ".join(f"{sx(a):.1f},{sy(y):.1f}" for a, y in zip(ages, ys))
            out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
            out.append(f'<text x="{x0 + pw - 4}" y="{top + 14 + 14 * j}" text-anchor="end" fill="{colour}">{label}</text>')
        if panel == 1:
            for a, r in OBSERVED_RENT:
                out.append(f'<circle cx="{sx(a):.1f}" cy="{sy(r):.1f}" r="4" fill="#000"/>')
            out.append(f'<text x="{x0 + pw - 4}" y="{top + 28}" text-anchor="end">dots: quoted H100 rents</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    rho = (1 + WACC) ** (1 / 12) - 1
    cost = KW * PUE * 730 * ELEC * (IDLE + (1 - IDLE) * THETA) + KW * COLO
    if len(sys.argv) > 1:
        svg(rho, cost, sys.argv[1])
    print(f"running cost c = {cost:.1f} USD per unit-month")
    print("| age (months) | month | expected rent (USD/h) | V, running every month | V, option to idle | observed H100 rent (USD/h) |")
    print("|---|---|---|---|---|---|")
    for age in [0, 9, 12, 21, 24, 26, 28, 36, 48, 60, 72]:
        price, forward, option = values(age, rho, cost)
        print(f"| {age} | {2024 + age // 12}-{1 + age % 12:02d} | {price:.2f} | {forward:,.0f} | {option:,.0f} | {OBSERVED.get(age, '')} |")

if __name__ == "__main__":
    main()
