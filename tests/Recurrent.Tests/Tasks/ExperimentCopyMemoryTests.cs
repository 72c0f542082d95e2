// copy-memory end to end at a tiny size: result files, the memoryless baseline, same seed same numbers, figures.
using Recurrent.Tasks.Experiments;

namespace Recurrent.Tests.Tasks;

public class ExperimentCopyMemoryTests
{
    private static readonly Dictionary<string, string> Tiny = new()
    {
        ["delay"] = "5", ["hidden"] = "8", ["batch"] = "10", ["epochs"] = "2", ["batches-per-epoch"] = "5",
        ["val-n"] = "20", ["test-n"] = "25",
    };

    [Fact]
    public void RunsEndToEnd_WritesResultsAndFigures()
    {
        var experiment = new CopyMemoryExperiment();
        var (results, dir) = ExperimentRunCheck.Run(experiment, Tiny);
        try
        {
            ExperimentRunCheck.CheckFiles(results, dir, ["train_loss", "test_loss", "copy_accuracy"]);
            foreach (var r in results.Runs)
            {
                ExperimentRunCheck.AllFinite(r);
                Assert.Equal(10 * Math.Log(8) / 25, r.Metrics["baseline_loss"], 12);
                Assert.InRange(r.Metrics["test_loss"], 0, 2 * Math.Log(10));
                Assert.InRange(r.Metrics["copy_accuracy"], 0, 1);
                Assert.Equal(25, r.Series["grad_norm_by_step"].Length);
            }
            var paths = ExperimentRunCheck.CheckFigures(experiment, results, dir);
            Assert.Contains(paths, p => p.EndsWith("test_loss.svg", StringComparison.Ordinal));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void SameSeed_SameMetrics()
    {
        var (a, dirA) = ExperimentRunCheck.Run(new CopyMemoryExperiment(), Tiny, runs: 1);
        var (b, dirB) = ExperimentRunCheck.Run(new CopyMemoryExperiment(), Tiny, runs: 1);
        Directory.Delete(dirA, true);
        Directory.Delete(dirB, true);
        ExperimentRunCheck.AssertSameMetrics(a, b);
    }
}
