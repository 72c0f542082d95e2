// Seed 004 §5: the hidden states of the trained sine-wave LSTM over one window, projected to 2-D by PCA.
using System.Globalization;
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tasks.Analysis;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Experiments;

/// <summary>
/// Seed 004 §5 visualises §2's SineLSTM, so this trains it as §2 does: noisy sine (1000 samples, noise 0.1), windows of 50
/// predicting the next value, the first 80% train (shuffled batches of 32), LSTM(1 → 32) → Linear(32 → 1) on the last
/// step, MSE, Adam lr 1e-3, 15 epochs, train and test loss per epoch. Then §5: x0 = the first window of
/// series[split : split+seq_len+100] (split is the window index int(0.8·N), used as a series index as the notebook
/// does), h_t for its 50 steps (Instruments.TraceBatchElement), PCA to 2-D, a scatter coloured by time step with every
/// 5th step labelled. The trajectory is stored per run (Series "pc1", "pc2"), the explained variance ratios as metrics.
/// RNN and GRU can be asked for with --models.
/// </summary>
public sealed class HiddenPcaExperiment : Experiment
{
    public override string Name => "hidden-pca";
    public override string Summary => "hidden-state trajectory of the sine-wave LSTM, PCA to 2-D, coloured by time step";
    public override string Source => "seeds/004 §5 Hidden State Visualization (model and data of §2 Sine Wave Forecasting)";
    public override (string Metric, bool HigherIsBetter) Headline => ("pca_variance_2d", true);

    /// <summary>No validation split in the notebook: tune on the final training loss rather than peek at the test set.</summary>
    public override (string Metric, bool HigherIsBetter) TuneMetric => ("final_train_loss", false);

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new("samples", ParameterKind.Int, "1000", "points of the noisy sine (generate_sine_data n_samples=1000)", 3, 10_000_000),
        new("noise", ParameterKind.Double, "0.1", "noise standard deviation (noise_std=0.1)", 0, 100),
        new("seq-len", ParameterKind.Int, "50", "window length, and the traced sequence's length (seq_len_sine = 50)", 2, 100_000),
        new("hidden", ParameterKind.Int, "32", "hidden size (SineLSTM(hidden_dim=32))", 2, 4096),
        new("layers", ParameterKind.Int, "1", "recurrent layers (num_layers=1); the last one is traced", 1, 64),
        new("batch", ParameterKind.Int, "32", "batch size (DataLoader(train_ds_s, batch_size=32, shuffle=True))", 1, 65536),
        new("lr", ParameterKind.Double, "0.001", "Adam learning rate (optimizer_s lr=1e-3)", 0, 10),
        new("epochs", ParameterKind.Int, "15", "epochs (train_sine(..., epochs=15))", 1, 1_000_000),
        new("label-every", ParameterKind.Int, "5", "label every k-th time step (range(0, len(hs_2d), 5))", 1, 100_000),
        new("models", ParameterKind.TextList, "lstm", "models to train and trace (the notebook: its SineLSTM)", Allowed: ["rnn", "lstm", "gru"]),
    ];

    public override IReadOnlyList<Configuration> Configurations(Settings s) =>
        s.TextList("models").Select(m => Configuration.Of(("model", m))).ToList();

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TuneGrid(Settings s) => LearningRateAndEpochs(s, epochFactor: 3, "0.001", "0.003", "0.01");

    public override RunResult Run(Configuration c, Settings s, RunContext ctx)
    {
        int seqLen = s.Int("seq-len"), epochs = s.Int("epochs"), batch = s.Int("batch"), hidden = s.Int("hidden");
        if (s.Int("samples") <= seqLen + 1)
            throw new ParameterException($"--samples {s.Int("samples")} must exceed --seq-len {seqLen} + 1 to leave training and test windows");
        var sine = new NoisySineTask(s.Int("samples"), s.Double("noise"), seqLen);
        if (sine.TrainCount < 1 || sine.TrainCount >= sine.WindowCount)
            throw new ParameterException($"--samples {s.Int("samples")} with --seq-len {seqLen} leaves no training or no test window");
        Rng data = ctx.Rng.Fork(2), shuffle = ctx.Rng.Fork(3);
        using var split = sine.Generate(data);
        using var test = split.Test.CopyOn(ctx.Device); // read whole by the model, on its device
        var model = new SequenceModel(c["model"], 1, hidden, 1, everyStep: false, ctx.Rng, ctx.Device, layers: s.Int("layers"));
        var adam = new Adam(model.NamedParameters(), lr: s.Double("lr"));
        var loss = new MseLoss();
        using var meter = new LossMeter(); // the batches' losses stay on the device until the epoch's sum is read
        var result = ctx.NewResult();
        var trainCurve = new double[epochs];
        var testCurve = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            ctx.ThrowIfCancelled();
            trainCurve[epoch] = model.TrainEpoch(loss, adam, split.Train.Batches(batch, shuffle), ctx.Device, meter) / split.Train.Count;
            model.Training = false;
            testCurve[epoch] = loss.Forward(model.Forward(test.Inputs), test.Targets).Item(); // mean over the test windows
            ctx.EpochDone(epoch + 1, epochs);
        }
        result.Curves["train_loss"] = trainCurve;
        result.Curves["test_loss"] = testCurve;
        result.Metrics["final_train_loss"] = trainCurve[^1];
        result.Metrics["test_mse"] = testCurve[^1];

        // §5: x0 = series[split : split + seq_len] as one [1, T, 1] sequence, every h_t of the last layer, PCA to 2-D.
        double[] series = split.Series;
        int start = Math.Min(split.Split, series.Length - seqLen);
        var segment = new float[seqLen];
        for (int t = 0; t < seqLen; t++) segment[t] = (float)series[start + t];
        model.Training = false;
        model.Recurrent.Instruments.TraceBatchElement = 0;
        using (var x0 = Tensor.From<float>(segment, [1, seqLen, 1], ctx.Device)) model.Forward(x0);
        model.Recurrent.Instruments.TraceBatchElement = null;
        int lastLayer = s.Int("layers") - 1;
        double[,] states = model.Recurrent.Instruments.Traces.First(tr => tr.Layer == lastLayer && tr.Direction == 0).H; // [T, H]
        var pca = Pca.Fit(states, 2);
        double[,] projected = pca.Transform(states);
        result.Series["pc1"] = Enumerable.Range(0, seqLen).Select(t => projected[t, 0]).ToArray();
        result.Series["pc2"] = Enumerable.Range(0, seqLen).Select(t => projected[t, 1]).ToArray();
        result.Series["segment"] = segment.Select(v => (double)v).ToArray();
        result.Metrics["pca_variance_pc1"] = pca.ExplainedVarianceRatio[0];
        result.Metrics["pca_variance_pc2"] = pca.ExplainedVarianceRatio[1];
        result.Metrics["pca_variance_2d"] = pca.ExplainedVarianceRatio[0] + pca.ExplainedVarianceRatio[1];

        // Why: ‖dL/dh_t‖ of the trained model over the test windows, by steps back from the predicted step (in training-size batches).
        result.Series["grad_norm_by_step"] = model.HiddenGradientNormsByStep(loss, split.Test.Batches(batch), ctx.Device)[^1];
        return result;
    }

    public override IReadOnlyList<string> WriteFigures(ResultSet results, string directory) => HiddenPcaFigures.Write(results, directory);
}
