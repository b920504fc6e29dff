using System.Globalization;
using ComputeEconomics.Cli.Commands;
using ComputeEconomics.Finance;
using ComputeEconomics.Kernels.Finance;
using ComputeEconomics.Tests.TestSupport;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Tests.Finance;

public class DepreciationTests
{
    // Tolerance of a value printed with 2 decimals.
    private const double Cents = 0.005;

    // ---- Reference values: tests/TestData/spreadsheet-depreciation.csv (Microsoft Excel's SLN, SYD, DDB and VDB
    // ---- function reference; Google Sheets' VDB help) and irs-pub946-macrs.csv (IRS Publication 946, Table A-1).

    private const string Spreadsheet = "spreadsheet-depreciation.csv";

    private static ReferenceData.Row Ref(int index) => ReferenceData.Load(Spreadsheet)[index];

    public static TheoryData<int> SlnRows() => ReferenceData.Indices(Spreadsheet, "function", "SLN");
    public static TheoryData<int> SydRows() => ReferenceData.Indices(Spreadsheet, "function", "SYD");
    public static TheoryData<int> DdbRows() => ReferenceData.Indices(Spreadsheet, "function", "DDB");
    public static TheoryData<int> VdbRows() => ReferenceData.Indices(Spreadsheet, "function", "VDB");

    [Theory]
    [MemberData(nameof(SlnRows))]
    public void Sln_MatchesSpreadsheetReference(int row)
    {
        var r = Ref(row);
        double cost = r.Number("cost"), salvage = r.Number("salvage"), expected = r.Number("expected");
        int life = r.Integer("life");
        Assert.Equal(expected, DepreciationMath.Sln(cost, salvage, life), r.HalfUlpOfPrint);
        var rows = Depreciation.Schedule(cost, salvage, life, DepreciationMethod.StraightLine);
        Assert.All(rows, x => Assert.Equal(expected, x.Depreciation, r.HalfUlpOfPrint));
    }

    [Theory]
    [MemberData(nameof(SydRows))]
    public void Syd_MatchesSpreadsheetReference(int row)
    {
        var r = Ref(row);
        double cost = r.Number("cost"), salvage = r.Number("salvage"), expected = r.Number("expected");
        int life = r.Integer("life"), period = r.Integer("period");
        Assert.Equal(expected, DepreciationMath.Syd(cost, salvage, life, period), r.HalfUlpOfPrint);
        var rows = Depreciation.Schedule(cost, salvage, life, DepreciationMethod.SumOfYearsDigits);
        Assert.Equal(expected, rows[period - 1].Depreciation, r.HalfUlpOfPrint);
    }

    [Theory]
    [MemberData(nameof(DdbRows))]
    public void Ddb_MatchesSpreadsheetReference(int row)
    {
        var r = Ref(row);
        double cost = r.Number("cost"), salvage = r.Number("salvage"), life = r.Number("life");
        double period = r.Number("period"), factor = r.Number("factor"), expected = r.Number("expected");
        Assert.Equal(expected, DepreciationMath.Ddb(cost, salvage, life, period, factor), r.HalfUlpOfPrint);
        // DDB is VDB over one period with no_switch, in the kernel and in the host schedule.
        Assert.Equal(expected, DepreciationMath.Vdb(cost, salvage, life, period - 1, period, factor, noSwitch: true), r.HalfUlpOfPrint);
        var rows = Depreciation.Schedule(cost, salvage, life, DepreciationMethod.DecliningBalance, factor, noSwitch: true);
        Assert.Equal(expected, rows[(int)period - 1].Depreciation, r.HalfUlpOfPrint);
    }

    [Theory]
    [MemberData(nameof(VdbRows))]
    public void Vdb_MatchesSpreadsheetReference(int row)
    {
        var r = Ref(row);
        double cost = r.Number("cost"), salvage = r.Number("salvage"), life = r.Number("life");
        double start = r.Number("start"), end = r.Number("end"), factor = r.Number("factor"), expected = r.Number("expected");
        bool noSwitch = r.Flag("no_switch");
        Assert.Equal(expected, DepreciationMath.Vdb(cost, salvage, life, start, end, factor, noSwitch), r.HalfUlpOfPrint);
        Assert.Equal(expected, Depreciation.Total(cost, salvage, life, start, end, DepreciationMethod.DecliningBalance, factor, noSwitch),
            r.HalfUlpOfPrint);
    }

