// One `recurrent train` run: epochs of shuffled windows, a validation pass, the best model and a resumable state written as it goes.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Recurrent.Nn;
using Recurrent.Nn.Checkpoints;
using Recurrent.Nn.Optim;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Cli.Training;

/// <summary>One finished epoch: mean cross-entropy per window (nats), on the training and validation windows.</summary>
public sealed record EpochRecord(int Epoch, double Loss, double? ValLoss, double Seconds, bool Best)
{
    public double Bpc => Loss / Math.Log(2);
    public double? ValBpc => ValLoss / Math.Log(2);
}

/// <summary>
/// The training loop of seed 004's train_char_model (shuffled windows, cross-entropy on every step, Adam), with a
/// validation pass after each epoch, optional gradient-norm clipping, and two files:
/// <list type="bullet">
/// <item><see cref="BestPath"/>: the weights of the epoch with the lowest validation loss (training loss when nothing is
/// held out), a state dict whose metadata "config" carries the hyper-parameters and the vocabulary;</item>
/// <item><see cref="LastPath"/>: a <see cref="TrainingCheckpoint"/> (weights, Adam state, the generators, counters,
/// best-so-far) written at each epoch end and when stopped part-way through an epoch.</item>
/// </list>
/// A run resumed from <see cref="LastPath"/> continues bit for bit (same device and thread count): the shuffle
/// generator is saved as it was at the start of the epoch, so the resumed run draws the same permutation and skips the
/// batches already done; the dropout generator, Adam's moments and step count, and the epoch's running loss sum are
/// saved as they are.
/// </summary>
public sealed class CharTrainer
{
    // Metadata of the resumable file beyond TrainingCheckpoint's own (epoch, step, config).
    private const string BatchKey = "batch", LossSumKey = "epoch_loss_sum", SecondsKey = "epoch_seconds",
        BestLossKey = "best_loss", BestEpochKey = "best_epoch", HistoryKey = "history";

    private readonly CharLmConfig _config;
    private readonly CharTextTask _task;
    private readonly CharModel _model;
    private readonly List<(string Name, Parameter Parameter)> _parameters;
    private readonly Adam _adam;
    private readonly CrossEntropyLoss _loss = new();
    private readonly List<EpochRecord> _history = [];
    private readonly GradNormClipper? _clipper;    // --clip: clip_grad_norm_ without reading the norm back
    private readonly bool _hostLoss;               // the device is the CPU: reading a loss costs nothing
    private ulong[] _epochStartShuffle; // the shuffle generator as the current epoch found it
    private int _batchInEpoch;
    private readonly LossMeter _epochLoss = new(); // Σ loss·windows of this epoch, kept on the device until read
    private double _epochSeconds;
    private long _steps;
    private double _bestLoss = double.PositiveInfinity;
    private int _bestEpoch;

    private CharTrainer(CharLmConfig config, CharTextTask task, Device device, string bestPath, string lastPath)
    {
        _config = config;
        _task = task;
        _model = config.NewModel(device);
        _parameters = _model.NamedParameters().ToList();
        _adam = new Adam(_parameters, lr: config.Lr);
        _epochStartShuffle = new Rng(config.Seed).Fork(2).GetState();
        _hostLoss = device is CpuDevice;
        _clipper = config.Clip > 0 ? new GradNormClipper(_parameters.Select(p => p.Parameter), config.Clip) : null;
        BestPath = bestPath;
        LastPath = lastPath;
    }

    /// <summary>A new run: weights drawn from the configuration's seed.</summary>
    public static CharTrainer Start(CharLmConfig config, CharTextTask task, Device device, string bestPath, string lastPath) =>
        new(config, task, device, bestPath, lastPath);

