// Runs an experiment's grid × runs in parallel across cores, with --tune first, shards, and results flushed per run.
using System.Diagnostics;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tasks.Experiments;

public sealed record RunnerOptions
{
    public int Runs { get; init; } = 1;
    public ulong Seed { get; init; } = 1;

    /// <summary>Runs at once; each run uses one thread, since small recurrent nets gain more from parallel runs than from parallel GEMMs.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Treat <see cref="Parallelism"/> as the cores to fill rather than a cap: a few runs that do not divide evenly among
    /// them start a few more at once (5 runs on 2 cores: 3 and then 2, time-shared, instead of 2, 2 and a last one alone
    /// with a core idle). Measured, 5 runs, medians of 4 ABAB: hidden-pca 1.42 s against 1.50 s, sine 1.59 against 1.64 s.
    /// </summary>
    public bool BalanceWaves { get; init; }

    public bool Tune { get; init; }

    /// <summary>Runs per candidate while tuning.</summary>
    public int TuneRuns { get; init; } = 2;

    /// <summary>(index, count): this process runs the jobs whose position modulo count is index.</summary>
    public (int Index, int Count) Shard { get; init; } = (0, 1);

    public string? OutputDirectory { get; init; }

    /// <summary>Makes the device of one run (default: a one-thread CPU device).</summary>
    public Func<Device> DeviceFactory { get; init; } = () => new CpuDevice(threads: 1);
}

/// <summary>What the runner reports while it works: a run started, an epoch ended, a run ended.</summary>
public sealed record RunnerEvent(string Phase, Configuration Configuration, int Run, int EpochsDone, int EpochsPlanned, RunResult? Result);

public sealed class ExperimentRunner(Experiment experiment, Settings settings, RunnerOptions options)
{
    public event Action<RunnerEvent>? Progress;

    /// <summary>The jobs in their fixed order: every configuration, every run (what --shard slices).</summary>
    public IReadOnlyList<Job> Jobs(IReadOnlyList<Configuration> configurations) => JobsOf(configurations, options.Runs);

    private static List<Job> JobsOf(IReadOnlyList<Configuration> configurations, int runs)
    {
        var jobs = new List<Job>(configurations.Count * runs);
        foreach (var c in configurations)
            for (int r = 0; r < runs; r++) jobs.Add(new Job(c, r));
        return jobs;
    }

    /// <summary>A run's seed depends only on the base seed, the configuration and the run index: sharded runs equal unsharded ones.</summary>
    public static ulong JobSeed(ulong baseSeed, string configurationId, int run)
    {
        ulong h = 14695981039346656037UL; // FNV-1a over the configuration id, a stable hash (string.GetHashCode is salted per process)
        foreach (char ch in configurationId) h = (h ^ ch) * 1099511628211UL;
        return new Rng(baseSeed).Fork(h ^ ((ulong)run * 0x9E3779B97F4A7C15UL)).NextUInt64();
    }

    public ResultSet Execute(CancellationToken cancellation = default)
    {
        var configurations = experiment.Configurations(settings);
        var results = new ResultSet
        {
            Experiment = experiment.Name,
            Source = experiment.Source,
            Settings = settings.Values,
            Configurations = configurations,
            BaseSeed = options.Seed,
            RunsPerConfiguration = options.Runs,
        };

        // --tune: each model's best candidate on validation data, then the comparison at those settings.
        var perModel = new Dictionary<string, Settings>();
        if (options.Tune) Tune(configurations, results, perModel, cancellation);

        var all = Jobs(configurations);
        var jobs = new List<Job>();
        for (int i = options.Shard.Index; i < all.Count; i += options.Shard.Count) jobs.Add(all[i]);
        var gate = new object();
        // The files are rewritten as each run ends (an interrupted sweep keeps what finished), on the flusher's thread.
        var flusher = options.OutputDirectory is null ? null : new ResultFlusher(results, options.OutputDirectory, gate);
        try
        {
            RunAll(jobs, job => perModel.GetValueOrDefault(ModelOf(job.Configuration)) ?? settings, cancellation, result =>
            {
                lock (gate) results.Runs.Add(result);
                flusher?.Request();
            });
        }
        catch when (flusher is not null)
        {
            // A cancel or a failed run: what finished still goes to disk, and the first error is the one reported.
            try { flusher.Complete(); }
            catch (IOException) { }
            throw;
        }
        flusher?.Complete();
        return results;
    }

    private string ModelOf(Configuration c) => c.ValueOf(experiment.TuneKey) ?? "";

    private void Tune(IReadOnlyList<Configuration> configurations, ResultSet results, Dictionary<string, Settings> perModel, CancellationToken cancellation)
    {
        var (metric, higherIsBetter) = experiment.TuneMetric;
        foreach (var model in configurations.Select(ModelOf).Distinct())
        {
            var grid = experiment.TuneGrid(settings, model);
            if (grid.Count == 0) continue;
            var modelConfigs = configurations.Where(c => ModelOf(c) == model).ToList();
            double best = double.NaN;
            IReadOnlyDictionary<string, string>? bestOverrides = null;
            foreach (var overrides in grid)
            {
                var candidate = settings.With(overrides);
                var values = new List<double>();
                var jobs = JobsOf(modelConfigs, options.TuneRuns);
                // Tuning runs use their own seeds (run indices past the comparison's), so the comparison never reuses them.
                RunAll(jobs, _ => candidate, cancellation, r => { lock (values) values.Add(r.Metrics.GetValueOrDefault(metric, double.NaN)); },
                    runOffset: 1_000_000);
                double mean = values.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
                results.TuneTrials.Add(new TuneTrial(model, overrides, metric, mean));
                bool better = double.IsNaN(best) || (higherIsBetter ? mean > best : mean < best);
                if (double.IsFinite(mean) && better)
                {
                    best = mean;
                    bestOverrides = overrides;
                }
            }
            if (bestOverrides is null) continue;
            perModel[model] = settings.With(bestOverrides);
            results.Tuned[model] = bestOverrides.ToDictionary(kv => kv.Key, kv => kv.Value);
        }
    }

