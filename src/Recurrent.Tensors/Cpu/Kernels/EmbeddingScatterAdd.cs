// EmbeddingScatterAdd: dTable[indices[i], :] += dy[i, :] — the embedding's backward.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>
    /// dTable [vocab, dim] += dy [n, dim] scattered by indices [n]; repeated indices accumulate in order. Every
    /// index is checked before anything is written, so a bad one leaves dTable untouched.
    /// </summary>
    public static void EmbeddingScatterAdd<T>(ReadOnlySpan<T> dy, ReadOnlySpan<int> indices, int vocab, int dim, Span<T> dTable, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(vocab, dim, nameof(vocab), nameof(dim));
        SpanChecks.Shape(indices.Length, dim, "indices.Length", nameof(dim));
        SpanChecks.Matrix(dy.Length, indices.Length, dim, nameof(dy), "indices.Length", nameof(dim));
        SpanChecks.Matrix(dTable.Length, vocab, dim, nameof(dTable), nameof(vocab), nameof(dim));
        SpanChecks.Disjoint(dy, dTable, nameof(dy), nameof(dTable));
        SpanChecks.Indices(indices, vocab);
        for (int i = 0; i < indices.Length; i++)
        {
            Span<T> row = dTable.Slice(indices[i] * dim, dim);
            KernelDriver.Binary<T, AddOp<T>>(row, dy.Slice(i * dim, dim), row, T.Zero, level);
        }
    }
}
