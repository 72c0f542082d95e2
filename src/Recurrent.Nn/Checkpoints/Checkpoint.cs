// State dicts in safetensors files: a model's parameters under PyTorch's names, saved and loaded with every name and shape checked.
using Recurrent.Tensors;

namespace Recurrent.Nn.Checkpoints;

/// <summary>
/// Saving and loading parameters under PyTorch's state_dict names, so a file written by
/// <c>safetensors.torch.save_file(model.state_dict(), …)</c> loads here and the reverse.
/// <para>
/// A composite model names its parts with a prefix: <c>Checkpoint.Named(("lstm", lstm), ("fc", fc))</c> gives
/// "lstm.weight_ih_l0", …, "fc.weight", "fc.bias"; every method also takes such a list of (name, parameter).
/// </para>
/// <para>
/// Loading checks the whole file against the model before copying anything: a file that does not fit raises one
/// <see cref="StateDictMismatchException"/> listing the missing, unexpected and mismatched names together, and the
/// model is left untouched. F32 and F64 values convert to the parameter's dtype on load (PyTorch's
/// load_state_dict copies with conversion too); a float32 file loaded into a float64 model is exact, the reverse rounds.
/// </para>
/// </summary>
public static class Checkpoint
{
    /// <summary>Metadata written into every file: Hugging Face's loaders expect "format": "pt" for PyTorch state dicts.</summary>
    public const string FormatKey = "format", FormatValue = "pt";

    /// <summary>Parameters of several modules under "prefix.name".</summary>
    public static IEnumerable<(string Name, Parameter Parameter)> Named(params (string Prefix, Module Module)[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (prefix, module) in modules)
        {
            ArgumentNullException.ThrowIfNull(module, nameof(modules));
            foreach (var (name, p) in module.NamedParameters())
                yield return (string.IsNullOrEmpty(prefix) ? name : $"{prefix}.{name}", p);
        }
    }

    // ---- saving -------------------------------------------------------------------------------------------

    public static void SaveStateDict(Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SaveStateDict(module.NamedParameters(), path, metadata);
    }

    /// <summary>Writes the parameters (each in its own dtype) atomically: temporary file, flush, rename.</summary>
    public static void SaveStateDict(IEnumerable<(string Name, Parameter Parameter)> parameters, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        Safetensors.Save(path, StateDict(parameters), WithFormat(metadata));

    /// <summary>The parameters' current values as safetensors tensors (copies).</summary>
    public static IReadOnlyList<SafetensorsTensor> StateDict(IEnumerable<(string Name, Parameter Parameter)> parameters)
    {
        var list = CheckNames(parameters);
        return list.Select(p => SafetensorsTensor.FromTensor(p.Name, p.Parameter.Value)).ToArray();
    }

    internal static Dictionary<string, string> WithFormat(IReadOnlyDictionary<string, string>? metadata)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal) { [FormatKey] = FormatValue };
        if (metadata is not null)
            foreach (var (k, v) in metadata) result[k] = v;
        return result;
    }

    // ---- loading ------------------------------------------------------------------------------------------

    /// <summary>Loads <paramref name="path"/> into the module's parameters; returns the file's metadata.</summary>
    public static IReadOnlyDictionary<string, string> LoadStateDict(Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        return LoadStateDict(module.NamedParameters(), path, strict);
    }

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="parameters"/>; returns the file's metadata.
    /// <paramref name="strict"/> (PyTorch's default) makes missing and unexpected names errors; shape and dtype
    /// mismatches always are. A training checkpoint (<see cref="TrainingCheckpoint"/>) loads too: its optimizer and RNG
    /// tensors are not parameters and are skipped.
    /// </summary>
    public static IReadOnlyDictionary<string, string> LoadStateDict(IEnumerable<(string Name, Parameter Parameter)> parameters, string path, bool strict = true)
    {
        var file = Safetensors.Load(path);
        LoadStateDict(parameters, file, strict, path);
        return file.Metadata;
    }

    /// <summary>Loads an already-read file into <paramref name="parameters"/>.</summary>
    public static void LoadStateDict(IEnumerable<(string Name, Parameter Parameter)> parameters, SafetensorsFile file, bool strict = true, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var list = CheckNames(parameters);
        var tensors = TrainingCheckpoint.IsTraining(file)
            ? file.Tensors.Where(t => !TrainingCheckpoint.IsReserved(t.Name)).ToArray()
            : file.Tensors;
        var plan = Match(list.Select(p => (p.Name, p.Parameter.Value)), tensors, strict, source);
        foreach (var (tensor, destination) in plan) tensor.CopyTo(destination);
    }

    /// <summary>
    /// Pairs every expected (name, destination) with the file tensor of the same name, checking shapes and dtypes;
    /// throws one exception listing every problem. Nothing is copied here.
    /// </summary>
    internal static List<(SafetensorsTensor Tensor, Tensor Destination)> Match(
        IEnumerable<(string Name, Tensor Destination)> expected, IEnumerable<SafetensorsTensor> available, bool strict, string? source,
        List<string>? missing = null, List<string>? unexpected = null, List<string>? mismatched = null, bool throwOnProblems = true)
    {
        missing ??= [];
        unexpected ??= [];
        mismatched ??= [];
        var byName = available.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var plan = new List<(SafetensorsTensor, Tensor)>();
        foreach (var (name, destination) in expected)
        {
            if (!byName.TryGetValue(name, out var tensor))
            {
                if (strict) missing.Add(name);
                continue;
            }
            used.Add(name);
            string? problem = Problem(tensor, destination);
            if (problem is not null) mismatched.Add($"{name}: {problem}");
            else plan.Add((tensor, destination));
        }
        if (strict)
            unexpected.AddRange(byName.Keys.Where(n => !used.Contains(n)).OrderBy(n => n, StringComparer.Ordinal));
        if (throwOnProblems && (missing.Count > 0 || unexpected.Count > 0 || mismatched.Count > 0))
            throw new StateDictMismatchException(missing, unexpected, mismatched, source);
        return plan;
    }

    private static string? Problem(SafetensorsTensor tensor, Tensor destination)
    {
        bool convertible = destination.DType switch
        {
            DType.Float32 or DType.Float64 => tensor.DType is SafetensorsDTypes.F32 or SafetensorsDTypes.F64,
            DType.Int32 => tensor.DType is SafetensorsDTypes.I32 or SafetensorsDTypes.I64,
            _ => false,
        };
        bool sameShape = tensor.Shape.SequenceEqual(destination.Shape);
        if (sameShape && convertible) return null;
        string what = $"the file has {tensor.DType} {tensor.ShapeText}, the model {destination.DType.Name()} {destination.ShapeText}";
        return !sameShape ? $"shape differs ({what})" : $"dtype cannot convert ({what})";
    }

    private static List<(string Name, Parameter Parameter)> CheckNames(IEnumerable<(string Name, Parameter Parameter)> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, p) in list)
        {
            ArgumentNullException.ThrowIfNull(name, nameof(parameters));
            ArgumentNullException.ThrowIfNull(p, nameof(parameters));
            if (!names.Add(name)) throw new ArgumentException($"parameter name '{name}' appears twice", nameof(parameters));
        }
        return list;
    }
}
