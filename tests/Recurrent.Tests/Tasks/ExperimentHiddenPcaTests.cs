// hidden-pca end to end at a tiny size: result files, explained variance ratios, the trajectory, same seed same numbers, figures.
using Recurrent.Tasks.Experiments;

namespace Recurrent.Tests.Tasks;

public class ExperimentHiddenPcaTests
{
    private static readonly Dictionary<string, string> Tiny = new()
    {
        ["samples"] = "200", ["seq-len"] = "20", ["hidden"] = "8", ["epochs"] = "2", ["models"] = "lstm,gru",
    };

    [Fact]
    public void RunsEndToEnd_WritesResultsAndTrajectoryFigures()
    {
        var experiment = new HiddenPcaExperiment();
        var (results, dir) = ExperimentRunCheck.Run(experiment, Tiny);
        try
        {
            ExperimentRunCheck.CheckFiles(results, dir, ["train_loss", "test_loss"]);
            foreach (var r in results.Runs)
            {
                ExperimentRunCheck.AllFinite(r);
                double pc1 = r.Metrics["pca_variance_pc1"], pc2 = r.Metrics["pca_variance_pc2"];
                Assert.InRange(pc1, 0, 1);
                Assert.InRange(pc2, 0, pc1);
                Assert.Equal(pc1 + pc2, r.Metrics["pca_variance_2d"], 12);
                Assert.InRange(r.Metrics["test_mse"], 0, 2);
                Assert.Equal(20, r.Series["pc1"].Length);
                Assert.Equal(20, r.Series["pc2"].Length);
                Assert.All(r.Series["pc1"].Concat(r.Series["pc2"]), v => Assert.True(double.IsFinite(v)));
                // PCA centres the states: the projections average to zero.
                Assert.Equal(0, r.Series["pc1"].Average(), 9);
                Assert.Equal(20, r.Series["grad_norm_by_step"].Length);
            }
            var paths = ExperimentRunCheck.CheckFigures(experiment, results, dir);
            Assert.Contains(paths, p => p.EndsWith("hidden_trajectory_model_lstm.svg", StringComparison.Ordinal));
            Assert.Contains(paths, p => p.EndsWith("hidden_trajectory_model_gru.svg", StringComparison.Ordinal));
            string svg = File.ReadAllText(paths.First(p => p.EndsWith("hidden_trajectory_model_lstm.svg", StringComparison.Ordinal)));
            Assert.Contains("Time step", svg, StringComparison.Ordinal);
            Assert.Contains("PC1", svg, StringComparison.Ordinal);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void SameSeed_SameMetricsAndTrajectory()
    {
        var overrides = new Dictionary<string, string>(Tiny) { ["models"] = "lstm" };
        var (a, dirA) = ExperimentRunCheck.Run(new HiddenPcaExperiment(), overrides, runs: 1);
        var (b, dirB) = ExperimentRunCheck.Run(new HiddenPcaExperiment(), overrides, runs: 1);
        Directory.Delete(dirA, true);
        Directory.Delete(dirB, true);
        ExperimentRunCheck.AssertSameMetrics(a, b);
        Assert.Equal(a.Runs[0].Series["pc1"], b.Runs[0].Series["pc1"]);
    }
}
