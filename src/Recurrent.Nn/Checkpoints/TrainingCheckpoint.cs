// Training checkpoints: parameters, optimizer state, RNG states, counters and the run's configuration, for bit-identical resumes.
using System.Globalization;
using System.Text.Json;
using Recurrent.Nn.Optim;
using Recurrent.Tensors;

namespace Recurrent.Nn.Checkpoints;

/// <summary>
/// Everything a training run needs to continue as if it had never stopped, in one safetensors file:
/// <code>
/// "lstm.weight_ih_l0", …                       the parameters, under their state_dict names (a plain state dict)
/// "optimizer.state.{name}.{key}"              every optimizer state tensor (Adam exp_avg/exp_avg_sq, SGD momentum_buffer)
/// "rng.{name}"                                 I64 [7]: each generator's full state (Rng.GetState, words stored as two's complement)
/// __metadata__: format=pt, recurrent.checkpoint=training, epoch, step, optimizer.type, optimizer.step_count,
///               optimizer.lr (round-trip text), config (the experiment's configuration, JSON), and the caller's own keys
/// </code>
/// Resuming = fresh objects built from the same configuration, <see cref="Load"/>, then the returned
/// <see cref="Rngs"/> used in place of the old generators: the run continues bit for bit (same device and thread count).
/// Modules with dropout hold generators of their own: pass them in too (RecurrentLayer.DropoutRng, Dropout.Rng, e.g. as
/// "dropout") and set them from <see cref="Rngs"/> after loading.
/// The file is a valid state dict as well: <see cref="Checkpoint.LoadStateDict(Module, string, bool)"/> and PyTorch
/// (after dropping the reserved "optimizer."/"rng." names) read its weights.
/// </summary>
public sealed class TrainingCheckpoint
{
    public const string KindKey = "recurrent.checkpoint", KindValue = "training";
    public const string EpochKey = "epoch", StepKey = "step", ConfigKey = "config";
    public const string OptimizerTypeKey = "optimizer.type", OptimizerStepKey = "optimizer.step_count", OptimizerLrKey = "optimizer.lr";
    public const string OptimizerStatePrefix = "optimizer.state.", RngPrefix = "rng.";
    private const string ReservedOptimizer = "optimizer.";

    private static readonly string[] ReservedKeys = [Checkpoint.FormatKey, KindKey, EpochKey, StepKey, ConfigKey, OptimizerTypeKey, OptimizerStepKey, OptimizerLrKey];

    private TrainingCheckpoint(long epoch, long step, string? config, IReadOnlyDictionary<string, Rng> rngs, IReadOnlyDictionary<string, string> metadata)
    {
        Epoch = epoch;
        Step = step;
        Config = config;
        Rngs = rngs;
        Metadata = metadata;
    }

    /// <summary>The epoch counter saved (by convention: epochs completed).</summary>
    public long Epoch { get; }

    /// <summary>The step counter saved (by convention: optimizer steps taken over the whole run).</summary>
    public long Step { get; }

    /// <summary>The experiment configuration (JSON), or null when none was saved.</summary>
    public string? Config { get; }

    /// <summary>New generators in exactly the saved states, by name.</summary>
    public IReadOnlyDictionary<string, Rng> Rngs { get; }

    /// <summary>The file's whole metadata (the keys above and the caller's own).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    // ---- saving -------------------------------------------------------------------------------------------

