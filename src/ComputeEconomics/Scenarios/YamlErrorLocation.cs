using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace ComputeEconomics.Scenarios;

/// <summary>
/// Where a YAML syntax error is. YamlDotNet marks some errors at line 1, column 1 whatever their place (a tab in an
/// indent, an alias to an undefined anchor): for those the text is scanned again to find the real line and column.
/// </summary>
public static class YamlErrorLocation
{
    /// <summary>1-based line and column of <paramref name="ex"/> in <paramref name="text"/>.</summary>
    public static (long Line, long Column) Find(string text, YamlException ex)
    {
        var mark = ex.Start;
        if (mark.Index > 0 || mark.Line > 1 || mark.Column > 1) return (mark.Line, mark.Column);
        var (tokens, lastEnd) = Scan(text);
        if (ex is YamlDotNet.Core.AnchorNotFoundException || ex.Message.Contains("anchor", StringComparison.OrdinalIgnoreCase))
        {
            var name = Regex.Match(ex.Message, "'([^']*)'");
            foreach (var t in tokens)
                if (t is AnchorAlias alias && (!name.Success || alias.Value.Value == name.Groups[1].Value))
                    return (alias.Start.Line, alias.Start.Column);
        }
        if (ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && IndentTab(text, (int)lastEnd) is { } tab)
            return tab;
        return (mark.Line, mark.Column);
    }

    /// <summary>The tokens before the error, and the offset where the last one ends.</summary>
    private static (List<Token> Tokens, long LastEnd) Scan(string text)
    {
        var tokens = new List<Token>();
        long end = 0;
        try
        {
            var scanner = new Scanner(new StringReader(text));
            while (scanner.MoveNext())
            {
                tokens.Add(scanner.Current!);
                end = scanner.Current!.End.Index;
            }
        }
        catch (YamlException)
        {
            // The tokens up to the error are what is needed.
        }
        return (tokens, end);
    }

    /// <summary>The first tab in a line's indent at or after <paramref name="from"/>.</summary>
    private static (long, long)? IndentTab(string text, int from)
    {
        int lineStart = text.LastIndexOf('\n', Math.Clamp(from, 0, text.Length) - (from > 0 ? 1 : 0)) + 1;
        for (int i = lineStart; i < text.Length; i++)
        {
            if (text[i] == '\t' && text.AsSpan(lineStart, i - lineStart).Trim(' ').IsEmpty)
                return (1 + text.AsSpan(0, i).Count('\n'), i - lineStart + 1);
            if (text[i] == '\n') lineStart = i + 1;
        }
        return null;
    }
}
