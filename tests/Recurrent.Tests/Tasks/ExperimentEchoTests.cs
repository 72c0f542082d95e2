// echo end to end at a tiny size: files written and parseable, metrics sane, seeded, figures well-formed.
using Recurrent.Tasks.Experiments;
using Recurrent.Tensors;

namespace Recurrent.Tests.Tasks;

public class ExperimentEchoTests
{
    [Fact]
    public void TinyRunWritesResultsAndFiguresAndRepeatsWithTheSameSeed()
    {
        var exp = new EchoExperiment();
        var overrides = new Dictionary<string, string> { ["n"] = "96", ["test-n"] = "40", ["seq-len"] = "10", ["hidden"] = "4", ["epochs"] = "3", ["batch"] = "32" };
        var (results, dir) = ExperimentTestKit.RunTwiceAndCheck(exp, overrides);
        try
        {
            Assert.Equal(["model=rnn", "model=lstm"], results.Configurations.Select(c => c.Id));
            foreach (var r in results.Runs)
            {
                foreach (string m in new[] { "test_accuracy", "val_accuracy", "best_test_accuracy" }) Assert.InRange(r.Metrics[m], 0, 1);
                Assert.Equal(0, r.Metrics["test_accuracy"] * 40 % 1, 9); // a count of 40 test sequences
                Assert.InRange(r.Metrics["test_loss"], 0, 5);
                Assert.Equal(3, r.Curves["test_accuracy"].Length);
                Assert.Equal(10, r.Series["grad_norm_by_step_init"].Length);
                Assert.Equal(10, r.Series["grad_norm_by_step"].Length);
                Assert.True(r.Metrics["grad_ratio_first_to_last_init"] > 0);
            }
            ExperimentTestKit.AssertFigures(exp, results, dir, "accuracy.svg", "loss.svg", "grad_norm_vs_steps_back.svg");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void DefaultsAreTheNotebooks()
    {
        var s = new Settings(new EchoExperiment().Parameters);
        Assert.Equal((2000, 500, 50, 16, 64, 0.01, 20), (s.Int("n"), s.Int("test-n"), s.Int("seq-len"), s.Int("hidden"), s.Int("batch"), s.Double("lr"), s.Int("epochs")));
    }

    [Fact]
    public void AForgetBiasLetsMoreGradientReachTheFirstStepOfAnLstm()
    {
        var exp = new EchoExperiment();
        double Ratio(string bias)
        {
            var s = new Settings(exp.Parameters, new Dictionary<string, string>
            {
                ["n"] = "32", ["test-n"] = "16", ["seq-len"] = "12", ["hidden"] = "4", ["epochs"] = "1", ["forget-bias"] = bias,
            });
            var c = Configuration.Of(("model", "lstm"));
            return exp.Run(c, s, new RunContext(c, 0, 5, Device.Cpu, CancellationToken.None)).Metrics["grad_ratio_first_to_last_init"];
        }
        Assert.True(Ratio("3") > 10 * Ratio("0"), $"forget bias 3: {Ratio("3")}, none: {Ratio("0")}");
    }

    [Fact]
    public void ACancelledRunStopsBeforeItsFirstEpoch()
    {
        var exp = new EchoExperiment();
        var s = new Settings(exp.Parameters, new Dictionary<string, string> { ["n"] = "16", ["test-n"] = "8", ["seq-len"] = "4" });
        var c = Configuration.Of(("model", "rnn"));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        int epochs = 0;
        Assert.Throws<OperationCanceledException>(() => exp.Run(c, s, new RunContext(c, 0, 5, Device.Cpu, cancelled.Token, (done, _) => epochs = done)));
        Assert.Equal(0, epochs);
    }
}
