using System.Globalization;

namespace ComputeEconomics.Finance;

/// <summary>
/// Discounted cash flow on the host: net present value in both common conventions and the internal
/// rate of return. Rates are per period, as decimal fractions (0.08 = 8%), and cash flows are one
/// period apart. Two conventions exist and each function says which one it follows:
/// numpy-financial's <c>npv</c> puts the first value at t = 0, undiscounted; the spreadsheet
/// <c>NPV</c> puts it at t = 1 and discounts it.
/// </summary>
public static class Dcf
{
    /// <summary>Width of the grid step in ln(1 + r) on which <see cref="Irr"/> looks for sign changes.</summary>
    private const double IrrScanStep = 1e-3;

    /// <summary>The scan covers |ln(1 + r)| &lt;= this: r from about -1 + 1e-13 to about 1e13.</summary>
    private const double IrrScanLimit = 30.0;

    /// <summary>
    /// Net present value in the numpy-financial convention: sum over t = 0..n-1 of
    /// values[t] / (1 + rate)^t, so the first value (t = 0, usually the investment) is not discounted.
    /// </summary>
    /// <param name="rate">Discount rate per period, finite and &gt; -1.</param>
    /// <param name="values">Cash flows, one per period, the first at t = 0; at least one, all finite.</param>
    /// <exception cref="InputException">The rate or a value breaks those rules.</exception>
    public static double Npv(double rate, IReadOnlyList<double> values)
    {
        ThrowIfInvalid(rate, values);
        double sum = 0;
        for (int t = 0; t < values.Count; t++)
            sum += values[t] / Math.Pow(1.0 + rate, t);
        return sum;
    }

    /// <summary>
    /// Net present value in the spreadsheet (Excel, LibreOffice, Google Sheets <c>NPV</c>) convention:
    /// sum over i = 1..n of values[i-1] / (1 + rate)^i, so the first value is discounted one period.
    /// Equals <see cref="Npv"/> / (1 + rate).
    /// </summary>
    /// <param name="rate">Discount rate per period, finite and &gt; -1.</param>
    /// <param name="values">Cash flows at the ends of periods 1..n; at least one, all finite.</param>
    /// <exception cref="InputException">The rate or a value breaks those rules.</exception>
    public static double SpreadsheetNpv(double rate, IReadOnlyList<double> values)
    {
        ThrowIfInvalid(rate, values);
        double sum = 0;
        for (int i = 1; i <= values.Count; i++)
            sum += values[i - 1] / Math.Pow(1.0 + rate, i);
        return sum;
    }

    /// <summary>
    /// Internal rate of return: a rate r &gt; -1 at which <see cref="Npv"/> (first value at t = 0) is 0,
    /// or null when there is none (all values of one sign, or no real root was found).
    /// <para>
    /// Where several roots exist the choice is numpy-financial's default (its <c>irr</c> selection
    /// logic): the smallest non-negative root if there is one, otherwise the negative root closest
    /// to 0. The roots are found by scanning ln(1 + r) from 0 outwards in steps of 0.001 up to
    /// |ln(1 + r)| = 30 for a change of sign of the (positively rescaled) NPV polynomial, then
    /// refining the first bracket with Brent's method to full double precision. A root of even
    /// multiplicity (the NPV touches 0 without changing sign) or two roots closer than one scan
    /// step are not seen, as numpy-financial also drops roots that are not exactly real.
    /// </para>
    /// </summary>
    /// <param name="values">Cash flows, one per period, the first at t = 0; at least one, all finite.</param>
    /// <exception cref="InputException">A value is not finite, or there are none.</exception>
    public static double? Irr(IReadOnlyList<double> values)
    {
        ThrowIfInvalid(0.0, values);
        bool positive = false, negative = false;
        foreach (double v in values)
        {
            positive |= v > 0;
            negative |= v < 0;
        }
        if (!positive || !negative)
            return null;

        double atZero = Scaled(values, 0.0);
        if (atZero == 0)
            return 0.0;
        return ScanForRoot(values, atZero, +1) ?? ScanForRoot(values, atZero, -1);
    }

    /// <summary>
    /// Why <see cref="Irr"/> found no rate, in words for a report: the flows never change sign, or they do but the NPV
    /// keeps one sign at every rate the scan covers (-100 % to about 1e13 % a period). Null when an IRR exists.
    /// </summary>
    public static string? IrrAbsenceReason(IReadOnlyList<double> values)
    {
        if (Irr(values) != null) return null;
        bool positive = values.Any(v => v > 0), negative = values.Any(v => v < 0);
        if (!positive && !negative) return "every cash flow is 0";
        if (!positive || !negative)
            return $"the cash flows never change sign (all are {(positive ? ">= 0" : "<= 0")}), so no rate makes the NPV 0";
        string sign = Scaled(values, 0.0) > 0 ? "positive" : "negative";
        return $"the cash flows change sign but the NPV stays {sign} at every rate from -100 % to about 1e13 % a period";
    }

