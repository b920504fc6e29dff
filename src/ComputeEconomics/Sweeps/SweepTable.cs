using System.Globalization;
using System.Text;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using Parquet;
using Parquet.Schema;

namespace ComputeEconomics.Sweeps;

/// <summary>One row of a sweep's results: the point index, its axis values as written, and every statistic.</summary>
/// <param name="Point">Point index, 0 .. points-1.</param>
/// <param name="Axis">Axis values as text, in axis order (empty where a sensitivity point keeps the base value).</param>
/// <param name="Values">The statistics, in <see cref="SweepTable.StatColumns"/> order; NaN = absent.</param>
public sealed record SweepRow(int Point, string[] Axis, double[] Values);

/// <summary>
/// The layout of a sweep's results: <c>point</c>, one column per axis, then for every metric M the columns
/// M_mean, M_sd, M_stderr, M_p1 .. M_p99, M_cvar5, M_min, M_max, M_count, M_absent, then for every event E
/// E_probability and E_probability_stderr. CSV cells are invariant round-trip numbers (empty = absent), so a row
/// read back from CSV gives the same doubles and the same bytes when written again.
/// </summary>
public sealed class SweepTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The statistics of each metric, in column order.</summary>
    public static readonly string[] Statistics =
        { "mean", "sd", "stderr", "p1", "p5", "p25", "p50", "p75", "p95", "p99", "cvar5", "min", "max", "count", "absent" };

    public SweepTable(IReadOnlyList<SweepAxis> axes, IReadOnlyList<string> metrics, IReadOnlyList<string> events)
    {
        Axes = axes;
        Metrics = metrics;
        Events = events;
        var cols = new List<string>();
        foreach (var m in metrics) foreach (var s in Statistics) cols.Add($"{m}_{s}");
        foreach (var e in events) { cols.Add($"{e}_probability"); cols.Add($"{e}_probability_stderr"); }
        StatColumns = cols;
    }

    public IReadOnlyList<SweepAxis> Axes { get; }
    public IReadOnlyList<string> Metrics { get; }
    /// <summary>Events reported as probabilities (default, npv_negative for a fleet).</summary>
    public IReadOnlyList<string> Events { get; }
    public IReadOnlyList<string> StatColumns { get; }

    /// <summary>All column names, in order.</summary>
    public IEnumerable<string> Columns => new[] { "point" }.Concat(Axes.Select(a => a.Name)).Concat(StatColumns);

    /// <summary>The layout for a compiled job (its metrics and events; a fleet adds npv_negative).</summary>
    public static SweepTable For(IReadOnlyList<SweepAxis> axes, IModelJob job)
    {
        var events = job.EventMetrics.ToList();
        events.AddRange(ModelKinds.For(job.Scenario.Model).DerivedEvents.Select(e => e.Name));
        return new SweepTable(axes, job.MetricNames, events);
    }

    /// <summary>True when a name ends like a statistic column (an axis name must not).</summary>
    internal static bool IsStatColumnLike(string name) =>
        Statistics.Any(s => name.EndsWith("_" + s, StringComparison.Ordinal)) || name.EndsWith("_probability", StringComparison.Ordinal);

    /// <summary>The row of one point from its run summary.</summary>
    public SweepRow Row(int point, string?[] axisValues, RunSummary summary)
    {
        var v = new double[StatColumns.Count];
        int c = 0;
        foreach (var name in Metrics)
        {
            var m = summary.Metric(name);
            foreach (double x in new[] { m.Mean, m.StdDev, m.StdError, m.P1, m.P5, m.P25, m.P50, m.P75, m.P95, m.P99, m.Cvar5, m.Min, m.Max, m.Count, m.Absent })
                v[c++] = x;
        }
        foreach (var e in Events)
        {
            var p = summary.Probabilities[e];
            v[c++] = p.P;
            v[c++] = p.StdError;
        }
        return new SweepRow(point, axisValues.Select(a => a ?? "").ToArray(), v);
    }

    /// <summary>Index of a statistic column, or -1.</summary>
    public int IndexOf(string column)
    {
        for (int i = 0; i < StatColumns.Count; i++) if (StatColumns[i] == column) return i;
        return -1;
    }

    /// <summary>The CSV header line (with its newline).</summary>
    public string CsvHeader() => CsvText.Line(Columns);

    /// <summary>The fields of a row as written: point, axis values, statistics (round-trip numbers, empty = absent).</summary>
    public static string[] Fields(SweepRow row) =>
        new[] { row.Point.ToString(Inv) }.Concat(row.Axis).Concat(row.Values.Select(Format.Csv)).ToArray();

    /// <summary>One CSV line (with its newline).</summary>
    public string CsvLine(SweepRow row) => CsvText.Line(Fields(row));

    /// <summary>The whole CSV, rows in point order.</summary>
    public string Csv(IEnumerable<SweepRow> rows) => CsvText.Write(Columns, rows.OrderBy(r => r.Point).Select(Fields));

    /// <summary>
    /// A row from its fields; null when they are not a complete row of this layout (wrong count, a point that is not a
    /// whole number, a statistic that is not a finite number or empty).
    /// </summary>
    public SweepRow? ParseFields(IReadOnlyList<string> cells)
    {
        if (cells.Count != 1 + Axes.Count + StatColumns.Count) return null;
        if (!int.TryParse(cells[0], NumberStyles.None, Inv, out int point)) return null;
        var values = new double[StatColumns.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (CsvText.Parse(cells[1 + Axes.Count + i]) is not { } v) return null;
            values[i] = v;
        }
        return new SweepRow(point, cells.Skip(1).Take(Axes.Count).ToArray(), values);
    }

    /// <summary>Parse one CSV line (without its newline); null when it is not a complete row of this layout.</summary>
    public SweepRow? ParseLine(string line)
    {
        try { return CsvText.Read(line) is [var only] ? ParseFields(only.Fields) : null; }
        catch (FormatException) { return null; }
    }

    /// <summary>
    /// Rows of a CSV written by <see cref="Csv"/>, checked against <paramref name="plan"/> (each point's axis values);
    /// throws <see cref="InputException"/> naming the file and line of a bad row.
    /// </summary>
    public List<SweepRow> ParseCsv(string text, string source, SweepPlan? plan = null)
    {
        List<(string[] Fields, int Line)> records;
        try { records = CsvText.Read(text); }
        catch (FormatException ex) { throw new InputException(source, "(CSV)", $"is not valid CSV: {ex.Message}"); }
        if (records.Count == 0 || !records[0].Fields.SequenceEqual(Columns))
            throw new InputException(source, "(header)", "must have the columns of this sweep (was it written by another sweep or version?)");
        var rows = new List<SweepRow>();
        foreach (var (fields, line) in records.Skip(1))
        {
            var row = ParseFields(fields) ?? throw new InputException(source, $"(line {line})", "is not a complete row of this sweep (a point, its axis values, finite numbers or empty cells)");
            if (plan != null && MismatchedAxis(plan, row) is { } why) throw new InputException(source, $"(line {line})", why);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Why <paramref name="row"/>'s point or axis values are not those of the plan, or null when they are.</summary>
    public static string? MismatchedAxis(SweepPlan plan, SweepRow row)
    {
        if (row.Point < 0 || row.Point >= plan.PointCount) return $"has point {row.Point}: must be 0 to {plan.PointCount - 1}";
        var expected = plan.ValuesAt(row.Point).Select(v => v ?? "").ToArray();
        for (int j = 0; j < expected.Length; j++)
            if (row.Axis[j] != expected[j])
                return $"has {plan.Axes[j].Name} = {row.Axis[j]} at point {row.Point}: the sweep's value there is {expected[j]}";
        return null;
    }

    private static bool IsCount(string column) =>
        column.EndsWith("_count", StringComparison.Ordinal) || column.EndsWith("_absent", StringComparison.Ordinal);

    /// <summary>
    /// The rows as Parquet (Parquet.Net, one row group, Snappy): point and counts INT64, numeric axes DOUBLE or INT64,
    /// text axes STRING, statistics nullable DOUBLE (null = absent). Column names are plain identifiers, so pandas,
    /// Polars and DuckDB read them without quoting or conversion.
    /// </summary>
    public byte[] Parquet(IEnumerable<SweepRow> rows)
    {
        var ordered = rows.OrderBy(r => r.Point).ToList();
        var fields = new List<DataField> { new DataField<long>("point") };
        foreach (var a in Axes)
            fields.Add(a.Kind switch
            {
                AxisKind.Integer => new DataField<long?>(a.Name),
                AxisKind.Number => new DataField<double?>(a.Name),
                _ => new DataField<string>(a.Name),
            });
        foreach (var c in StatColumns) fields.Add(IsCount(c) ? new DataField<long>(c) : new DataField<double?>(c));
        var schema = new ParquetSchema(fields.Cast<Field>().ToArray());
        using var ms = new MemoryStream();
        Task.Run(async () =>
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, ms);
            using var rg = writer.CreateRowGroup();
            await rg.WriteAsync<long>(fields[0], ordered.Select(r => (long)r.Point).ToArray());
            for (int j = 0; j < Axes.Count; j++)
            {
                var f = fields[1 + j];
                int jj = j;
                switch (Axes[j].Kind)
                {
                    case AxisKind.Integer:
                        await rg.WriteAsync<long>(f, ordered.Select(r => r.Axis[jj].Length == 0 ? (long?)null : long.Parse(r.Axis[jj], Inv)).ToArray());
                        break;
                    case AxisKind.Number:
                        await rg.WriteAsync<double>(f, ordered.Select(r => r.Axis[jj].Length == 0 ? (double?)null : double.Parse(r.Axis[jj], Inv)).ToArray());
                        break;
                    default:
                        await rg.WriteAsync(f, ordered.Select(r => r.Axis[jj].Length == 0 ? null! : r.Axis[jj]).ToArray());
                        break;
                }
            }
            for (int i = 0; i < StatColumns.Count; i++)
            {
                var f = fields[1 + Axes.Count + i];
                int ii = i;
                if (IsCount(StatColumns[i])) await rg.WriteAsync<long>(f, ordered.Select(r => double.IsNaN(r.Values[ii]) ? 0L : (long)r.Values[ii]).ToArray());
                else await rg.WriteAsync<double>(f, ordered.Select(r => double.IsFinite(r.Values[ii]) ? r.Values[ii] : (double?)null).ToArray());
            }
        }).GetAwaiter().GetResult();
        return ms.ToArray();
    }
}
