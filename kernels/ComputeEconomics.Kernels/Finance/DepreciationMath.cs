namespace ComputeEconomics.Kernels.Finance;

/// <summary>
/// Depreciation arithmetic with spreadsheet semantics (Excel / LibreOffice SLN, SYD, DDB, VDB), the
/// IRS MACRS 5-year table and per-month helpers for the fleet kernel.
/// <para>
/// Every member is a pure static function of doubles and ints: no arrays, allocation, reference types,
/// exceptions or strings, so the same code runs on the CPU and inside ILGPU kernels. Arguments are
/// not validated here (the host validates them, see <c>ComputeEconomics.Finance.Depreciation.Validate</c>);
/// an unknown method code gives <see cref="double.NaN"/> so that misuse shows up in the results.
/// </para>
/// <para>
/// Units: <c>cost</c> and <c>salvage</c> are money; <c>life</c> and periods count periods of any
/// length (years, months, days) as long as all arguments use the same one. Period <c>p</c> is the
/// interval (p-1, p]; the first period after purchase is period 1.
/// </para>
/// </summary>
public static class DepreciationMath
{
    /// <summary>Method code: straight line, (cost - salvage) / life every period.</summary>
    public const int StraightLine = 0;

    /// <summary>Method code: declining balance at <c>factor / life</c> per period, as spreadsheet VDB.</summary>
    public const int DecliningBalance = 1;

    /// <summary>Method code: sum of the years' digits.</summary>
    public const int SumOfYearsDigits = 2;

    /// <summary>
    /// Method code: units of production. The charge depends on usage, not age: call
    /// <see cref="UnitsOfProductionCharge"/>; the age-based helpers return NaN for this code.
    /// </summary>
    public const int UnitsOfProduction = 3;

    /// <summary>Method code: MACRS 5-year property, half-year convention (IRS Pub. 946 Table A-1), 72 months.</summary>
    public const int Macrs5y = 4;

    /// <summary>Months over which MACRS 5-year property is recovered: six tax years (half-year convention).</summary>
    public const int Macrs5yMonths = 72;

    /// <summary>
    /// Relative distance below which a period argument counts as a whole number, the role of
    /// LibreOffice's approxFloor / approxCeil / approxEqual in its VDB.
    /// </summary>
    public const double WholePeriodTolerance = 1e-12;

    /// <summary>Straight-line charge per period, spreadsheet <c>SLN</c>: (cost - salvage) / life.</summary>
    /// <param name="cost">Initial cost (money).</param>
    /// <param name="salvage">Value at the end of the life (money).</param>
    /// <param name="life">Number of periods, &gt; 0.</param>
    public static double Sln(double cost, double salvage, double life) => (cost - salvage) / life;

    /// <summary>
    /// Sum-of-years'-digits charge for one period, spreadsheet <c>SYD</c>:
    /// (cost - salvage) * (life - period + 1) / (life * (life + 1) / 2).
    /// </summary>
    /// <param name="cost">Initial cost (money).</param>
    /// <param name="salvage">Value at the end of the life (money).</param>
    /// <param name="life">Number of periods, &gt; 0.</param>
    /// <param name="period">Period number, 1..life.</param>
    public static double Syd(double cost, double salvage, double life, double period)
        => (cost - salvage) * (life - period + 1.0) / (life * (life + 1.0) / 2.0);

    /// <summary>
    /// Declining-balance charge for one period without a switch to straight line, spreadsheet <c>DDB</c>:
    /// min(B * factor / life, B - salvage), floored at 0, where B = cost * (1 - factor/life)^(period-1)
    /// is the book value before the period (cost less the charges of the earlier periods).
    /// A rate factor/life of 1 or more writes the asset down to salvage in period 1.
    /// </summary>
    /// <param name="cost">Initial cost (money).</param>
    /// <param name="salvage">Value at the end of the life (money); the book value never goes below it.</param>
    /// <param name="life">Number of periods, &gt; 0.</param>
    /// <param name="period">Period number, 1..life (the power formula also accepts fractional periods).</param>
    /// <param name="factor">Rate multiplier, &gt; 0 (2 = double declining balance).</param>
    public static double Ddb(double cost, double salvage, double life, double period, double factor)
    {
        double rate = Math.Min(factor / life, 1.0);
        double before = rate == 1.0
            ? (period == 1.0 ? cost : 0.0)
            : cost * Math.Pow(1.0 - rate, period - 1.0);
        return DdbCharge(before, salvage, rate);
    }

