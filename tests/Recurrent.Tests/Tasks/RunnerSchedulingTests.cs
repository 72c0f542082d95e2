// The runner's scheduling: as many runs at once as asked, a failure or a cancel stops the handing out of runs.
using Recurrent.Tasks.Experiments;

namespace Recurrent.Tests.Tasks;

public class RunnerSchedulingTests
{
    /// <summary>An experiment whose runs do what the test says: wait, fail, or just return.</summary>
    private sealed class Scripted(int configurations, Action<Configuration, int> body) : Experiment
    {
        public override string Name => "scripted";
        public override string Summary => "runs that do what a test says";
        public override string Source => "tests";
        public override IReadOnlyList<ParameterSpec> Parameters { get; } = [];
        public override (string Metric, bool HigherIsBetter) Headline => ("value", true);

        public override IReadOnlyList<Configuration> Configurations(Settings settings) =>
            Enumerable.Range(0, configurations).Select(i => Configuration.Of(("model", "rnn"), ("index", i.ToString()))).ToList();

        public override RunResult Run(Configuration configuration, Settings settings, RunContext context)
        {
            body(configuration, context.Run);
            var result = context.NewResult();
            result.Metrics["value"] = 1;
            return result;
        }

        public override IReadOnlyList<string> WriteFigures(ResultSet results, string directory) => [];
    }

    private static ExperimentRunner Runner(Experiment e, int parallelism, bool balance = false) =>
        new(e, new Settings(e.Parameters, new Dictionary<string, string>()), new RunnerOptions { Runs = 1, Parallelism = parallelism, BalanceWaves = balance });

    [Theory]
    [InlineData(2, 2, false)]
    [InlineData(3, 3, false)]
    [InlineData(5, 2, true)] // balanced waves: 3 at once on 2 cores
    public void AsManyRunsAsTheConcurrencyRunAtOnce(int jobs, int parallelism, bool balance)
    {
        int atOnce = ExperimentRunner.Concurrency(jobs, parallelism, balance);
        using var together = new Barrier(atOnce);
        int met = 0;
        var e = new Scripted(jobs, (c, _) =>
        {
            // The first wave meets at the barrier: it only opens when atOnce runs are in it at the same time.
            if (int.Parse(c["index"]) < atOnce && together.SignalAndWait(TimeSpan.FromSeconds(30))) Interlocked.Increment(ref met);
        });
        var results = Runner(e, parallelism, balance).Execute();
        Assert.Equal(jobs, results.Runs.Count);
        Assert.Equal(atOnce, met);
    }

    [Fact]
    public void AFailedRunStopsTheHandingOutOfRunsAndIsReported()
    {
        var started = new List<int>();
        var e = new Scripted(6, (c, _) =>
        {
            int index = int.Parse(c["index"]);
            lock (started) started.Add(index);
            if (index == 2) throw new InvalidOperationException("run 2 broke");
        });
        var thrown = Assert.Throws<AggregateException>(() => Runner(e, 1).Execute());
        Assert.Contains(thrown.InnerExceptions, x => x.Message == "run 2 broke");
        Assert.Equal([0, 1, 2], started); // one worker: nothing after the failure starts
    }

    [Fact]
    public void ACancelBetweenRunsEndsTheSweepWithOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        int runs = 0;
        var e = new Scripted(4, (_, _) => Interlocked.Increment(ref runs));
        var runner = Runner(e, 1);
        runner.Progress += ev => { if (ev.Phase == "end") cancel.Cancel(); };
        Assert.ThrowsAny<OperationCanceledException>(() => runner.Execute(cancel.Token));
        Assert.Equal(1, runs);
    }

    [Fact]
    public void ACancelAfterTheLastRunIsNotAnError()
    {
        using var cancel = new CancellationTokenSource();
        var e = new Scripted(2, (_, _) => { });
        var runner = Runner(e, 1);
        int ended = 0;
        runner.Progress += ev => { if (ev.Phase == "end" && ++ended == 2) cancel.Cancel(); };
        Assert.Equal(2, runner.Execute(cancel.Token).Runs.Count);
    }
}
