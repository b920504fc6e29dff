using ComputeEconomics.Backends;
using ComputeEconomics.Calibration;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using ComputeEconomics.Scenarios;
using ComputeEconomics.Tests.Calibration;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Fleet;

/// <summary>
/// The company scenarios (scenarios/{coreweave,microsoft,alphabet,amazon,meta,oracle}.yaml) against what the companies
/// filed: every expected value is read from data/company_filings.csv (the row's filing, page or note and date are there),
/// never from the engine; derived comparables are computed here from those rows with the working shown.
/// </summary>
public class CompanyFilingTests
{
    private static readonly IReadOnlyList<CompanyFiling> Filings = FilingLoader.Load(DataFiles.Path("company_filings.csv"));

    private static double Billions(string company, string figure, string date) => FilingLoader.Find(Filings, company, figure, date).Value * 1e9;

    public static readonly TheoryData<string> Companies = new() { "coreweave", "microsoft", "alphabet", "amazon", "meta", "oracle" };

    private static RunResult Run(string name, IBackend? backend, long paths, params string[] overrides)
    {
        var job = ScenarioCompiler.Compile(ScenarioLoader.Load(name, overrides));
        var own = backend ?? new CpuBackend();
        try { return Simulator.Run(job, own, new RunOptions { Paths = paths, BandPaths = 0 }); }
        finally { if (backend == null) own.Dispose(); }
    }

    private static double Mean(RunResult r, string metric) => ScenarioRuns.Column(r, metric).Average();

