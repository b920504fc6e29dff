using System.Globalization;
using System.Text;

namespace ComputeEconomics.Scenarios;

/// <summary>
/// The reference of every scalar scenario field, rendered from the field table as Markdown (docs/fields.md): path, type,
/// rule, default and description, so the docs cannot drift from what the binder accepts.
/// </summary>
public static class FieldDocs
{
    /// <summary>Relative path of the rendered reference in the repository.</summary>
    public const string ShippedPath = "docs/fields.md";

    /// <summary>The reference as Markdown text ending in a newline.</summary>
    public static string Markdown()
    {
        var sb = new StringBuilder();
        sb.Append("# Scenario fields\n\n")
          .Append("Every scalar field of a scenario file, generated from the scenario records (`FieldTable`; regenerate with\n")
          .Append("`CE_UPDATE_DOCS=1 dotnet test --filter FieldDocsAreCurrent`). Numbers marked *uncertain* may instead be a\n")
          .Append("distribution (docs/uncertainty.md); run settings are the same at every sweep point and never uncertain.\n\n")
          .Append("| field | type | rule | default | description |\n|---|---|---|---|---|\n");
        var defaults = Defaults();
        foreach (var (path, field) in FieldTable.Scalars())
        {
            string type = field.IsNumber ? (field.Whole ? "whole number" : "number") : field.Type == typeof(bool) ? "true/false" : "text";
            if (field.IsNumber && !field.RunSetting && !path.Contains("[]", StringComparison.Ordinal) && !path.StartsWith("sweep", StringComparison.Ordinal))
                type += ", uncertain";
            if (field.RunSetting) type += ", run setting";
            defaults.TryGetValue(path, out string? def);
            sb.Append("| `").Append(path).Append("` | ").Append(type).Append(" | ").Append(Cell(Rule(field))).Append(" | ")
              .Append(Cell(def ?? "")).Append(" | ").Append(Cell(field.Doc ?? "")).Append(" |\n");
        }
        return sb.ToString();
    }

    private static string Rule(Field f)
    {
        if (f.OneOf is { } oneOf) return "one of " + string.Join(", ", oneOf);
        if (f.Pattern is { } p) return p.Rule.Replace("must be ", "", StringComparison.Ordinal);
        if (f.Range is { } r)
            return $"{(r.MinExclusive ? "(" : "[")}{N(r.Min)}, {N(r.Max)}{(r.MaxExclusive ? ")" : "]")}";
        return f.Required ? "required" : "";
    }

    /// <summary>Defaults of the fields outside lists, read from new records (a section's default may differ from its type's: tax).</summary>
    private static Dictionary<string, string> Defaults()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(object? record, string prefix)
        {
            if (record == null) return;
            foreach (var f in FieldTable.Of(record.GetType()))
            {
                string path = prefix.Length == 0 ? f.Key : $"{prefix}.{f.Key}";
                object? v = f.Property.GetValue(record);
                if (f.IsRecord) Walk(v, path);
                else if (v is double d) result[path] = N(d);
                else if (v is bool b) result[path] = b ? "true" : "false";
                else if (v is IFormattable x) result[path] = x.ToString(null, CultureInfo.InvariantCulture);
                else if (v is string s) result[path] = s;
            }
        }
        Walk(new Scenario(), "");
        return result;
    }

    private static string N(double x) => x.ToString("G", CultureInfo.InvariantCulture);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