    /// <summary>
    /// Writes a training checkpoint atomically (temporary file in the same folder, flushed, renamed over
    /// <paramref name="path"/>): a failure part-way leaves the previous checkpoint intact.
    /// </summary>
    /// <param name="parameters">The model's parameters under their state_dict names (see <see cref="Checkpoint.Named"/>).</param>
    /// <param name="optimizer">Its state, step count and learning rate are saved; null saves none.</param>
    /// <param name="rngs">Generators by name (e.g. "data", "dropout"); their full states are saved.</param>
    /// <param name="config">The experiment's configuration, as JSON text.</param>
    /// <param name="metadata">More string metadata of the caller's; may not use the reserved keys above.</param>
    public static void Save(string path, IEnumerable<(string Name, Parameter Parameter)> parameters, Optimizer? optimizer,
        IReadOnlyDictionary<string, Rng>? rngs, long epoch, long step, string? config = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var tensors = new List<SafetensorsTensor>(Checkpoint.StateDict(parameters));
        foreach (var t in tensors)
            if (IsReserved(t.Name))
                throw new ArgumentException($"parameter name '{t.Name}' starts with a reserved prefix ('{ReservedOptimizer}' or '{RngPrefix}')", nameof(parameters));

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata is not null)
            foreach (var (key, value) in metadata)
            {
                if (ReservedKeys.Contains(key)) throw new ArgumentException($"metadata key '{key}' is reserved for the checkpoint itself", nameof(metadata));
                meta[key] = value;
            }
        meta[Checkpoint.FormatKey] = Checkpoint.FormatValue;
        meta[KindKey] = KindValue;
        meta[EpochKey] = Text(epoch);
        meta[StepKey] = Text(step);
        if (config is not null)
        {
            try
            {
                using var _ = JsonDocument.Parse(config);
            }
            catch (JsonException e)
            {
                throw new ArgumentException($"config must be JSON text: {e.Message}", nameof(config));
            }
            meta[ConfigKey] = config;
        }