    /// <summary>
    /// Variable declining balance over (start, end], spreadsheet <c>VDB</c> (the Excel-compatible
    /// algorithm of LibreOffice's ScVDB).
    /// <para>
    /// With the switch (<paramref name="noSwitch"/> false) each whole period takes the larger of the
    /// declining-balance charge and the straight-line charge of the remaining depreciable amount over
    /// the remaining life, and keeps straight line once it is larger. Without it, the charges are
    /// <see cref="Ddb"/>'s. A fractional start or end takes that fraction of the whole period's charge
    /// (linear within a period); VDB(0, 0.875) is 0.875 times the first period's charge. A start or
    /// end within <see cref="WholePeriodTolerance"/> (relative) of a whole number counts as whole.
    /// Cost: O(end) operations, one power per period only for <paramref name="noSwitch"/>.
    /// </para>
    /// </summary>
    /// <param name="cost">Initial cost (money).</param>
    /// <param name="salvage">Value at the end of the life (money), 0..cost.</param>
    /// <param name="life">Number of periods, &gt; 0.</param>
    /// <param name="startPeriod">Start of the span, 0..endPeriod (0 = purchase).</param>
    /// <param name="endPeriod">End of the span, startPeriod..life.</param>
    /// <param name="factor">Rate multiplier, &gt; 0 (2 = double declining balance).</param>
    /// <param name="noSwitch">True: never switch to straight line (Excel's no_switch = TRUE).</param>
    public static double Vdb(double cost, double salvage, double life, double startPeriod, double endPeriod,
        double factor, bool noSwitch)
    {
        bool startWhole = IsWhole(startPeriod);
        bool endWhole = IsWhole(endPeriod);
        double first = startWhole ? Nearest(startPeriod) : Math.Floor(startPeriod);
        double last = endWhole ? Nearest(endPeriod) : Math.Ceiling(endPeriod);
        if (noSwitch)
            return DdbSpan(cost, salvage, life, startPeriod, endPeriod, first, last, factor);

        double prior = SwitchedSum(cost, salvage, life, life, (int)first, factor);
        double total = SwitchedSum(cost - prior, salvage, life, life - first, (int)(last - first), factor);
        if (!startWhole)
            total -= (startPeriod - first) * SwitchedPeriod(cost, salvage, life, first, factor);
        if (!endWhole)
            total -= (last - endPeriod) * SwitchedPeriod(cost, salvage, life, last - 1.0, factor);
        return total;
    }

    /// <summary>
    /// MACRS rate for 5-year property, half-year convention (IRS Publication 946, Table A-1):
    /// 20%, 32%, 19.2%, 11.52%, 11.52%, 5.76% of the unadjusted basis for tax years 1..6; 0 otherwise.
    /// </summary>
    /// <param name="year">Tax year of the recovery, 1-based.</param>
    public static double Macrs5yRate(int year)
    {
        switch (year)
        {
            case 1: return 0.20;
            case 2: return 0.32;
            case 3: return 0.192;
            case 4: return 0.1152;
            case 5: return 0.1152;
            case 6: return 0.0576;
            default: return 0.0;
        }
    }

    /// <summary>
    /// Units-of-production charge (method code <see cref="UnitsOfProduction"/>; the function has its own
    /// name because C# does not allow a constant and a method of the same name): (cost - salvage) / totalUnits per unit used, capped so that the
    /// accumulated depreciation never exceeds cost - salvage (book value never below salvage).
    /// </summary>
    /// <param name="cost">Initial cost (money).</param>
    /// <param name="salvage">Value at the end of the useful output (money).</param>
    /// <param name="totalUnits">Units (e.g. GPU-hours) the asset delivers over its life, &gt; 0.</param>
    /// <param name="unitsThisPeriod">Units used in this period; negative counts as 0.</param>
    /// <param name="accumulatedSoFar">Depreciation already charged in earlier periods (money, not units).</param>
    public static double UnitsOfProductionCharge(double cost, double salvage, double totalUnits, double unitsThisPeriod,
        double accumulatedSoFar)
    {
        double charge = (cost - salvage) / totalUnits * Math.Max(unitsThisPeriod, 0.0);
        double left = cost - salvage - accumulatedSoFar;
        return Math.Max(0.0, Math.Min(charge, left));
    }

