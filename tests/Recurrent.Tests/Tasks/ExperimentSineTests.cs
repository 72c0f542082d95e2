// sine end to end at a tiny size: files written and parseable, metrics sane, seeded, figures well-formed.
using Recurrent.Tasks.Experiments;

namespace Recurrent.Tests.Tasks;

public class ExperimentSineTests
{
    [Fact]
    public void TinyRunWritesResultsAndFiguresAndRepeatsWithTheSameSeed()
    {
        var exp = new SineExperiment();
        var overrides = new Dictionary<string, string> { ["samples"] = "80", ["seq-len"] = "8", ["hidden"] = "4", ["epochs"] = "3", ["batch"] = "16" };
        var (results, dir) = ExperimentTestKit.RunTwiceAndCheck(exp, overrides);
        try
        {
            Assert.Equal(["model=rnn", "model=lstm"], results.Configurations.Select(c => c.Id));
            foreach (var r in results.Runs)
            {
                foreach (string m in new[] { "test_mse", "val_mse", "train_loss", "test_mse_persistence" }) Assert.InRange(r.Metrics[m], 0, 10);
                Assert.Equal(3, r.Curves["train_loss"].Length);
                Assert.Equal(3, r.Curves["test_loss"].Length);
                Assert.Equal(r.Metrics["test_mse"], r.Curves["test_loss"][^1], 6);
                Assert.Equal(72 - 57, r.Series["test_prediction"].Length); // 72 windows, int(0.8·72) = 57 train
                Assert.Equal(8, r.Series["grad_norm_by_step"].Length);
            }
            ExperimentTestKit.AssertFigures(exp, results, dir, "loss.svg", "predictions.svg", "grad_norm_vs_steps_back.svg");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void DefaultsAreTheNotebooksAndABadSplitIsRefused()
    {
        var exp = new SineExperiment();
        var s = new Settings(exp.Parameters);
        Assert.Equal((1000, 50, 32, 32, 0.001, 15), (s.Int("samples"), s.Int("seq-len"), s.Int("hidden"), s.Int("batch"), s.Double("lr"), s.Int("epochs")));
        Assert.Equal(0.8, s.Double("train-fraction"));
        Assert.Throws<ParameterException>(() => exp.Configurations(new Settings(exp.Parameters, new Dictionary<string, string> { ["samples"] = "50" })));
    }
}