        if (optimizer is not null)
        {
            meta[OptimizerTypeKey] = optimizer.GetType().Name;
            meta[OptimizerStepKey] = Text(optimizer.StepCount);
            meta[OptimizerLrKey] = optimizer.Lr.ToString("R", CultureInfo.InvariantCulture);
            foreach (var (name, state) in optimizer.State)
                foreach (var (key, value) in state)
                    tensors.Add(SafetensorsTensor.FromTensor(OptimizerStateName(name, key), value));
        }
        if (rngs is not null)
            foreach (var (name, rng) in rngs)
            {
                ArgumentNullException.ThrowIfNull(rng, nameof(rngs));
                long[] words = Array.ConvertAll(rng.GetState(), w => unchecked((long)w));
                tensors.Add(SafetensorsTensor.FromInt64(RngPrefix + name, words, [words.Length]));
            }
        Safetensors.Save(path, tensors, meta);
    }

    public static void Save(string path, Module model, Optimizer? optimizer, IReadOnlyDictionary<string, Rng>? rngs, long epoch, long step,
        string? config = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Save(path, model.NamedParameters(), optimizer, rngs, epoch, step, config, metadata);
    }

    // ---- loading ------------------------------------------------------------------------------------------

    public static TrainingCheckpoint Load(string path, Module model, Optimizer? optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Load(path, model.NamedParameters(), optimizer);
    }

    /// <summary>
    /// Restores the parameters and, when given, the optimizer (state tensors, step count, learning rate); returns the
    /// counters, configuration and generators. Everything is checked first — names, shapes, dtypes, the optimizer's type,
    /// the counters, the RNG states — and every problem is reported in one exception
    /// (<see cref="StateDictMismatchException"/> for names and shapes, <see cref="CheckpointException"/> otherwise);
    /// only then is anything copied, so a failed load changes nothing.
    /// </summary>
    public static TrainingCheckpoint Load(string path, IEnumerable<(string Name, Parameter Parameter)> parameters, Optimizer? optimizer)
    {
        var file = Safetensors.Load(path);
        return Load(file, parameters, optimizer, path);
    }

    public static TrainingCheckpoint Load(SafetensorsFile file, IEnumerable<(string Name, Parameter Parameter)> parameters, Optimizer? optimizer, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(parameters);
        string where = source ?? "the checkpoint";
        if (!IsTraining(file))
            throw new CheckpointException($"{where} is not a training checkpoint (its metadata lacks {KindKey}={KindValue}); load it with Checkpoint.LoadStateDict");
        var meta = file.Metadata;
        long epoch = Counter(meta, EpochKey, where), step = Counter(meta, StepKey, where);
        meta.TryGetValue(ConfigKey, out string? config);

        List<string> missing = [], unexpected = [], mismatched = [];
        var plan = Checkpoint.Match(parameters.Select(p => (p.Name, p.Parameter.Value)), file.Tensors.Where(t => !IsReserved(t.Name)),
            strict: true, source, missing, unexpected, mismatched, throwOnProblems: false);

        long optimizerSteps = 0;
        double lr = 0;
        var optimizerTensors = file.Tensors.Where(t => t.Name.StartsWith(ReservedOptimizer, StringComparison.Ordinal));
        if (optimizer is not null)
        {
            if (!meta.TryGetValue(OptimizerTypeKey, out string? type))
                throw new CheckpointException($"{where} holds no optimizer state (it was saved without an optimizer); pass null to load the rest");
            if (type != optimizer.GetType().Name)
                mismatched.Add($"optimizer: the file's is {type}, this one is {optimizer.GetType().Name}");
            optimizerSteps = Counter(meta, OptimizerStepKey, where);
            if (!meta.TryGetValue(OptimizerLrKey, out string? lrText) || !double.TryParse(lrText, NumberStyles.Float, CultureInfo.InvariantCulture, out lr) || !(lr >= 0) || double.IsInfinity(lr))
                throw new CheckpointException($"{where}: metadata '{OptimizerLrKey}' must be a finite number ≥ 0");
            var expected = optimizer.State.SelectMany(s => s.Value.Select(kv => (OptimizerStateName(s.Key, kv.Key), kv.Value)));
            plan.AddRange(Checkpoint.Match(expected, optimizerTensors, strict: true, source, missing, unexpected, mismatched, throwOnProblems: false));
        }

        var rngs = new Dictionary<string, Rng>(StringComparer.Ordinal);
        foreach (var t in file.Tensors.Where(t => t.Name.StartsWith(RngPrefix, StringComparison.Ordinal)))
        {
            if (t.DType != SafetensorsDTypes.I64 || t.Rank != 1 || t.Shape[0] != 7)
            {
                mismatched.Add($"{t.Name}: an RNG state is I64 [7]; the file has {t.DType} {t.ShapeText}");
                continue;
            }
            try
            {
                rngs[t.Name[RngPrefix.Length..]] = Rng.FromState(Array.ConvertAll(t.ToInt64(), w => unchecked((ulong)w)));
            }
            catch (ArgumentException e)
            {
                mismatched.Add($"{t.Name}: not a valid RNG state ({e.Message})");
            }
        }

        if (missing.Count > 0 || unexpected.Count > 0 || mismatched.Count > 0)
            throw new StateDictMismatchException(missing, unexpected, mismatched, source);

        foreach (var (tensor, destination) in plan) tensor.CopyTo(destination);
        if (optimizer is not null)
        {
            optimizer.StepCount = optimizerSteps;
            optimizer.Lr = lr;
        }
        return new TrainingCheckpoint(epoch, step, config, rngs, meta);
    }

    // ---- names --------------------------------------------------------------------------------------------

    public static string OptimizerStateName(string parameter, string key) => $"{OptimizerStatePrefix}{parameter}.{key}";

    internal static bool IsTraining(SafetensorsFile file) =>
        file.Metadata.TryGetValue(KindKey, out string? kind) && kind == KindValue;

    internal static bool IsReserved(string name) =>
        name.StartsWith(ReservedOptimizer, StringComparison.Ordinal) || name.StartsWith(RngPrefix, StringComparison.Ordinal);

    private static long Counter(IReadOnlyDictionary<string, string> meta, string key, string where)
    {
        if (!meta.TryGetValue(key, out string? text) || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            throw new CheckpointException($"{where}: metadata '{key}' must be a non-negative integer; it is {(text is null ? "absent" : $"'{text}'")}");
        return value;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
