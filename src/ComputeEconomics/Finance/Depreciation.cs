using System.Globalization;
using ComputeEconomics.Kernels.Finance;

namespace ComputeEconomics.Finance;

/// <summary>Depreciation method of a schedule.</summary>
public enum DepreciationMethod
{
    /// <summary>Straight line, spreadsheet SLN: (cost - salvage) / life each period.</summary>
    StraightLine,

    /// <summary>
    /// Declining balance at factor / life per period with the switch to straight line of spreadsheet
    /// VDB; with <c>noSwitch: true</c> it is plain DDB (no switch).
    /// </summary>
    DecliningBalance,

    /// <summary>Sum of the years' digits, spreadsheet SYD.</summary>
    SumOfYearsDigits,

    /// <summary>
    /// MACRS 5-year property, half-year convention (IRS Publication 946, Table A-1): six tax years,
    /// recovering the whole cost; salvage must be 0 and life must be 5.
    /// </summary>
    Macrs5y,
}

/// <summary>One period of a depreciation schedule.</summary>
/// <param name="Period">Period number, 1-based (period p is the interval (p-1, p]).</param>
/// <param name="Depreciation">Charge of the period (money).</param>
/// <param name="BookValue">Book value at the end of the period: cost less the charges so far.</param>
public sealed record DepreciationRow(int Period, double Depreciation, double BookValue);

/// <summary>
/// Depreciation schedules and spans with spreadsheet semantics. The arithmetic is
/// <see cref="DepreciationMath"/>'s, the very functions the GPU kernels run.
/// <para>
/// Periods are of any length (years, months, days) as long as life, start and end use the same one.
/// Life must be a whole number of periods (1..<see cref="MaxLife"/>); MACRS 5-year has life 5 and
/// spans 6 tax years (half-year convention). MACRS recovers the whole cost, so salvage must be 0
/// for it (a non-zero salvage is reported as an error rather than silently ignored).
/// </para>
/// </summary>
public static class Depreciation
{
    /// <summary>Largest life accepted, in periods (e.g. 27 years of days).</summary>
    public const int MaxLife = 10_000;

    /// <summary>Recovery period of MACRS 5-year property, the only life it accepts.</summary>
    public const int Macrs5yLife = 5;

    /// <summary>Tax years over which MACRS 5-year property is recovered (half-year convention).</summary>
    public const int Macrs5yTaxYears = 6;

    /// <summary>
    /// Every spelling of a method, to (method, plain DDB without the switch to straight line). The scenario
    /// spelling (straight_line, declining_balance, sum_of_years_digits, macrs_5y) is the canonical one; hyphens,
    /// spaces and case do not matter; the spreadsheet names are aliases: SLN, SYD, VDB (declining balance switching
    /// to straight line), DDB (plain double declining balance, no switch); db and ddb-vdb short forms too.
    /// </summary>
    private static readonly Dictionary<string, (DepreciationMethod Method, bool NoSwitch)> MethodNames = new(StringComparer.Ordinal)
    {
        ["straight_line"] = (DepreciationMethod.StraightLine, false), ["sln"] = (DepreciationMethod.StraightLine, false),
        ["sl"] = (DepreciationMethod.StraightLine, false),
        ["declining_balance"] = (DepreciationMethod.DecliningBalance, false), ["vdb"] = (DepreciationMethod.DecliningBalance, false),
        ["db"] = (DepreciationMethod.DecliningBalance, false), ["ddb"] = (DepreciationMethod.DecliningBalance, true),
        ["double_declining_balance"] = (DepreciationMethod.DecliningBalance, true),
        ["sum_of_years_digits"] = (DepreciationMethod.SumOfYearsDigits, false), ["syd"] = (DepreciationMethod.SumOfYearsDigits, false),
        ["sum_of_the_years_digits"] = (DepreciationMethod.SumOfYearsDigits, false),
        ["macrs_5y"] = (DepreciationMethod.Macrs5y, false), ["macrs5y"] = (DepreciationMethod.Macrs5y, false), ["macrs"] = (DepreciationMethod.Macrs5y, false),
    };