    /// <summary>
    /// Walks u = ln(1 + r) from 0 in <paramref name="direction"/> and returns the first root met,
    /// or null when the NPV keeps its sign up to the scan limit.
    /// </summary>
    private static double? ScanForRoot(IReadOnlyList<double> values, double atZero, int direction)
    {
        int steps = (int)Math.Round(IrrScanLimit / IrrScanStep);
        double previousRate = 0.0, previousValue = atZero;
        for (int k = 1; k <= steps; k++)
        {
            double rate = Math.Exp(direction * k * IrrScanStep) - 1.0;
            double value = Scaled(values, rate);
            if (value == 0)
                return rate;
            if ((value > 0) != (previousValue > 0))
            {
                return direction > 0
                    ? Brent(values, previousRate, rate, previousValue, value)
                    : Brent(values, rate, previousRate, value, previousValue);
            }
            previousRate = rate;
            previousValue = value;
        }
        return null;
    }

    /// <summary>
    /// NPV at <paramref name="rate"/> times a positive factor, evaluated without overflow by Horner's
    /// rule: for r &gt;= 0 the polynomial sum v_t x^t in x = 1/(1+r) (the NPV itself); for r &lt; 0
    /// the reversed polynomial sum v_t y^(n-1-t) in y = 1 + r (the NPV times (1+r)^(n-1)).
    /// The sign is the NPV's.
    /// </summary>
    private static double Scaled(IReadOnlyList<double> values, double rate)
    {
        double sum = 0;
        if (rate >= 0)
        {
            double x = 1.0 / (1.0 + rate);
            for (int t = values.Count - 1; t >= 0; t--)
                sum = sum * x + values[t];
        }
        else
        {
            double y = 1.0 + rate;
            for (int t = 0; t < values.Count; t++)
                sum = sum * y + values[t];
        }
        return sum;
    }

    /// <summary>
    /// Brent's root finder (inverse quadratic / secant steps safeguarded by bisection) on
    /// [<paramref name="a"/>, <paramref name="b"/>], where the scaled NPV changes sign; converges
    /// to the closest doubles around the root.
    /// </summary>
    private static double Brent(IReadOnlyList<double> values, double a, double b, double fa, double fb)
    {
        double c = a, fc = fa, d = b - a, e = d;
        for (int iteration = 0; iteration < 200; iteration++)
        {
            if (Math.Abs(fc) < Math.Abs(fb))
            {
                (a, b, c) = (b, c, b);
                (fa, fb, fc) = (fb, fc, fb);
            }
            double tolerance = 2.0 * double.Epsilon + 2.0 * 2.220446049250313e-16 * Math.Abs(b);
            double half = 0.5 * (c - b);
            if (Math.Abs(half) <= tolerance || fb == 0)
                return b;

            if (Math.Abs(e) >= tolerance && Math.Abs(fa) > Math.Abs(fb))
            {
                double s = fb / fa, p, q;
                if (a == c)
                {
                    p = 2.0 * half * s;
                    q = 1.0 - s;
                }
                else
                {
                    double qa = fa / fc, r = fb / fc;
                    p = s * (2.0 * half * qa * (qa - r) - (b - a) * (r - 1.0));
                    q = (qa - 1.0) * (r - 1.0) * (s - 1.0);
                }
                if (p > 0)
                    q = -q;
                else
                    p = -p;
                if (2.0 * p < Math.Min(3.0 * half * q - Math.Abs(tolerance * q), Math.Abs(e * q)))
                {
                    e = d;
                    d = p / q;
                }
                else
                {
                    d = half;
                    e = d;
                }
            }
            else
            {
                d = half;
                e = d;
            }

            a = b;
            fa = fb;
            b += Math.Abs(d) > tolerance ? d : (half > 0 ? tolerance : -tolerance);
            fb = Scaled(values, b);
            if ((fb > 0) == (fc > 0))
            {
                c = a;
                fc = fa;
                d = b - a;
                e = d;
            }
        }
        return b;
    }

    private static void ThrowIfInvalid(double rate, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var errors = new List<ValidationError>();
        if (!double.IsFinite(rate) || rate <= -1)
            errors.Add(new ValidationError("rate", rate.ToString("R", CultureInfo.InvariantCulture), "must be a finite number > -1"));
        if (values.Count == 0)
            errors.Add(new ValidationError("values", "(empty)", "must hold at least one cash flow"));
        for (int i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
                errors.Add(new ValidationError($"values[{i}]", values[i].ToString("R", CultureInfo.InvariantCulture), "must be a finite number"));
        }
        if (errors.Count > 0)
            throw new InputException(errors);
    }
}
