// Seed 004 §4, "Bidirectional RNN for palindrome classification": is a 7-digit sequence a palindrome? Uni- vs bidirectional.
using System.Globalization;
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tasks.Data;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Experiments;

/// <summary>
/// The notebook: PalindromeDataset(3000, seq_len=7) to train and (1000) to test, batch 64 (train shuffled);
/// UniRNNClassifier / BiRNNClassifier: Embedding(10, 8) → nn.RNN(8, 16, batch_first, bidirectional) → Linear(16·D, 1)
/// on out[:, -1, :] → sigmoid; BCELoss, train_palindrome(epochs=15, lr=1e-2) with Adam; per epoch the train accuracy
/// (over the batches as they were trained) and the test accuracy; the figure is the test accuracy of both.
/// Note what out[:, -1, :] is for the bidirectional net: the forward direction after the whole sequence, but the
/// backward direction after only the last token (it runs from the end). The notebook's comment calls it "concat of
/// forward/backward hidden states"; it is not h_n. We do what the notebook does (--bi-head last) and offer
/// --bi-head final: the forward direction's last output beside the backward direction's output at t = 0 (PyTorch's h_n).
/// </summary>
public sealed class PalindromeExperiment : Experiment
{
    public override string Name => "palindrome";
    public override string Summary => "palindrome classification: unidirectional vs bidirectional RNN, test accuracy";
    public override string Source => "seeds/004 §4 Bidirectional RNN for Palindrome Classification";
    public override (string Metric, bool HigherIsBetter) Headline => ("test_accuracy", true);
    public override (string Metric, bool HigherIsBetter) TuneMetric => ("val_loss", false);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new("n", ParameterKind.Int, I(PalindromeTask.NotebookTrainCount), "training sequences (train_ds_p n_samples)", 1, 10_000_000),
        new("test-n", ParameterKind.Int, I(PalindromeTask.NotebookTestCount), "test sequences (test_ds_p n_samples); also the validation size", 1, 10_000_000),
        new("seq-len", ParameterKind.Int, I(PalindromeTask.NotebookSeqLen), "sequence length (seq_len_pal)", 2, 100_000),
        new("vocab", ParameterKind.Int, "10", "digits (vocab_size)", 2, 1_000_000),
        new("embed", ParameterKind.Int, "8", "embedding size (embed_dim)", 1, 4096),
        new("hidden", ParameterKind.Int, "16", "hidden size (hidden_dim)", 1, 4096),
        new("layers", ParameterKind.Int, "1", "recurrent layers", 1, 64),
        new("batch", ParameterKind.Int, I(PalindromeTask.NotebookBatchSize), "batch size", 1, 65536),
        new("lr", ParameterKind.Double, "0.01", "Adam learning rate (train_palindrome lr)", 0, 10),
        new("epochs", ParameterKind.Int, "15", "epochs (train_palindrome epochs)", 1, 1_000_000),
        new("models", ParameterKind.TextList, "rnn", "recurrent cells (the notebook: nn.RNN)", Allowed: ["rnn", "lstm", "gru"]),
        new("directions", ParameterKind.TextList, "uni,bi", "uni- and/or bidirectional", Allowed: ["uni", "bi"]),
        new("bi-head", ParameterKind.Text, "last", "what the bidirectional head reads: last = out[:, -1, :] (the notebook), final = h_n of both directions",
            Allowed: ["last", "final"]),
    ];

    public override IReadOnlyList<Configuration> Configurations(Settings s) =>
        s.TextList("models").SelectMany(m => s.TextList("directions").Select(d => Configuration.Of(("model", m), ("direction", d)))).ToList();

    /// <summary>The cell's weight × directions: bidirectional runs start first.</summary>
    public override double Cost(Configuration c, Settings s) => (c["direction"] == "bi" ? 2 : 1) * base.Cost(c, s);

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TuneGrid(Settings s) => LearningRateAndEpochs(s, epochFactor: 3, "0.001", "0.003", "0.01", "0.03");

    public override RunResult Run(Configuration c, Settings s, RunContext ctx)
    {
        int epochs = s.Int("epochs"), batch = s.Int("batch");
        Rng data = ctx.Rng.Fork(2), shuffle = ctx.Rng.Fork(3);
        var task = new PalindromeTask(s.Int("n"), s.Int("seq-len"), s.Int("vocab"));
        using var train = task.Generate(data);              // the notebook draws the training set, then the test set
        using var test = task.Sample(s.Int("test-n"), data).On(ctx.Device);
        using var validation = task.Sample(s.Int("test-n"), data).On(ctx.Device);
        bool bi = c["direction"] == "bi";
        var model = new PalindromeClassifier(c["model"], s.Int("vocab"), s.Int("embed"), s.Int("hidden"), s.Int("layers"), bi,
            finalStates: bi && s.Text("bi-head") == "final", ctx.Rng, ctx.Device);
        var adam = new Adam(model.NamedParameters(), lr: s.Double("lr"));
        var loss = new BceWithLogitsLoss();
        var result = ctx.NewResult();

        var trainLoss = new double[epochs];
        var trainAccuracy = new double[epochs];
        var testAccuracy = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            ctx.ThrowIfCancelled();
            model.Training = true;
            double running = 0;
            long correct = 0;
            foreach (var b in train.Batches(batch, shuffle).On(ctx.Device))
                using (b)
                {
                    model.ZeroGrad();
                    Tensor logits = model.Forward(b.Inputs);
                    correct += Correct(logits, b.Targets);   // the notebook counts before the step, as it trains
                    running += loss.Forward(logits, b.Targets).Item() * b.Count;
                    model.Backward(loss.Backward());
                    adam.Step();
                }
            trainLoss[epoch] = running / train.Count;
            trainAccuracy[epoch] = (double)correct / train.Count;
            model.Training = false;
            testAccuracy[epoch] = (double)Correct(model.Forward(test.Inputs), test.Targets) / test.Count;
            ctx.EpochDone(epoch + 1, epochs);
        }
        result.Curves["train_loss"] = trainLoss;
        result.Curves["train_accuracy"] = trainAccuracy;
        result.Curves["test_accuracy"] = testAccuracy;
        result.Metrics["train_accuracy"] = trainAccuracy[^1];
        result.Metrics["test_accuracy"] = testAccuracy[^1];
        result.Metrics["best_test_accuracy"] = testAccuracy.Max();
        Tensor valLogits = model.Forward(validation.Inputs);
        result.Metrics["val_accuracy"] = (double)Correct(valLogits, validation.Targets) / validation.Count;
        result.Metrics["val_loss"] = loss.Forward(valLogits, validation.Targets).Item();
        result.Metrics["test_positive_fraction"] = test.Targets.ToArray<float>().Average(v => (double)v); // the majority-class baseline

        // Why: ‖dL/dh_t‖ per direction of the first layer, after training, over the training set.
        model.Training = true;
        model.Recurrent.Instruments.RecordGradientNorms = true;
        model.ZeroGrad();
        using var trainOnDevice = train.CopyOn(ctx.Device);
        loss.Forward(model.Forward(trainOnDevice.Inputs), trainOnDevice.Targets);
        model.Backward(loss.Backward());
        var norms = model.Recurrent.Instruments.GradientNorms;
        result.Series["grad_norm_by_step"] = norms[0].HiddenNorms;
        if (bi) result.Series["grad_norm_by_step_reverse"] = norms[1].HiddenNorms;
        model.Recurrent.Instruments.RecordGradientNorms = false;
        return result;
    }

    private static long Correct(Tensor logits, Tensor targets)
    {
        float[] p = logits.ToArray<float>(), y = targets.ToArray<float>();
        long correct = 0;
        for (int i = 0; i < p.Length; i++) if ((p[i] > 0 ? 1f : 0f) == y[i]) correct++;
        return correct;
    }

    public override IReadOnlyList<string> WriteFigures(ResultSet results, string directory) => PalindromeFigures.Write(results, directory);
}

