// Seeds 002 and 004 §1: a character-level language model on a text, RNN vs LSTM: training time, loss, bits per character, samples.
using System.Diagnostics;
using System.Globalization;
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Data.Corpus;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Experiments;

/// <summary>
/// Seed 004 §1: the nursery rhyme as 73 next-character windows of 40 (CharDataset, stride 1), shuffled batches of 32,
/// CharLSTM = Embedding(vocab, 32) → LSTM(64) → Linear(vocab), cross-entropy, Adam lr 1e-3, 20 epochs
/// (train_char_model; the epoch loss is the mean over windows, Σ loss·batch / len(dataset)), then generate_text(start_text=
/// "Twinkle, ", length=200). Seed 002 asks for the comparison: simple RNN vs LSTM on training time, loss and the quality
/// of the generated text. We add bits per character (loss / ln 2) and GRU on request. The samples are kept as symbol
/// indices (Series "sample_indices", with the vocabulary's code points in "vocabulary") and decoded by WriteFigures
/// into samples.txt. train_seconds is wall time, so it is the one metric that differs between identical runs.
/// </summary>
public sealed class CharLstmExperiment : Experiment
{
    /// <summary>The --text value that means seed 004's rhyme.</summary>
    public const string BuiltInText = "nursery-rhyme";

    public override string Name => "char-lstm";
    public override string Summary => "character-level model on a text (nursery rhyme): RNN vs LSTM time, loss, bits per char, samples";
    public override string Source => "seeds/002 LSTM RNN Training; seeds/004 §1 Sequence Generation (Toy Character-Level RNN)";
    public override (string Metric, bool HigherIsBetter) Headline => ("bpc", false);