    /// <summary>
    /// Depreciation charged in month <paramref name="ageMonths"/> (1 = first month after purchase).
    /// Straight line: SLN per month; sum of years' digits: SYD with months as periods; declining
    /// balance: VDB(age - 1, age) with months as periods; MACRS 5-year: the annual Table A-1 rate
    /// spread evenly over the 12 months of each tax year, cost * rate(year) / 12, for 72 months.
    /// <para>
    /// Returns 0 before month 1 and after the life (after month 72 for MACRS). MACRS ignores
    /// <paramref name="salvage"/>, <paramref name="lifeMonths"/>, <paramref name="factor"/> and
    /// <paramref name="noSwitch"/>: by law it recovers the whole cost, down to a book value of 0.
    /// The other methods never take the book value below salvage. Units of production and unknown
    /// codes return NaN (use <see cref="UnitsOfProductionCharge"/>).
    /// </para>
    /// </summary>
    /// <param name="method">One of the method codes of this class.</param>
    /// <param name="cost">Initial cost (money).</param>
    /// <param name="salvage">Value at the end of the life (money), 0..cost.</param>
    /// <param name="lifeMonths">Life in months, &gt;= 1.</param>
    /// <param name="ageMonths">Month number, 1-based.</param>
    /// <param name="factor">Declining-balance rate multiplier, &gt; 0 (2 = double declining balance).</param>
    /// <param name="noSwitch">Declining balance only: never switch to straight line.</param>
    public static double MonthlyBook(int method, double cost, double salvage, int lifeMonths, int ageMonths,
        double factor, bool noSwitch)
    {
        if (method == Macrs5y)
            return ageMonths < 1 || ageMonths > Macrs5yMonths ? 0.0 : cost * Macrs5yRate((ageMonths - 1) / 12 + 1) / 12.0;
        if (method < StraightLine || method > SumOfYearsDigits)
            return double.NaN;
        if (ageMonths < 1 || ageMonths > lifeMonths)
            return 0.0;
        if (method == StraightLine)
            return Sln(cost, salvage, lifeMonths);
        if (method == SumOfYearsDigits)
            return Syd(cost, salvage, lifeMonths, ageMonths);
        return Vdb(cost, salvage, lifeMonths, ageMonths - 1, ageMonths, factor, noSwitch);
    }

    /// <summary>
    /// Depreciation accumulated over months 1..<paramref name="ageMonths"/>, the sum of
    /// <see cref="MonthlyBook"/> over those months in closed form: SLN * n; SYD's partial sum;
    /// VDB(0, n) for declining balance; the MACRS table for MACRS. n is clamped to the life, so the
    /// result stays at cost - salvage (cost for MACRS) after the life. Same argument rules and NaN
    /// cases as <see cref="MonthlyBook"/>.
    /// </summary>
    /// <param name="method">One of the method codes of this class.</param>
    /// <param name="cost">Initial cost (money).</param>
    /// <param name="salvage">Value at the end of the life (money), 0..cost.</param>
    /// <param name="lifeMonths">Life in months, &gt;= 1.</param>
    /// <param name="ageMonths">Months elapsed since purchase; 0 or less gives 0.</param>
    /// <param name="factor">Declining-balance rate multiplier, &gt; 0.</param>
    /// <param name="noSwitch">Declining balance only: never switch to straight line.</param>
    public static double AccumulatedBook(int method, double cost, double salvage, int lifeMonths, int ageMonths,
        double factor, bool noSwitch)
    {
        if (method == Macrs5y)
            return cost * Macrs5yFraction(ageMonths);
        if (method < StraightLine || method > SumOfYearsDigits)
            return double.NaN;
        int n = Math.Max(0, Math.Min(ageMonths, lifeMonths));
        if (method == StraightLine)
            return Sln(cost, salvage, lifeMonths) * n;
        if (method == SumOfYearsDigits)
            return (cost - salvage) * ((double)n * (2.0 * lifeMonths - n + 1.0)) / ((double)lifeMonths * (lifeMonths + 1.0));
        return Vdb(cost, salvage, lifeMonths, 0.0, n, factor, noSwitch);
    }

