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
        var json = CommonOptions.Json("print one JSON object: the experiments with their summaries, notebooks and parameters");
        var cmd = new Command("list", "List the experiments `recurrent run` knows, with the notebook each comes from.\n\nExamples:\n  recurrent list\n  recurrent list --json") { json };
        cmd.SetAction(parse =>
        {
            if (parse.GetValue(json))
            {
                stdout.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    experiments = ExperimentCatalog.All.Select(e => new
                    {
                        name = e.Name,
                        summary = e.Summary,
                        source = e.Source,
                        default_runs = e.DefaultRuns,
                        parameters = e.Parameters.Select(p => new { name = p.Name, kind = p.Kind.ToString().ToLowerInvariant(), @default = p.Default, description = p.Description }),
                    }),
                }, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                return Cli.Success;
            }
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
        var cmd = new Command(experiment.Name, $"{experiment.Summary}\nFrom {experiment.Source}.\n\nExamples:\n  recurrent run {experiment.Name}\n" +
            $"  recurrent run {experiment.Name} --runs 5 --threads 2 --out runs/{experiment.Name} --quiet\n  recurrent run {experiment.Name} --runs 3 --json > summary.json");
        var specOptions = new List<(ParameterSpec Spec, Option<string> Option)>();
        foreach (var spec in experiment.Parameters)
        {
            var option = new Option<string>("--" + spec.Name) { Description = $"{spec.Description} (default {spec.Default})", HelpName = spec.Kind.ToString().ToLowerInvariant() };
            specOptions.Add((spec, option));
            cmd.Options.Add(option);
        }
        var runs = CommonOptions.Int("--runs", $"seeded runs per configuration (mean, std and 95% CI reported); {experiment.DefaultRuns} is the notebook's", 1, 10000, experiment.DefaultRuns);
        var tune = new Option<bool>("--tune") { Description = "first pick each model's learning rate (and epochs) on validation data, then compare at the best" };
        var seed = CommonOptions.Seed("base seed; each run's seed derives from it, the configuration and the run index");
        var threads = CommonOptions.Threads("runs at once, each on one thread");
        var device = CommonOptions.Device();
        var output = CommonOptions.Out("output folder (default runs/NAME-TIMESTAMP); results are written as each run ends");
        var shard = new Option<string?>("--shard") { Description = "run only slice i of n of the configurations × runs, e.g. 2/8 (merge the shards with `recurrent merge`)", HelpName = "i/n" };
        var quiet = CommonOptions.Quiet("no progress, only the summary");
        var json = CommonOptions.Json("print the summary as one JSON object on stdout (the table goes to stderr)");
        foreach (var option in new Option[] { runs, tune, seed, threads, device, output, shard, quiet, json }) cmd.Options.Add(option);

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
            bool quietValue = parse.GetValue(quiet), asJson = parse.GetValue(json);
            var options = new RunnerOptions
            {
                Runs = parse.GetValue(runs),
                Seed = parse.GetValue(seed),
                Parallelism = parse.GetValue(threads),
                // Without --threads the runs fill the cores, balanced over waves; an explicit --threads N is a cap.
                BalanceWaves = parse.GetResult(threads) is not { Implicit: false },
                Tune = parse.GetValue(tune),
                Shard = shardValue,
                OutputDirectory = outDir,
                // Each run computes on one thread of its own (runs side by side use the cores); an OpenCL device is shared.
                DeviceFactory = DeviceChoice.Parse(parse.GetValue(device)).Factory(1, quietValue ? null : stderr),
            };
            var runner = new ExperimentRunner(experiment, settings, options);
            ResultSet results;
            try
            {
                results = ExperimentProgress.Run(runner, experiment, settings, options, quietValue, stderr, cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw new InterruptedException($"the runs that finished are in {Path.Combine(outDir, "results.json")}", cancellation);
            }
            var figures = shardValue.Count == 1 ? experiment.WriteFigures(results, outDir) : [];
            WriteResults(results, experiment, outDir, figures, asJson ? stdout : null, asJson ? (quietValue ? null : stderr) : stdout);
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

    /// <summary>The summary as a table (<paramref name="text"/>) and/or one JSON object (<paramref name="json"/>), then where the files are.</summary>
    internal static void WriteResults(ResultSet results, Experiment experiment, string outDir, IReadOnlyList<string> figures, TextWriter? json, TextWriter? text)
    {
        string resultsPath = Path.Combine(outDir, "results.json");
        if (text is not null)
        {
            PrintSummary(results, experiment, text);
            text.WriteLine($"results: {resultsPath}");
            foreach (var f in figures) text.WriteLine($"figure:  {f}");
        }
        if (json is null) return;
        var (metric, higher) = experiment.Headline;
        static double? Finite(double v) => double.IsFinite(v) ? v : null;
        json.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
        {
            experiment = experiment.Name,
            metric,
            higher_is_better = higher,
            runs_per_configuration = results.RunsPerConfiguration,
            runs = results.Runs.Count,
            tuned = results.Tuned,
            configurations = results.Configurations.Select(c => (c, s: results.Summarize(c, metric))).Where(x => x.s.N > 0).Select(x => new
            {
                id = x.c.Id,
                mean = Finite(x.s.Mean),
                std = Finite(x.s.Std),
                ci95_low = Finite(x.s.Ci95Low),
                ci95_high = Finite(x.s.Ci95High),
                n = x.s.N,
            }),
            results = resultsPath,
            figures,
        }, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
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
