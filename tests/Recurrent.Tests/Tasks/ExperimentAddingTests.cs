// adding end to end at a tiny size: both variants, result files, baselines, same seed same numbers, figures.
using Recurrent.Tasks.Experiments;

namespace Recurrent.Tests.Tasks;

public class ExperimentAddingTests
{
    private static readonly Dictionary<string, string> Tiny = new()
    {
        ["seq-len"] = "20", ["hidden"] = "8", ["batch"] = "10", ["epochs"] = "2", ["batches-per-epoch"] = "5",
        ["val-n"] = "20", ["test-n"] = "25",
    };

    [Fact]
    public void Arjovsky_RunsEndToEnd_WritesResultsAndFigures()
    {
        var experiment = new AddingExperiment();
        var (results, dir) = ExperimentRunCheck.Run(experiment, Tiny);
        try
        {
            Assert.Equal(3, results.Configurations.Count); // rnn, lstm, gru
            ExperimentRunCheck.CheckFiles(results, dir, ["train_mse", "test_mse"]);
            foreach (var r in results.Runs)
            {
                ExperimentRunCheck.AllFinite(r);
                Assert.Equal(1.0 / 6, r.Metrics["baseline_mse"], 12);
                Assert.InRange(r.Metrics["test_mse"], 0, 3);
                Assert.InRange(r.Metrics["val_mse"], 0, 3);
                Assert.Equal(r.Metrics["test_mse"] / r.Metrics["baseline_mse"], r.Metrics["mse_over_baseline"], 12);
                Assert.Equal(2, r.Curves["test_mse"].Length);
                Assert.Equal(20, r.Series["grad_norm_by_step"].Length);
                Assert.All(r.Series["grad_norm_by_step"], v => Assert.True(double.IsFinite(v) && v >= 0));
            }
            var paths = ExperimentRunCheck.CheckFigures(experiment, results, dir);
            string svg = File.ReadAllText(paths.First(p => p.EndsWith("test_mse.svg", StringComparison.Ordinal)));
            Assert.Contains("baseline", svg, StringComparison.Ordinal);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Hochreiter_VariableLengths_ScoresTheToleranceCriterion()
    {
        var overrides = new Dictionary<string, string>(Tiny) { ["variant"] = "hochreiter", ["models"] = "lstm" };
        var (results, dir) = ExperimentRunCheck.Run(new AddingExperiment(), overrides, runs: 1);
        try
        {
            var r = Assert.Single(results.Runs);
            ExperimentRunCheck.AllFinite(r);
            Assert.Equal(19.0 / 480, r.Metrics["baseline_mse"], 12);
            Assert.InRange(r.Metrics["solved_fraction"], 0, 1);
            Assert.Equal(22, r.Series["grad_norm_by_step"].Length); // padded to T + T/10
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void SameSeed_SameMetrics()
    {
        var overrides = new Dictionary<string, string>(Tiny) { ["models"] = "rnn,lstm" };
        var (a, dirA) = ExperimentRunCheck.Run(new AddingExperiment(), overrides, runs: 1);
        var (b, dirB) = ExperimentRunCheck.Run(new AddingExperiment(), overrides, runs: 1);
        Directory.Delete(dirA, true);
        Directory.Delete(dirB, true);
        ExperimentRunCheck.AssertSameMetrics(a, b);
    }
}
