// Seed 003, "Single-layer RNN vs stacked RNN": predict the mean of 20 uniform values; loss curves of both depths.
using System.Globalization;
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Experiments;

/// <summary>
/// The notebook: generate_data(seq_length=20, num_samples=1000), X ~ U[0, 1), y = mean over the sequence;
/// SingleLayerRNN (nn.RNN, one layer) and StackedRNN (nn.RNN, num_layers=2), each a Linear head on out[:, -1, :];
/// train(model, X, y, epochs=100, lr=0.01): full-batch Adam on MSE, the figure is both loss curves.
/// The notebook never shows the cell that builds the models, so hidden_size is not known: we take 16 (--hidden).
/// We add a fresh test set (and a validation set for --tune), so the numbers also say how well the mean generalises.
/// </summary>
public sealed class MeanStackedExperiment : Experiment
{
    public override string Name => "mean-stacked";
    public override string Summary => "predict the mean of a sequence: single-layer vs stacked RNN, loss curves";
    public override string Source => "seeds/003 Comparing Single-Layer RNN vs Stacked RNN";
    public override (string Metric, bool HigherIsBetter) Headline => ("test_mse", false);
    public override (string Metric, bool HigherIsBetter) TuneMetric => ("val_mse", false);

    /// <summary>Test examples whose prediction is kept for the predictions-vs-truth figure.</summary>
    internal const int KeptPredictions = 200;

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new("n", ParameterKind.Int, "1000", "training sequences (generate_data num_samples)", 1, 10_000_000),
        new("seq-len", ParameterKind.Int, "20", "sequence length (generate_data seq_length)", 1, 100_000),
        new("hidden", ParameterKind.Int, "16", "hidden size (not in the notebook; our choice)", 1, 4096),
        new("stacked-layers", ParameterKind.Int, "2", "layers of the stacked model (StackedRNN num_layers)", 2, 64),
        new("lr", ParameterKind.Double, "0.01", "Adam learning rate", 0, 10),
        new("epochs", ParameterKind.Int, "100", "full-batch epochs", 1, 1_000_000),
        new("test-n", ParameterKind.Int, "1000", "fresh test (and validation) sequences (ours; the notebook has none)", 1, 10_000_000),
        new("models", ParameterKind.TextList, "rnn", "recurrent cells to compare (the notebook: nn.RNN)", Allowed: ["rnn", "lstm", "gru"]),
        new("depths", ParameterKind.TextList, "single,stacked", "depths to compare: single (1 layer), stacked (--stacked-layers)",
            Allowed: ["single", "stacked"]),
    ];

    public override IReadOnlyList<Configuration> Configurations(Settings s) =>
        s.TextList("models").SelectMany(m => s.TextList("depths").Select(d => Configuration.Of(("model", m), ("depth", d)))).ToList();

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TuneGrid(Settings s) => LearningRateAndEpochs(s, epochFactor: 3);

    /// <summary>The cell's weight × layers: stacked runs start first.</summary>
    public override double Cost(Configuration c, Settings s) => LayersOf(c, s) * base.Cost(c, s);

    internal static int LayersOf(Configuration c, Settings s) => c["depth"] == "stacked" ? s.Int("stacked-layers") : 1;

    public override RunResult Run(Configuration c, Settings s, RunContext ctx)
    {
        int epochs = s.Int("epochs"), layers = LayersOf(c, s);
        Rng data = ctx.Rng.Fork(2);
        var task = new SequenceMeanTask(s.Int("seq-len"), s.Int("n"));
        using var train = task.Generate(data).On(ctx.Device);
        using var validation = task.Sample(s.Int("test-n"), data).On(ctx.Device);
        using var test = task.Sample(s.Int("test-n"), data).On(ctx.Device);
        var model = new SequenceModel(c["model"], 1, s.Int("hidden"), 1, everyStep: false, ctx.Rng, ctx.Device, layers: layers);
        var adam = new Adam(model.NamedParameters(), lr: s.Double("lr"));
        var loss = new MseLoss();

        var result = ctx.NewResult();
        var trainCurve = new double[epochs];
        var testCurve = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            ctx.ThrowIfCancelled();
            // The notebook's loop: one full-batch step, the loss recorded before the step.
            model.ZeroGrad();
            trainCurve[epoch] = loss.Forward(model.Forward(train.Inputs), train.Targets).Item();
            model.Backward(loss.Backward());
            adam.Step();
            testCurve[epoch] = loss.Forward(model.Forward(test.Inputs), test.Targets).Item();
            ctx.EpochDone(epoch + 1, epochs);
        }
        result.Curves["loss"] = trainCurve;
        result.Curves["test_loss"] = testCurve;
        result.Metrics["final_loss"] = trainCurve[^1];
        result.Metrics["train_mse"] = loss.Forward(model.Forward(train.Inputs), train.Targets).Item();
        result.Metrics["val_mse"] = loss.Forward(model.Forward(validation.Inputs), validation.Targets).Item();
        Tensor prediction = model.Forward(test.Inputs);
        result.Metrics["test_mse"] = loss.Forward(prediction, test.Targets).Item();
        // What predicting the training mean (≈ 0.5) would score: the floor a model that learned nothing reaches.
        result.Metrics["test_mse_constant"] = Variance(test.Targets.ToArray<float>());
        int kept = Math.Min(KeptPredictions, test.Count);
        result.Series["test_prediction"] = prediction.ToArray<float>().Take(kept).Select(v => (double)v).ToArray();
        result.Series["test_target"] = test.Targets.ToArray<float>().Take(kept).Select(v => (double)v).ToArray();

        // Why: ‖dL/dh_t‖ of the first layer by time step, after training (every step contributes 1/T to the mean).
        model.Recurrent.Instruments.RecordGradientNorms = true;
        model.ZeroGrad();
        loss.Forward(model.Forward(train.Inputs), train.Targets);
        model.Backward(loss.Backward());
        result.Series["grad_norm_by_step"] = model.Recurrent.Instruments.GradientNorms[0].HiddenNorms;
        model.Recurrent.Instruments.RecordGradientNorms = false;
        return result;
    }

    private static double Variance(float[] v)
    {
        double mean = v.Average(x => (double)x);
        return v.Average(x => (x - mean) * (x - mean));
    }

    public override IReadOnlyList<string> WriteFigures(ResultSet results, string directory) => MeanStackedFigures.Write(results, directory);
}
