// Helpers of the command-line tests: run `recurrent` in-process, make small texts, compare checkpoint tensors.
using Recurrent.Nn.Checkpoints;

namespace Recurrent.Tests.Cli;

internal static class CliHarness
{
    public static (int Code, string Out, string Err) Run(params string[] args) => Run(args, default, null);

    /// <summary>Runs the command line in-process; <paramref name="stderr"/> may be a writer that watches the progress.</summary>
    public static (int Code, string Out, string Err) Run(string[] args, CancellationToken cancellation, TextWriter? stderr)
    {
        var stdout = new StringWriter();
        var err = stderr ?? new StringWriter();
        int code = Recurrent.Cli.Cli.Run(args, stdout, err, cancellation);
        return (code, stdout.ToString(), err.ToString() ?? "");
    }

    /// <summary>A text of <paramref name="words"/> words from a small vocabulary, the same for the same seed (a few dozen distinct characters).</summary>
    public static string Words(int words, int seed = 1)
    {
        string[] pool = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "and", "then", "sleeps", "Twinkle,", "star!"];
        var rng = new Recurrent.Tensors.Rng((ulong)seed);
        return string.Join(' ', Enumerable.Range(0, words).Select(i => pool[rng.NextInt(pool.Length)] + (i % 12 == 11 ? "\n" : "")));
    }

    /// <summary>Every tensor of a safetensors file by name, as its raw bytes.</summary>
    public static Dictionary<string, byte[]> TensorBytes(string path) =>
        Safetensors.Load(path).Tensors.ToDictionary(t => t.Name, t => t.Data.ToArray());

    public static IReadOnlyDictionary<string, string> Metadata(string path) => Safetensors.LoadHeader(path).Metadata;
}

/// <summary>A StringWriter that cancels a token the first time a line containing <paramref name="trigger"/> is written (a Ctrl-C at a known point).</summary>
internal sealed class CancelOnLine(string trigger, CancellationTokenSource source) : StringWriter
{
    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (value is not null && value.Contains(trigger, StringComparison.Ordinal)) source.Cancel();
    }
}