    /// <summary>The canonical (scenario file) names of the methods, in enum order.</summary>
    public static IReadOnlyList<string> MethodSpellings { get; } = new[] { "straight_line", "declining_balance", "sum_of_years_digits", "macrs_5y" };

    /// <summary>The canonical name of <paramref name="method"/> (as in scenario files).</summary>
    public static string Name(DepreciationMethod method) => MethodSpellings[(int)method];

    /// <summary>
    /// Parse a method name in any accepted spelling (see <see cref="MethodNames"/>); <paramref name="noSwitch"/> is true
    /// for DDB, the spreadsheet function that never switches to straight line. <see cref="InputException"/> naming
    /// <paramref name="field"/> otherwise.
    /// </summary>
    public static DepreciationMethod ParseMethod(string field, string text, out bool noSwitch)
    {
        string key = text.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_').Replace("'", "");
        if (MethodNames.TryGetValue(key, out var m))
        {
            noSwitch = m.NoSwitch;
            return m.Method;
        }
        string rule = key == "units_of_production"
            ? "is a book method of fleet scenarios (it needs the usage of each period); here use one of "
            : "must be one of ";
        throw new InputException(field, text.Length == 0 ? "''" : text, rule + string.Join(", ", MethodSpellings)
            + " (hyphens or underscores; aliases SLN, SYD, VDB, DDB = no switch to straight line, db, macrs)");
    }

    /// <summary>
    /// Checks every argument and returns all the problems at once (empty when the arguments are
    /// valid). Rules: cost finite and &gt; 0; 0 &lt;= salvage &lt;= cost (salvage = 0 for MACRS);
    /// life a whole number in 1..<see cref="MaxLife"/> (exactly 5 for MACRS); factor finite and &gt; 0;
    /// start and end given together or not at all, with 0 &lt;= start &lt;= end &lt;= life
    /// (&lt;= 6 tax years for MACRS). Field names: method, cost, salvage, life, factor, start, end.
    /// </summary>
    /// <param name="cost">Initial cost (money).</param>
    /// <param name="salvage">Value at the end of the life (money).</param>
    /// <param name="life">Life in periods.</param>
    /// <param name="method">Depreciation method.</param>
    /// <param name="factor">Declining-balance rate multiplier (checked for every method).</param>
    /// <param name="start">Start of a span, or null for a whole schedule.</param>
    /// <param name="end">End of a span, or null for a whole schedule.</param>
    public static IReadOnlyList<ValidationError> Validate(double cost, double salvage, double life,
        DepreciationMethod method, double factor = 2, double? start = null, double? end = null)
    {
        var errors = new List<ValidationError>();
        if (!Enum.IsDefined(method))
            errors.Add(new ValidationError("method", method.ToString(), "must be a known depreciation method"));
        bool macrs = method == DepreciationMethod.Macrs5y;
        bool costOk = double.IsFinite(cost) && cost > 0;
        if (!costOk)
            errors.Add(Error("cost", cost, "must be a finite number > 0"));

        if (!double.IsFinite(salvage) || salvage < 0)
            errors.Add(Error("salvage", salvage, "must be a finite number >= 0"));
        else if (macrs && salvage != 0)
            errors.Add(Error("salvage", salvage, "must be 0 for macrs_5y (MACRS recovers the whole cost)"));
        else if (costOk && salvage > cost)
            errors.Add(Error("salvage", salvage, $"must be <= cost ({Format(cost)})"));

        bool lifeOk;
        if (macrs)
        {
            lifeOk = life == Macrs5yLife;
            if (!lifeOk)
                errors.Add(Error("life", life, $"must be {Macrs5yLife} for macrs_5y (5-year property)"));
        }
        else
        {
            lifeOk = double.IsFinite(life) && life >= 1 && life <= MaxLife && life == Math.Floor(life);
            if (!lifeOk)
                errors.Add(Error("life", life, $"must be a whole number of periods from 1 to {MaxLife}"));
        }

        if (!double.IsFinite(factor) || factor <= 0)
            errors.Add(Error("factor", factor, "must be a finite number > 0"));

        if (start.HasValue != end.HasValue)
        {
            string missing = start.HasValue ? "end" : "start";
            string other = start.HasValue ? "start" : "end";
            errors.Add(new ValidationError(missing, "(missing)", $"must be given together with {other}"));
        }
        else if (start is double s && end is double e)
        {
            ValidateSpan(errors, s, e, macrs ? Macrs5yTaxYears : life, lifeOk, macrs);
        }
        return errors;
    }

