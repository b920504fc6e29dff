#!/usr/bin/env python3
"""Value of one H100 by age under the default scenario (scenarios/neocloud-h100.yaml) on its expected price path,
running every month (the old value) and with the option to idle (docs/model.md 5), against dated H100 rents of
docs/sources.md section 2. Prints the markdown table of docs/model.md "Value by age". Exact Black-Scholes sums
(no interpolation): the kernel's table interpolation differs by at most 0.5% of a month's revenue."""
import math

P0, MU, SIGMA, THETA, ELEC, PUE, IDLE, COLO, KW, WACC, LIFE = 3.49, -0.36, 0.25, 0.75, 0.0962, 1.3, 0.3, 184, 1.275, 0.12, 84
OBSERVED = {0: "3.49 (Lambda, 2024-01)", 9: "2.99 (SemiAnalysis, 2024-10)", 21: "1.70 low (SemiAnalysis 1-yr index, 2025-10)",
            26: "2.35 (1-yr index, 2026-03)", 28: "2.95 (37-provider median, aimultiple, 2026-05)"}


def phi(z):
    return 0.5 * math.erfc(-z / math.sqrt(2))


def main():
    rho = (1 + WACC) ** (1 / 12) - 1
    cost = KW * PUE * 730 * ELEC * (IDLE + (1 - IDLE) * THETA) + KW * COLO
    print(f"running cost c = {cost:.1f} USD per unit-month")
    print("| age (months) | month | expected rent (USD/h) | V, running every month | V, option to idle | observed H100 rent (USD/h) |")
    print("|---|---|---|---|---|---|")
    for age in [0, 9, 12, 21, 24, 26, 28, 36, 48, 60, 72]:
        price = P0 * math.exp(MU * age / 12)
        revenue = price * THETA * 730
        forward = option = 0.0
        for k in range(1, LIFE - age + 1):
            f, v, d = revenue * math.exp(MU * k / 12), SIGMA * math.sqrt(k / 12), (1 + rho) ** -k
            forward += d * (f - cost)
            d1 = (math.log(f / cost) + v * v / 2) / v
            option += d * (f * phi(d1) - cost * phi(d1 - v))
        print(f"| {age} | {2024 + age // 12}-{1 + age % 12:02d} | {price:.2f} | {max(0.0, forward):,.0f} | {option:,.0f} | {OBSERVED.get(age, '')} |")


if __name__ == "__main__":
    main()
