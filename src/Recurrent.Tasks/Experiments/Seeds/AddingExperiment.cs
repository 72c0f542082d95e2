// The adding problem (Hochreiter & Schmidhuber 1997; Arjovsky, Shah & Bengio 2016): RNN vs LSTM vs GRU against the mean-prediction baseline.
using System.Globalization;
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tasks.Data;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Experiments;

/// <summary>
/// Not from a seed notebook: the classic long-memory benchmark DESIGN.md asks for. Each step is (value, marker); the
/// target, read from the final state h_n, is the sum of the two marked values (Arjovsky) or 0.5 + (X1 + X2)/4 with
/// variable lengths (Hochreiter, lengths honoured by the layer so h_n is each sequence's own last state). MSE, Adam,
/// gradient-norm clipping, fresh batches every step, a fixed test set scored after every epoch; predicting the mean
/// scores <c>BaselineMse</c> (1/6 for Arjovsky, 19/480 for Hochreiter), drawn dashed in the figure.
/// The papers train for 10⁴–10⁵ steps at T = 100…750 with hidden 128; the defaults here (T = 50, hidden 64, batch 50,
/// Adam 1e-3, clip 1, 20 epochs × 100 batches = 2000 steps) are sized to finish in about a minute on two cores, long
/// enough for the GRU and the LSTM to go well under the baseline while the vanilla RNN stays at it.
/// </summary>
public sealed class AddingExperiment : Experiment
{
    public override string Name => "adding";
    public override string Summary => "adding problem (Arjovsky 2016 / Hochreiter 1997): test MSE vs the mean baseline, RNN vs LSTM vs GRU; defaults T=50, hidden 64, 20×100 steps (≈1 min)";
    public override string Source => "Hochreiter & Schmidhuber 1997 (LSTM, adding problem); Arjovsky, Shah & Bengio 2016 (uRNN, adding problem)";
    public override (string Metric, bool HigherIsBetter) Headline => ("test_mse", false);
    public override (string Metric, bool HigherIsBetter) TuneMetric => ("val_mse", false);

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new("variant", ParameterKind.Text, "arjovsky", "arjovsky: values in [0,1), one marker per half, target the sum; hochreiter: the 1997 definition, variable length",
            Allowed: ["arjovsky", "hochreiter"]),
        new("seq-len", ParameterKind.Int, "50", "T, the sequence length (the shortest one for hochreiter; the papers: 100 and more)", 20, 100_000),
        new("hidden", ParameterKind.Int, "64", "hidden size (Arjovsky et al.'s LSTM: 128; 64 here keeps the default run near a minute)", 1, 4096),
        new("layers", ParameterKind.Int, "1", "recurrent layers", 1, 64),
        new("batch", ParameterKind.Int, "50", "batch size", 1, 65536),
        new("lr", ParameterKind.Double, "0.001", "Adam learning rate", 0, 10),
        new("clip", ParameterKind.Double, "1", "clip the gradient norm to this (0: off)", 0, 1e6),
        new("epochs", ParameterKind.Int, "20", "epochs", 1, 1_000_000),
        new("batches-per-epoch", ParameterKind.Int, "100", "fresh training batches per epoch", 1, 1_000_000),
        new("val-n", ParameterKind.Int, "500", "validation sequences (what --tune compares)", 1, 10_000_000),
        new("test-n", ParameterKind.Int, "1000", "test sequences, scored after every epoch", 1, 10_000_000),
        new("models", ParameterKind.TextList, "rnn,lstm,gru", "models to compare", Allowed: ["rnn", "lstm", "gru"]),
    ];

    public override IReadOnlyList<Configuration> Configurations(Settings s) =>
        s.TextList("models").Select(m => Configuration.Of(("model", m))).ToList();

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TuneGrid(Settings s) => LearningRateAndEpochs(s, epochFactor: 3, "0.0003", "0.001", "0.003", "0.01");

    /// <summary>The generator the settings name.</summary>
    public static (ISequenceTask Task, double Baseline, bool Hochreiter) TaskFor(Settings s) => s.Text("variant") switch
    {
        "hochreiter" => (new HochreiterAddingProblem(s.Int("seq-len")), new HochreiterAddingProblem(s.Int("seq-len")).BaselineMse, true),
        _ => (new ArjovskyAddingProblem(s.Int("seq-len")), new ArjovskyAddingProblem(s.Int("seq-len")).BaselineMse, false),
    };

    public override RunResult Run(Configuration c, Settings s, RunContext ctx)
    {
        var (task, baseline, hochreiter) = TaskFor(s);
        int epochs = s.Int("epochs"), perEpoch = s.Int("batches-per-epoch"), batch = s.Int("batch");
        double clip = s.Double("clip");
        Rng data = ctx.Rng.Fork(2);
        // Fixed sets, scored in training-sized batches (one batch of 1000 would make the layer allocate buffers for B = 1000).
        var validation = Batched(task.Sample(s.Int("val-n"), ctx.Rng.Fork(4)), batch).On(ctx.Device).ToList();
        var test = Batched(task.Sample(s.Int("test-n"), ctx.Rng.Fork(5)), batch).On(ctx.Device).ToList();
        var model = new FinalStateRegressor(c["model"], 2, s.Int("hidden"), 1, ctx.Rng, ctx.Device, s.Int("layers"));
        var parameters = model.NamedParameters().ToList();
        var adam = new Adam(parameters, lr: s.Double("lr"));
        var loss = new MseLoss();
        using var meter = new LossMeter(); // the batches' losses stay on the device until the epoch's sum is read
        using var clipper = clip > 0 ? new GradNormClipper(parameters.Select(p => p.Parameter), clip) : null;
        var result = ctx.NewResult();
        var trainCurve = new double[epochs];
        var testCurve = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            ctx.ThrowIfCancelled();
            meter.Reset();
            for (int i = 0; i < perEpoch; i++)
            {
                using var b = task.Sample(batch, data).On(ctx.Device);
                model.ZeroGrad();
                meter.Add(loss.Forward(model.Forward(b.Inputs, b.Lengths), b.Targets));
                model.Backward(loss.Backward());
                clipper?.Clip();
                adam.Step();
            }
            trainCurve[epoch] = meter.Sum / perEpoch;
            testCurve[epoch] = Evaluate(model, loss, test);
            ctx.EpochDone(epoch + 1, epochs);
        }
        result.Curves["train_mse"] = trainCurve;
        result.Curves["test_mse"] = testCurve;
        result.Metrics["test_mse"] = testCurve[^1];
        result.Metrics["best_test_mse"] = testCurve.Min();
        result.Metrics["train_mse"] = trainCurve[^1];
        result.Metrics["baseline_mse"] = baseline;
        result.Metrics["mse_over_baseline"] = testCurve[^1] / baseline;
        result.Metrics["val_mse"] = Evaluate(model, loss, validation);
        if (hochreiter)
        {
            // The 1997 paper's criterion: a sequence is solved when |prediction − target| < 0.04.
            int solved = 0, total = 0;
            foreach (var b in test)
            {
                float[] p = model.Forward(b.Inputs, b.Lengths).ToArray<float>(), y = b.Targets.ToArray<float>();
                solved += p.Zip(y).Count(v => Math.Abs(v.First - v.Second) < HochreiterAddingProblem.Tolerance);
                total += p.Length;
            }
            result.Metrics["solved_fraction"] = (double)solved / total;
        }

        // Why: ‖dL/dh_t‖ of the trained model over one batch, by steps back from h_n (the only output read).
        model.Recurrent.Instruments.RecordGradientNorms = true;
        using (var b = task.Sample(batch, data).On(ctx.Device))
        {
            model.ZeroGrad();
            loss.Forward(model.Forward(b.Inputs, b.Lengths), b.Targets);
            model.Backward(loss.Backward());
        }
        result.Series["grad_norm_by_step"] = model.Recurrent.Instruments.GradientNorms[^1].HiddenNorms;
        model.Recurrent.Instruments.RecordGradientNorms = false;
        foreach (var b in validation.Concat(test)) b.Dispose();
        return result;
    }

    /// <summary>The examples cut into batches of <paramref name="batch"/> (the last one smaller); the whole set is disposed.</summary>
    internal static List<SequenceBatch> Batched(SequenceBatch all, int batch)
    {
        using (all)
        {
            var list = new List<SequenceBatch>();
            for (int start = 0; start < all.Count; start += batch) list.Add(all.Slice(start, Math.Min(batch, all.Count - start)));
            return list;
        }
    }

    /// <summary>Mean squared error over every example of the batches (each batch's mean weighted by its size).</summary>
    private static double Evaluate(FinalStateRegressor model, MseLoss loss, List<SequenceBatch> batches)
    {
        double sum = 0;
        int count = 0;
        foreach (var b in batches)
        {
            sum += loss.Forward(model.Forward(b.Inputs, b.Lengths), b.Targets).Item() * b.Count;
            count += b.Count;
        }
        return sum / count;
    }

    public override IReadOnlyList<string> WriteFigures(ResultSet results, string directory) => AddingFigures.Write(results, directory);
}

