// Seed 004 §3, "RNN vs LSTM on long sequences (echo task)": recall the first of 50 bits at the last step.
using System.Globalization;
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Experiments;

/// <summary>
/// The notebook: EchoDataset(n_sequences=2000, seq_len=50) to train and EchoDataset(500) to test, batch 64 (train
/// shuffled); EchoRNN / EchoLSTM(hidden_dim=16): the cell, a Linear head on out[:, -1, :] and a sigmoid; BCELoss,
/// train_echo(epochs=20, lr=1e-2) with Adam; per epoch the train loss, test loss and test accuracy; the figure is the
/// test accuracy of both. We compute sigmoid + BCE as BCE-with-logits (the same loss, stably) and predict 1 when the
/// logit is above 0 (sigmoid above 0.5). Added: ‖dL/dh_t‖ by steps back at initialisation and after training —
/// the vanishing gradient the notebook's text names — and a validation set of the test set's size for --tune.
/// </summary>
public sealed class EchoExperiment : Experiment
{
    public override string Name => "echo";
    public override string Summary => "echo the first of 50 bits: RNN vs LSTM accuracy, and the vanishing gradient behind it";
    public override string Source => "seeds/004 §3 RNN vs LSTM on Long Sequences (Echo Task)";
    public override (string Metric, bool HigherIsBetter) Headline => ("test_accuracy", true);
    public override (string Metric, bool HigherIsBetter) TuneMetric => ("val_loss", false);

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new("n", ParameterKind.Int, EchoTask.NotebookTrainCount.ToString(CultureInfo.InvariantCulture), "training sequences (train_ds_e n_sequences)", 1, 10_000_000),
        new("test-n", ParameterKind.Int, EchoTask.NotebookTestCount.ToString(CultureInfo.InvariantCulture), "test sequences (test_ds_e n_sequences); also the validation size", 1, 10_000_000),
        new("seq-len", ParameterKind.Int, "50", "sequence length (seq_len_echo)", 1, 100_000),
        new("hidden", ParameterKind.Int, "16", "hidden size (EchoRNN / EchoLSTM hidden_dim)", 1, 4096),
        new("layers", ParameterKind.Int, "1", "recurrent layers", 1, 64),
        new("batch", ParameterKind.Int, EchoTask.NotebookBatchSize.ToString(CultureInfo.InvariantCulture), "batch size", 1, 65536),
        new("lr", ParameterKind.Double, "0.01", "Adam learning rate (train_echo lr)", 0, 10),
        new("epochs", ParameterKind.Int, "20", "epochs (train_echo epochs)", 1, 1_000_000),
        new("models", ParameterKind.TextList, "rnn,lstm", "models to compare", Allowed: ["rnn", "lstm", "gru"]),
        new("forget-bias", ParameterKind.Double, "0", "LSTM only: 0 keeps PyTorch's default init (the notebook); otherwise the forget " +
            "gates start with this bias (bias_ih's f block set to it, bias_hh's to 0), the usual cure for a gradient that fades through c", -100, 100),
    ];

    public override IReadOnlyList<Configuration> Configurations(Settings s) =>
        s.TextList("models").Select(m => Configuration.Of(("model", m))).ToList();

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TuneGrid(Settings s) => LearningRateAndEpochs(s, epochFactor: 3);

    public override RunResult Run(Configuration c, Settings s, RunContext ctx)
    {
        int epochs = s.Int("epochs"), batch = s.Int("batch");
        Rng data = ctx.Rng.Fork(2), shuffle = ctx.Rng.Fork(3);
        var task = new EchoTask(s.Int("n"), s.Int("seq-len"));
        using var train = task.Generate(data);               // the notebook draws the training set, then the test set
        using var test = task.Sample(s.Int("test-n"), data).On(ctx.Device);
        using var validation = task.Sample(s.Int("test-n"), data).On(ctx.Device);
        var model = new SequenceModel(c["model"], 1, s.Int("hidden"), 1, everyStep: false, ctx.Rng, ctx.Device, layers: s.Int("layers"));
        if (c["model"] == "lstm" && s.Double("forget-bias") != 0) model.SetForgetBias(s.Double("forget-bias"));
        var adam = new Adam(model.NamedParameters(), lr: s.Double("lr"));
        var loss = new BceWithLogitsLoss();
        using var meter = new LossMeter(); // the batches' losses stay on the device until the epoch's sum is read
        var result = ctx.NewResult();

        // Why, before training: how much of the loss's gradient reaches each step back (the label is at k = T − 1).
        double[] initNorms = model.HiddenGradientNormsByStep(loss, train.Batches(batch), ctx.Device)[0]; // over the training set, a batch at a time
        result.Series["grad_norm_by_step_init"] = initNorms;
        // ‖dL/dh_0‖ / ‖dL/dh_{T−1}‖: the share of the gradient that reaches the first bit (≪ 1 is a vanishing gradient).
        result.Metrics["grad_ratio_first_to_last_init"] = initNorms[0] / initNorms[^1];

        var trainCurve = new double[epochs];
        var testLoss = new double[epochs];
        var testAccuracy = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            ctx.ThrowIfCancelled();
            trainCurve[epoch] = model.TrainEpoch(loss, adam, train.Batches(batch, shuffle), ctx.Device, meter) / train.Count;
            model.Training = false;
            (testLoss[epoch], testAccuracy[epoch]) = Evaluate(model, loss, test);
            ctx.EpochDone(epoch + 1, epochs);
        }
        result.Curves["train_loss"] = trainCurve;
        result.Curves["test_loss"] = testLoss;
        result.Curves["test_accuracy"] = testAccuracy;
        result.Metrics["train_loss"] = trainCurve[^1];
        result.Metrics["test_loss"] = testLoss[^1];
        result.Metrics["test_accuracy"] = testAccuracy[^1];
        result.Metrics["best_test_accuracy"] = testAccuracy.Max();
        (result.Metrics["val_loss"], result.Metrics["val_accuracy"]) = Evaluate(model, loss, validation);

        model.Training = true;
        double[] norms = model.HiddenGradientNormsByStep(loss, train.Batches(batch), ctx.Device)[0];
        result.Series["grad_norm_by_step"] = norms;
        result.Metrics["grad_ratio_first_to_last"] = norms[0] / norms[^1];
        return result;
    }

    /// <summary>BCE and accuracy (logit above 0 ⇔ sigmoid above 0.5) over a whole set at once.</summary>
    internal static (double Loss, double Accuracy) Evaluate(SequenceModel model, Loss loss, SequenceBatch set)
    {
        Tensor logits = model.Forward(set.Inputs);
        double value = loss.Forward(logits, set.Targets).Item();
        return (value, Accuracy(logits, set.Targets));
    }

    internal static double Accuracy(Tensor logits, Tensor targets)
    {
        float[] p = logits.ToArray<float>(), y = targets.ToArray<float>();
        int correct = 0;
        for (int i = 0; i < p.Length; i++) if ((p[i] > 0 ? 1f : 0f) == y[i]) correct++;
        return (double)correct / p.Length;
    }

    public override IReadOnlyList<string> WriteFigures(ResultSet results, string directory) => EchoFigures.Write(results, directory);
}
