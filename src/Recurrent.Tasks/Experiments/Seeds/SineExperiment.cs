// Seed 004 §2, "Sequence prediction: sine wave forecasting": next value of a noisy sine from the last 50, RNN vs LSTM.
using System.Globalization;
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Experiments;

/// <summary>
/// The notebook: generate_sine_data(n_samples=1000, noise_std=0.1) = sin(linspace(0, 40π)) + noise, windows of
/// seq_len_sine = 50 → the next value, the first int(0.8·N) windows train (shuffled, batch 32) and the rest test;
/// SineLSTM(hidden_dim=32, num_layers=1) with a Linear head on out[:, -1, :], Adam lr 1e-3, MSE, train_sine(epochs=15).
/// Figures: train/test loss per epoch, true vs predicted on the test windows. The notebook trains the LSTM only; we
/// train a vanilla RNN of the same size beside it. The test loss is the notebook's (the mean MSE over every test window).
/// </summary>
public sealed class SineExperiment : Experiment
{
    public override string Name => "sine";
    public override string Summary => "next-step prediction of a noisy sine: RNN vs LSTM, train/test loss, predictions";
    public override string Source => "seeds/004 §2 Sequence Prediction: Sine Wave Forecasting";
    public override (string Metric, bool HigherIsBetter) Headline => ("test_mse", false);
    public override (string Metric, bool HigherIsBetter) TuneMetric => ("val_mse", false);

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new("samples", ParameterKind.Int, "1000", "points of the series (generate_sine_data n_samples)", 2, 10_000_000),
        new("noise", ParameterKind.Double, "0.1", "noise standard deviation (noise_std)", 0, 100),
        new("seq-len", ParameterKind.Int, "50", "window length (seq_len_sine)", 1, 100_000),
        new("train-fraction", ParameterKind.Double, "0.8", "leading fraction of the windows that trains (split)", 0.01, 0.99),
        new("hidden", ParameterKind.Int, "32", "hidden size (SineLSTM hidden_dim)", 1, 4096),
        new("layers", ParameterKind.Int, "1", "recurrent layers (SineLSTM num_layers)", 1, 64),
        new("batch", ParameterKind.Int, "32", "batch size (DataLoader batch_size)", 1, 65536),
        new("lr", ParameterKind.Double, "0.001", "Adam learning rate", 0, 10),
        new("epochs", ParameterKind.Int, "15", "epochs (train_sine epochs)", 1, 1_000_000),
        new("models", ParameterKind.TextList, "rnn,lstm", "models to compare (the notebook: LSTM)", Allowed: ["rnn", "lstm", "gru"]),
    ];

    public override IReadOnlyList<Configuration> Configurations(Settings s)
    {
        TaskOf(s); // a bad split fails here, before any run starts
        return s.TextList("models").Select(m => Configuration.Of(("model", m))).ToList();
    }

    private static NoisySineTask TaskOf(Settings s)
    {
        int samples = s.Int("samples"), seqLen = s.Int("seq-len");
        if (samples <= seqLen)
            throw new ParameterException($"--samples {samples} must exceed --seq-len {seqLen}: a window needs seq-len values and the next one");
        var task = new NoisySineTask(samples, s.Double("noise"), seqLen, s.Double("train-fraction"));
        if (task.TrainCount < 1 || task.TrainCount >= task.WindowCount)
            throw new ParameterException($"--samples {samples} with --seq-len {seqLen} and --train-fraction {task.TrainFraction} leave " +
                $"{task.TrainCount} training and {task.WindowCount - task.TrainCount} test windows; both must be at least 1");
        return task;
    }

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TuneGrid(Settings s) => LearningRateAndEpochs(s, epochFactor: 3, "0.0003", "0.001", "0.003", "0.01");

    public override RunResult Run(Configuration c, Settings s, RunContext ctx)
    {
        int epochs = s.Int("epochs"), batch = s.Int("batch");
        var task = TaskOf(s);
        Rng data = ctx.Rng.Fork(2), shuffle = ctx.Rng.Fork(3);
        using var sine = task.Generate(data);
        // For --tune, the test windows of a second noise draw of the same sine: the notebook's test set stays unseen.
        using var validation = task.Generate(data);
        var train = sine.Train;                                 // batched on the host, each batch moved to the device
        using var test = sine.Test.CopyOn(ctx.Device);          // read whole by the model, on its device
        using var validationTest = validation.Test.CopyOn(ctx.Device);
        var model = new SequenceModel(c["model"], 1, s.Int("hidden"), 1, everyStep: false, ctx.Rng, ctx.Device, layers: s.Int("layers"));
        var adam = new Adam(model.NamedParameters(), lr: s.Double("lr"));
        var loss = new MseLoss();
        using var meter = new LossMeter(); // the batches' losses stay on the device until the epoch's sum is read

        var result = ctx.NewResult();
        var trainCurve = new double[epochs];
        var testCurve = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            ctx.ThrowIfCancelled();
            trainCurve[epoch] = model.TrainEpoch(loss, adam, train.Batches(batch, shuffle), ctx.Device, meter) / train.Count;
            model.Training = false;
            // The notebook averages batch losses weighted by batch size: the MSE over all test windows, computed here at once.
            testCurve[epoch] = loss.Forward(model.Forward(test.Inputs), test.Targets).Item();
            ctx.EpochDone(epoch + 1, epochs);
        }
        result.Curves["train_loss"] = trainCurve;
        result.Curves["test_loss"] = testCurve;
        result.Metrics["train_loss"] = trainCurve[^1];
        result.Metrics["val_mse"] = loss.Forward(model.Forward(validationTest.Inputs), validationTest.Targets).Item();
        Tensor prediction = model.Forward(test.Inputs);
        result.Metrics["test_mse"] = loss.Forward(prediction, test.Targets).Item();
        result.Series["test_prediction"] = prediction.ToArray<float>().Select(v => (double)v).ToArray();
        result.Series["test_target"] = test.Targets.ToArray<float>().Select(v => (double)v).ToArray();
        // Yardsticks: repeating the last value of the window, and the noise itself (what no model can predict).
        result.Metrics["test_mse_persistence"] = Persistence(test);
        result.Metrics["noise_mse"] = s.Double("noise") * s.Double("noise");

        // Why: ‖dL/dh_t‖ over the window for the trained model, on the whole training set (in training-size batches).
        result.Series["grad_norm_by_step"] = model.HiddenGradientNormsByStep(loss, train.Batches(batch), ctx.Device)[0];
        return result;
    }

    /// <summary>MSE of predicting each window's last value as the next one.</summary>
    private static double Persistence(SequenceBatch windows)
    {
        float[] x = windows.Inputs.ToArray<float>(), y = windows.Targets.ToArray<float>();
        int steps = windows.Steps;
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double e = y[i] - x[i * steps + steps - 1];
            sum += e * e;
        }
        return sum / y.Length;
    }

    public override IReadOnlyList<string> WriteFigures(ResultSet results, string directory) => SineFigures.Write(results, directory);
}