/// <summary>
/// A recurrent layer whose final state h_n (of the top layer; each sequence's own last step when lengths are given) feeds a
/// Linear head: [B, T, I] → [B, O]. Backward sends the head's gradient in through dh_n.
/// </summary>
internal sealed class FinalStateRegressor
{
    private Tensor? _dhN;

    public FinalStateRegressor(string model, int inputSize, int hiddenSize, int outputSize, Rng rng, Device device, int layers)
    {
        var options = new RecurrentOptions { BatchFirst = true, NumLayers = layers };
        Rng init = rng.Fork(1);
        Recurrent = model switch
        {
            "rnn" => new Rnn(inputSize, hiddenSize, options, init, device),
            "lstm" => new Lstm(inputSize, hiddenSize, options, init, device),
            "gru" => new Gru(inputSize, hiddenSize, options, init, device),
            _ => throw new ArgumentException($"model must be rnn, lstm or gru; got '{model}'", nameof(model)),
        };
        Head = new Linear(hiddenSize, outputSize, true, init, device);
        Model = model;
    }

    public string Model { get; }
    public RecurrentLayer Recurrent { get; }
    public Linear Head { get; }

    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters() =>
        Recurrent.NamedParameters().Select(p => ($"{Model}.{p.Name}", p.Parameter))
            .Concat(Head.NamedParameters().Select(p => ($"fc.{p.Name}", p.Parameter)));

    /// <summary>x: [B, T, I] → [B, O] (the head's buffer).</summary>
    public Tensor Forward(Tensor x, int[]? lengths)
    {
        var r = Recurrent.Forward(x, lengths: lengths);
        if (_dhN is null || !_dhN.SameShape(r.HN)) _dhN = Tensor.ZerosLike(r.HN);
        return Head.Forward(r.HN[Recurrent.NumLayers - 1]); // HN is the layer's buffer: it stays until the next Forward
    }

    public void Backward(Tensor dPrediction)
    {
        if (_dhN is null) throw new InvalidOperationException("Backward needs a Forward first");
        Tensor dh = Head.Backward(dPrediction); // [B, H]
        var device = _dhN.Device;
        device.Fill(_dhN, 0);
        device.Copy(dh, _dhN[Recurrent.NumLayers - 1]);
        Recurrent.Backward(null, _dhN, inputGradient: false); // only h_n is read: no step's output has a gradient
    }

    public void ZeroGrad()
    {
        Recurrent.ZeroGrad();
        Head.ZeroGrad();
    }
}
