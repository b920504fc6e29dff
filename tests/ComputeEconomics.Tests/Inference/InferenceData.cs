using System.Globalization;
using ComputeEconomics.Inference;
using CsvHelper;

namespace ComputeEconomics.Tests.Inference;

/// <summary>Reads data/inference/*.csv (published benchmark rows and accelerator figures, each with its source).</summary>
internal static class InferenceData
{
    /// <summary>The repository root: the first folder above the test binaries holding ComputeEconomics.sln.</summary>
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ComputeEconomics.sln")))
                return dir.FullName;
        throw new InvalidOperationException("ComputeEconomics.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Rows of a CSV file under data/inference as column -> cell dictionaries.</summary>
    public static IReadOnlyList<Dictionary<string, string>> Load(string file)
    {
        using var csv = CsvReader.Create(File.OpenRead(Path.Combine(RepoRoot, "data", "inference", file)), new CsvReaderOptions(), false);
        csv.ReadHeader();
        var header = csv.Headers.ToArray();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
            rows.Add(header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => csv.GetString(x.i)));
        return rows;
    }

    private static double Num(Dictionary<string, string> r, string c) => double.Parse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>data/inference/published.csv as <see cref="PublishedRow"/>s, in file order.</summary>
    public static IReadOnlyList<PublishedRow> Published() => Load("published.csv").Select(r => new PublishedRow(
        r["date"], r["round"], r["submitter"], r["system"], r["accelerator"], (int)Num(r, "count"), r["model"], r["scenario"],
        Precisions.Parse(r["precision"], "precision"), Num(r, "tokens_per_s"), (int)Num(r, "input_len"), (int)Num(r, "output_len"),
        Num(r, "ttft_limit_s"), Num(r, "tpot_limit_s"), r["source"])).ToList();

    /// <summary>data/inference/accelerators.csv pivoted to one <see cref="Accelerator"/> per name, in file order.</summary>
    public static IReadOnlyList<Accelerator> Accelerators()
    {
        var rows = Load("accelerators.csv");
        return rows.Select(r => r["accelerator"]).Distinct().Select(name =>
        {
            var mine = rows.Where(r => r["accelerator"] == name).ToList();
            var f = mine.Where(r => r["field"] != "vendor").ToDictionary(r => r["field"], r => Num(r, "value"));
            string vendor = mine.FirstOrDefault(r => r["field"] == "vendor")?["value"] ?? "NVIDIA";
            return new Accelerator(name, f["hbm_gb"], f["hbm_tbps"], f["fp16_tflops"], f["fp8_tflops"], f["fp4_tflops"],
                f["link_gbps"], (int)f["domain_size"], f["tdp_w"], vendor);
        }).ToList();
    }
}
