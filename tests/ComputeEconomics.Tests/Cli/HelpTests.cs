using System.Text.RegularExpressions;
using ComputeEconomics.Tests.TestSupport;

namespace ComputeEconomics.Tests.Cli;

/// <summary>
/// `--help` describes everything it lists: every command and branch of `ce --help` (the `calibrate` branch printed
/// no description before), and every command, argument and option of each verb's help, found by walking the tree.
/// </summary>
public sealed class HelpTests
{
    /// <summary>The entries of the COMMANDS, ARGUMENTS and OPTIONS sections (the DEFAULT column's heading left out).</summary>
    private static List<string> Entries(string help, string section) =>
        Regex.Split(help, @"\r?\n").SkipWhile(l => l.TrimEnd() != section + ":").Skip(1)
            .TakeWhile(l => !Regex.IsMatch(l, @"^[A-Z]+:")).Select(l => l.TrimEnd())
            .Where(l => l.Length > 0 && l.Trim() != "DEFAULT").ToList();

    /// <summary>An entry with a description: the name (with its arguments), two or more spaces, then text.</summary>
    private static bool Described(string entry) => Regex.IsMatch(entry.Trim(), @"^\S.*?\S {2,}\S");

    private static string Help(params string[] command)
    {
        var r = CeProcess.Run(command.Append("--help"));
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.StdOut;
    }

    [Fact]
    public void EveryCommandBranchArgumentAndOptionHasADescription()
    {
        var pending = new Queue<string[]>();
        pending.Enqueue(Array.Empty<string>());
        var missing = new List<string>();
        int commands = 0;
        while (pending.Count > 0)
        {
            var command = pending.Dequeue();
            string help = Help(command);
            string where = command.Length == 0 ? "ce" : "ce " + string.Join(' ', command);
            foreach (var entry in Entries(help, "COMMANDS"))
            {
                if (!Described(entry)) missing.Add($"{where}: command '{entry.Trim()}'");
                pending.Enqueue(command.Append(entry.Trim().Split(' ')[0]).ToArray());
                commands++;
            }
            foreach (var section in new[] { "ARGUMENTS", "OPTIONS" })
                missing.AddRange(Entries(help, section).Where(e => !Described(e)).Select(e => $"{where}: {section} '{e.Trim()}'"));
        }
        Assert.True(commands >= 19, $"only {commands} commands found");
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void TheCalibrateBranchSaysWhatItDoes()
    {
        var line = Entries(Help(), "COMMANDS").Single(e => e.Trim().StartsWith("calibrate ", StringComparison.Ordinal));
        Assert.Contains("Fit model inputs to dated public observations", line);
    }
}
