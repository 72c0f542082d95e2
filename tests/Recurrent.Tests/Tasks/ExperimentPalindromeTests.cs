// palindrome end to end at a tiny size: files written and parseable, metrics sane, seeded, figures well-formed.
using Recurrent.Nn;
using Recurrent.Tasks.Experiments;
using Recurrent.Tensors;

namespace Recurrent.Tests.Tasks;

public class ExperimentPalindromeTests
{
    [Fact]
    public void TinyRunWritesResultsAndFiguresAndRepeatsWithTheSameSeed()
    {
        var exp = new PalindromeExperiment();
        var overrides = new Dictionary<string, string> { ["n"] = "128", ["test-n"] = "50", ["hidden"] = "6", ["epochs"] = "3" };
        var (results, dir) = ExperimentTestKit.RunTwiceAndCheck(exp, overrides);
        try
        {
            Assert.Equal(["model=rnn,direction=uni", "model=rnn,direction=bi"], results.Configurations.Select(c => c.Id));
            foreach (var r in results.Runs)
            {
                foreach (string m in new[] { "test_accuracy", "val_accuracy", "train_accuracy", "test_positive_fraction" }) Assert.InRange(r.Metrics[m], 0, 1);
                Assert.Equal(3, r.Curves["test_accuracy"].Length);
                Assert.Equal(7, r.Series["grad_norm_by_step"].Length);
                Assert.Equal(r.ConfigurationId.EndsWith("bi", StringComparison.Ordinal), r.Series.ContainsKey("grad_norm_by_step_reverse"));
            }
            ExperimentTestKit.AssertFigures(exp, results, dir, "accuracy.svg", "train_accuracy.svg", "grad_norm_vs_steps_back.svg");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void DefaultsAreTheNotebooks()
    {
        var s = new Settings(new PalindromeExperiment().Parameters);
        Assert.Equal((3000, 1000, 7, 10, 8, 16, 64, 0.01, 15), (s.Int("n"), s.Int("test-n"), s.Int("seq-len"), s.Int("vocab"), s.Int("embed"),
            s.Int("hidden"), s.Int("batch"), s.Double("lr"), s.Int("epochs")));
        Assert.Equal("last", s.Text("bi-head"));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void ClassifierGradientsMatchCentralDifferences(bool bidirectional, bool finalStates)
    {
        // A float32 model: check the analytic gradient of a few weights (embedding, recurrent, head) against (L(w+ε) − L(w−ε)) / 2ε.
        var model = new PalindromeClassifier("rnn", 5, 3, 4, 1, bidirectional, finalStates, new Rng(11), Device.Cpu);
        var tokens = Tensor.From([0, 1, 2, 3, 4, 4, 3, 2, 1, 0, 1, 1], 3, 4);
        var targets = Tensor.From([1f, 0f, 1f], 3, 1);
        var loss = new BceWithLogitsLoss();
        model.ZeroGrad();
        loss.Forward(model.Forward(tokens), targets);
        model.Backward(loss.Backward());
        foreach (var (name, p) in model.NamedParameters())
        {
            float[] grad = p.Grad.ToArray<float>();
            foreach (int i in new[] { 0, (int)p.Value.Length - 1 })
            {
                float[] w = p.Value.ToArray<float>();
                double Loss(float v)
                {
                    float[] copy = (float[])w.Clone();
                    copy[i] = v;
                    Device.Cpu.Copy(Tensor.From(copy, p.Value.Shape.ToArray()), p.Value);
                    return loss.Forward(model.Forward(tokens), targets).Item();
                }
                const float eps = 1e-2f;
                double numeric = (Loss(w[i] + eps) - Loss(w[i] - eps)) / (2 * eps);
                Loss(w[i]);
                Assert.True(Math.Abs(numeric - grad[i]) < 2e-3 + 2e-2 * Math.Abs(numeric), $"{name}[{i}]: analytic {grad[i]}, numeric {numeric}");
            }
        }
    }
}