    [Fact]
    public void Macrs5y_MatchesIrsTableA1()
    {
        // Percentages printed with 2 decimals: tolerance 0.005 % of the basis.
        var table = ReferenceData.Where("irs-pub946-macrs.csv", "property_class", "5-year");
        double[] expected = table.OrderBy(r => r.Integer("year")).Select(r => r.Number("rate_percent") / 100).ToArray();
        Assert.Equal(6, expected.Length);
        for (int year = 1; year <= 6; year++)
            Assert.Equal(expected[year - 1], DepreciationMath.Macrs5yRate(year), 0.00005);
        Assert.Equal(0.0, DepreciationMath.Macrs5yRate(0));
        Assert.Equal(0.0, DepreciationMath.Macrs5yRate(7));

        var rows = Depreciation.Schedule(10_000, 0, 5, DepreciationMethod.Macrs5y);
        Assert.Equal(6, rows.Count);
        for (int year = 1; year <= 6; year++)
            Assert.Equal(10_000 * expected[year - 1], rows[year - 1].Depreciation, Cents);
    }

    // ---- Properties with closed forms.

    public static TheoryData<double, double, int> Assets => new()
    {
        { 30000, 7500, 10 },
        { 2400, 300, 10 },
        { 2400, 300, 120 },
        { 100, 33, 20 },
        { 1000, 0, 7 },
        { 50_000, 1, 1 },
        { 35_000, 3_500, 60 },
    };

    [Theory]
    [MemberData(nameof(Assets))]
    public void StraightLineSchedule_SumsToCostLessSalvage(double cost, double salvage, int life)
    {
        var rows = Depreciation.Schedule(cost, salvage, life, DepreciationMethod.StraightLine);
        Assert.Equal(life, rows.Count);
        Assert.Equal(cost - salvage, rows.Sum(r => r.Depreciation), 1e-9 * cost);
        Assert.Equal(salvage, rows[^1].BookValue, 1e-9 * cost);
        Assert.Equal(Enumerable.Range(1, life), rows.Select(r => r.Period));
    }

    [Theory]
    [MemberData(nameof(Assets))]
    public void SydSchedule_SumsToCostLessSalvage_AndDecreasesByAConstant(double cost, double salvage, int life)
    {
        var rows = Depreciation.Schedule(cost, salvage, life, DepreciationMethod.SumOfYearsDigits);
        Assert.Equal(cost - salvage, rows.Sum(r => r.Depreciation), 1e-9 * cost);
        Assert.Equal(salvage, rows[^1].BookValue, 1e-9 * cost);
        // Closed form: the last period's charge is one digit, 2 (cost - salvage) / (life (life + 1)).
        Assert.Equal(2 * (cost - salvage) / (life * (life + 1.0)), rows[^1].Depreciation, 1e-9 * cost);
    }

    [Theory]
    [MemberData(nameof(Assets))]
    public void DecliningBalanceWithSwitch_DepreciatesExactlyToSalvage(double cost, double salvage, int life)
    {
        foreach (double factor in new[] { 1.0, 1.5, 2.0, 3.0 })
        {
            Assert.Equal(cost - salvage, DepreciationMath.Vdb(cost, salvage, life, 0, life, factor, false), 1e-9 * cost);
            var rows = Depreciation.Schedule(cost, salvage, life, DepreciationMethod.DecliningBalance, factor);
            Assert.Equal(salvage, rows[^1].BookValue, 1e-9 * cost);
            Assert.All(rows, r => Assert.True(r.BookValue >= salvage - 1e-9 * cost));
            // Charges never increase: declining balance, then a constant straight line.
            for (int p = 1; p < rows.Count; p++)
                Assert.True(rows[p].Depreciation <= rows[p - 1].Depreciation + 1e-9 * cost);
        }
    }

