// Errors of checkpoints that are valid safetensors but do not fit the model, optimizer or training run.
using System.Text;

namespace Recurrent.Nn.Checkpoints;

/// <summary>A checkpoint file that is valid safetensors but cannot be used as asked (wrong kind, bad counters, …).</summary>
public class CheckpointException : Exception
{
    public CheckpointException(string message) : base(message) { }
}

/// <summary>
/// The names and shapes of a checkpoint do not match the model (or optimizer): every missing, unexpected and
/// mismatched name, reported together so one run shows everything to fix.
/// </summary>
public sealed class StateDictMismatchException : CheckpointException
{
    public StateDictMismatchException(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatched, string? source = null)
        : base(Describe(missing, unexpected, mismatched, source))
    {
        Missing = missing;
        Unexpected = unexpected;
        Mismatched = mismatched;
    }

    /// <summary>Names the model has and the file lacks.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Names the file has and the model lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>"name: why" for names in both whose shape or dtype does not fit.</summary>
    public IReadOnlyList<string> Mismatched { get; }

    private static string Describe(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatched, string? source)
    {
        var sb = new StringBuilder(source is null ? "the state dict does not match the model: " : $"{source} does not match the model: ");
        sb.Append($"{missing.Count} missing, {unexpected.Count} unexpected, {mismatched.Count} mismatched.");
        Group("missing", missing);
        Group("unexpected", unexpected);
        Group("mismatched", mismatched);
        return sb.ToString();

        void Group(string title, IReadOnlyList<string> items)
        {
            if (items.Count == 0) return;
            sb.Append('\n').Append(title).Append(": ").Append(string.Join("; ", items));
        }
    }
}
