using ComputeEconomics;
using ComputeEconomics.Cli;
using ComputeEconomics.Cli.Commands;
using ComputeEconomics.Output;
using Spectre.Console;
using Spectre.Console.Cli;

// A closed or failing stdout/stderr is an error message and exit code 1 (stdout) or dropped (stderr), never a crash.
StandardStreams.Install();
// Outputs are the same bytes in every locale (docs/reliability.md): the user's culture never formats a number or a date.
EnvironmentSettings.PinInvariantCulture();
// Every command writes through Cli.Out (plain when redirected, width from COLUMNS), also those using AnsiConsole.
AnsiConsole.Console = Cli.Out;
var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("ce");
    config.SetApplicationVersion(EngineVersion.Current);
    config.PropagateExceptions();
    config.Settings.StrictParsing = true;
    config.AddCommand<RunCommand>("run")
        .WithDescription("Run a scenario (the built-in default when FILE is omitted) and print its statistics")
        .WithExample("run")
        .WithExample("run", "scenarios/neocloud-h100.yaml", "--paths", "100000", "--out", "out/neocloud");
    config.AddCommand<ReportCommand>("report").WithDescription("Write the HTML report (report.html, charts/) of a folder written by ce run --out")
        .WithExample("report", "out/neocloud").WithExample("report", "out/neocloud", "--histogram", "irr");
    config.AddCommand<SchemaCommand>("schema").WithDescription("Print the JSON Schema of scenario files");
    config.AddCommand<ValidateCommand>("validate").WithDescription("Check a scenario and print every error, or \"valid\"");
    config.AddCommand<DevicesCommand>("devices").WithDescription("List the accelerators, the math path each backend uses, the CUDA launch shape and the fleet kernel (CE_FLEET_KERNEL)");
    config.AddCommand<ScenariosCommand>("scenarios").WithDescription("List the built-in scenarios");
    config.AddCommand<CatalogCommand>("catalog").WithDescription("Print the built-in hardware catalog with sources (--json, --csv for scripts)")
        .WithExample("catalog", "--csv");
    config.AddCommand<BenchCommand>("bench").WithDescription("Time the fleet kernel on the benchmark scenario (path-months/s). CUDA settings from the environment: CE_CUDA_MATH=auto|float|libdevice, CE_CUDA_GROUP_SIZE (32-1024, default 384), CE_CUDA_MIN_GROUPS_PER_SM (0-64, default 1); on the ILGPU backends CE_FLEET_KERNEL=classic|lanes (default classic; lanes: a path on 8 lanes of a warp, the same results bit for bit); on the cpu backend CE_CPU_KERNEL=lockstep|scalar (default lockstep: four paths a thread in 256-bit vectors, the same results bit for bit); every CE_* value is checked before any verb runs (an invalid one is exit code 2); see docs/performance.md");
    config.AddCommand<SweepCommand>("sweep").WithDescription("Run a scenario's sweep (grid, Latin hypercube or Sobol design) with common random numbers; --shard, --resume, --optimize");
    config.AddCommand<CompareCommand>("compare").WithDescription("Compare scenarios (or --variant overrides of one) on common random numbers: every metric's paired difference with its standard error")
        .WithExample("compare", "hyperscaler-fleet", "neocloud-h100", "--paths", "20000");
    config.AddCommand<SensitivityCommand>("sensitivity").WithDescription("One-at-a-time swings and Sobol indices of a metric over a sweep's axes");
    config.AddCommand<MergeCommand>("merge").WithDescription("Combine the shard outputs of one sweep (identical to the unsharded run)");
    config.AddCommand<InferenceCommand>("inference").WithDescription("Tokens/s per GPU and per user, time to first token and $/Mtok of a model on each catalog generation, the frontier (chart with --out), $/Mtok by year and P5/P50/P95 intervals (docs/inference.md)")
        .WithExample("inference", "--model", "llama-3.1-70b", "--min-user-tokens-per-s", "50")
        .WithExample("inference", "--model", "llama-3.1-405b", "--min-user-tokens-per-s", "20", "--by-year", "--samples", "1000", "--out", "inference-405b");
    config.AddBranch("calibrate", b =>
    {
        b.SetDescription("Fit model inputs to dated public observations (data/): price, the GPU-hour rent process (docs/calibration.md)");
        b.AddCommand<CalibratePriceCommand>("price").WithDescription("Fit the price driver to dated rents by maximum likelihood; forecast, backtest, scenario fragment")
            .WithExample("calibrate", "price", "--data", "data/gpu_rents.csv", "--generation", "H100", "--until", "2025-06", "--out", "out/calibration");
    });
    config.AddCommand<DepreciateCommand>("depreciate").WithDescription("Print a depreciation schedule (SLN, SYD, DDB/VDB, MACRS)");
    config.AddBranch("finance", finance =>
    {
        finance.SetDescription("Discounted cash flow: NPV and IRR of a list of cash flows (numpy-financial and spreadsheet conventions)");
        finance.AddCommand<FinanceNpvCommand>("npv").WithDescription("Net present value at a rate (--convention numpy|spreadsheet)")
            .WithExample("finance", "npv", "--rate", "0.281", "--values", "-100,39,59,55,20");
        finance.AddCommand<FinanceIrrCommand>("irr").WithDescription("Internal rate of return, or why there is none")
            .WithExample("finance", "irr", "--values", "-100,39,59,55,20");
    });
});
return Cli.Run(() =>
{
    args = FinanceSettings.NormaliseArgs(args);
    var optionErrors = Cli.CheckNumericOptions(args);
    if (!EnvironmentSettings.OnlyHelp(args)) optionErrors.AddRange(EnvironmentSettings.Check());
    if (optionErrors.Count > 0) throw new InputException(optionErrors);
    return app.Run(args);
});
