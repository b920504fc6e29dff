using ComputeEconomics.Models;
using ComputeEconomics.Running;

namespace ComputeEconomics.Output;

/// <summary>The answer a scenario exists for, as a few labelled lines (console, report): printed before the tables.</summary>
public static class Answers
{
    /// <summary>Label and text of each key figure of <paramref name="s"/>: its model kind writes them.</summary>
    public static IReadOnlyList<(string Label, string Text)> For(RunSummary s) => ModelKinds.For(s.Model).AnswerLines(s);

    /// <summary>Compact money: 1.23B, 45.6M (<see cref="Format.Money"/>).</summary>
    public static string Money(double x) => Format.Money(x);
}