    /// <summary>
    /// Depreciation schedule, one row per period (per tax year for MACRS: 6 rows). Straight line and
    /// sum of years' digits are spreadsheet SLN and SYD per period. Declining balance takes
    /// VDB(p - 1, p) for each period p, so it switches to straight line when that is larger, like
    /// spreadsheet VDB and so that the schedule ends exactly at salvage; for plain DDB (no switch)
    /// pass <c>noSwitch: true</c>. Book values are cost less the running sum of the charges; every method but plain
    /// DDB ends exactly at salvage (0 for MACRS), its last charge being what is left above it.
    /// </summary>
    /// <param name="cost">Initial cost (money), &gt; 0.</param>
    /// <param name="salvage">Value at the end of the life (money), 0..cost; 0 for MACRS.</param>
    /// <param name="life">Life in whole periods (5 for MACRS).</param>
    /// <param name="method">Depreciation method.</param>
    /// <param name="factor">Declining-balance rate multiplier, &gt; 0 (2 = double declining balance).</param>
    /// <param name="noSwitch">Declining balance only: never switch to straight line (plain DDB).</param>
    /// <exception cref="InputException">Any argument breaks a rule of <see cref="Validate"/>.</exception>
    public static IReadOnlyList<DepreciationRow> Schedule(double cost, double salvage, double life,
        DepreciationMethod method, double factor = 2, bool noSwitch = false)
    {
        ThrowIfInvalid(Validate(cost, salvage, life, method, factor));
        int periods = method == DepreciationMethod.Macrs5y ? Macrs5yTaxYears : (int)life;
        // Every method but plain DDB ends at salvage by construction (MACRS at 0). The period that reaches it (the last,
        // or earlier for a declining balance) charges what is left above salvage, so the rounding of the charges before
        // lands there (a few units in the last place) instead of in a book value of 299.9999999999999 for 300, or
        // -1e-17 for MACRS's 0.
        bool endsAtSalvage = !(method == DepreciationMethod.DecliningBalance && noSwitch);
        var rows = new DepreciationRow[periods];
        double book = cost;
        for (int p = 1; p <= periods; p++)
        {
            double charge = Charge(cost, salvage, life, p, method, factor, noSwitch);
            ThrowIfOverflow(charge, book, cost, method);     // before the charge is capped at what is left above salvage
            bool reachesSalvage = endsAtSalvage && (p == periods || book - charge < salvage);
            if (reachesSalvage) charge = book - salvage;
            book = reachesSalvage ? salvage : book - charge;
            rows[p - 1] = new DepreciationRow(p, charge, book);
            ThrowIfOverflow(charge, book, cost, method);
        }
        return rows;
    }

