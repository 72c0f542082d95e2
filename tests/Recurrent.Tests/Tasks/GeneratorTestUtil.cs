// Helpers for the generator tests: compare whole batches, read values.
using Recurrent.Tasks.Data;
using Recurrent.Tensors;

namespace Recurrent.Tests.Tasks;

internal static class GeneratorTestUtil
{
    public static bool SameTensor(Tensor a, Tensor b) =>
        a.DType == b.DType && a.SameShape(b) && a.DType switch
        {
            DType.Float32 => a.ToArray<float>().AsSpan().SequenceEqual(b.ToArray<float>()),
            DType.Float64 => a.ToArray<double>().AsSpan().SequenceEqual(b.ToArray<double>()),
            _ => a.ToArray<int>().AsSpan().SequenceEqual(b.ToArray<int>()),
        };

    public static bool SameBatch(SequenceBatch a, SequenceBatch b) =>
        SameTensor(a.Inputs, b.Inputs) && SameTensor(a.Targets, b.Targets)
        && (a.TargetMask is null) == (b.TargetMask is null) && (a.TargetMask is null || SameTensor(a.TargetMask, b.TargetMask!))
        && (a.Lengths is null) == (b.Lengths is null) && (a.Lengths is null || a.Lengths.AsSpan().SequenceEqual(b.Lengths));

    /// <summary>Same seed → bit-identical batches; another seed → different inputs.</summary>
    public static void AssertSeeded(Func<Rng, SequenceBatch> generate)
    {
        using var a = generate(new Rng(7));
        using var b = generate(new Rng(7));
        using var c = generate(new Rng(8));
        Assert.True(SameBatch(a, b), "the same seed must give identical tensors");
        Assert.False(SameTensor(a.Inputs, c.Inputs), "a different seed must give different inputs");
    }

    public static void AssertOutOfRange(string parameter, Action action)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(action);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains("must be", e.Message);
    }
}
