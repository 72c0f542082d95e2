// Scalar reference of the embedding lookup (gather) and its backward (scatter-add).
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

public static partial class ReferenceKernels
{
    /// <summary>y [n, dim] = table [vocab, dim] rows at indices [n].</summary>
    public static void EmbeddingGather<T>(ReadOnlySpan<T> table, int vocab, int dim, ReadOnlySpan<int> indices, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(vocab, dim, nameof(vocab), nameof(dim));
        SpanChecks.Matrix(table.Length, vocab, dim, nameof(table), nameof(vocab), nameof(dim));
        SpanChecks.Shape(indices.Length, dim, "indices.Length", nameof(dim));
        SpanChecks.MatrixDestination(y.Length, indices.Length, dim, nameof(y), "indices.Length", nameof(dim));
        SpanChecks.Disjoint(table, y, nameof(table), nameof(y));
        SpanChecks.Indices(indices, vocab);
        for (int i = 0; i < indices.Length; i++)
            for (int k = 0; k < dim; k++)
                y[i * dim + k] = table[indices[i] * dim + k];
    }

    /// <summary>dTable [vocab, dim] += dy [n, dim] at rows indices [n].</summary>
    public static void EmbeddingScatterAdd<T>(ReadOnlySpan<T> dy, ReadOnlySpan<int> indices, int vocab, int dim, Span<T> dTable) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(vocab, dim, nameof(vocab), nameof(dim));
        SpanChecks.Shape(indices.Length, dim, "indices.Length", nameof(dim));
        SpanChecks.Matrix(dy.Length, indices.Length, dim, nameof(dy), "indices.Length", nameof(dim));
        SpanChecks.Matrix(dTable.Length, vocab, dim, nameof(dTable), nameof(vocab), nameof(dim));
        SpanChecks.Disjoint(dy, dTable, nameof(dy), nameof(dTable));
        SpanChecks.Indices(indices, vocab);
        for (int i = 0; i < indices.Length; i++)
            for (int k = 0; k < dim; k++)
                dTable[indices[i] * dim + k] += dy[i * dim + k];
    }
}
