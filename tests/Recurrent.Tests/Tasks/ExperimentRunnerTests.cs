// The experiment runner: files written per run, same seed → same numbers, shards that add up to the whole, settings errors.
using System.Text.Json;
using System.Xml.Linq;
using Recurrent.Tasks.Experiments;

namespace Recurrent.Tests.Tasks;

public sealed class ExperimentRunnerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recurrent-runner-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly Dictionary<string, string> TinyCopyDelay = new()
    {
        ["delays"] = "2,4", ["batches-per-epoch"] = "3", ["val-batches"] = "2", ["test-batches"] = "2", ["epochs"] = "2", ["hidden"] = "6", ["batch"] = "4",
    };

    private ResultSet Run(Experiment e, Dictionary<string, string> overrides, int runs, string folder, (int, int)? shard = null) =>
        new ExperimentRunner(e, new Settings(e.Parameters, overrides), new RunnerOptions
        {
            Runs = runs, OutputDirectory = Path.Combine(_folder, folder), Shard = shard ?? (0, 1), Parallelism = 2,
        }).Execute();

    [Fact]
    public void CopyDelayWritesItsFilesAndFigures()
    {
        var e = new CopyDelayExperiment();
        var results = Run(e, TinyCopyDelay, runs: 2, "cd");
        string dir = Path.Combine(_folder, "cd");
        Assert.Equal(8, results.Runs.Count); // 2 delays × 2 models × 2 runs
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        Assert.Equal("copy-delay", json.RootElement.GetProperty("experiment").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("configurations").GetArrayLength());
        Assert.All(results.Runs, r => Assert.InRange(r.Metrics["accuracy"], 0, 1));
        Assert.Equal(9, File.ReadAllLines(Path.Combine(dir, "runs.csv")).Length); // header + 8 runs
        Assert.True(File.ReadAllLines(Path.Combine(dir, "curves.csv")).Length > 8);
        Assert.Contains("accuracy", File.ReadAllText(Path.Combine(dir, "summary.csv")));
        var figures = e.WriteFigures(results, dir);
        Assert.Equal(3, figures.Count);
        foreach (var f in figures) Assert.Equal("svg", XDocument.Parse(File.ReadAllText(f)).Root!.Name.LocalName);
    }

    [Fact]
    public void SameSeedGivesTheSameNumbersWhateverTheParallelism()
    {
        var e = new FirstTokenExperiment();
        var overrides = new Dictionary<string, string> { ["n"] = "40", ["test-n"] = "20", ["epochs"] = "3", ["hidden"] = "4" };
        var a = Run(e, overrides, runs: 3, "a");
        var b = new ExperimentRunner(e, new Settings(e.Parameters, overrides), new RunnerOptions { Runs = 3, Parallelism = 1 }).Execute();
        foreach (var r in a.Runs)
        {
            var twin = b.Runs.Single(x => x.ConfigurationId == r.ConfigurationId && x.Run == r.Run);
            Assert.Equal(r.Seed, twin.Seed);
            Assert.Equal(r.Metrics, twin.Metrics);
            Assert.Equal(r.Curves["loss"], twin.Curves["loss"]);
        }
        Assert.NotEqual(a.Runs[0].Seed, a.Runs[1].Seed);
    }

    /// <summary>Balanced waves: as many at once as the cores when the runs divide evenly (or balancing is off), else the
    /// fewest that keep the number of full waves (5 on 2 cores: 3; 7 on 2: 3; 9 on 2: 3; 3 on 2: 3), never over twice the cores.</summary>
    [Theory]
    [InlineData(5, 2, true, 3)]
    [InlineData(5, 2, false, 2)]
    [InlineData(10, 2, true, 2)]
    [InlineData(7, 2, true, 3)]
    [InlineData(9, 2, true, 3)]
    [InlineData(3, 2, true, 3)]
    [InlineData(1, 2, true, 2)]
    [InlineData(80, 2, true, 2)]
    [InlineData(13, 4, true, 5)]
    [InlineData(6, 1, true, 1)]
    public void BalancedWavesStartAFewMoreRunsWhenTheLastWaveWouldBePartial(int jobs, int cores, bool balance, int expected)
    {
        int concurrency = ExperimentRunner.Concurrency(jobs, cores, balance);
        Assert.Equal(expected, concurrency);
        Assert.InRange(concurrency, 1, 2 * cores);
    }

    /// <summary>Balancing changes when runs start, not what they compute: the same numbers as one run at a time.</summary>
    [Fact]
    public void BalancedWavesGiveTheSameNumbers()
    {
        var e = new FirstTokenExperiment();
        var settings = new Settings(e.Parameters, new Dictionary<string, string> { ["n"] = "40", ["test-n"] = "20", ["epochs"] = "3", ["hidden"] = "4", ["models"] = "lstm" });
        var balanced = new ExperimentRunner(e, settings, new RunnerOptions { Runs = 5, Parallelism = 2, BalanceWaves = true }).Execute();
        var serial = new ExperimentRunner(e, settings, new RunnerOptions { Runs = 5, Parallelism = 1 }).Execute();
        foreach (var r in balanced.Runs)
            Assert.Equal(r.Metrics, serial.Runs.Single(x => x.Run == r.Run).Metrics);
    }

    [Fact]
    public void ShardsTogetherAreTheUnshardedRun()
    {
        var e = new CopyDelayExperiment();
        var whole = Run(e, TinyCopyDelay, runs: 2, "whole");
        var parts = new[] { Run(e, TinyCopyDelay, 2, "s1", (0, 3)), Run(e, TinyCopyDelay, 2, "s2", (1, 3)), Run(e, TinyCopyDelay, 2, "s3", (2, 3)) };
        var merged = parts.SelectMany(p => p.Runs).ToList();
        Assert.Equal(whole.Runs.Count, merged.Count);
        foreach (var r in whole.Runs)
        {
            var twin = merged.Single(x => x.ConfigurationId == r.ConfigurationId && x.Run == r.Run);
            Assert.Equal(r.Metrics, twin.Metrics);
        }
    }

    [Fact]
    public void TuneRecordsTheChosenSettingsPerModel()
    {
        var e = new FirstTokenExperiment();
        var overrides = new Dictionary<string, string> { ["n"] = "30", ["test-n"] = "10", ["epochs"] = "2", ["hidden"] = "3" };
        var results = new ExperimentRunner(e, new Settings(e.Parameters, overrides), new RunnerOptions { Runs = 1, Tune = true, TuneRuns = 1 }).Execute();
        Assert.Equal(["lstm", "rnn"], results.Tuned.Keys.Order());
        Assert.All(results.Tuned.Values, chosen => Assert.Contains(chosen["lr"], new[] { "0.001", "0.003", "0.01", "0.03" }));
        Assert.Equal(2 * 8, results.TuneTrials.Count); // 2 models × (4 lr × 2 epoch budgets)
    }

    [Fact]
    public void CopyDelayTunesTheForgetBiasOfTheLstmOnly()
    {
        var e = new CopyDelayExperiment();
        var results = new ExperimentRunner(e, new Settings(e.Parameters, TinyCopyDelay), new RunnerOptions { Runs = 1, Tune = true, TuneRuns = 1 }).Execute();
        var rnn = results.TuneTrials.Where(t => t.Model == "rnn").ToList();
        var lstm = results.TuneTrials.Where(t => t.Model == "lstm").ToList();
        Assert.Equal(8, rnn.Count);                                   // 4 lr × 2 budgets
        Assert.All(rnn, t => Assert.False(t.Settings.ContainsKey("forget-bias")));
        Assert.Equal(16, lstm.Count);                                 // × forget-gate bias 0 (PyTorch's init) or 1
        Assert.Equal(["0", "1"], lstm.Select(t => t.Settings["forget-bias"]).Distinct().Order());
        Assert.Contains(results.Tuned["lstm"]["forget-bias"], new[] { "0", "1" });
    }

    [Fact]
    public void RunsStartCostliestFirst()
    {
        // One worker, so the start order is the schedule: the longest delay's LSTM runs first, the shortest delay's RNN last.
        var e = new CopyDelayExperiment();
        var started = new List<string>();
        var runner = new ExperimentRunner(e, new Settings(e.Parameters, TinyCopyDelay), new RunnerOptions { Runs = 2, Parallelism = 1 });
        runner.Progress += ev => { if (ev.Phase == "start") started.Add(ev.Configuration.Id); };
        runner.Execute();
        Assert.Equal(["model=lstm,delay=4", "model=lstm,delay=4", "model=lstm,delay=2", "model=lstm,delay=2",
            "model=rnn,delay=4", "model=rnn,delay=4", "model=rnn,delay=2", "model=rnn,delay=2"], started);
    }

    [Fact]
    public void SettingsRejectUnknownAndOutOfRangeValuesByName()
    {
        var specs = new CopyDelayExperiment().Parameters;
        Assert.Contains("--bogus", Assert.Throws<ParameterException>(() => new Settings(specs, new Dictionary<string, string> { ["bogus"] = "1" })).Message);
        Assert.Contains("--hidden", Assert.Throws<ParameterException>(() => new Settings(specs, new Dictionary<string, string> { ["hidden"] = "0" })).Message);
        Assert.Contains("--delays", Assert.Throws<ParameterException>(() => new Settings(specs, new Dictionary<string, string> { ["delays"] = "9:3" })).Message);
        Assert.Contains("--models", Assert.Throws<ParameterException>(() => new Settings(specs, new Dictionary<string, string> { ["models"] = "rnn,transformer" })).Message);
        Assert.Equal([1, 5, 9, 13, 17, 21, 25, 29], new Settings(specs).IntList("delays"));
        Assert.Equal([3, 7], new Settings(specs, new Dictionary<string, string> { ["delays"] = "3,7" }).IntList("delays"));
    }
}
