using System.Globalization;
using ComputeEconomics.Inference;
using ComputeEconomics.Models.Fleet;
using ComputeEconomics.Scenarios;

namespace ComputeEconomics.Output;

/// <summary>
/// The serving frontier of a fleet run whose tokens come from the serving model (fleet.serving.model set): one line
/// per built-in generation of its catalog, with the service level the fleet's tokens are counted at.
/// </summary>
public static class ServingSection
{
    /// <summary>The frontier chart of the built-in generations at <paramref name="level"/> (generations without serving figures skipped).</summary>
    public static ChartImage Chart(IEnumerable<string> generations, ServiceLevel level, string name = "serving-frontier")
    {
        var shape = ModelShapes.Get(level.Model, "fleet.serving.model");
        var series = new List<FrontierSeries>();
        foreach (var g in generations.Where(ServingCatalog.Knows))
        {
            var acc = Accelerators.Get(g);
            var frontier = ServingModel.Frontier(ServingCatalog.Candidates(shape, acc, level)).Reverse().ToList();
            series.Add(new FrontierSeries(acc.Name, frontier.Select(r => r.TokensPerSPerUser).ToList(), frontier.Select(r => r.TokensPerSPerGpu).ToList()));
        }
        string caption = string.Format(CultureInfo.InvariantCulture,
            "Serving model (docs/inference.md): each line is a generation's frontier of output tokens/s per GPU against tokens/s per user for {0}, " +
            "{1} in / {2} out, {3} asked; the grey vertical line is the service level's floor.", level.Model, level.InputLen, level.OutputLen, Precisions.Name(level.Precision));
        return Charts.Frontier(name, $"Serving frontier: {level.Model}", series, level.MinUserTokensPerS, caption);
    }

    /// <summary>The report section for a fleet run with fleet.serving.model set; null for any other run (or a scenario that does not load).</summary>
    public static ReportSection? For(string scenarioYaml)
    {
        Scenario s;
        try
        {
            s = ScenarioLoader.FromTextWithUncertainty(scenarioYaml, "scenario.yaml").Scenario;
        }
        catch (InputException)
        {
            return null;
        }
        if (!s.Fleet.Serving.IsOn())
            return null;
        var catalog = FleetCompiler.ResolveCatalog(s);
        var level = s.Fleet.Serving.Level();
        string rates = string.Join(", ", catalog.Where(g => ServingCatalog.Knows(g.Name))
            .Select(g => $"{g.Name} {g.TokensPerSecond.GetValueOrDefault().ToString("N0", CultureInfo.InvariantCulture)}"));
        return new ReportSection("Serving frontier",
            $"The fleet's tokens/s per GPU come from the serving model at {level.Describe()}: {rates}.",
            new[] { Chart(catalog.Select(g => g.Name), level) });
    }
}