    /// <summary>The notebook holds no text out, so tuning picks the lowest final training loss (with --val-fraction, the validation loss would be the honest choice).</summary>
    public override (string Metric, bool HigherIsBetter) TuneMetric => ("final_loss", false);

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new("text", ParameterKind.Text, BuiltInText, $"a UTF-8 text file to model, or '{BuiltInText}' for seed 004's rhyme (text = ...)"),
        new("seq-len", ParameterKind.Int, "40", "window length (seq_len = 40)", 1, 100_000),
        new("batch", ParameterKind.Int, "32", "batch size (batch_size = 32)", 1, 65536),
        new("embed", ParameterKind.Int, "32", "embedding size (CharLSTM embed_dim=32)", 1, 4096),
        new("hidden", ParameterKind.Int, "64", "hidden size (CharLSTM hidden_dim=64)", 1, 4096),
        new("layers", ParameterKind.Int, "1", "recurrent layers (CharLSTM num_layers=1)", 1, 64),
        new("lr", ParameterKind.Double, "0.001", "Adam learning rate (torch.optim.Adam(..., lr=1e-3))", 0, 10),
        new("epochs", ParameterKind.Int, "20", "epochs (train_char_model(..., epochs=20))", 1, 1_000_000),
        new("clip", ParameterKind.Double, "0", "clip the gradient norm to this (0: off, as the notebook)", 0, 1e6),
        new("val-fraction", ParameterKind.Double, "0", "share of the text at its end held out for validation (the notebook: none)", 0, 0.9),
        new("models", ParameterKind.TextList, "rnn,lstm", "models to compare (seed 002: simple RNN vs LSTM)", Allowed: ["rnn", "lstm", "gru"]),
        new("prime", ParameterKind.Text, CharTextTask.NotebookPrompt, "start text of the sample (generate_text start_text=\"Twinkle, \")"),
        new("sample-length", ParameterKind.Int, "200", "characters to generate (generate_text length=200)", 0, 1_000_000),
        new("temperature", ParameterKind.Double, "1", "softmax temperature of the sampling (the notebook: plain softmax, 1; 0 = argmax)", 0, 100),
        new("warm-up", ParameterKind.Bool, "false", "read the whole prime before sampling (the notebook feeds only its last character to a fresh state)"),
    ];

    public override IReadOnlyList<Configuration> Configurations(Settings s) =>
        s.TextList("models").Select(m => Configuration.Of(("model", m))).ToList();

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TuneGrid(Settings s) => LearningRateAndEpochs(s, epochFactor: 3);

    /// <summary>The task the settings describe: the built-in rhyme or the file, cut into windows.</summary>
    public static CharTextTask LoadTask(Settings s)
    {
        string text = s.Text("text");
        double validation = s.Double("val-fraction");
        try
        {
            return text == BuiltInText
                ? new CharTextTask(BuiltInCorpus.NurseryRhyme, s.Int("seq-len"), validation)
                : CharTextTask.FromFile(text, s.Int("seq-len"), validation);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ParameterException($"--text {text}: {e.Message}");
        }
    }

    public override RunResult Run(Configuration c, Settings s, RunContext ctx)
    {
        var task = LoadTask(s);
        var vocabulary = task.Vocabulary;
        int[] prime;
        try { prime = vocabulary.Encode(s.Text("prime")); }
        catch (ArgumentException e) { throw new ParameterException($"--prime: {e.Message}"); }
        if (prime.Length == 0) throw new ParameterException("--prime must have at least one character");

        int epochs = s.Int("epochs"), batch = s.Int("batch");
        double clip = s.Double("clip");
        Rng shuffle = ctx.Rng.Fork(2), sampling = ctx.Rng.Fork(3);
        var model = new CharModel(c["model"], task.VocabSize, s.Int("embed"), s.Int("hidden"), ctx.Rng, ctx.Device, s.Int("layers"));
        var parameters = model.NamedParameters().ToList();
        var adam = new Adam(parameters, lr: s.Double("lr"));
        var loss = new CrossEntropyLoss();
        using var meter = new LossMeter(); // the batches' losses stay on the device until the epoch's sum is read
        using var clipper = clip > 0 ? new GradNormClipper(parameters.Select(p => p.Parameter), clip) : null;
        var result = ctx.NewResult();
        var curve = new double[epochs];
        var validationCurve = new List<double>();
        bool hasValidation = task.Validation.Count > 0;

        var watch = Stopwatch.StartNew();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            ctx.ThrowIfCancelled();
            model.Training = true;
            meter.Reset();
            foreach (var b in task.TrainBatches(shuffle, batch).On(ctx.Device))
            {
                using (b)
                {
                    model.ZeroGrad();
                    meter.Add(loss.Forward(model.Forward(b.Inputs), b.Targets), b.Count); // loss.item() * xb.size(0)
                    model.Backward(loss.Backward());
                    clipper?.Clip();
                    adam.Step();
                }
            }
            curve[epoch] = meter.Sum / task.Train.Count;                                           // / len(loader.dataset)
            if (hasValidation) validationCurve.Add(Evaluate(model, loss, task.Validation, batch));
            ctx.EpochDone(epoch + 1, epochs);
        }
        double seconds = watch.Elapsed.TotalSeconds;

        result.Curves["loss"] = curve;
        result.Curves["bpc"] = curve.Select(v => v / Math.Log(2)).ToArray();
        result.Metrics["final_loss"] = curve[^1];
        result.Metrics["bpc"] = curve[^1] / Math.Log(2);
        result.Metrics["train_seconds"] = seconds;
        result.Metrics["seconds_per_epoch"] = seconds / epochs;
        result.Metrics["parameters"] = parameters.Sum(p => p.Parameter.Value.Length);
        result.Metrics["vocab_size"] = task.VocabSize;
        if (hasValidation)
        {
            result.Curves["val_loss"] = validationCurve.ToArray();
            result.Metrics["val_loss"] = validationCurve[^1];
            result.Metrics["val_bpc"] = validationCurve[^1] / Math.Log(2);
        }

        // The notebook's generate_text, kept as indices; WriteFigures decodes them with the vocabulary stored beside them.
        int[] sample = model.Sample(prime, s.Int("sample-length"), s.Double("temperature"), sampling, s.Bool("warm-up"));
        result.Series["sample_indices"] = sample.Select(i => (double)i).ToArray();
        result.Series["vocabulary"] = vocabulary.Symbols.Select(r => (double)r.Value).ToArray();

        // Why: ‖dL/dh_t‖ of the trained model by time step, over one shuffled training batch (every step is scored).
        model.Training = true;
        model.Recurrent.Instruments.RecordGradientNorms = true;
        using (var b = task.TrainBatches(shuffle, batch).On(ctx.Device).First())
        {
            model.ZeroGrad();
            loss.Forward(model.Forward(b.Inputs), b.Targets);
            model.Backward(loss.Backward());
        }
        result.Series["grad_norm_by_step"] = model.Recurrent.Instruments.GradientNorms[0].HiddenNorms;
        model.Recurrent.Instruments.RecordGradientNorms = false;
        return result;
    }

    /// <summary>Mean cross-entropy per window over a dataset, in batches (no gradients).</summary>
    private static double Evaluate(CharModel model, CrossEntropyLoss loss, ISequenceDataset data, int batch)
    {
        model.Training = false;
        using var sum = new LossMeter();
        foreach (var b in data.Batches(batch).On(model.Recurrent.Device))
            using (b) sum.Add(loss.Forward(model.Forward(b.Inputs), b.Targets), b.Count);
        model.Training = true;
        return sum.Sum / data.Count;
    }

    public override IReadOnlyList<string> WriteFigures(ResultSet results, string directory) => CharLstmFigures.Write(results, directory);
}