    /// <summary>
    /// A run continued from its resumable file; the caller has checked that <paramref name="config"/> and
    /// <paramref name="task"/> are the file's. A file that does not fit throws <see cref="CheckpointException"/>.
    /// </summary>
    public static CharTrainer Resume(SafetensorsFile file, string source, CharLmConfig config, CharTextTask task, Device device, string bestPath, string lastPath)
    {
        var trainer = new CharTrainer(config, task, device, bestPath, lastPath);
        var state = TrainingCheckpoint.Load(file, trainer._parameters, trainer._adam, source);
        if (!state.Rngs.TryGetValue("shuffle", out var shuffle) || !state.Rngs.TryGetValue("dropout", out var dropout))
            throw new CheckpointException($"{source}: the generators 'rng.shuffle' and 'rng.dropout' must both be saved; the file has {(state.Rngs.Count == 0 ? "none" : string.Join(", ", state.Rngs.Keys))}");
        if (state.Epoch > int.MaxValue) throw new CheckpointException($"{source}: metadata 'epoch' {state.Epoch} is too large");
        trainer._epochStartShuffle = shuffle.GetState();
        trainer._model.Recurrent.DropoutRng = dropout;
        trainer.EpochsDone = (int)state.Epoch;
        trainer._steps = state.Step;
        var meta = state.Metadata;
        trainer._batchInEpoch = (int)Number(meta, BatchKey, source, 0, trainer.BatchesPerEpoch);
        trainer._epochLoss.Reset(Number(meta, LossSumKey, source, 0, double.MaxValue));
        trainer._epochSeconds = Number(meta, SecondsKey, source, 0, double.MaxValue);
        trainer._bestLoss = Number(meta, BestLossKey, source, 0, double.PositiveInfinity);
        trainer._bestEpoch = (int)Number(meta, BestEpochKey, source, 0, state.Epoch);
        trainer._history.AddRange(ReadHistory(meta, source));
        return trainer;
    }

    public string BestPath { get; }
    public string LastPath { get; }
    public CharLmConfig Config => _config;
    public CharModel Model => _model;

    /// <summary>Epochs finished (a resumed run starts from the file's count).</summary>
    public int EpochsDone { get; private set; }

    /// <summary>Batches of the current epoch already done (non-zero only after resuming a run stopped mid-epoch).</summary>
    public int BatchInEpoch => _batchInEpoch;

    public int BatchesPerEpoch => (_task.Train.Count + _config.Batch - 1) / _config.Batch;
    public IReadOnlyList<EpochRecord> History => _history;
    public int BestEpoch => _bestEpoch;
    public double BestLoss => _bestLoss;
    public long Steps => _steps;

    /// <summary>Mean loss per window over the batches of the current epoch done so far (NaN before the first).</summary>
    /// <remarks>Off the CPU this reads the device's running sum: one wait for the queue (the progress display asks every few seconds).</remarks>
    public double EpochLossSoFar => _batchInEpoch == 0 ? double.NaN : _epochLoss.Sum / Math.Min(_task.Train.Count, (long)_batchInEpoch * _config.Batch);

    /// <summary>Called after each training batch with (batches done in this epoch, batches per epoch).</summary>
    public Action<int, int>? BatchDone { get; set; }

    /// <summary>
    /// Runs the rest of the current epoch, then validation; writes the best model when it improved and the resumable
    /// state. Cancelled between batches, it writes the resumable state (to continue from that batch) and throws
    /// <see cref="InterruptedException"/>. A non-finite loss stops the run with an error naming the epoch and batch.
    /// </summary>
    public EpochRecord RunEpoch(CancellationToken cancellation)
    {
        int epoch = EpochsDone + 1, n = _task.Train.Count, batch = _config.Batch, batches = BatchesPerEpoch;
        var shuffle = Rng.FromState(_epochStartShuffle);
        int[] order = DataLoader.Permutation(n, shuffle); // as DataLoader(shuffle=True): a new permutation each epoch
        var watch = Stopwatch.StartNew();
        _model.Training = true;
        for (int b = _batchInEpoch; b < batches; b++)
        {
            if (cancellation.IsCancellationRequested) Interrupt(epoch, watch, cancellation);
            int start = b * batch, size = Math.Min(batch, n - start);
            using (var data = _task.Train.Gather(order.AsSpan(start, size)).On(_model.Recurrent.Device))
            {
                _model.ZeroGrad();
                _epochLoss.Add(_loss.Forward(_model.Forward(data.Inputs), data.Targets), size); // loss.item() * xb.size(0), as the notebook sums it
                // On the CPU the sum is on the host already, so a bad batch is caught (and named) before it trains;
                // another device is checked once, after the epoch, rather than waiting for its queue every batch.
                if (_hostLoss && !double.IsFinite(_epochLoss.Sum)) throw NonFinite(_epochLoss.Sum, $"at epoch {epoch}, batch {b + 1} of {batches}");
                _model.Backward(_loss.Backward());
                _clipper?.Clip();
                _adam.Step();
                _steps++;
            }
            _batchInEpoch = b + 1;
            BatchDone?.Invoke(_batchInEpoch, batches);
        }
        double trainLoss = _epochLoss.Sum / n; // the epoch's one read of the device
        if (!double.IsFinite(trainLoss)) throw NonFinite(trainLoss, $"during epoch {epoch}");
        double? validation = Evaluate(epoch, watch, cancellation);
        double seconds = _epochSeconds + watch.Elapsed.TotalSeconds;

        double criterion = validation ?? trainLoss;
        bool best = criterion < _bestLoss;
        var record = new EpochRecord(epoch, trainLoss, validation, seconds, best);
        _history.Add(record);
        EpochsDone = epoch;
        _batchInEpoch = 0;
        _epochLoss.Reset();
        _epochSeconds = 0;
        _epochStartShuffle = shuffle.GetState();
        if (best)
        {
            _bestLoss = criterion;
            _bestEpoch = epoch;
            SaveBest(record);
        }
        SaveLast();
        return record;
    }

