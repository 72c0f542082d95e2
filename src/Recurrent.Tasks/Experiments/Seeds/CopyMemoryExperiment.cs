// The copy-memory task (Arjovsky, Shah & Bengio 2016): reproduce ten symbols after T blanks; cross-entropy vs the memoryless baseline.
using System.Globalization;
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Experiments;

/// <summary>
/// Not from a seed notebook: the long-memory benchmark DESIGN.md asks for. Input (length T + 20, one-hot over 10 classes):
/// ten symbols from 8, T − 1 blanks, the delimiter, ten blanks; target: T + 10 blanks, then the ten symbols. A recurrent
/// layer and a Linear head on every step, cross-entropy averaged over all T + 20 steps (as the paper reports it), Adam,
/// gradient-norm clipping, fresh batches every step, a fixed test set scored after every epoch. A model that remembers
/// nothing scores 10·ln 8/(T + 20) (the dashed baseline); copy_accuracy is the share of the ten recalled symbols that the
/// argmax gets right (1/8 by chance). The paper runs T = 100…500 for 10⁴+ steps with hidden 128; the defaults (T = 20,
/// hidden 64, batch 50, Adam 1e-2, clip 1, 20 epochs × 100 batches = 2000 steps) are sized to run in about a minute on
/// two cores: enough for the LSTM to leave the baseline (the vanilla RNN stays on it), not to solve the task.
/// </summary>
public sealed class CopyMemoryExperiment : Experiment
{
    public override string Name => "copy-memory";
    public override string Summary => "copy-memory task (Arjovsky 2016): loss vs the memoryless baseline 10·ln8/(T+20), RNN vs LSTM; defaults T=20, hidden 64, Adam 1e-2, 20×100 steps (≈1 min)";
    public override string Source => "Arjovsky, Shah & Bengio 2016 (uRNN), copying memory problem";
    public override (string Metric, bool HigherIsBetter) Headline => ("test_loss", false);
    public override (string Metric, bool HigherIsBetter) TuneMetric => ("val_loss", false);

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new("delay", ParameterKind.Int, "20", "T: blanks and delimiter between the symbols and their recall (sequence length T + 20)", 1, 100_000),
        new("hidden", ParameterKind.Int, "64", "hidden size (the paper's LSTM: 128; 64 here keeps the default run near a minute)", 1, 4096),
        new("layers", ParameterKind.Int, "1", "recurrent layers", 1, 64),
        new("batch", ParameterKind.Int, "50", "batch size", 1, 65536),
        new("lr", ParameterKind.Double, "0.01", "Adam learning rate (1e-3 barely leaves the baseline in 2000 steps)", 0, 10),
        new("clip", ParameterKind.Double, "1", "clip the gradient norm to this (0: off)", 0, 1e6),
        new("epochs", ParameterKind.Int, "20", "epochs", 1, 1_000_000),
        new("batches-per-epoch", ParameterKind.Int, "100", "fresh training batches per epoch", 1, 1_000_000),
        new("val-n", ParameterKind.Int, "500", "validation sequences (what --tune compares)", 1, 10_000_000),
        new("test-n", ParameterKind.Int, "500", "test sequences, scored after every epoch", 1, 10_000_000),
        new("models", ParameterKind.TextList, "rnn,lstm", "models to compare", Allowed: ["rnn", "lstm", "gru"]),
    ];

    public override IReadOnlyList<Configuration> Configurations(Settings s) =>
        s.TextList("models").Select(m => Configuration.Of(("model", m))).ToList();

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TuneGrid(Settings s) => LearningRateAndEpochs(s, epochFactor: 3);

    public override RunResult Run(Configuration c, Settings s, RunContext ctx)
    {
        var task = new CopyMemoryTask(s.Int("delay"));
        int epochs = s.Int("epochs"), perEpoch = s.Int("batches-per-epoch"), batch = s.Int("batch");
        double clip = s.Double("clip");
        Rng data = ctx.Rng.Fork(2);
        var validation = AddingExperiment.Batched(task.Sample(s.Int("val-n"), ctx.Rng.Fork(4)), batch).On(ctx.Device).ToList();
        var test = AddingExperiment.Batched(task.Sample(s.Int("test-n"), ctx.Rng.Fork(5)), batch).On(ctx.Device).ToList();
        var model = new SequenceModel(c["model"], CopyMemoryTask.Classes, s.Int("hidden"), CopyMemoryTask.Classes, everyStep: true, ctx.Rng, ctx.Device,
            layers: s.Int("layers"));
        var parameters = model.NamedParameters().ToList();
        var adam = new Adam(parameters, lr: s.Double("lr"));
        var loss = new CrossEntropyLoss();
        using var meter = new LossMeter(); // the batches' losses stay on the device until the epoch's sum is read
        using var clipper = clip > 0 ? new GradNormClipper(parameters.Select(p => p.Parameter), clip) : null;
        var result = ctx.NewResult();
        var trainCurve = new double[epochs];
        var testCurve = new double[epochs];
        var accuracyCurve = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            ctx.ThrowIfCancelled();
            model.Training = true;
            meter.Reset();
            for (int i = 0; i < perEpoch; i++)
            {
                using var b = task.Sample(batch, data).On(ctx.Device);
                model.ZeroGrad();
                meter.Add(loss.Forward(model.Forward(b.Inputs), b.Targets));
                model.Backward(loss.Backward());
                clipper?.Clip();
                adam.Step();
            }
            trainCurve[epoch] = meter.Sum / perEpoch;
            (testCurve[epoch], accuracyCurve[epoch]) = Evaluate(model, loss, test);
            ctx.EpochDone(epoch + 1, epochs);
        }
        result.Curves["train_loss"] = trainCurve;
        result.Curves["test_loss"] = testCurve;
        result.Curves["copy_accuracy"] = accuracyCurve;
        result.Metrics["test_loss"] = testCurve[^1];
        result.Metrics["best_test_loss"] = testCurve.Min();
        result.Metrics["train_loss"] = trainCurve[^1];
        result.Metrics["copy_accuracy"] = accuracyCurve[^1];
        result.Metrics["baseline_loss"] = task.MemorylessBaselineLoss;
        result.Metrics["loss_over_baseline"] = testCurve[^1] / task.MemorylessBaselineLoss;
        result.Metrics["val_loss"] = Evaluate(model, loss, validation).Loss;

        // Why: ‖dL/dh_t‖ of the trained model over one batch; the recall steps are the last ten, the symbols the first ten.
        model.Training = true;
        model.Recurrent.Instruments.RecordGradientNorms = true;
        using (var b = task.Sample(batch, data).On(ctx.Device))
        {
            model.ZeroGrad();
            loss.Forward(model.Forward(b.Inputs), b.Targets);
            model.Backward(loss.Backward());
        }
        result.Series["grad_norm_by_step"] = model.Recurrent.Instruments.GradientNorms[^1].HiddenNorms;
        model.Recurrent.Instruments.RecordGradientNorms = false;
        foreach (var b in validation.Concat(test)) b.Dispose();
        return result;
    }

    /// <summary>Mean cross-entropy per step over every example, and the argmax accuracy on the ten recall steps.</summary>
    private static (double Loss, double Accuracy) Evaluate(SequenceModel model, CrossEntropyLoss loss, List<SequenceBatch> batches)
    {
        model.Training = false;
        double sum = 0;
        long correct = 0, total = 0;
        int count = 0;
        foreach (var b in batches)
        {
            Tensor logits = model.Forward(b.Inputs);
            sum += loss.Forward(logits, b.Targets).Item() * b.Count;
            count += b.Count;
            float[] z = logits.ToArray<float>();
            int[] y = b.Targets.ToArray<int>();
            int steps = b.Steps, classes = CopyMemoryTask.Classes;
            for (int e = 0; e < b.Count; e++)
                for (int t = steps - CopyMemoryTask.CopyLength; t < steps; t++)
                {
                    int row = (e * steps + t) * classes, best = 0;
                    for (int k = 1; k < classes; k++) if (z[row + k] > z[row + best]) best = k;
                    if (best == y[e * steps + t]) correct++;
                    total++;
                }
        }
        model.Training = true;
        return (sum / count, (double)correct / total);
    }

    public override IReadOnlyList<string> WriteFigures(ResultSet results, string directory) => CopyMemoryFigures.Write(results, directory);
}