    /// <summary>
    /// Closed form: a schedule that depreciates to salvage ends exactly there. The book value used to be cost less the
    /// running sum of rounded charges: SYD(2400, 300, 10) ended at 299.9999999999999, SLN(0.3, 0.1, 7) at
    /// 0.09999999999999994 and MACRS on a cost of 0.3 at -1.04e-17, a negative book value, in `ce depreciate --csv`.
    /// </summary>
    [Theory]
    [MemberData(nameof(Assets))]
    [InlineData(2400, 300, 10)]
    [InlineData(0.3, 0.1, 7)]
    [InlineData(1, 0.1, 3)]
    public void ASchedule_EndsExactlyAtSalvage_WithNoBookValueBelowIt(double cost, double salvage, int life)
    {
        var schedules = new List<IReadOnlyList<DepreciationRow>>
        {
            Depreciation.Schedule(cost, salvage, life, DepreciationMethod.StraightLine),
            Depreciation.Schedule(cost, salvage, life, DepreciationMethod.SumOfYearsDigits),
            Depreciation.Schedule(cost, salvage, life, DepreciationMethod.DecliningBalance, 1.5),
            Depreciation.Schedule(cost, salvage, life, DepreciationMethod.DecliningBalance, 2),
        };
        foreach (var rows in schedules)
        {
            Assert.Equal(salvage, rows[^1].BookValue);
            Assert.All(rows, r => Assert.True(r.BookValue >= salvage && r.Depreciation >= 0, r.ToString()));
            Assert.Equal(cost - salvage, rows.Sum(r => r.Depreciation), 1e-12 * cost);
        }
        var macrs = Depreciation.Schedule(cost, 0, 5, DepreciationMethod.Macrs5y);
        Assert.Equal(0.0, macrs[^1].BookValue);
        Assert.All(macrs, r => Assert.True(r.BookValue >= 0, r.ToString()));
        // IRS Publication 946, Table A-1: the sixth year recovers 5.76 % of the cost.
        Assert.Equal(0.0576 * cost, macrs[^1].Depreciation, 1e-12 * cost);
    }

    [Theory]
    [MemberData(nameof(Assets))]
    public void DecliningBalanceWithoutSwitch_NeverGoesBelowSalvage(double cost, double salvage, int life)
    {
        foreach (double factor in new[] { 1.0, 2.0, 3.0 })
        {
            var rows = Depreciation.Schedule(cost, salvage, life, DepreciationMethod.DecliningBalance, factor, noSwitch: true);
            Assert.All(rows, r => Assert.True(r.BookValue >= salvage - 1e-9 * cost));
            Assert.All(rows, r => Assert.True(r.Depreciation >= 0));
        }
    }

    [Fact]
    public void Ddb_RateOfOneOrMore_WritesDownToSalvageInPeriodOne()
    {
        // factor / life >= 1: the whole depreciable amount goes in period 1, nothing after.
        Assert.Equal(900, DepreciationMath.Ddb(1000, 100, 2, 1, 2));
        Assert.Equal(0, DepreciationMath.Ddb(1000, 100, 2, 2, 2));
        Assert.Equal(900, DepreciationMath.Vdb(1000, 100, 2, 0, 2, 3, false), 1e-9);
    }

