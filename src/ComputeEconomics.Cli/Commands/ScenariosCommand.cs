using ComputeEconomics.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ComputeEconomics.Cli.Commands;

/// <summary>`ce scenarios`: the built-in scenario library, one line each.</summary>
public sealed class ScenariosCommand : Command<ScenariosCommand.Settings>
{
    public sealed class Settings : CommandSettings { }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        foreach (var name in ScenarioLoader.EmbeddedNames())
        {
            var s = ScenarioLoader.Load(name);
            string mark = name == ScenarioLoader.DefaultName ? " (default)" : "";
            Console.WriteLine($"{name,-22} {s.Model,-7} {s.Question}{mark}");
        }
        return Cli.Ok;
    }
}

/// <summary>`ce catalog`: the built-in hardware catalog.</summary>
public sealed class CatalogCommand : Command<CatalogCommand.Settings>
{
    public sealed class Settings : CommandSettings { }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("name", "launch", "unit capex $", "perf (H100=1)", "tok/s", "kW", "AFR", "life (mo)", "capex decline/yr", "source");
        foreach (var e in BuiltInCatalog.Entries)
            table.AddRow(e.Name, e.Launch ?? "", e.UnitCapex.GetValueOrDefault().ToString("N0"), e.Perf.GetValueOrDefault().ToString("0.00"),
                e.TokensPerSecond.GetValueOrDefault().ToString("N0"), e.PowerKw.GetValueOrDefault().ToString("0.000"), e.AnnualFailureRate.GetValueOrDefault().ToString("P1"),
                e.PhysicalLifeMonths.GetValueOrDefault().ToString(), e.CapexDecline.GetValueOrDefault().ToString("P0"), Markup.Escape(e.Source ?? ""));
        AnsiConsole.Write(table);
        return Cli.Ok;
    }
}
