using ComputeEconomics.Calibration;

namespace ComputeEconomics.Tests.Calibration;

public class ObservationLoaderTests
{
    private const string Header = "date,series,generation,product,vendor,contract,value,unit,source,licence,note\n";

    [Theory]
    [InlineData("gpu_rents.csv")]
    [InlineData("gpu_purchase_prices.csv")]
    [InlineData("api_token_prices.csv")]
    [InlineData("hyperscaler_capex.csv")]
    [InlineData("useful_life_policies.csv")]
    public void EveryShippedFileLoadsWithASourceAndALicenceOnEveryRow(string name)
    {
        string path = DataFiles.Path(name);
        var rows = ObservationLoader.Load(path);
        int lines = File.ReadAllLines(path).Count(l => l.Length > 0) - 1;     // no field of these files spans lines
        Assert.Equal(lines, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Source));
            Assert.False(string.IsNullOrWhiteSpace(r.Licence));
        });
    }

    [Fact]
    public void RentsHoldTheEpochH100AndA100SeriesAndTheLaterSourcesPoints()
    {
        var rows = ObservationLoader.Load(DataFiles.Path("gpu_rents.csv"));
        // Epoch's Lambda H100 SXM on-demand price of 2024-01-29 (the default scenario's initial price) and
        // docs/sources.md's 1-year contract index of 2026-03.
        Assert.Contains(rows, r => r.Generation == "H100" && r.Vendor == "Lambda Labs" && r.Date == new DateOnly(2024, 1, 29)
                                   && r.Contract == "on_demand" && r.Value == 3.49);
        Assert.Contains(rows, r => r.Generation == "H100" && r.Contract == "index" && r.Date == new DateOnly(2026, 3, 1) && r.Value == 2.35);
        Assert.True(rows.Count(r => r.Generation == "A100" && r.Series == "gpu_rent") > 100);
    }

    [Fact]
    public void ABadValueIsNamedByFileRowColumnValueAndRule()
    {
        string csv = Header
            + "2024-01,gpu_rent,H100,H100 SXM,Lambda,on_demand,3.49,USD/GPU-hour,https://x,by x,\n"
            + "2024-02,gpu_rent,H100,H100 SXM,Lambda,on_demand,-1,USD/GPU-hour,https://x,by x,\n"
            + "2024-13,gpu_rent,H100,H100 SXM,Lambda,monthly,2.0,USD/GPU-hour,,by x,\n";
        var ex = Assert.Throws<InputException>(() => ObservationLoader.Parse(new StringReader(csv), "rents.csv"));
        Assert.Contains(ex.Errors, e => e.Field == "rents.csv: row 3, column value" && e.Value == "-1" && e.Rule.Contains("positive"));
        Assert.Contains(ex.Errors, e => e.Field == "rents.csv: row 4, column date" && e.Value == "2024-13");
        Assert.Contains(ex.Errors, e => e.Field == "rents.csv: row 4, column contract" && e.Value == "monthly");
        Assert.Contains(ex.Errors, e => e.Field == "rents.csv: row 4, column source" && e.Value == "(empty)");
        Assert.Equal(4, ex.Errors.Count);
    }

    [Fact]
    public void AMissingColumnAndARaggedRowAreErrors()
    {
        var missing = Assert.Throws<InputException>(() =>
            ObservationLoader.Parse(new StringReader("date,series,value\n2024-01,gpu_rent,1\n"), "f.csv"));
        Assert.Contains(missing.Errors, e => e.Field == "f.csv: row 1 (header)" && e.Rule == "has no column 'licence'");
        var ragged = Assert.Throws<InputException>(() =>
            ObservationLoader.Parse(new StringReader(Header + "2024-01,gpu_rent,H100\n"), "g.csv"));
        Assert.Contains(ragged.Errors, e => e.Field == "g.csv: row 2" && e.Rule.Contains("11 fields"));
    }

    [Fact]
    public void AMonthOnlyDateIsTheFirstOfTheMonth()
    {
        Assert.Equal(new DateOnly(2025, 10, 1), ObservationLoader.ParseDate("2025-10"));
        Assert.Equal(new DateOnly(2025, 10, 17), ObservationLoader.ParseDate("2025-10-17"));
        Assert.Null(ObservationLoader.ParseDate("2025-1"));
        Assert.Null(ObservationLoader.ParseDate("Oct 2025"));
    }

    /// <summary>A required column given twice was read from its last copy without a word; it is refused naming both.</summary>
    [Fact]
    public void AColumnGivenTwiceIsRefusedNamingBothPositions()
    {
        string csv = "date,series,generation,product,vendor,contract,value,unit,source,licence,note,value\n"
                   + "2024-01,gpu_rent,H100,H100,Lambda,on_demand,3.49,USD/GPU-hour,https://x,by x,,1.00\n";
        var ex = Assert.Throws<InputException>(() => ObservationLoader.Parse(new StringReader(csv), "t.csv"));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("t.csv: row 1 (header)", e.Field);
        Assert.Equal("value", e.Value);
        Assert.Contains("given twice (columns 7 and 12)", e.Rule);
    }
}