    [Fact]
    public void EveryFilingRowLoadsWithItsFilingPageDateAndSource()
    {
        string path = DataFiles.Path("company_filings.csv");
        int lines = File.ReadAllLines(path).Count(l => l.Length > 0) - 1;     // no field of the file spans lines
        Assert.Equal(lines, Filings.Count);
        Assert.Equal(new[] { "Alphabet", "Amazon", "CoreWeave", "Meta", "Microsoft", "Oracle" }, Filings.Select(f => f.Company).Distinct().Order());
        Assert.All(Filings, f =>
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Filing));
            Assert.False(string.IsNullOrWhiteSpace(f.PageOrNote));
            Assert.StartsWith("http", f.Source);
        });
        // Figures read on sec.gov's own renderings of the filings say so; the others name the outlet that quotes them.
        Assert.All(Filings.Where(f => f.Source.Contains("sec.gov/Archives", StringComparison.Ordinal) && f.Figure != "capex_cash"),
            f => Assert.True(f.ReadInFiling, $"{f.Company} {f.Figure}: a sec.gov rendering is read in the filing"));
    }

    [Fact]
    public void TheLoaderNamesTheRowTheColumnTheValueAndTheRule()
    {
        const string header = "date,company,figure,value,unit,filing,page_or_note,filed_date,source,licence,note\n";
        var e = Assert.Throws<InputException>(() => FilingLoader.Parse(new StringReader(header +
            "2024-13-01,Meta,Capex,-1,USD billions,,p,2025-01-30,www.example.com,l,quoted somewhere\n"), "f.csv"));
        foreach (var part in new[] { "row 2, column date", "row 2, column figure", "row 2, column value", "row 2, column filing",
                     "row 2, column source", "row 2, column note", "read in the filing" })
            Assert.Contains(part, e.Message);
    }

    /// <summary>Depreciation expense of the first fiscal year against the filed figure. The scenarios hold servers only (the
    /// short-lived share of capex), so the comparable is what the filing says servers cost: Microsoft and Alphabet file one
    /// total (buildings are the rest: Microsoft's buildings at cost were 93.9 B against 93.8 B of computer equipment at
    /// 2024-06-30); Meta files its servers-and-network share (7.32 of 11.02 B in 2023), applied here to its 2024 total.
    /// Tolerance 25 %: each opening book is mid-year vintages of filed capex, booked over today's life from purchase
    /// (earlier vintages were booked over shorter lives), and the server share is one number for every year.</summary>
    [Theory]
    [InlineData("microsoft", "Microsoft", "depreciation_expense", "2025-06-30", 1.0)]
    [InlineData("alphabet", "Alphabet", "depreciation_expense", "2024-12-31", 1.0)]
    [InlineData("meta", "Meta", "depreciation_and_amortization", "2024-12-31", -1.0)]
    public void FirstFiscalYearDepreciationIsNearTheFiledFigure(string scenario, string company, string figure, string date, double share)
    {
        double filed = Billions(company, figure, date);
        if (share < 0)   // Meta: servers and network depreciation over all depreciation in the 2023 10-K, read in the filing
            share = Billions("Meta", "depreciation_expense_servers_network", "2023-12-31") / Billions("Meta", "depreciation_expense", "2023-12-31");
        double expected = filed * share;
        double modelled = Mean(Run(scenario, null, 64, "horizon_months=12"), "depreciation_expense_y1");
        ScenarioRuns.AssertRelative(expected, modelled, 0.25, $"{scenario}: depreciation of fiscal year 1 against {company} {figure} {date} x {share:0.000}");
    }

    /// <summary>Capex of the first fiscal year: the filed cash capex times the server share the scenario states, both read
    /// here from the data file (Microsoft's short-lived share for the others; Meta's servers-and-network assets at cost over
    /// its 2020-2024 purchases). Failures off, so no replacement adds to it; tolerance 1e-4 (whole units at the month's price).</summary>
    [Theory]
    [InlineData("microsoft", "Microsoft", "capex_cash", "2025-06-30")]
    [InlineData("alphabet", "Alphabet", "capex_cash", "2024-12-31")]
    [InlineData("amazon", "Amazon", "capex_cash", "2024-12-31")]
    [InlineData("meta", "Meta", "capex_cash", "2024-12-31")]
    [InlineData("oracle", "Oracle", "capex_guidance_annual", "2026-05-31")]
    [InlineData("coreweave", "CoreWeave", "capex_guidance_annual", "2025-12-31")]
    public void FirstFiscalYearCapexIsTheFiledCapexTimesTheServerShare(string scenario, string company, string figure, string date)
    {
        double share = company switch
        {
            "Meta" => Billions("Meta", "gross_servers_and_network_assets", "2024-12-31")
                / new[] { 2020, 2021, 2022, 2023, 2024 }.Sum(y => Billions("Meta", "capex_cash", $"{y}-12-31")),
            "CoreWeave" => 1.0,   // its capex is its GPU fleet (it leases its data centres)
            _ => FilingLoader.Find(Filings, "Microsoft", "short_lived_share_of_capex", "2025-12-31").Value,
        };
        double expected = Billions(company, figure, date) * Math.Round(share, 3);   // the scenarios state the share to 3 places
        double modelled = Mean(Run(scenario, null, 8, "horizon_months=12", "fleet.failures.enabled=false"), "total_capex");
        ScenarioRuns.AssertRelative(expected, modelled, 1e-4, $"{scenario}: capex of fiscal year 1");
    }

    /// <summary>CoreWeave's first quarter of 2025: the 250,000 GPUs of the S-1 at the contract and market rents of the scenario
    /// earn near the revenue of its Q1 2025 10-Q. Tolerance 25 %: the contract price is a 3-year term index, not CoreWeave's,
    /// and the contracted share is an assumption (the 2025 capex enters service from month 3, after the quarter). A tranche
    /// must open within the horizon, so the 2030 notes (funded in month 5) open in month 0 in this 3-month run: financing
    /// does not enter revenue.</summary>
    [Fact]
    public void CoreWeaveFirstQuarterRevenueIsNearTheFiledQuarter()
    {
        double filed = Billions("CoreWeave", "revenue_quarterly", "2025-03-31");
        double modelled = Mean(Run("coreweave", null, 256, "horizon_months=3", "fleet.financing.tranches[2].start_month=0"), "total_revenue");
        ScenarioRuns.AssertRelative(filed, modelled, 0.25, "coreweave: revenue of 2025-Q1");
    }

    [Theory]
    [MemberData(nameof(Companies))]
    public void CompanyScenariosRunBitIdenticallyOnCpuAndIlgpuCpu(string scenario)
    {
        using var cpu = new CpuBackend();
        using var ilgpu = IlgpuBackend.CreateCpu();
        var a = Run(scenario, cpu, 24, "horizon_months=24");
        BitCompare.AssertIdentical(a, Run(scenario, ilgpu, 24, "horizon_months=24"), $"{scenario}: cpu vs ilgpu-cpu");
    }

    [Theory]
    [MemberData(nameof(Companies))]
    public void EveryCompanyScenarioAnswersTheUsefulLifeQuestionByYear(string scenario)
    {
        var s = ScenarioLoader.Load(scenario);
        Assert.True(s.Fleet.Depreciation.FiscalYearMetrics, $"{scenario}: fiscal_year_metrics on");
        Assert.True(s.Fleet.Depreciation.ImpairmentTest, $"{scenario}: impairment test on");
        Assert.Contains(scenario, ScenarioLoader.EmbeddedNames());
    }
}