    /// <summary>
    /// Depreciation over the span (start, end] in periods (tax years for MACRS). Declining balance
    /// is spreadsheet VDB(cost, salvage, life, start, end, factor, noSwitch). The other methods sum
    /// their per-period charges over the span, a period partly inside the span counting for the
    /// fraction inside it (linear within a period, which is also how VDB treats fractional periods):
    /// straight line gives SLN * (end - start).
    /// </summary>
    /// <param name="cost">Initial cost (money), &gt; 0.</param>
    /// <param name="salvage">Value at the end of the life (money), 0..cost; 0 for MACRS.</param>
    /// <param name="life">Life in whole periods (5 for MACRS).</param>
    /// <param name="start">Start of the span, 0..end (0 = purchase).</param>
    /// <param name="end">End of the span, start..life (..6 for MACRS).</param>
    /// <param name="method">Depreciation method.</param>
    /// <param name="factor">Declining-balance rate multiplier, &gt; 0.</param>
    /// <param name="noSwitch">Declining balance only: never switch to straight line.</param>
    /// <exception cref="InputException">Any argument breaks a rule of <see cref="Validate"/>.</exception>
    public static double Total(double cost, double salvage, double life, double start, double end,
        DepreciationMethod method, double factor = 2, bool noSwitch = false)
    {
        ThrowIfInvalid(Validate(cost, salvage, life, method, factor, start, end));
        if (method == DepreciationMethod.DecliningBalance)
        {
            double vdb = DepreciationMath.Vdb(cost, salvage, life, start, end, factor, noSwitch);
            ThrowIfOverflow(vdb, 0, cost, method);
            return vdb;
        }

        double total = 0;
        int from = (int)Math.Floor(start) + 1;
        int to = (int)Math.Ceiling(end);
        for (int p = from; p <= to; p++)
        {
            double inside = Math.Min(end, p) - Math.Max(start, p - 1);
            if (inside > 0)
                total += inside * Charge(cost, salvage, life, p, method, factor, noSwitch);
        }
        ThrowIfOverflow(total, 0, cost, method);
        return total;
    }

    /// <summary>Charge of whole period <paramref name="period"/> (tax year for MACRS).</summary>
    private static double Charge(double cost, double salvage, double life, int period, DepreciationMethod method,
        double factor, bool noSwitch) => method switch
        {
            DepreciationMethod.StraightLine => DepreciationMath.Sln(cost, salvage, life),
            DepreciationMethod.SumOfYearsDigits => DepreciationMath.Syd(cost, salvage, life, period),
            DepreciationMethod.DecliningBalance => DepreciationMath.Vdb(cost, salvage, life, period - 1, period, factor, noSwitch),
            DepreciationMethod.Macrs5y => cost * DepreciationMath.Macrs5yRate(period),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown depreciation method"),
        };

    private static void ValidateSpan(List<ValidationError> errors, double start, double end, double limit,
        bool limitOk, bool macrs)
    {
        bool startOk = double.IsFinite(start) && start >= 0;
        if (!startOk)
            errors.Add(Error("start", start, "must be a finite number >= 0"));
        if (!double.IsFinite(end))
            errors.Add(Error("end", end, "must be a finite number"));
        else if (startOk && end < start)
            errors.Add(Error("end", end, $"must be >= start ({Format(start)})"));
        else if (limitOk && end > limit)
            errors.Add(Error("end", end, macrs
                ? $"must be <= {Macrs5yTaxYears} (macrs_5y spans {Macrs5yTaxYears} tax years)"
                : $"must be <= life ({Format(limit)})"));
    }

    /// <summary>
    /// Results are finite or refused: a cost so large that the arithmetic overflows a double (e.g. SYD multiplies it
    /// by 2 x life) is an error naming the cost, never an Infinity in a table or a CSV.
    /// </summary>
    private static void ThrowIfOverflow(double charge, double book, double cost, DepreciationMethod method)
    {
        if (!double.IsFinite(charge) || !double.IsFinite(book))
            throw new InputException("cost", Format(cost), $"must be small enough that the {Name(method)} arithmetic stays finite (it overflows a double here)");
    }

    private static void ThrowIfInvalid(IReadOnlyList<ValidationError> errors)
    {
        if (errors.Count > 0)
            throw new InputException(errors);
    }

    private static ValidationError Error(string field, double value, string rule) => new(field, Format(value), rule);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
