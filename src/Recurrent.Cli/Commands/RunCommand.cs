// `recurrent list` and `recurrent run NAME`: the seed experiments with their notebooks' defaults, every one overridable.
using System.CommandLine;
using System.Globalization;
using Recurrent.Tasks.Experiments;
using Spectre.Console;

namespace Recurrent.Cli.Commands;

public static class RunCommand
{
    public static Command BuildList(TextWriter stdout)
    {
        var cmd = new Command("list", "List the experiments `recurrent run` knows, with the notebook each comes from.");
        cmd.SetAction(_ =>
        {
            foreach (var e in ExperimentCatalog.All)
                stdout.WriteLine($"{e.Name,-14} {e.Summary}  [{e.Source}]");
            return Cli.Success;
        });
        return cmd;
    }

    public static Command BuildRun(TextWriter stdout, TextWriter stderr)
    {
        var run = new Command("run", "Run an experiment from the seed notebooks: its defaults, its figures, then more (several runs, tuning, gradients).\n\n" +
            "Examples:\n  recurrent run copy-delay\n  recurrent run copy-delay --runs 5 --delays 1:30:4 --models rnn,lstm --tune\n  recurrent run first-token --seq-len 50 --epochs 100");
        foreach (var experiment in ExperimentCatalog.All) run.Subcommands.Add(BuildExperiment(experiment, stdout, stderr));
        return run;
    }

    private static Command BuildExperiment(Experiment experiment, TextWriter stdout, TextWriter stderr)
    {
        var cmd = new Command(experiment.Name, $"{experiment.Summary}\nFrom {experiment.Source}.");
        var specOptions = new List<(ParameterSpec Spec, Option<string> Option)>();
        foreach (var spec in experiment.Parameters)
        {
            var option = new Option<string>("--" + spec.Name) { Description = $"{spec.Description} (default {spec.Default})", HelpName = spec.Kind.ToString().ToLowerInvariant() };
            specOptions.Add((spec, option));
            cmd.Options.Add(option);
        }
        var runs = new Option<int>("--runs") { Description = $"seeded runs per configuration (mean, std and 95% CI reported); default {experiment.DefaultRuns}, the notebook's", DefaultValueFactory = _ => experiment.DefaultRuns };
        runs.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 10000) r.AddError($"--runs must be in 1..10000; got {r.GetValueOrDefault<int>()}"); });
        var tune = new Option<bool>("--tune") { Description = "first pick each model's learning rate (and epochs) on validation data, then compare at the best" };
        var seed = new Option<ulong>("--seed") { Description = "base seed; each run's seed derives from it, the configuration and the run index", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "runs at once (each on one thread)", DefaultValueFactory = _ => Environment.ProcessorCount };
        threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1024) r.AddError($"--threads must be in 1..1024; got {r.GetValueOrDefault<int>()}"); });
        var output = new Option<string?>("--out") { Description = "output folder (default runs/NAME-TIMESTAMP)" };
        var shard = new Option<string?>("--shard") { Description = "run only slice i of n of the configurations × runs, e.g. 2/8 (merge the shards with `recurrent merge`)" };
        var quiet = new Option<bool>("--quiet") { Description = "no progress, only the summary" };
        cmd.Options.Add(runs);
        cmd.Options.Add(tune);
        cmd.Options.Add(seed);
        cmd.Options.Add(threads);
        cmd.Options.Add(output);
        cmd.Options.Add(shard);
        cmd.Options.Add(quiet);

        cmd.SetAction((parse, cancellation) =>
        {
            var overrides = new Dictionary<string, string>();
            foreach (var (spec, option) in specOptions)
                if (parse.GetValue(option) is { } value) overrides[spec.Name] = value;
            Settings settings;
            try { settings = new Settings(experiment.Parameters, overrides); }
            catch (ParameterException e) { throw new UsageException(e.Message); }
            var shardValue = ParseShard(parse.GetValue(shard));
            string outDir = parse.GetValue(output) ?? Path.Combine("runs", $"{experiment.Name}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            var options = new RunnerOptions
            {
                Runs = parse.GetValue(runs),
                Seed = parse.GetValue(seed),
                Parallelism = parse.GetValue(threads),
                Tune = parse.GetValue(tune),
                Shard = shardValue,
                OutputDirectory = outDir,
            };
            var runner = new ExperimentRunner(experiment, settings, options);
            ResultSet results = ExperimentProgress.Run(runner, experiment, settings, options, parse.GetValue(quiet), stderr, cancellation);
            var figures = shardValue.Count == 1 ? experiment.WriteFigures(results, outDir) : [];
            PrintSummary(results, experiment, stdout);
            stdout.WriteLine($"results: {Path.Combine(outDir, "results.json")}");
            foreach (var f in figures) stdout.WriteLine($"figure:  {f}");
            return Task.FromResult(Cli.Success);
        });
        return cmd;
    }

    internal static (int Index, int Count) ParseShard(string? text)
    {
        if (text is null) return (0, 1);
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 1 || i < 1 || i > n)
            throw new UsageException($"--shard '{text}' must be i/n with 1 ≤ i ≤ n (e.g. 1/4 … 4/4)");
        return (i - 1, n);
    }

    /// <summary>A table: configuration, the headline metric's mean ± std and 95% CI, runs.</summary>
    internal static void PrintSummary(ResultSet results, Experiment experiment, TextWriter stdout)
    {
        var (metric, higher) = experiment.Headline;
        stdout.WriteLine();
        stdout.WriteLine($"{experiment.Name}: {metric} ({(higher ? "higher" : "lower")} is better), over {results.RunsPerConfiguration} run(s) per configuration");
        if (results.Tuned.Count > 0)
            foreach (var (model, chosen) in results.Tuned)
                stdout.WriteLine($"  tuned {model}: {string.Join(", ", chosen.Select(kv => $"{kv.Key}={kv.Value}"))}");
        int width = Math.Max(14, results.Configurations.Max(c => c.Id.Length));
        stdout.WriteLine($"  {"configuration".PadRight(width)}  {"mean",9}  {"std",8}  {"95% CI",21}  {"n",3}");
        foreach (var c in results.Configurations)
        {
            var s = results.Summarize(c, metric);
            if (s.N == 0) continue;
            string ci = double.IsNaN(s.Ci95Low) ? "" : $"[{s.Ci95Low:F4}, {s.Ci95High:F4}]";
            stdout.WriteLine($"  {c.Id.PadRight(width)}  {s.Mean,9:F4}  {(double.IsNaN(s.Std) ? "" : s.Std.ToString("F4", CultureInfo.InvariantCulture)),8}  {ci,21}  {s.N,3}");
        }
    }
}
