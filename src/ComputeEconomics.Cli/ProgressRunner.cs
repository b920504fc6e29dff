using ComputeEconomics.Backends;
using ComputeEconomics.Models;
using ComputeEconomics.Running;
using Spectre.Console;

namespace ComputeEconomics.Cli;

/// <summary>Runs the simulator with a progress bar on stderr once a run has taken longer than a second.</summary>
public static class ProgressRunner
{
    public static RunResult Run(IModelJob job, IBackend backend, RunOptions options, bool show)
    {
        PhaseLog.Enter("simulation");
        var result = Simulate(job, backend, options, show);
        PhaseLog.Enter("statistics");
        return result;
    }

    private static RunResult Simulate(IModelJob job, IBackend backend, RunOptions options, bool show)
    {
        long done = 0;
        var task = Task.Run(() => Simulator.Run(job, backend, options with { Progress = d => Interlocked.Exchange(ref done, d) }));
        if (!show || task.Wait(1000) || !Cli.Err.Profile.Capabilities.Interactive)
            return task.GetAwaiter().GetResult();
        Cli.Err.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask($"{job.Scenario.Name}: {options.Paths:N0} paths", maxValue: options.Paths);
                while (!task.IsCompleted)
                {
                    bar.Value = Interlocked.Read(ref done);
                    Thread.Sleep(100);
                }
                bar.Value = options.Paths;
            });
        return task.GetAwaiter().GetResult();
    }
}