/// <summary>
/// UniRNNClassifier / BiRNNClassifier: Embedding → recurrent layer (batch-first) → Linear(D·H, 1) on one step's output
/// → a logit (the sigmoid lives in the loss). Backward runs Linear → recurrent layer → Embedding.
/// </summary>
public sealed class PalindromeClassifier
{
    private readonly bool _finalStates;
    private Tensor? _output;   // [B, T, D·H] the layer's output of the last Forward
    private Tensor? _read;     // [B, D·H] what the head reads
    private Tensor? _dOutput;  // [B, T, D·H]

    public PalindromeClassifier(string cell, int vocab, int embed, int hidden, int layers, bool bidirectional, bool finalStates, Rng rng, Device device)
    {
        // One init stream in the order PyTorch builds the modules: embed, rnn, fc.
        Rng init = rng.Fork(1);
        Embed = new Embedding(vocab, embed, rng: init, device: device);
        var options = new RecurrentOptions { BatchFirst = true, NumLayers = layers, Bidirectional = bidirectional };
        Recurrent = cell switch
        {
            "rnn" => new Rnn(embed, hidden, options, init, device),
            "lstm" => new Lstm(embed, hidden, options, init, device),
            "gru" => new Gru(embed, hidden, options, init, device),
            _ => throw new ArgumentException($"cell must be rnn, lstm or gru; got '{cell}'", nameof(cell)),
        };
        Head = new Linear(Recurrent.Directions * hidden, 1, true, init, device);
        Cell = cell;
        _finalStates = finalStates && bidirectional;
    }

