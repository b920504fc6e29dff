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
        var table = new Table().AddColumns("name", "launch", "unit capex $", "quoted", "perf (H100=1)", "rent factor", "tok/s", "kW",
            "AFR (permanent)", "interruptions/yr", "life (mo)", "capex decline/yr", "source");
        foreach (var e in BuiltInCatalog.Entries)
            table.AddRow(e.Name, $"{e.LaunchYear}-{e.LaunchMonth:00}", e.UnitCapex.ToString("N0"),
                e.QuoteYear == 0 ? "at launch" : $"{e.QuoteYear}-{e.QuoteMonth:00}", e.Perf.ToString("0.00"), e.RentFactor.ToString("0.00"),
                e.TokensPerSecond.ToString("N0"), e.PowerKw.ToString("0.000"), e.AnnualFailureRate.ToString("P1"),
                e.InterruptionRate.ToString("0.000"), e.PhysicalLifeMonths.ToString(), e.CapexDecline.ToString("P0"), Markup.Escape(e.Source));
        AnsiConsole.Write(table);
        return Cli.Ok;
    }
}
