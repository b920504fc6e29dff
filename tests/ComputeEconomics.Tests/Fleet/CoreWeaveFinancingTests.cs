using System.Globalization;
using System.Text.RegularExpressions;
using ComputeEconomics.Backends;
using ComputeEconomics.Calibration;
using ComputeEconomics.Kernels.Models;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.Calibration;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// scenarios/coreweave.yaml's debt (issue 15): the filed facilities of CoreWeave's 10-Q Q2 2025, note 10 Debt (read in
/// the filing; rows CoreWeave debt_* of data/company_filings.csv) against the compiled job. Every expected figure (amount,
/// effective rate, maturity) is read from the data file here, never from the engine; the DDTL 1.0 balance is the annuity
/// closed form B_n = B (1 + i)^n - A ((1 + i)^n - 1) / i with A = B i / (1 - (1 + i)^-N), written here.
/// </summary>
public partial class CoreWeaveFinancingTests
{
    private static readonly IReadOnlyList<CompanyFiling> Filings = FilingLoader.Load(DataFiles.Path("company_filings.csv"));

    /// <summary>Tranche name in the scenario -> the data file's figure and the balance-sheet date its commitment is taken at.</summary>
    public static readonly TheoryData<string, string, string> Tranches = new()
    {
        { "ddtl_1", "debt_ddtl_1_0", "2024-12-31" },          // drawn before the start: its balance at the start
        { "ddtl_2", "debt_ddtl_2_0", "2025-06-30" },          // drawn against the 2025 capex up to its mid-2025 balance
        { "notes_2030", "debt_senior_notes_2030", "2025-06-30" },
        { "oem", "debt_oem_financing", "2025-06-30" },        // as ddtl_2
    };

    private static ModelJob<FleetModel> Job() => (ModelJob<FleetModel>)ScenarioCompiler.Compile(ScenarioLoader.Load("coreweave"));

    private static double Field(ModelJob<FleetModel> job, int k, int field) =>
        job.Data[job.Model.P.Fin.TrancheOffset + k * TrancheField.Stride + field];

