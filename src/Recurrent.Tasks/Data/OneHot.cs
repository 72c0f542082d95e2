// Class indices → one-hot float vectors, for recurrent layers fed symbols without an Embedding (seed 002, copy-memory).
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

public static class OneHot
{
    /// <summary>int32 indices [...] → float32 [..., classes] with a 1 at each index.</summary>
    public static Tensor Encode(Tensor indices, int classes)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.DType != DType.Int32)
            throw new ArgumentException($"indices must be int32; got {indices.DType.Name()}", nameof(indices));
        Arg.Positive(classes, nameof(classes));
        Arg.CountFits(Math.Max(1, checked((int)indices.Length)), classes, nameof(indices));
        int[] shape = [.. indices.Shape.ToArray(), classes];
        var result = Tensor.Zeros(shape);
        ReadOnlySpan<int> ix = indices.AsSpan<int>();
        Span<float> y = result.AsSpan<float>();
        for (int i = 0; i < ix.Length; i++)
        {
            if ((uint)ix[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(indices), ix[i], $"indices[{i}] (flat) must be in [0, {classes - 1}]; got {ix[i]}");
            y[i * classes + ix[i]] = 1f;
        }
        return result;
    }
}