    public string Cell { get; }
    public Embedding Embed { get; }
    public RecurrentLayer Recurrent { get; }
    public Linear Head { get; }

    public bool Training
    {
        get => Recurrent.Training;
        set => Recurrent.Training = value;
    }

    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters() =>
        Embed.NamedParameters().Select(p => ($"embed.{p.Name}", p.Parameter))
            .Concat(Recurrent.NamedParameters().Select(p => ($"{Cell}.{p.Name}", p.Parameter)))
            .Concat(Head.NamedParameters().Select(p => ($"fc.{p.Name}", p.Parameter)));

    public void ZeroGrad()
    {
        Embed.ZeroGrad();
        Recurrent.ZeroGrad();
        Head.ZeroGrad();
    }

    /// <summary>tokens: int32 [B, T] → logits [B, 1] (the head's buffer).</summary>
    public Tensor Forward(Tensor tokens)
    {
        Tensor output = Recurrent.Forward(Embed.Forward(tokens)).Output; // [B, T, D·H]
        _output = output;
        int batch = output.Dim(0), steps = output.Dim(1), features = output.Dim(2), h = features / Recurrent.Directions;
        if (_read is null || _read.Dim(0) != batch) _read = Tensor.Zeros([batch, features], output.DType, output.Device);
        var device = output.Device;
        for (int b = 0; b < batch; b++)
        {
            if (_finalStates)
            {
                device.Copy(output[b][steps - 1].Narrow(0, h), _read[b].Narrow(0, h)); // forward direction after the whole sequence
                device.Copy(output[b][0].Narrow(h, h), _read[b].Narrow(h, h));         // backward direction after the whole sequence
            }
            else device.Copy(output[b][steps - 1], _read[b]);                          // out[:, -1, :]
        }
        return Head.Forward(_read);
    }

    /// <summary>d(loss)/d(logits) → every parameter's gradient, the embedding's included.</summary>
    public void Backward(Tensor dLogits)
    {
        Tensor output = _output ?? throw new InvalidOperationException("Backward needs a Forward first");
        Tensor dRead = Head.Backward(dLogits);
        if (_dOutput is null || !_dOutput.SameShape(output)) _dOutput = Tensor.ZerosLike(output);
        var device = output.Device;
        device.Fill(_dOutput, 0);
        int batch = output.Dim(0), steps = output.Dim(1), h = output.Dim(2) / Recurrent.Directions;
        for (int b = 0; b < batch; b++)
        {
            if (_finalStates)
            {
                device.Copy(dRead[b].Narrow(0, h), _dOutput[b][steps - 1].Narrow(0, h));
                device.Copy(dRead[b].Narrow(h, h), _dOutput[b][0].Narrow(h, h));
            }
            else device.Copy(dRead[b], _dOutput[b][steps - 1]);
        }
        Embed.Backward(Recurrent.Backward(_dOutput).DInput!);
    }
}
