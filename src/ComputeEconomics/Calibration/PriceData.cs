namespace ComputeEconomics.Calibration;

/// <summary>One observation of the monthly model: a vendor/product's price (log) under a contract in a month.</summary>
/// <param name="Month">Month of the grid (0 = <see cref="PriceData.StartMonth"/>).</param>
/// <param name="Vendor">Index into <see cref="PriceData.Vendors"/> (vendor and product: one random effect each).</param>
/// <param name="Contract">Index into <see cref="PriceData.Contracts"/> (0 is the reference contract).</param>
/// <param name="LogValue">ln of the price: the mean of the logs of the rows merged into this point.</param>
/// <param name="Rows">How many data rows were merged (the same vendor, product, contract and month).</param>
public sealed record PricePoint(int Month, int Vendor, int Contract, double LogValue, int Rows);

/// <summary>
/// The rent observations of one generation on a monthly grid, the input of the state-space fit. Rows of the same vendor,
/// product, contract and month (Epoch lists one price for each instance size) are merged into one point, the mean of their
/// logs: they are one quote, not independent measurements.
/// </summary>
public sealed class PriceData
{
    /// <summary>Absolute month index (<see cref="Months"/>) of grid month 0: the first observation's month.</summary>
    public int StartMonth { get; }

    /// <summary>Number of grid months, through the last month of the fit (the --until month when given).</summary>
    public int MonthCount { get; }

    /// <summary>Vendor/product keys ("vendor | product"), one random effect each.</summary>
    public IReadOnlyList<string> Vendors { get; }

    /// <summary>Contracts present; the first is the reference (on_demand when present), whose offset is 0.</summary>
    public IReadOnlyList<string> Contracts { get; }

    /// <summary>The points of each grid month (empty for a month without observations).</summary>
    public IReadOnlyList<PricePoint>[] ByMonth { get; }

    /// <summary>Every point, in month order.</summary>
    public IReadOnlyList<PricePoint> Points { get; }

    /// <summary>Data rows behind the points.</summary>
    public int RowCount => Points.Sum(p => p.Rows);

    private PriceData(int start, int count, List<string> vendors, List<string> contracts, List<PricePoint> points)
    {
        StartMonth = start;
        MonthCount = count;
        Vendors = vendors;
        Contracts = contracts;
        Points = points;
        ByMonth = new IReadOnlyList<PricePoint>[count];
        var lists = Enumerable.Range(0, count).Select(_ => new List<PricePoint>()).ToArray();
        foreach (var p in points) lists[p.Month].Add(p);
        for (int t = 0; t < count; t++) ByMonth[t] = lists[t];
    }

    /// <summary>The vendor/product key of a row.</summary>
    public static string VendorKey(Observation o) => $"{o.Vendor} | {o.Product}";

    /// <summary>
    /// The rent rows (series gpu_rent) of <paramref name="generation"/> (exact, case-insensitive), optionally of one
    /// contract. An empty result is an input error naming the filters.
    /// </summary>
    public static List<Observation> Select(IEnumerable<Observation> rows, string generation, string? contract)
    {
        var selected = rows.Where(o => o.Series == "gpu_rent"
                                       && string.Equals(o.Generation, generation, StringComparison.OrdinalIgnoreCase)
                                       && (contract == null || o.Contract == contract))
                           .OrderBy(o => o.Date).ThenBy(o => o.Row).ToList();
        return selected;
    }

    /// <summary>
    /// The grid of <paramref name="rows"/> from the first row's month through <paramref name="lastMonth"/> (absolute),
    /// rows after it left out. Needs at least three months with observations.
    /// </summary>
    public static PriceData Build(IReadOnlyList<Observation> rows, int lastMonth)
    {
        var used = rows.Where(o => o.MonthIndex <= lastMonth).ToList();
        if (used.Select(o => o.MonthIndex).Distinct().Count() < 3)
            throw new InputException("--until", Months.Format(lastMonth),
                $"leaves {used.Count} observations in {used.Select(o => o.MonthIndex).Distinct().Count()} months; the fit needs observations in at least 3 months");
        int start = used.Min(o => o.MonthIndex);
        var contracts = used.Select(o => o.Contract).Distinct().OrderBy(c => c == "on_demand" ? 0 : 1)
                            .ThenByDescending(c => used.Count(o => o.Contract == c)).ThenBy(c => c, StringComparer.Ordinal).ToList();
        var vendors = used.Select(VendorKey).Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList();
        var points = used.GroupBy(o => (o.MonthIndex, Vendor: VendorKey(o), o.Contract))
                         .Select(g => new PricePoint(g.Key.MonthIndex - start, vendors.IndexOf(g.Key.Vendor),
                                                     contracts.IndexOf(g.Key.Contract), g.Average(o => Math.Log(o.Value)), g.Count()))
                         .OrderBy(p => p.Month).ThenBy(p => p.Vendor).ThenBy(p => p.Contract).ToList();
        return new PriceData(start, lastMonth - start + 1, vendors, contracts, points);
    }

    /// <summary>Synthetic data (tests): points given directly on a grid of <paramref name="months"/> months.</summary>
    public static PriceData FromPoints(int start, int months, int vendors, IReadOnlyList<string> contracts, List<PricePoint> points) =>
        new(start, months, Enumerable.Range(0, vendors).Select(i => $"v{i}").ToList(), contracts.ToList(), points);
}
