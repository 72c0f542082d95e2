// Seed 000, "RNN vs LSTM: long-term dependency": the label is the first bit of a 20-bit sequence.
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Experiments;

/// <summary>
/// The notebook: 1000 sequences of 20 random bits, label = first bit; RNN and LSTM (hidden 16) read the sequence, a
/// Linear head and a sigmoid read the last step; BCE, Adam lr 0.01, 20 full-batch epochs; the figure is the loss curves.
/// We use BCE-with-logits (the same loss, computed stably) and add a fresh test set, so accuracy means generalisation.
/// </summary>
public sealed class FirstTokenExperiment : Experiment
{
    public override string Name => "first-token";
    public override string Summary => "the label is the first token: loss curves of RNN vs LSTM";
    public override string Source => "seeds/000 RNN vs LSTM long-term dependency";
    public override (string Metric, bool HigherIsBetter) Headline => ("test_accuracy", true);
    public override (string Metric, bool HigherIsBetter) TuneMetric => ("val_loss", false);

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new("n", ParameterKind.Int, "1000", "training sequences", 1, 10_000_000),
        new("seq-len", ParameterKind.Int, "20", "sequence length", 1, 100_000),
        new("hidden", ParameterKind.Int, "16", "hidden size", 1, 4096),
        new("lr", ParameterKind.Double, "0.01", "Adam learning rate", 0, 10),
        new("epochs", ParameterKind.Int, "20", "full-batch epochs", 1, 1_000_000),
        new("test-n", ParameterKind.Int, "1000", "fresh test sequences (ours; the notebook has none)", 1, 10_000_000),
        new("models", ParameterKind.TextList, "rnn,lstm", "models to compare", Allowed: ["rnn", "lstm", "gru"]),
        new("layers", ParameterKind.Int, "1", "recurrent layers", 1, 64),
    ];

    public override IReadOnlyList<Configuration> Configurations(Settings s) =>
        s.TextList("models").Select(m => Configuration.Of(("model", m))).ToList();

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TuneGrid(Settings s) => LearningRateAndEpochs(s, epochFactor: 5);

    public override RunResult Run(Configuration c, Settings s, RunContext ctx)
    {
        int n = s.Int("n"), steps = s.Int("seq-len"), epochs = s.Int("epochs");
        Rng data = ctx.Rng.Fork(2);
        var task = new FirstTokenTask(n, steps);
        using var train = task.Generate(data).On(ctx.Device);
        using var validation = task.Sample(s.Int("test-n"), data).On(ctx.Device);
        using var test = task.Sample(s.Int("test-n"), data).On(ctx.Device);
        var (x, y) = (train.Inputs, train.Targets);
        var (xVal, yVal) = (validation.Inputs, validation.Targets);
        var (xTest, yTest) = (test.Inputs, test.Targets);
        var model = new SequenceModel(c["model"], 1, s.Int("hidden"), 1, everyStep: false, ctx.Rng, ctx.Device, layers: s.Int("layers"));
        var adam = new Adam(model.NamedParameters(), lr: s.Double("lr"));
        var loss = new BceWithLogitsLoss();
        var result = ctx.NewResult();
        var curve = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            ctx.ThrowIfCancelled();
            model.ZeroGrad();
            curve[epoch] = loss.Forward(model.Forward(x), y).Item();
            model.Backward(loss.Backward());
            adam.Step();
            ctx.EpochDone(epoch + 1, epochs);
        }
        result.Curves["loss"] = curve;
        result.Metrics["final_loss"] = curve[^1];
        result.Metrics["val_loss"] = loss.Forward(model.Forward(xVal), yVal).Item();
        result.Metrics["test_accuracy"] = Accuracy(model.Forward(xTest), yTest);
        result.Metrics["train_accuracy"] = Accuracy(model.Forward(x), y);

        // Why: ‖dL/dh_t‖ by time step for the trained model (the label sits at t = 0, the loss reads t = T−1).
        model.Recurrent.Instruments.RecordGradientNorms = true;
        model.ZeroGrad();
        loss.Forward(model.Forward(x), y);
        model.Backward(loss.Backward());
        result.Series["grad_norm_by_step"] = model.Recurrent.Instruments.GradientNorms[0].HiddenNorms;
        model.Recurrent.Instruments.RecordGradientNorms = false;
        return result;
    }

    private static double Accuracy(Tensor logits, Tensor y)
    {
        float[] p = logits.ToArray<float>(), t = y.ToArray<float>();
        int correct = 0;
        for (int i = 0; i < p.Length; i++) if ((p[i] > 0 ? 1f : 0f) == t[i]) correct++;
        return (double)correct / p.Length;
    }

    public override IReadOnlyList<string> WriteFigures(ResultSet results, string directory)
    {
        // The notebook's figure: plt.plot(losses) per model, 'Epoch' / 'Loss', with the spread over runs added.
        var paths = new List<string>
        {
            CommonFigures.Curves(results, results.Configurations, "loss", "RNN vs LSTM on Long-Term Dependency Task", "Loss",
                Path.Combine(directory, "loss.svg")),
            CommonFigures.GradientNormByStepsBack(results, results.Configurations,
                "First token: gradient norm by steps back (after training)", Path.Combine(directory, "grad_norm_vs_steps_back.svg")),
        };
        return paths;
    }
}
