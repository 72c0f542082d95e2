// Progress of a running experiment: one Spectre bar per configuration with its ETA, or plain lines when not a terminal.
using Recurrent.Tasks.Experiments;
using Spectre.Console;

namespace Recurrent.Cli;

internal static class ExperimentProgress
{
    public static ResultSet Run(ExperimentRunner runner, Experiment experiment, Settings settings, RunnerOptions options, bool quiet, TextWriter stderr, CancellationToken cancellation)
    {
        var configurations = experiment.Configurations(settings);
        int runsPerConfig = options.Runs;
        if (quiet) return runner.Execute(cancellation);

        bool interactive = !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error) && AnsiConsole.Profile.Capabilities.Interactive;
        if (!interactive)
        {
            var gate = new object();
            int finished = 0, total = configurations.Count * runsPerConfig / options.Shard.Count;
            runner.Progress += e =>
            {
                if (e.Phase != "end") return;
                lock (gate)
                {
                    finished++;
                    string headline = e.Result!.Metrics.TryGetValue(experiment.Headline.Metric, out double v) ? $" {experiment.Headline.Metric}={v:F4}" : "";
                    stderr.WriteLine($"[{finished}/{Math.Max(total, finished)}] {e.Configuration.Id} run {e.Run}: done in {e.Result.Seconds:F1}s{headline}");
                }
            };
            return runner.Execute(cancellation);
        }

        ResultSet? results = null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                // One bar per configuration; its value is epochs done over all its runs.
                var bars = configurations.ToDictionary(c => c.Id, c => ctx.AddTask(c.Id, maxValue: runsPerConfig));
                var epochs = new Dictionary<(string, int), (int Done, int Planned)>();
                var gate = new object();
                runner.Progress += e =>
                {
                    lock (gate)
                    {
                        if (!bars.TryGetValue(e.Configuration.Id, out var bar)) return;
                        if (e.Phase == "epoch" && e.EpochsPlanned > 0) epochs[(e.Configuration.Id, e.Run)] = (e.EpochsDone, e.EpochsPlanned);
                        if (e.Phase == "end") epochs[(e.Configuration.Id, e.Run)] = (1, 1);
                        double done = epochs.Where(kv => kv.Key.Item1 == e.Configuration.Id).Sum(kv => (double)kv.Value.Done / kv.Value.Planned);
                        bar.Value = Math.Min(runsPerConfig, done);
                    }
                };
                results = runner.Execute(cancellation);
                foreach (var bar in bars.Values) bar.Value = bar.MaxValue;
            });
        return results!;
    }
}
