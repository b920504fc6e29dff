using System.ComponentModel;
using ComputeEconomics.Models;
using ComputeEconomics.Scenarios;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>`ce validate FILE`: every error at once (exit 2), or "valid".</summary>
public sealed class ValidateCommand : Command<ValidateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>"), Description("Scenario file, or the name of a built-in scenario")]
        public string File { get; init; } = "";

        [CommandOption("--set <PATH=VALUE>"), Description("Override a field, e.g. --set market.price.volatility=0.3 (repeatable)")]
        public string[] Set { get; init; } = Array.Empty<string>();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var s = ScenarioLoader.Load(settings.File, settings.Set);
        ScenarioCompiler.Compile(s);
        Console.WriteLine("valid");
        return Cli.Ok;
    }
}
