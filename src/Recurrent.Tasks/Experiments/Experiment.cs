// What an experiment is: its parameters with the notebook's defaults, its grid of configurations, one run, its figures.
using Recurrent.Tensors;

namespace Recurrent.Tasks.Experiments;

// Loops rather than LINQ: these run before the first training starts, where each LINQ method over KeyValuePair (a value
// type) was one more method for the JIT to compile while the runs waited.
/// <summary>One point of an experiment's grid, e.g. {model: lstm, delay: 9}. Id is stable text ("model=lstm,delay=9").</summary>
public sealed record Configuration(IReadOnlyList<KeyValuePair<string, string>> Values)
{
    public string Id
    {
        get
        {
            var id = new System.Text.StringBuilder();
            for (int i = 0; i < Values.Count; i++) id.Append(i == 0 ? "" : ",").Append(Values[i].Key).Append('=').Append(Values[i].Value);
            return id.ToString();
        }
    }

    public string this[string key] => ValueOf(key) ?? throw new KeyNotFoundException($"configuration {Id} has no '{key}'");

    /// <summary>The value of <paramref name="key"/>, or null when this configuration does not set it.</summary>
    public string? ValueOf(string key)
    {
        for (int i = 0; i < Values.Count; i++) if (Values[i].Key == key) return Values[i].Value;
        return null;
    }

    public static Configuration Of(params (string Key, string Value)[] values) =>
        new(values.Select(v => new KeyValuePair<string, string>(v.Key, v.Value)).ToArray());
    public override string ToString() => Id;
}

/// <summary>What one run needs beyond its configuration: its own seeded generator, a device, cancellation, progress.</summary>
public sealed class RunContext(Configuration configuration, int run, ulong seed, Device device, CancellationToken cancellation, Action<int, int>? epochDone = null)
{
    public Configuration Configuration { get; } = configuration;
    public int Run { get; } = run;
    public ulong Seed { get; } = seed;

    /// <summary>The run's generator, seeded with <see cref="Seed"/>; Fork it for independent streams (data, init, dropout).</summary>
    public Rng Rng { get; } = new(seed);

    /// <summary>An empty result for this run, to fill with metrics and curves.</summary>
    public RunResult NewResult() => new() { ConfigurationId = Configuration.Id, Run = Run, Seed = Seed };

    /// <summary>Throws OperationCanceledException when the user pressed Ctrl-C: call it between epochs.</summary>
    public void ThrowIfCancelled() => Cancellation.ThrowIfCancellationRequested();

    public Device Device { get; } = device;
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Reports (epochs done, epochs planned); the runner turns it into progress bars and ETAs.</summary>
    public void EpochDone(int done, int planned) => epochDone?.Invoke(done, planned);
}

/// <summary>One run's outcome: scalar metrics, per-epoch curves, and longer series (e.g. gradient norm per step back).</summary>
public sealed class RunResult
{
    public required string ConfigurationId { get; init; }
    public required int Run { get; init; }
    public required ulong Seed { get; init; }
    public Dictionary<string, double> Metrics { get; init; } = new();
    public Dictionary<string, double[]> Curves { get; init; } = new();
    public Dictionary<string, double[]> Series { get; init; } = new();
    public double Seconds { get; set; }
}

public abstract class Experiment
{
    /// <summary>The name `recurrent run` takes, e.g. "copy-delay".</summary>
    public abstract string Name { get; }

    /// <summary>One line for `recurrent list`.</summary>
    public abstract string Summary { get; }

    /// <summary>Which seed notebook it comes from, e.g. "seeds/001 Lab3 copy-delay task".</summary>
    public abstract string Source { get; }

    public abstract IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>Runs per configuration when --runs is not given: the notebook's own repetition count (1 when it has none).</summary>
    public virtual int DefaultRuns => 1;

    /// <summary>The grid: every configuration the comparison runs (models × delays, …), in a fixed order.</summary>
    public abstract IReadOnlyList<Configuration> Configurations(Settings settings);

    /// <summary>
    /// The relative cost of one run of <paramref name="configuration"/>, for scheduling only: the runner starts the costliest
    /// runs first, so the last ones to finish are short and no long run is left alone on one core at the end. The default
    /// weighs the recurrent cell by its gate GEMMs (rnn 1, gru 3, lstm 4) when the configuration names a model.
    /// </summary>
    public virtual double Cost(Configuration configuration, Settings settings) =>
        configuration.ValueOf("model") switch { "lstm" => 4, "gru" => 3, _ => 1 };

    /// <summary>Trains and evaluates one configuration once. Must be deterministic for a given ctx.Rng and settings.</summary>
    public abstract RunResult Run(Configuration configuration, Settings settings, RunContext context);

    /// <summary>The metric the summary table leads with, and whether higher is better.</summary>
    public abstract (string Metric, bool HigherIsBetter) Headline { get; }

    /// <summary>
    /// For --tune: the settings to search per model (e.g. lr ∈ {…}) and the validation metric that picks the best.
    /// Empty when the experiment has nothing to tune.
    /// </summary>
    public virtual IReadOnlyList<IReadOnlyDictionary<string, string>> TuneGrid(Settings settings) => [];

    /// <summary>
    /// The grid for one model (the value of <see cref="TuneKey"/>): by default the shared <see cref="TuneGrid(Settings)"/>.
    /// Override it when a setting exists for one model only (an LSTM's forget-gate bias), so the others do not run
    /// duplicate candidates — which would also give them more draws at the validation metric's noise.
    /// </summary>
    public virtual IReadOnlyList<IReadOnlyDictionary<string, string>> TuneGrid(Settings settings, string model) => TuneGrid(settings);

    public virtual (string Metric, bool HigherIsBetter) TuneMetric => Headline;

    /// <summary>The usual --tune search: lr ∈ <paramref name="learningRates"/> (default 0.001, 0.003, 0.01, 0.03) × epochs ∈ {E, factor·E}.</summary>
    protected static IReadOnlyList<IReadOnlyDictionary<string, string>> LearningRateAndEpochs(Settings s, int epochFactor, params string[] learningRates) =>
        (learningRates.Length > 0 ? learningRates : ["0.001", "0.003", "0.01", "0.03"])
            .SelectMany(lr => new[] { s.Int("epochs"), epochFactor * s.Int("epochs") }
                .Select(epochs => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
                {
                    ["lr"] = lr, ["epochs"] = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }))
            .ToList();

    /// <summary>The key of a configuration that tuning is done per (its model); the rest of the grid shares the tuned values.</summary>
    public virtual string TuneKey => "model";

    /// <summary>Writes the notebook's figures (and the ones that explain them) into <paramref name="directory"/>; returns their paths.</summary>
    public abstract IReadOnlyList<string> WriteFigures(ResultSet results, string directory);
}