    /// <summary>The effective rate in the row's note ("effective rate 15%"), or the midpoint of a range ("9-10%").</summary>
    private static double FiledRate(CompanyFiling row)
    {
        var single = EffectiveRate().Match(row.PageOrNote);
        if (single.Success) return double.Parse(single.Groups[1].Value, CultureInfo.InvariantCulture) / 100;
        var range = RateRange().Match(row.PageOrNote);
        Assert.True(range.Success, $"{row.Figure}: no rate in '{row.PageOrNote}'");
        return (double.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture) + double.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture)) / 200;
    }

    /// <summary>The last "Month YYYY" in the row's note (the maturity, or the last of a range), as a month index from the
    /// scenario's start, 2025-01 = month 0.</summary>
    private static int FiledMaturityMonth(CompanyFiling row)
    {
        var m = MonthYear().Matches(row.PageOrNote);
        Assert.NotEmpty(m);
        var last = m[^1];
        int month = DateTime.ParseExact(last.Groups[1].Value, "MMMM", CultureInfo.InvariantCulture).Month;
        return (int.Parse(last.Groups[2].Value, CultureInfo.InvariantCulture) - 2025) * 12 + month - 1;
    }

    [Theory]
    [MemberData(nameof(Tranches))]
    public void TrancheCommitmentRateAndMaturityAreTheFiledRow(string name, string figure, string date)
    {
        var job = Job();
        var spec = job.Scenario.Fleet.Financing.Tranches!;
        int k = spec.FindIndex(t => t.Name == name);
        Assert.True(k >= 0, $"coreweave has a tranche {name}");
        var row = FilingLoader.Find(Filings, "CoreWeave", figure, date);
        Assert.True(row.ReadInFiling, $"{figure} {date} is read in the filing");
        Assert.Equal(row.Value * 1e9, Field(job, k, TrancheField.Commitment), 1e-6 * row.Value * 1e9);
        Assert.Equal(FiledRate(row), 12 * Field(job, k, TrancheField.RateMonthly), 12);
        // The last payment month of the tranche's schedule (docs/model.md 4): term_loan S + N, ddtl S + W + N - 1, bullet S + N.
        double s = Field(job, k, TrancheField.StartMonth), n = Field(job, k, TrancheField.TermMonths);
        double kind = Field(job, k, TrancheField.Kind);
        double last = kind == TrancheKind.Ddtl ? s + Field(job, k, TrancheField.DrawMonths) + n - 1 : s + n;
        Assert.Equal(FiledMaturityMonth(row), (int)last);
    }

    [Fact]
    public void TheRevolverIsTheFiledFacility()
    {
        var row = FilingLoader.Find(Filings, "CoreWeave", "debt_revolving_credit_facility", "2025-06-30");
        var fin = Job().Model.P.Fin;
        Assert.Equal(row.Value * 1e9, fin.RevolverLimit, 1e-6 * row.Value * 1e9);   // the drawn amount stands for the limit
        Assert.Equal(FiledRate(row), 12 * fin.RevolverRateMonthly, 12);
    }

    /// <summary>DDTL 1.0, funded at month 0 with its 2024-12-31 balance and amortised as an annuity to March 2028, has paid
    /// five instalments by the end of month 5 (June 2025): its balance then is the closed form, on every path without a
    /// breach or default, and within 2 % of the filed 2025-06-30 balance (the check of the chosen schedule).</summary>
    [Fact]
    public void DdtlOneBalanceAtJune2025IsTheAnnuityClosedFormAndNearTheFiledBalance()
    {
        double b0 = FilingLoader.Find(Filings, "CoreWeave", "debt_ddtl_1_0", "2024-12-31").Value * 1e9;
        var start = FilingLoader.Find(Filings, "CoreWeave", "debt_ddtl_1_0", "2024-12-31");
        double i = FiledRate(start) / 12;
        int n = FiledMaturityMonth(start);          // 38 monthly instalments, months 1..38
        double a = b0 * i / (1 - Math.Pow(1 + i, -n));
        double growth = Math.Pow(1 + i, 5);
        double expected = b0 * growth - a * (growth - 1) / i;
        double filed = FilingLoader.Find(Filings, "CoreWeave", "debt_ddtl_1_0", "2025-06-30").Value * 1e9;
        ScenarioRuns.AssertRelative(filed, expected, 0.02, "DDTL 1.0 annuity balance at 2025-06-30 against the 10-Q");

        var job = ScenarioCompiler.Compile(ScenarioLoader.Load("coreweave", new[] { "horizon_months=6" }));
        using var cpu = new CpuBackend();
        var r = Simulator.Run(job, cpu, new RunOptions { Paths = 64, BandPaths = 0 });
        var balance = ScenarioRuns.Column(r, "balance_end_tranche1");
        var breach = ScenarioRuns.Column(r, "breach_term_loan");
        var defaulted = ScenarioRuns.Column(r, "default");
        int checkedPaths = 0;
        for (int p = 0; p < balance.Length; p++)
        {
            if (breach[p] != 0 || defaulted[p] != 0) continue;
            ScenarioRuns.AssertRelative(expected, balance[p], 1e-12, $"path {p}: DDTL 1.0 balance after 5 instalments");
            checkedPaths++;
        }
        Assert.True(checkedPaths > 32, $"{checkedPaths} of 64 paths without breach or default");
    }

    /// <summary>The whole coreweave horizon (96 months: DDTL draws and amortisation, the notes' refinancing in month 65,
    /// renewal at spot after month 47, the frontier-lab counterparty) on cpu and ilgpu-cpu: bit-identical metrics.</summary>
    [Fact]
    public void CoreWeaveRunsBitIdenticallyOnCpuAndIlgpuCpuOverItsWholeHorizon()
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.Load("coreweave"));
        using var cpu = new CpuBackend();
        using var ilgpu = IlgpuBackend.CreateCpu();
        var options = new RunOptions { Paths = 48, BandPaths = 8 };
        var a = Simulator.Run(job, cpu, options);
        Assert.Contains(ScenarioRuns.Column(a, "refinancings"), v => v > 0);   // the notes' maturity is reached
        BitCompare.AssertIdentical(a, Simulator.Run(job, ilgpu, options), "coreweave (96 months): cpu vs ilgpu-cpu");
    }

    [GeneratedRegex(@"effective rate (\d+(?:\.\d+)?)%")]
    private static partial Regex EffectiveRate();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)%")]
    private static partial Regex RateRange();

    [GeneratedRegex(@"(January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})")]
    private static partial Regex MonthYear();
}
