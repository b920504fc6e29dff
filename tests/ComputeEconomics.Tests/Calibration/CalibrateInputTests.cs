using ComputeEconomics.Calibration;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Calibration;

/// <summary>`ce calibrate price`'s inputs that an outsider tried: files that are not text, too few months, a future --until.</summary>
public class CalibrateInputTests
{
    /// <summary>
    /// --data is read like a scenario file: /dev/zero used to be read by a StreamReader until memory ran out
    /// ("internal error: OutOfMemoryException", exit 1), a folder was "file not found", and bytes that are not UTF-8
    /// were silently replaced. Each is now exit code 2 naming --data, the path and the rule, with no --out folder made.
    /// </summary>
    [Theory]
    [InlineData("/dev/zero", "must be at most 64 MiB")]
    [InlineData("(folder)", "is a folder")]
    [InlineData("(latin-1)", "must be UTF-8 text")]
    public void DataThatIsNotATextFileIsRefusedNamingData(string data, string rule)
    {
        string temp = Path.Combine(Path.GetTempPath(), $"ce-cal-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        string file = data switch
        {
            "(folder)" => temp,
            "(latin-1)" => Path.Combine(temp, "latin1.csv"),
            _ => data,
        };
        if (data == "(latin-1)")
        {
            File.WriteAllBytes(file, System.Text.Encoding.Latin1.GetBytes(
                "date,series,generation,product,vendor,contract,value,unit,source,licence,note\n"
                + "2024-01,gpu_rent,H100,H100,Caf\u00e9 GPU,on_demand,3.49,USD/GPU-hour,https://x,by x,\n"));
        }
        string outDir = Path.Combine(temp, "out");
        try
        {
            var r = CeProcess.Run(new[] { "calibrate", "price", "--data", file, "--out", outDir }, timeoutSeconds: 120);
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.Contains($"error: --data: {file}", r.StdErr);
            Assert.Contains(rule, r.StdErr);
            Assert.DoesNotContain("internal error", r.StdErr);
            Assert.False(Directory.Exists(outDir));
        }
        finally
        {
            Directory.Delete(temp, true);
        }
    }

    /// <summary>
    /// Rows of a generation in fewer than 3 months, without --until, used to be blamed on "--until" (not given);
    /// the error now names the generation and the file.
    /// </summary>
    [Fact]
    public void TooFewMonthsWithoutUntilNameTheGeneration()
    {
        string file = Path.Combine(Path.GetTempPath(), $"ce-cal-{Guid.NewGuid():N}.csv");
        File.WriteAllText(file, "date,series,generation,product,vendor,contract,value,unit,source,licence,note\n"
                              + "2024-01,gpu_rent,H100,H100,Lambda,on_demand,3.49,USD/GPU-hour,https://x,by x,\n"
                              + "2024-02,gpu_rent,H100,H100,Lambda,on_demand,3.29,USD/GPU-hour,https://x,by x,\n");
        try
        {
            var ex = Assert.Throws<InputException>(() => PriceCalibration.Run(new CalibrationSettings(file, "H100", null, null, 12, 1)));
            var e = Assert.Single(ex.Errors);
            Assert.Equal("--generation", e.Field);
            Assert.Contains($"in 2 month(s) of {file}; the fit needs observations in at least 3 months", e.Rule);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// --until after the data used to be accepted and fitted as hundreds of empty months (2099-01 ran past a 5-minute
    /// limit); it is refused naming the last observed month.
    /// </summary>
    [Fact]
    public void AnUntilAfterTheLastObservationIsRefused()
    {
        var ex = Assert.Throws<InputException>(() => PriceCalibration.Run(
            new CalibrationSettings(DataFiles.Path("gpu_rents.csv"), "H100", null, Months.Parse("2099-01"), 12, 1)));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("--until", e.Field);
        Assert.Equal("2099-01", e.Value);
        Assert.Contains("must not be after the last H100 observation", e.Rule);
    }

    /// <summary>
    /// A generation with rents but none of the asked contract was told "no gpu_rent rows ... (generations there: ...,
    /// H100, ...)", a list holding the generation itself; it now lists the generation's own contracts. Spaces around
    /// --generation are trimmed (" H100" matched nothing).
    /// </summary>
    [Fact]
    public void AGenerationWithoutTheContractListsItsOwnContracts()
    {
        var ex = Assert.Throws<InputException>(() => PriceCalibration.Run(
            new CalibrationSettings(DataFiles.Path("gpu_rents.csv"), " h100 ", "spot", null, 12, 1)));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("--generation", e.Field);
        Assert.Equal("h100", e.Value);
        // data/gpu_rents.csv: H100 rents are quoted on demand, as an index and on 1- and 3-year terms, never spot.
        Assert.EndsWith("(its contracts there: index, on_demand, term_1y, term_3y)", e.Rule);
    }
}