    [Theory]
    [InlineData(2400, 300, 10, 2.0)]
    [InlineData(2400, 300, 120, 1.5)]
    [InlineData(100, 33, 20, 2.0)]
    [InlineData(1000, 0, 7, 2.5)]
    public void Vdb_IsAdditiveAtWholePeriods(double cost, double salvage, int life, double factor)
    {
        foreach (bool noSwitch in new[] { false, true })
        {
            for (int a = 0; a <= life; a += Math.Max(1, life / 5))
            {
                for (int b = a; b <= life; b += Math.Max(1, life / 7))
                {
                    for (int c = b; c <= life; c += Math.Max(1, life / 3))
                    {
                        double split = DepreciationMath.Vdb(cost, salvage, life, a, b, factor, noSwitch)
                                       + DepreciationMath.Vdb(cost, salvage, life, b, c, factor, noSwitch);
                        Assert.Equal(DepreciationMath.Vdb(cost, salvage, life, a, c, factor, noSwitch), split, 1e-9 * cost);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(2.25, 2.75)]
    [InlineData(0.0, 0.5)]
    [InlineData(6.1, 6.9)]
    [InlineData(9.5, 10.0)]
    public void Vdb_FractionalSpanInsideOnePeriod_IsThatFractionOfThePeriod(double start, double end)
    {
        // Spreadsheet VDB is linear within a period: VDB(a, b) = (b - a) * VDB(k - 1, k) for k-1 <= a <= b <= k.
        int k = (int)Math.Ceiling(end);
        foreach (bool noSwitch in new[] { false, true })
        {
            double whole = DepreciationMath.Vdb(2400, 300, 10, k - 1, k, 2, noSwitch);
            Assert.Equal((end - start) * whole, DepreciationMath.Vdb(2400, 300, 10, start, end, 2, noSwitch), 1e-9);
        }
    }

    [Theory]
    [InlineData(2.25, 7.5)]
    [InlineData(0.5, 9.25)]
    [InlineData(4.75, 5.5)]
    public void Vdb_FractionalSpanAcrossPeriods_ProratesItsEndPeriods(double start, double end)
    {
        int first = (int)Math.Floor(start), last = (int)Math.Ceiling(end);
        foreach (bool noSwitch in new[] { false, true })
        {
            // Additivity at the whole periods inside the span, each end a fraction of its period.
            double split = DepreciationMath.Vdb(2400, 300, 10, start, first + 1, 2, noSwitch)
                           + DepreciationMath.Vdb(2400, 300, 10, first + 1, last - 1, 2, noSwitch)
                           + DepreciationMath.Vdb(2400, 300, 10, last - 1, end, 2, noSwitch);
            Assert.Equal(split, DepreciationMath.Vdb(2400, 300, 10, start, end, 2, noSwitch), 1e-9);
        }
        // Without the switch every period is DDB: the first and last count for the part inside the span.
        double expected = (first + 1 - start) * DepreciationMath.Ddb(2400, 300, 10, first + 1, 2)
                          + (end - (last - 1)) * DepreciationMath.Ddb(2400, 300, 10, last, 2);
        for (int p = first + 2; p <= last - 1; p++)
            expected += DepreciationMath.Ddb(2400, 300, 10, p, 2);
        Assert.Equal(expected, DepreciationMath.Vdb(2400, 300, 10, start, end, 2, noSwitch: true), 1e-9);
    }

    [Fact]
    public void Total_ProratesStraightLineAndSydOverFractionalPeriods()
    {
        double sln = 2250; // Excel SLN(30000, 7500, 10), TestData/spreadsheet-depreciation.csv
        Assert.Equal(sln * (7.25 - 1.5), Depreciation.Total(30000, 7500, 10, 1.5, 7.25, DepreciationMethod.StraightLine), 1e-9);
        // SYD: half of period 1 and a quarter of period 10; SYD_p = 22500 (11 - p) / 55.
        double expected = 0.5 * 22500 * 10 / 55 + 0.25 * 22500 * 1 / 55;
        double total = Depreciation.Total(30000, 7500, 10, 0.5, 1, DepreciationMethod.SumOfYearsDigits)
                       + Depreciation.Total(30000, 7500, 10, 9.75, 10, DepreciationMethod.SumOfYearsDigits);
        Assert.Equal(expected, total, 1e-9);
        Assert.Equal(22500, Depreciation.Total(30000, 7500, 10, 0, 10, DepreciationMethod.SumOfYearsDigits), 1e-9);
        // MACRS over tax years 1.5..2: half of 32% of the basis.
        Assert.Equal(0.5 * 0.32 * 10_000, Depreciation.Total(10_000, 0, 5, 1.5, 2, DepreciationMethod.Macrs5y), 1e-9);
    }

    [Theory]
    [InlineData(DepreciationMath.StraightLine, 2.0, false)]
    [InlineData(DepreciationMath.SumOfYearsDigits, 2.0, false)]
    [InlineData(DepreciationMath.DecliningBalance, 2.0, false)]
    [InlineData(DepreciationMath.DecliningBalance, 1.5, false)]
    [InlineData(DepreciationMath.DecliningBalance, 2.0, true)]
    public void MonthlyBook_SumsToAccumulatedBook_AndToCostLessSalvageOverTheLife(int method, double factor, bool noSwitch)
    {
        const double cost = 35_000, salvage = 3_500;
        const int life = 60;
        double sum = 0;
        for (int age = 1; age <= life; age++)
        {
            double charge = DepreciationMath.MonthlyBook(method, cost, salvage, life, age, factor, noSwitch);
            Assert.True(charge >= 0);
            sum += charge;
            Assert.Equal(sum, DepreciationMath.AccumulatedBook(method, cost, salvage, life, age, factor, noSwitch), 1e-8);
            Assert.True(cost - sum >= salvage - 1e-8);
        }
        if (!noSwitch)
            Assert.Equal(cost - salvage, sum, 1e-8);
        Assert.Equal(0.0, DepreciationMath.MonthlyBook(method, cost, salvage, life, 0, factor, noSwitch));
        Assert.Equal(0.0, DepreciationMath.MonthlyBook(method, cost, salvage, life, life + 1, factor, noSwitch));
        Assert.Equal(sum, DepreciationMath.AccumulatedBook(method, cost, salvage, life, life + 24, factor, noSwitch), 1e-8);
        Assert.Equal(0.0, DepreciationMath.AccumulatedBook(method, cost, salvage, life, 0, factor, noSwitch));
    }

    [Fact]
    public void MonthlyBook_DecliningBalance_IsVdbOfThatMonth()
    {
        // Closed form of month 1: VDB(0, 1) with months as periods is the first month's DDB, cost * factor / life.
        Assert.Equal(2400 * 2.0 / 120, DepreciationMath.MonthlyBook(DepreciationMath.DecliningBalance, 2400, 300, 120, 1, 2, false), 1e-12);
        // Excel VDB(2400, 300, 120, 6, 18) = 396.31 (TestData/spreadsheet-depreciation.csv) is months 7..18 summed.
        double months7To18 = 0;
        for (int age = 7; age <= 18; age++)
            months7To18 += DepreciationMath.MonthlyBook(DepreciationMath.DecliningBalance, 2400, 300, 120, age, 2, false);
        Assert.Equal(396.31, months7To18, Cents);
    }

    [Fact]
    public void MonthlyBook_Macrs_SpreadsEachTaxYearEvenly_AndRecoversTheWholeCost()
    {
        const double cost = 12_000;
        double sum = 0;
        for (int age = 1; age <= 72; age++)
        {
            double charge = DepreciationMath.MonthlyBook(DepreciationMath.Macrs5y, cost, 0, 60, age, 2, false);
            Assert.Equal(cost * DepreciationMath.Macrs5yRate((age - 1) / 12 + 1) / 12, charge, 1e-12);
            sum += charge;
            Assert.Equal(sum, DepreciationMath.AccumulatedBook(DepreciationMath.Macrs5y, cost, 0, 60, age, 2, false), 1e-8);
        }
        Assert.Equal(cost, sum, 1e-8);
        // Year 1 is 20% (IRS Pub. 946 Table A-1): 200 a month on 12,000.
        Assert.Equal(200, DepreciationMath.MonthlyBook(DepreciationMath.Macrs5y, cost, 0, 60, 1, 2, false), 1e-9);
        Assert.Equal(0.0, DepreciationMath.MonthlyBook(DepreciationMath.Macrs5y, cost, 0, 60, 73, 2, false));
        Assert.Equal(0.0, DepreciationMath.MonthlyBook(DepreciationMath.Macrs5y, cost, 0, 60, 0, 2, false));
        Assert.Equal(cost, DepreciationMath.AccumulatedBook(DepreciationMath.Macrs5y, cost, 0, 60, 100, 2, false), 1e-8);
    }

    [Fact]
    public void MonthlyBook_UnitsOfProductionAndUnknownCodes_AreNaN()
    {
        Assert.True(double.IsNaN(DepreciationMath.MonthlyBook(DepreciationMath.UnitsOfProduction, 1000, 0, 10, 1, 2, false)));
        Assert.True(double.IsNaN(DepreciationMath.MonthlyBook(17, 1000, 0, 10, 1, 2, false)));
        Assert.True(double.IsNaN(DepreciationMath.AccumulatedBook(DepreciationMath.UnitsOfProduction, 1000, 0, 10, 1, 2, false)));
    }

    [Fact]
    public void UnitsOfProduction_ChargesPerUnit_AndNeverBelowSalvage()
    {
        // (1000 - 100) / 900 units = 1 per unit.
        Assert.Equal(100, DepreciationMath.UnitsOfProductionCharge(1000, 100, 900, 100, 0), 1e-12);
        Assert.Equal(50, DepreciationMath.UnitsOfProductionCharge(1000, 100, 900, 100, 850), 1e-12);
        Assert.Equal(0, DepreciationMath.UnitsOfProductionCharge(1000, 100, 900, 100, 900), 1e-12);
        Assert.Equal(0, DepreciationMath.UnitsOfProductionCharge(1000, 100, 900, -5, 0), 1e-12);
        double accumulated = 0;
        for (int month = 0; month < 20; month++)
            accumulated += DepreciationMath.UnitsOfProductionCharge(1000, 100, 900, 73, accumulated);
        Assert.Equal(900, accumulated, 1e-9);
    }

    // ---- Validation.

    [Fact]
    public void Validate_ReturnsEveryErrorAtOnce_NamingTheFields()
    {
        var errors = Depreciation.Validate(-1, -5, 0.5, DepreciationMethod.DecliningBalance, 0, 3, 1);
        Assert.Equal(new[] { "cost", "salvage", "life", "factor", "end" }, errors.Select(e => e.Field));
        Assert.Equal("-1", errors[0].Value);
        Assert.Equal("0.5", errors[2].Value);
    }

    [Fact]
    public void Validate_ChecksSalvageAgainstCost_AndTheSpanAgainstTheLife()
    {
        var errors = Depreciation.Validate(1000, 1200, 10, DepreciationMethod.StraightLine, 2, -1, 11);
        Assert.Equal(new[] { "salvage", "start", "end" }, errors.Select(e => e.Field));
        Assert.Contains("cost", errors[0].Rule);
        Assert.Contains("life", errors[2].Rule);

        Assert.Equal(new[] { "end" }, Depreciation.Validate(1000, 0, 10, DepreciationMethod.StraightLine, 2, 1, null).Select(e => e.Field));
        Assert.Equal(new[] { "start" }, Depreciation.Validate(1000, 0, 10, DepreciationMethod.StraightLine, 2, null, 1).Select(e => e.Field));
        Assert.Equal(new[] { "cost", "life" }, Depreciation.Validate(double.NaN, 0, double.PositiveInfinity, DepreciationMethod.StraightLine).Select(e => e.Field));
        Assert.Empty(Depreciation.Validate(2400, 300, 120, DepreciationMethod.DecliningBalance, 1.5, 6, 18));
        Assert.Empty(Depreciation.Validate(2400, 2400, 1, DepreciationMethod.StraightLine, 2, 0, 0));
    }

    [Fact]
    public void Validate_Macrs_RequiresZeroSalvageAndLifeFive_AndAllowsSixTaxYears()
    {
        var errors = Depreciation.Validate(10_000, 500, 7, DepreciationMethod.Macrs5y);
        Assert.Equal(new[] { "salvage", "life" }, errors.Select(e => e.Field));
        Assert.Empty(Depreciation.Validate(10_000, 0, 5, DepreciationMethod.Macrs5y, 2, 0, 6));
        Assert.Equal(new[] { "end" }, Depreciation.Validate(10_000, 0, 5, DepreciationMethod.Macrs5y, 2, 0, 6.5).Select(e => e.Field));
    }

    [Fact]
    public void ScheduleAndTotal_ThrowInputException_WithAllErrors()
    {
        var ex = Assert.Throws<InputException>(() => Depreciation.Schedule(0, 1, 0, DepreciationMethod.SumOfYearsDigits));
        Assert.Equal(new[] { "cost", "life" }, ex.Errors.Select(e => e.Field));
        var span = Assert.Throws<InputException>(() => Depreciation.Total(100, 10, 5, 3, 2, DepreciationMethod.DecliningBalance));
        Assert.Equal("end", Assert.Single(span.Errors).Field);
    }

    // ---- `ce depreciate`.

    private static (string Plain, string Console) RunCli(DepreciateCommand.Settings settings)
    {
        var plain = new StringWriter(CultureInfo.InvariantCulture);
        var screen = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(screen),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        DepreciateCommand.Run(settings, console, plain);
        return (plain.ToString(), screen.ToString());
    }

    [Fact]
    public void Cli_Csv_WritesTheScheduleWithRoundTripPrecision()
    {
        var (csv, _) = RunCli(new DepreciateCommand.Settings { Cost = "30000", Salvage = "7500", Life = "10", Csv = true });
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("period,depreciation,book_value", lines[0]);
        Assert.Equal(11, lines.Length);
        // Excel SLN(30000, 7500, 10) = 2250.00 (TestData/spreadsheet-depreciation.csv), exact in binary: 30000 - 2250 = 27750.
        Assert.Equal("1,2250,27750", lines[1]);

        var (ddb, _) = RunCli(new DepreciateCommand.Settings
        {
            Cost = "2400", Salvage = "300", Life = "10", Method = "declining-balance", NoSwitch = true, Csv = true,
        });
        var last = ddb.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Split(',');
        Assert.Equal("10", last[0]);
        // Excel DDB(2400, 300, 10, 10) = 22.12 (TestData/spreadsheet-depreciation.csv); the text parses back to the same double.
        double charge = double.Parse(last[1], CultureInfo.InvariantCulture);
        Assert.Equal(22.12, charge, Cents);
        Assert.Equal(last[1], charge.ToString("R", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Cli_Span_PrintsTheVdbTotal()
    {
        var settings = new DepreciateCommand.Settings
        {
            Cost = "2400", Salvage = "300", Life = "120", Method = "declining-balance", Start = "6", End = "18",
        };
        // Excel VDB(2400, 300, 120, 6, 18) = 396.31 (TestData/spreadsheet-depreciation.csv)
        var (line, _) = RunCli(settings);
        Assert.EndsWith(": 396.31\n", line);
        var (csv, _) = RunCli(new DepreciateCommand.Settings
        {
            Cost = "2400", Salvage = "300", Life = "10", Method = "declining-balance", Factor = "1.5",
            Start = "0", End = "0.875", Csv = true,
        });
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("start,end,depreciation", lines[0]);
        // Excel VDB(2400, 300, 10, 0, 0.875, 1.5) = 315.00 (TestData/spreadsheet-depreciation.csv)
        Assert.Equal(315.00, double.Parse(lines[1].Split(',')[2], CultureInfo.InvariantCulture), Cents);
    }

    [Fact]
    public void Cli_Table_ShowsTwoDecimals()
    {
        var (_, table) = RunCli(new DepreciateCommand.Settings { Cost = "30000", Salvage = "7500", Life = "10", Method = "sum-of-years-digits" });
        // Excel SYD(30000, 7500, 10, 1) = 4090.91 and SYD(..., 10) = 409.09 (TestData/spreadsheet-depreciation.csv)
        Assert.Contains("4,090.91", table);
        Assert.Contains("409.09", table);
        Assert.Contains("7,500.00", table);
    }

    [Fact]
    public void Cli_Macrs_DefaultsLifeAndSalvage()
    {
        var (csv, _) = RunCli(new DepreciateCommand.Settings { Cost = "10000", Method = "macrs-5y", Csv = true });
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        // IRS Pub. 946 Table A-1 year 1: 20.00% of 10,000.
        Assert.Equal(2000, double.Parse(lines[1].Split(',')[1], CultureInfo.InvariantCulture), Cents);
    }

    /// <summary>Issue 18: one spelling everywhere (the scenario file's), hyphens, case and the spreadsheet names accepted.</summary>
    [Theory]
    [InlineData("straight_line", "straight-line", "SLN", "Straight Line")]
    [InlineData("sum_of_years_digits", "sum-of-years-digits", "SYD", "sum-of-the-years'-digits")]
    [InlineData("declining_balance", "declining-balance", "VDB", "db")]
    [InlineData("macrs_5y", "macrs-5y", "MACRS", "macrs5y")]
    public void Cli_EverySpellingOfAMethodGivesTheSameSchedule(params string[] spellings)
    {
        bool macrs = spellings[0] == "macrs_5y";
        string Csv(string method) => RunCli(new DepreciateCommand.Settings
        {
            Cost = "2400", Salvage = macrs ? null : "300", Life = macrs ? null : "10", Method = method, Csv = true,
        }).Plain;
        string expected = Csv(spellings[0]);
        foreach (var s in spellings.Skip(1)) Assert.Equal(expected, Csv(s));
    }

    [Fact]
    public void Cli_DdbIsTheSpreadsheetFunctionWithoutTheSwitch()
    {
        var (csv, _) = RunCli(new DepreciateCommand.Settings { Cost = "2400", Salvage = "300", Life = "10", Method = "DDB", Csv = true });
        // Excel DDB(2400, 300, 10, 10) = 22.12 (TestData/spreadsheet-depreciation.csv); VDB switches to straight line and ends elsewhere.
        Assert.Equal(22.12, double.Parse(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Split(',')[1], CultureInfo.InvariantCulture), Cents);
    }

    [Fact]
    public void EveryScenarioFileSpellingIsAcceptedByTheCli()
    {
        var oneOf = typeof(ComputeEconomics.Scenarios.BookSpec).GetProperty("Method")!
            .GetCustomAttributes(typeof(ComputeEconomics.Scenarios.OneOfAttribute), false).Cast<ComputeEconomics.Scenarios.OneOfAttribute>().Single();
        foreach (var name in oneOf.Values.Where(v => v != "units_of_production"))
            Assert.Equal(name, Depreciation.Name(Depreciation.ParseMethod("--method", name, out _)));
        var ex = Assert.Throws<InputException>(() => Depreciation.ParseMethod("--method", "units_of_production", out _));
        Assert.Contains("book method of fleet scenarios", ex.Errors[0].Rule);
    }

    /// <summary>Issue 18: SYD of 5e307 overflows a double (cost x 2 x life); refused naming --cost, never "Infinity" with exit 0.</summary>
    [Fact]
    public void Cli_AResultThatOverflowsIsRefusedNamingTheCost()
    {
        var ex = Assert.Throws<InputException>(() => RunCli(new DepreciateCommand.Settings
        {
            Cost = "5e307", Salvage = "0", Life = "5", Method = "sum-of-years-digits", Csv = true,
        }));
        Assert.Equal("--cost", ex.Errors[0].Field);
        Assert.Equal("5E+307", ex.Errors[0].Value);
        Assert.Contains("overflows", ex.Errors[0].Rule);
        // The largest costs that stay finite still work.
        Assert.DoesNotContain("Infinity", RunCli(new DepreciateCommand.Settings { Cost = "1e300", Salvage = "0", Life = "5", Method = "SYD", Csv = true }).Plain);
    }

    /// <summary>"--salvage -0" printed a final book value of "-0", and "--method ''" an empty value in its error.</summary>
    [Fact]
    public void Cli_MinusZeroIsZeroAndAnEmptyMethodIsShownQuoted()
    {
        var (csv, _) = RunCli(new DepreciateCommand.Settings { Cost = "100", Salvage = "-0", Life = "4", Csv = true });
        Assert.EndsWith("\n4,25,0\n", csv);
        var ex = Assert.Throws<InputException>(() => RunCli(new DepreciateCommand.Settings { Cost = "100", Salvage = "0", Life = "4", Method = "" }));
        Assert.Equal("--method: '' must be one of", ex.Errors[0].ToString()[..27]);
    }

    [Fact]
    public void Cli_BadArguments_ThrowInputExceptionWithEveryError()
    {
        var ex = Assert.Throws<InputException>(() => RunCli(new DepreciateCommand.Settings
        {
            Cost = "abc", Life = "7.5", Method = "double-declining", Start = "2",
        }));
        Assert.Equal(new[] { "--method", "--cost", "--salvage", "--life", "--end" }, ex.Errors.Select(e => e.Field));

        var rules = Assert.Throws<InputException>(() => RunCli(new DepreciateCommand.Settings
        {
            Cost = "100", Salvage = "200", Life = "5", Factor = "3", NoSwitch = true,
        }));
        Assert.Equal(new[] { "--no-switch", "--factor", "--salvage" }, rules.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Cli_HelpRenders_AndOptionsBindThroughSpectre()
    {
        var screen = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(screen),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.PropagateExceptions();
            config.ConfigureConsole(console);
            config.AddCommand<DepreciateCommand>("depreciate");
        });
        // Option descriptions are Spectre markup: a stray bracket would throw here.
        Assert.Equal(0, app.Run(["depreciate", "--help"]));
        Assert.Contains("--no-switch", screen.ToString());
        // Spectre binds the options; the command's own parsing then reports the bad value.
        var ex = Assert.Throws<InputException>(() => app.Run(["depreciate", "--cost", "12,5", "--salvage", "0", "--life", "3"]));
        Assert.Equal("--cost", Assert.Single(ex.Errors).Field);
    }
}
