using ComputeEconomics.Scenarios;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>`ce schema`: the JSON Schema of scenario files (generated from the scenario records), on stdout.</summary>
public sealed class SchemaCommand : Command<SchemaCommand.Settings>
{
    public sealed class Settings : CommandSettings { }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Console.Out.Write(SchemaGenerator.Json());
        return Cli.Ok;
    }
}