    /// <summary>
    /// Runs at once for <paramref name="jobs"/> runs on <paramref name="cores"/>: the cores, or with <paramref name="balance"/>
    /// the fewest that spread the runs evenly over the same number of full waves (jobs / ⌊jobs / cores⌋, rounded up; never
    /// more than twice the cores), so similar runs end together instead of leaving a last, partial wave.
    /// </summary>
    public static int Concurrency(int jobs, int cores, bool balance)
    {
        cores = Math.Max(1, cores);
        if (!balance || jobs <= cores || jobs % cores == 0) return cores; // fewer runs than cores all start at once anyway
        int waves = jobs / cores;
        return (jobs + waves - 1) / waves;
    }

    /// <summary>
    /// Runs <paramref name="jobs"/> on <see cref="Concurrency"/> threads, costliest first (longest-processing-time order),
    /// each thread taking the next job when its last one ends. The first failure stops the handing out of jobs; a cancel
    /// stops it too and surfaces as OperationCanceledException.
    /// </summary>
    /// <remarks>
    /// Plain threads, a shared index and an index sort rather than Parallel.ForEach and LINQ over (configuration, run)
    /// tuples: each of those generic methods over a value type was compiled by the JIT at the first run of every process,
    /// 70 ms between the parsed command line and the first run starting (first-token took 0.7 s in all).
    /// </remarks>
    private void RunAll(IReadOnlyList<Job> jobs, Func<Job, Settings> settingsFor, CancellationToken cancellation, Action<RunResult> done, int runOffset = 0)
    {
        var costs = new double[jobs.Count];
        var order = new int[jobs.Count];
        for (int i = 0; i < jobs.Count; i++)
        {
            costs[i] = experiment.Cost(jobs[i].Configuration, settingsFor(jobs[i]));
            order[i] = i;
        }
        // Costliest first; equal costs in their list order.
        Array.Sort(order, (a, b) => costs[a] != costs[b] ? costs[b].CompareTo(costs[a]) : a.CompareTo(b));

        var failures = new List<Exception>();
        int next = -1, completed = 0;
        void Work()
        {
            while (!cancellation.IsCancellationRequested)
            {
                lock (failures) if (failures.Count > 0) return;
                int i = Interlocked.Increment(ref next);
                if (i >= order.Length) return;
                try
                {
                    RunOne(jobs[order[i]], settingsFor(jobs[order[i]]), cancellation, done, runOffset);
                    Interlocked.Increment(ref completed);
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add(e);
                }
            }
        }

        int threads = Math.Min(Concurrency(jobs.Count, options.Parallelism, options.BalanceWaves), jobs.Count);
        var workers = new Thread[Math.Max(0, threads - 1)];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = new Thread(Work) { IsBackground = true, Name = $"run worker {w + 1}" };
            workers[w].Start();
        }
        Work(); // this thread is a worker too
        foreach (var worker in workers) worker.Join();

        if (failures.Count > 0 && failures.TrueForAll(e => e is OperationCanceledException))
            throw new OperationCanceledException("the experiment was cancelled", new AggregateException(failures), cancellation);
        if (failures.Count > 0) throw new AggregateException(failures);
        if (completed < order.Length) // cancelled between runs: the sweep is not complete
            throw new OperationCanceledException("the experiment was cancelled", cancellation);
    }

    private void RunOne(Job job, Settings jobSettings, CancellationToken cancellation, Action<RunResult> done, int runOffset)
    {
        var (config, run) = job;
        ulong seed = JobSeed(options.Seed, config.Id, run + runOffset);
        Progress?.Invoke(new RunnerEvent("start", config, run, 0, 0, null));
        var context = new RunContext(config, run, seed, options.DeviceFactory(), cancellation,
            (doneEpochs, planned) => Progress?.Invoke(new RunnerEvent("epoch", config, run, doneEpochs, planned, null)));
        var watch = Stopwatch.StartNew();
        RunResult result = experiment.Run(config, jobSettings, context);
        result.Seconds = watch.Elapsed.TotalSeconds;
        if (result.ConfigurationId != config.Id || result.Run != run || result.Seed != seed)
            throw new InvalidOperationException($"{experiment.Name} returned a result for {result.ConfigurationId} run {result.Run}; expected {config.Id} run {run}");
        done(result);
        Progress?.Invoke(new RunnerEvent("end", config, run, 0, 0, result));
    }
}

/// <summary>One run of one configuration: what the runner schedules and --shard slices.</summary>
public sealed record Job(Configuration Configuration, int Run);
