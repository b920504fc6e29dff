namespace ComputeEconomics.Tests.Calibration;

/// <summary>The repository's data/ folder, found by walking up from the test assembly.</summary>
internal static class DataFiles
{
    public static string Folder { get; } = Find();

    public static string Path(string name) => System.IO.Path.Combine(Folder, name);

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            string candidate = System.IO.Path.Combine(d.FullName, "data", "gpu_rents.csv");
            if (File.Exists(candidate) && File.Exists(System.IO.Path.Combine(d.FullName, "ComputeEconomics.sln")))
                return System.IO.Path.Combine(d.FullName, "data");
        }
        throw new DirectoryNotFoundException($"data/gpu_rents.csv not found above {AppContext.BaseDirectory}");
    }
}