    /// <summary>Fraction of the basis recovered by MACRS 5-year in months 1..ageMonths (clamped to 0..72).</summary>
    private static double Macrs5yFraction(int ageMonths)
    {
        int n = Math.Max(0, Math.Min(ageMonths, Macrs5yMonths));
        int fullYears = n / 12;
        double fraction = 0.0;
        for (int year = 1; year <= fullYears; year++)
            fraction += Macrs5yRate(year);
        return fraction + Macrs5yRate(fullYears + 1) * (n - 12 * fullYears) / 12.0;
    }

    /// <summary>
    /// Declining balance with the straight-line switch over whole periods 1..count of an asset worth
    /// <paramref name="cost"/> now, with <paramref name="remainingLife"/> periods left for the
    /// straight-line comparison (LibreOffice's ScInterVDB at whole periods). The book value before
    /// each period comes from a running product rather than a power, so a call costs O(count)
    /// multiplications (the two agree to rounding: about count units in the last place).
    /// </summary>
    private static double SwitchedSum(double cost, double salvage, double life, double remainingLife, int count,
        double factor)
    {
        double rate = Math.Min(factor / life, 1.0);
        double before = cost; // cost * (1 - rate)^(i - 1), by recurrence instead of Ddb's power
        double total = 0.0;
        double depreciable = cost - salvage;
        double straight = 0.0;
        bool switched = false;
        for (int i = 1; i <= count; i++)
        {
            if (!switched)
            {
                double declining = DdbCharge(before, salvage, rate);
                before *= 1.0 - rate;
                straight = depreciable / (remainingLife - (i - 1));
                switched = straight > declining;
                if (!switched)
                    depreciable -= declining;
                total += switched ? straight : declining;
            }
            else
            {
                total += straight;
            }
        }
        return total;
    }

    /// <summary>DDB charge of a period that starts at book value <paramref name="before"/>: min(B r, B - salvage), floored at 0.</summary>
    private static double DdbCharge(double before, double salvage, double rate)
    {
        double charge = Math.Min(before * rate, before - salvage);
        return charge > 0.0 ? charge : 0.0;
    }

    /// <summary>Switched charge of the whole period after <paramref name="elapsed"/> whole periods.</summary>
    private static double SwitchedPeriod(double cost, double salvage, double life, double elapsed, double factor)
    {
        double prior = SwitchedSum(cost, salvage, life, life, (int)elapsed, factor);
        return SwitchedSum(cost - prior, salvage, life, life - elapsed, 1, factor);
    }

    /// <summary>DDB charges over (start, end], first and last period prorated (VDB with no_switch).</summary>
    private static double DdbSpan(double cost, double salvage, double life, double start, double end,
        double first, double last, double factor)
    {
        int from = (int)first + 1;
        int to = (int)last;
        double total = 0.0;
        for (int i = from; i <= to; i++)
        {
            double term = Ddb(cost, salvage, life, i, factor);
            if (i == from)
                term *= Math.Min(end, first + 1.0) - start;
            else if (i == to)
                term *= end + 1.0 - last;
            total += term;
        }
        return total;
    }

    /// <summary>True when x is within <see cref="WholePeriodTolerance"/> (relative) of a whole number.</summary>
    private static bool IsWhole(double x) => Math.Abs(x - Nearest(x)) <= WholePeriodTolerance * Math.Max(1.0, Math.Abs(x));

    /// <summary>Nearest whole number (halves round up; only used on values close to a whole number).</summary>
    private static double Nearest(double x) => Math.Floor(x + 0.5);
}
