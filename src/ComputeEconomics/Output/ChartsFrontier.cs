using ScottPlot;

namespace ComputeEconomics.Output;

/// <summary>One generation's serving frontier: tokens/s per GPU against tokens/s per user, most interactive first.</summary>
/// <param name="Name">Generation name (the legend entry).</param>
/// <param name="TokensPerSPerUser">x: output tokens/s each user sees.</param>
/// <param name="TokensPerSPerGpu">y: output tokens/s per GPU.</param>
public sealed record FrontierSeries(string Name, IReadOnlyList<double> TokensPerSPerUser, IReadOnlyList<double> TokensPerSPerGpu);

public static partial class Charts
{
    // Greyscale-readable: each generation differs by lightness and by marker shape.
    private static readonly Color[] SeriesColors =
    {
        Color.FromHex("#9FB4D3"), Color.FromHex("#7C9CC8"), Color.FromHex("#4F74A8"), Color.FromHex("#B24A1E"),
        Color.FromHex("#2E5288"), Color.FromHex("#1B365D"), Color.FromHex("#0B1A30"),
    };

    // Marker shapes rather than dash patterns: SkiaSharp's SVG canvas drops path effects (dashes).
    private static readonly MarkerShape[] SeriesMarkers =
    {
        MarkerShape.FilledCircle, MarkerShape.OpenSquare, MarkerShape.FilledTriangleUp, MarkerShape.OpenDiamond,
        MarkerShape.FilledSquare, MarkerShape.OpenCircle, MarkerShape.FilledDiamond,
    };

    /// <summary>
    /// The serving frontier of each generation (docs/inference.md): the setups no other beats on both tokens/s per GPU
    /// and per user, as one line per generation; a grey vertical line marks the service level's floor when it is above 0.
    /// </summary>
    /// <param name="name">File stem.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="series">One frontier per generation (x and y of equal length).</param>
    /// <param name="floor">Tokens/s per user of the service level; 0: no marker.</param>
    /// <param name="caption">What the lines are (model, precision, lengths).</param>
    /// <exception cref="ArgumentException">A series has x and y of different lengths.</exception>
    public static ChartImage Frontier(string name, string title, IReadOnlyList<FrontierSeries> series, double floor, string caption)
    {
        var plt = NewPlot(title, "Output tokens/s per user", "Output tokens/s per GPU");
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            if (s.TokensPerSPerUser.Count != s.TokensPerSPerGpu.Count)
                throw new ArgumentException($"frontier {s.Name}: {s.TokensPerSPerUser.Count} x values and {s.TokensPerSPerGpu.Count} y values");
            if (s.TokensPerSPerUser.Count == 0)
                continue;
            var line = plt.Add.Scatter(s.TokensPerSPerUser.ToArray(), s.TokensPerSPerGpu.ToArray(), SeriesColors[i % SeriesColors.Length]);
            line.LineWidth = 2.5f;
            line.MarkerSize = 7;
            line.MarkerShape = SeriesMarkers[i % SeriesMarkers.Length];
            line.LegendText = s.Name;
        }
        if (floor > 0)
        {
            var v = plt.Add.VerticalLine(floor, 1.5f, Mid);
            v.LegendText = $"service level: {floor.ToString("0.##", Inv)} tokens/s per user";
        }
        plt.Axes.SetLimitsX(0, Math.Max(1, series.SelectMany(s => s.TokensPerSPerUser).DefaultIfEmpty(1).Max() * 1.05));
        plt.Axes.SetLimitsY(0, Math.Max(1, series.SelectMany(s => s.TokensPerSPerGpu).DefaultIfEmpty(1).Max() * 1.05));
        plt.ShowLegend(Alignment.UpperRight);
        return Render(plt, name, title, caption);
    }
}
