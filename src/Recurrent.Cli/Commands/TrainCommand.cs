// `recurrent train`: a character-level language model on any UTF-8 text, with validation, the best checkpoint and resumable state.
using System.CommandLine;
using System.Globalization;
using System.Text;
using Recurrent.Cli.Training;
using Recurrent.Nn.Checkpoints;
using Recurrent.Tasks.Data;
using Recurrent.Tensors;

namespace Recurrent.Cli.Commands;

public static class TrainCommand
{
    private const string Help =
        "Train a character-level language model (Embedding → RNN/LSTM/GRU → Linear, cross-entropy on every step, Adam) on a UTF-8 text.\n\n" +
        "The text's last --val-fraction is held out; each epoch reports loss and bits per character (bpc = loss / ln 2) on both parts.\n" +
        "Two files are written:\n" +
        "  --checkpoint OUT.safetensors       the best epoch by validation loss (training loss if nothing is held out): weights,\n" +
        "                                     hyper-parameters and vocabulary (metadata 'config'), all `recurrent sample` needs\n" +
        "  OUT.last.safetensors               the resumable state (weights, Adam state, generators, epoch, best so far), written\n" +
        "                                     at every epoch end and on Ctrl-C (then mid-epoch, at the batch reached)\n" +
        "--resume OUT.last.safetensors continues bit for bit (same device and --threads); --epochs is the total to reach, and the\n" +
        "other hyper-parameters come from the file (giving a different one is an error). Ctrl-C exits with 130 after saving.\n" +
        "A missing file is a usage error (exit 2); a damaged or mismatched checkpoint, or a text that is not UTF-8, exits with 1.\n\n" +
        "Examples:\n" +
        "  recurrent train --text input.txt --model lstm --hidden 128 --layers 2 --seq-len 64 --epochs 10 --checkpoint lm.safetensors\n" +
        "  recurrent train --text input.txt --stride 64 --seq-len 64 --dropout 0.2 --layers 2 --clip 5 --out runs/lm --json\n" +
        "  recurrent train --resume lm.last.safetensors --epochs 20\n" +
        "  recurrent sample --checkpoint lm.safetensors --prime \"Once \"";

    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var o = new TrainOptions();
        var cmd = new Command("train", Help);
        foreach (var option in o.All) cmd.Options.Add(option);
        cmd.SetAction((parse, cancellation) => Task.FromResult(Run(parse, o, stdout, stderr, cancellation)));
        return cmd;
    }

    /// <summary>The options, one instance per command tree.</summary>
    private sealed class TrainOptions
    {
        public readonly Option<string?> Text = new("--text") { Description = "the UTF-8 text file to model (on --resume: the file's, checked by its SHA-256)", HelpName = "FILE" };
        public readonly Option<string> Model = CommonOptions.Choice("--model", "the recurrent layer", "lstm", CharLmConfig.Models);
        public readonly Option<int> Hidden = CommonOptions.Int("--hidden", "hidden size H", 1, 65536, 64, "H");
        public readonly Option<int> Layers = CommonOptions.Int("--layers", "stacked recurrent layers", 1, 64, 1, "L");
        public readonly Option<int> Embedding = CommonOptions.Int("--embedding", "embedding size; 0 feeds one-hot vectors instead", 0, 65536, 32, "D");
        public readonly Option<int> SeqLen = CommonOptions.Int("--seq-len", "window length T (backprop through T steps)", 1, 1_000_000, 40, "T");
        public readonly Option<int> Stride = CommonOptions.Int("--stride", "symbols between window starts; 1 = every start as the notebook, T = each symbol once per epoch", 1, 1_000_000, 1, "S");
        public readonly Option<int> Batch = CommonOptions.Int("--batch", "windows per batch", 1, 65536, 32, "B");
        public readonly Option<int> Epochs = CommonOptions.Int("--epochs", "epochs in all (a resumed run continues up to this many)", 1, 1_000_000, 20, "E");
        public readonly Option<double> Lr = CommonOptions.Double("--lr", "Adam learning rate", 0, 10, 1e-3, minExclusive: true);
        public readonly Option<double> Dropout = CommonOptions.Double("--dropout", "dropout between stacked layers (nn.LSTM's dropout; needs --layers ≥ 2)", 0, 1, 0, maxExclusive: true, helpName: "P");
        public readonly Option<double> Clip = CommonOptions.Double("--clip", "clip the gradients' total L2 norm to this; 0 = off", 0, 1e6, 0);
        public readonly Option<double> ValFraction = CommonOptions.Double("--val-fraction", "share of the text, at its end, held out for validation", 0, 0.9, 0.1, helpName: "F");
        public readonly Option<string?> Checkpoint = new("--checkpoint") { Description = "where the best model goes (default DIR/model.safetensors with --out; on --resume, the resumed file's name without .last)", HelpName = "OUT.safetensors" };
        public readonly Option<string?> Resume = new("--resume") { Description = "continue the run saved in this resumable file (OUT.last.safetensors)", HelpName = "CKPT" };
        public readonly Option<string> Device = CommonOptions.Device();
        public readonly Option<int> Threads = CommonOptions.Threads("CPU threads; a resumed run is bit-identical with the same count");
        public readonly Option<ulong> Seed = CommonOptions.Seed("seed of the initial weights, the shuffling and the dropout masks");
        public readonly Option<string?> Out = CommonOptions.Out("a folder for history.json (every epoch's numbers) and, without --checkpoint, model.safetensors");
        public readonly Option<bool> Quiet = CommonOptions.Quiet("no progress, no per-epoch lines: only the final result");
        public readonly Option<bool> Json = CommonOptions.Json("print one JSON result on stdout at the end; the per-epoch lines go to stderr");

        public Option[] All => [Text, Model, Hidden, Layers, Embedding, SeqLen, Stride, Batch, Epochs, Lr, Dropout, Clip, ValFraction, Checkpoint, Resume, Device, Threads, Seed, Out, Quiet, Json];

        /// <summary>The options that define the run (a resumed run must keep them), with their value in a configuration.</summary>
        public IEnumerable<(Option Option, Func<ParseResult, object> Given, Func<CharLmConfig, object> Stored)> Identity()
        {
            yield return (Model, p => p.GetValue(Model)!, c => c.Model);
            yield return (Hidden, p => p.GetValue(Hidden), c => c.Hidden);
            yield return (Layers, p => p.GetValue(Layers), c => c.Layers);
            yield return (Embedding, p => p.GetValue(Embedding), c => c.Embedding);
            yield return (SeqLen, p => p.GetValue(SeqLen), c => c.SeqLen);
            yield return (Stride, p => p.GetValue(Stride), c => c.Stride);
            yield return (Batch, p => p.GetValue(Batch), c => c.Batch);
            yield return (Lr, p => p.GetValue(Lr), c => c.Lr);
            yield return (Dropout, p => p.GetValue(Dropout), c => c.Dropout);
            yield return (Clip, p => p.GetValue(Clip), c => c.Clip);
            yield return (ValFraction, p => p.GetValue(ValFraction), c => c.ValFraction);
            yield return (Seed, p => p.GetValue(Seed), c => c.Seed);
        }
    }

    private static int Run(ParseResult parse, TrainOptions o, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        bool quiet = parse.GetValue(o.Quiet), json = parse.GetValue(o.Json);
        TextWriter? notes = quiet ? null : stderr;
        TextWriter? epochLines = quiet ? null : json ? stderr : stdout;
        int threads = parse.GetValue(o.Threads), epochs = parse.GetValue(o.Epochs);
        string? outDir = parse.GetValue(o.Out), resume = parse.GetValue(o.Resume);

        SafetensorsFile? resumeFile = null;
        if (resume is not null)
        {
            RequireFile(resume, "--resume");
            resumeFile = Safetensors.Load(resume);
            if (!resumeFile.Metadata.TryGetValue(TrainingCheckpoint.KindKey, out string? kind) || kind != TrainingCheckpoint.KindValue)
                throw new CheckpointException($"{resume} holds no training state (it is a model, not OUT.last.safetensors); resume from the .last file that `recurrent train` writes beside it");
        }
        string bestPath = parse.GetValue(o.Checkpoint)
            ?? (outDir is not null ? Path.Combine(outDir, "model.safetensors")
            : resume is not null ? BestPathOf(resume)
            : throw new UsageException("--checkpoint OUT.safetensors is required (or --out DIR, which puts the model at DIR/model.safetensors)"));
        string lastPath = LastPathOf(bestPath);
        if (resume is not null && Path.GetFullPath(resume) == Path.GetFullPath(bestPath))
            throw new UsageException($"--resume {resume} is the best-model file; resume from the resumable state {LastPathOf(resume)}");

        CharLmConfig config;
        string textPath, text;
        if (resumeFile is not null)
        {
            config = CharLmConfig.FromMetadata(resumeFile.Metadata, resume!);
            foreach (var (option, given, stored) in o.Identity())
                if (CommonOptions.Given(parse, option) && !Equals(given(parse), stored(config)))
                    throw new UsageException($"{option.Name} {Show(given(parse))} differs from the resumed run's {Show(stored(config))}: a resumed run keeps its " +
                        "hyper-parameters (only --epochs, --checkpoint, --out, --device, --threads, --quiet and --json may change)");
            textPath = parse.GetValue(o.Text) ?? config.Text;
            text = ReadText(textPath);
            if (CharLmConfig.Sha256(text) != config.TextSha256)
                throw new UsageException($"--text {textPath} is not the text the resumed run was trained on (its SHA-256 differs from the checkpoint's {config.TextSha256[..12]}…)");
            if (config.Threads != threads)
                notes?.WriteLine($"note: the run was trained with --threads {config.Threads}; continuing with {threads} may change the last bits");
        }
        else
        {
            textPath = parse.GetValue(o.Text) ?? throw new UsageException("--text FILE is required (the UTF-8 text to model), unless --resume continues a run");
            text = ReadText(textPath);
            config = new CharLmConfig
            {
                Model = parse.GetValue(o.Model)!,
                Hidden = parse.GetValue(o.Hidden),
                Layers = parse.GetValue(o.Layers),
                Embedding = parse.GetValue(o.Embedding),
                Dropout = parse.GetValue(o.Dropout),
                SeqLen = parse.GetValue(o.SeqLen),
                Stride = parse.GetValue(o.Stride),
                Batch = parse.GetValue(o.Batch),
                Lr = parse.GetValue(o.Lr),
                Clip = parse.GetValue(o.Clip),
                ValFraction = parse.GetValue(o.ValFraction),
                Seed = parse.GetValue(o.Seed),
                Text = Path.GetFullPath(textPath),
                TextSha256 = CharLmConfig.Sha256(text),
                Threads = threads,
            };
            if (config.Dropout > 0 && config.Layers == 1)
                notes?.WriteLine("note: --dropout acts between stacked layers; with --layers 1 it has no effect (as in PyTorch)");
        }

        CharTextTask task;
        try
        {
            task = new CharTextTask(text, config.SeqLen, config.ValFraction, config.Stride);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--text {textPath} with --seq-len {config.SeqLen} and --val-fraction {Show(config.ValFraction)}: {e.Message}");
        }
        config = config with { Vocabulary = task.Vocabulary.Decode(Enumerable.Range(0, task.VocabSize).ToArray()), Start = task.Vocabulary.Decode(task.Encoded[..1]) };

        Device device = DeviceChoice.Parse(parse.GetValue(o.Device)).Resolve(threads, notes);
        foreach (string path in new[] { bestPath, lastPath })
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);

        var trainer = resumeFile is not null
            ? CharTrainer.Resume(resumeFile, resume!, config, task, device, bestPath, lastPath)
            : CharTrainer.Start(config, task, device, bestPath, lastPath);

        notes?.WriteLine($"{(resumeFile is null ? "training" : $"resuming after epoch {trainer.EpochsDone}{(trainer.BatchInEpoch > 0 ? $" + {trainer.BatchInEpoch} batches" : "")}:")} " +
            $"{config.Model} (hidden {config.Hidden}, {config.Layers} layer{(config.Layers == 1 ? "" : "s")}, {(config.Embedding > 0 ? $"embedding {config.Embedding}" : "one-hot input")}, " +
            $"{trainer.Model.NamedParameters().Sum(p => p.Parameter.Value.Length):N0} parameters) on {textPath}: {task.Encoded.Length:N0} characters, vocabulary {task.VocabSize}, " +
            $"{task.Train.Count:N0} training windows in {trainer.BatchesPerEpoch:N0} batches, {task.Validation.Count:N0} validation windows; device {device.Name}");
        if (task.Validation.Count == 0)
            notes?.WriteLine("note: no validation window (the held-out part is not longer than --seq-len); the best epoch is chosen by training loss");

        bool interactive = !quiet && TrainProgress.IsTerminal(stderr);
        try
        {
            for (bool first = true; trainer.EpochsDone < epochs; first = false)
            {
                EpochRecord record = interactive ? TrainProgress.EpochWithBar(trainer, epochs, cancellation) : TrainProgress.EpochWithLines(trainer, epochs, notes, cancellation, first);
                epochLines?.WriteLine(TrainProgress.EpochLine(record, epochs, trainer));
            }
            if (trainer.EpochsDone > epochs || trainer.History.Count == 0)
                notes?.WriteLine($"note: the run has {trainer.EpochsDone} epochs already; nothing to do for --epochs {epochs}");
        }
        catch (InterruptedException)
        {
            TrainProgress.Finish(trainer, config, device, outDir, json ? stdout : null, null, interrupted: true);
            throw;
        }
        TrainProgress.Finish(trainer, config, device, outDir, json ? stdout : null, json ? null : stdout, interrupted: false);
        return Cli.Success;
    }

    /// <summary>OUT.safetensors → OUT.last.safetensors (any other name gets .last.safetensors appended).</summary>
    public static string LastPathOf(string bestPath) =>
        bestPath.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? bestPath[..^".safetensors".Length] + ".last.safetensors"
            : bestPath + ".last.safetensors";

    /// <summary>OUT.last.safetensors → OUT.safetensors.</summary>
    public static string BestPathOf(string lastPath) =>
        lastPath.EndsWith(".last.safetensors", StringComparison.OrdinalIgnoreCase)
            ? lastPath[..^".last.safetensors".Length] + ".safetensors"
            : throw new UsageException($"--resume {lastPath}: give --checkpoint too (the best model's file), since the name does not end in .last.safetensors");

    /// <summary>A file named by an option must exist: a missing one is a usage error (exit 2), as everywhere in this command line.</summary>
    internal static void RequireFile(string path, string option)
    {
        if (Directory.Exists(path)) throw new UsageException($"{option} {path} is a folder; expected a file");
        if (!File.Exists(path)) throw new UsageException($"{option} {path}: file not found");
    }

    private static string ReadText(string path)
    {
        RequireFile(path, "--text");
        try
        {
            return CharTextTask.ReadText(path);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"--text {path} is not valid UTF-8: {e.Message}");
        }
    }

    private static string Show(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
