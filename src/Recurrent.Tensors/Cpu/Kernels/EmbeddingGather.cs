// EmbeddingGather: y[i, :] = table[indices[i], :].
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>
    /// y [n, dim] = rows of table [vocab, dim] picked by indices [n]. Every index is checked before anything is
    /// written; one outside [0, vocab) throws ArgumentOutOfRangeException naming indices, the position and vocab.
    /// </summary>
    public static void EmbeddingGather<T>(ReadOnlySpan<T> table, int vocab, int dim, ReadOnlySpan<int> indices, Span<T> y, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(vocab, dim, nameof(vocab), nameof(dim));
        SpanChecks.Matrix(table.Length, vocab, dim, nameof(table), nameof(vocab), nameof(dim));
        SpanChecks.Shape(indices.Length, dim, "indices.Length", nameof(dim));
        SpanChecks.MatrixDestination(y.Length, indices.Length, dim, nameof(y), "indices.Length", nameof(dim));
        SpanChecks.Disjoint(table, y, nameof(table), nameof(y));
        SpanChecks.Indices(indices, vocab);
        bool scalar = SimdCaps.Clamp(level) == SimdLevel.Scalar;
        for (int i = 0; i < indices.Length; i++)
        {
            ReadOnlySpan<T> src = table.Slice(indices[i] * dim, dim);
            Span<T> dst = y.Slice(i * dim, dim);
            if (scalar)
                for (int k = 0; k < dim; k++) dst[k] = src[k];
            else
                src.CopyTo(dst);
        }
    }
}
