using System.Globalization;
using System.Text.Json;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Cli;

/// <summary>`ce finance npv|irr` against numpy-financial's documented values (tests/TestData) and closed forms.</summary>
public class FinanceCommandTests
{
    private const string Numpy = "numpy-financial.csv";

    public static TheoryData<int> NumpyRows()
    {
        var rows = new TheoryData<int>();
        for (int i = 0; i < ReferenceData.Load(Numpy).Count; i++) rows.Add(i);
        return rows;
    }

    private static JsonElement Json(params string[] args)
    {
        var r = CeProcess.Run(args.Append("--json"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        return JsonDocument.Parse(r.StdOut).RootElement;
    }

    [Theory]
    [MemberData(nameof(NumpyRows))]
    public void MatchesNumpyFinancial(int row)
    {
        var r = ReferenceData.Load(Numpy)[row];
        // Space-separated flows starting with '-' must reach the command whole (the parser would keep only "-100").
        string values = string.Join(" ", r.Numbers("values").Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        double tolerance = Math.Max(r.HalfUlpOfPrint, 1e-13);
        if (r.Text("function") == "irr")
            Assert.Equal(r.Number("expected"), Json("finance", "irr", "--values", values).GetProperty("irr").GetDouble(), tolerance);
        else
            Assert.Equal(r.Number("expected"),
                Json("finance", "npv", "--rate", r.Text("rate"), "--values", values).GetProperty("npv").GetDouble(), tolerance);
    }

    [Fact]
    public void SpreadsheetConventionDiscountsTheFirstFlowAndIrrAnnualises()
    {
        // Closed forms: NPV(10 %, 110) = 110 / 1.1 = 100 in the spreadsheet convention; 110 undiscounted in numpy's.
        Assert.Equal(100, Json("finance", "npv", "--rate", "0.1", "--values", "110", "--convention", "spreadsheet").GetProperty("npv").GetDouble(), 1e-12);
        Assert.Equal(110, Json("finance", "npv", "--rate", "0.1", "--values", "110").GetProperty("npv").GetDouble(), 1e-12);
        // IRR of (-100, 0, 121) is 10 % a period; with 12 periods a year, 1.1^12 - 1.
        var irr = Json("finance", "irr", "--values", "-100,0,121", "--periods-per-year", "12");
        Assert.Equal(0.1, irr.GetProperty("irr").GetDouble(), 1e-12);
        Assert.Equal(Math.Pow(1.1, 12) - 1, irr.GetProperty("annual").GetDouble(), 1e-10);
    }

    [Theory]
    // No sign change: no rate can give NPV 0.
    [InlineData("1,2,3", "never change sign")]
    // Sign changes, but 1 - x + x^2 > 0 for every x = 1/(1+r) > 0: the NPV never reaches 0.
    [InlineData("1,-1,1", "stays positive")]
    public void AnAbsentIrrSaysWhy(string values, string reason)
    {
        var j = Json("finance", "irr", "--values", values);
        Assert.Equal(JsonValueKind.Null, j.GetProperty("irr").ValueKind);
        Assert.Contains(reason, j.GetProperty("absent_reason").GetString());
    }

    [Theory]
    [InlineData("--values", "1,abc", "--values[1]")]
    [InlineData("--values", "", "--values")]
    [InlineData("--rate", "-1", "--rate")]
    [InlineData("--convention", "excel", "--convention")]
    [InlineData("--values", "1,,2", "--values[1]: (empty)")]
    [InlineData("--values", "-100,39,", "--values[2]: (empty)")]
    public void BadInputIsRefusedByNameWithExitCode2(string option, string value, string named)
    {
        var args = new List<string> { "finance", "npv", "--rate", "0.1", "--values", "1,2" };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else { args.Add(option); args.Add(value); }
        var r = CeProcess.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(named, r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    /// <summary>
    /// An empty entry used to be dropped, so "-100,,121" was read as two flows (-100 at t = 0, 121 at t = 1) and its NPV
    /// at 10 % came out 10 instead of the closed form -100 + 121 / 1.1^2 = 0; spaces after commas still separate once.
    /// </summary>
    [Fact]
    public void SpacesAroundCommasSeparateOnceAndZeroKeepsItsPeriod()
    {
        Assert.Equal(0.0, Json("finance", "npv", "--rate", "0.1", "--values", "-100, 0, 121").GetProperty("npv").GetDouble(), 1e-12);
        Assert.Equal(0.0, Json("finance", "npv", "--rate", "0.1", "--values", "-100 0 121").GetProperty("npv").GetDouble(), 1e-12);
        Assert.Equal(0.0, Json("finance", "npv", "--rate", "0.1", "--values", "-100 ; 0 ;121").GetProperty("npv").GetDouble(), 1e-12);
    }
}