    /// <summary>Mean cross-entropy per window over the validation windows in order (dropout off); null when there are none.</summary>
    private double? Evaluate(int epoch, Stopwatch watch, CancellationToken cancellation)
    {
        var windows = _task.Validation;
        if (windows.Count == 0) return null;
        _model.Training = false;
        try
        {
            using var sum = new LossMeter();
            foreach (var data in windows.Batches(_config.Batch).On(_model.Recurrent.Device))
            {
                using (data)
                {
                    if (cancellation.IsCancellationRequested) Interrupt(epoch, watch, cancellation);
                    sum.Add(_loss.Forward(_model.Forward(data.Inputs), data.Targets), data.Count);
                }
            }
            return sum.Sum / windows.Count;
        }
        finally
        {
            _model.Training = true;
        }
    }

    private InvalidOperationException NonFinite(double loss, string where) =>
        new($"the loss became {loss.ToString(CultureInfo.InvariantCulture)} {where}; try a lower --lr or --clip 1 (the last good state is {LastPath})");

    private void Interrupt(int epoch, Stopwatch watch, CancellationToken cancellation)
    {
        _epochSeconds += watch.Elapsed.TotalSeconds;
        SaveLast();
        string where = _batchInEpoch == 0 ? $"before epoch {epoch}" : $"in epoch {epoch} after batch {_batchInEpoch} of {BatchesPerEpoch}";
        throw new InterruptedException($"stopped {where}; the state is in {LastPath} (continue with --resume {LastPath})", cancellation);
    }

    private void SaveBest(EpochRecord record)
    {
        var metadata = new Dictionary<string, string>
        {
            [CharLmConfig.MetadataKey] = _config.ToJson(),
            ["epoch"] = Text(record.Epoch),
            ["loss"] = Text(record.Loss),
        };
        if (record.ValLoss is double v) metadata["val_loss"] = Text(v);
        Checkpoint.SaveStateDict(_parameters, BestPath, metadata);
    }

    /// <summary>The resumable state, atomically (a failure part-way leaves the previous file).</summary>
    public void SaveLast()
    {
        var rngs = new Dictionary<string, Rng>
        {
            ["shuffle"] = Rng.FromState(_epochStartShuffle),
            ["dropout"] = _model.Recurrent.DropoutRng,
        };
        var metadata = new Dictionary<string, string>
        {
            [BatchKey] = Text(_batchInEpoch),
            [LossSumKey] = Text(_epochLoss.Sum),
            [SecondsKey] = Text(_epochSeconds),
            [BestLossKey] = Text(_bestLoss),
            [BestEpochKey] = Text(_bestEpoch),
            [HistoryKey] = JsonSerializer.Serialize(_history.Select(h => new HistoryEntry(h.Epoch, h.Loss, h.ValLoss, h.Seconds, h.Best))),
        };
        TrainingCheckpoint.Save(LastPath, _parameters, _adam, rngs, EpochsDone, _steps, _config.ToJson(), metadata);
    }

    private sealed record HistoryEntry(int Epoch, double Loss, double? ValLoss, double Seconds, bool Best);

    private static IEnumerable<EpochRecord> ReadHistory(IReadOnlyDictionary<string, string> meta, string source)
    {
        if (!meta.TryGetValue(HistoryKey, out string? json)) throw new CheckpointException($"{source}: metadata '{HistoryKey}' is missing");
        try
        {
            var entries = JsonSerializer.Deserialize<HistoryEntry[]>(json) ?? throw new JsonException("null");
            return entries.Select(e => new EpochRecord(e.Epoch, e.Loss, e.ValLoss, e.Seconds, e.Best)).ToArray();
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{source}: metadata '{HistoryKey}' is not a list of epochs: {e.Message}");
        }
    }

    private static double Number(IReadOnlyDictionary<string, string> meta, string key, string source, double min, double max)
    {
        if (meta.TryGetValue(key, out string? text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max)
            return value;
        throw new CheckpointException($"{source}: metadata '{key}' must be a number in [{Text(min)}, {Text(max)}]; it is {(text is null ? "absent" : $"'{text}'")}");
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
