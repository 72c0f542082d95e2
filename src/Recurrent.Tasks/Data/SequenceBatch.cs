// The common shape of every generator's output: batch-first inputs and targets, an optional step mask and lengths.
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

/// <summary>
/// A batch of examples, batch-first like the notebooks (set BatchFirst on the recurrent layer, or transpose).
/// <list type="bullet">
/// <item><see cref="Inputs"/>: float32 [B, T, F], or int32 token indices [B, T] for an Embedding.</item>
/// <item><see cref="Targets"/>: float32 [B, 1] or [B, T, F] for regression/BCE, int32 class indices [B, T] for cross-entropy.</item>
/// <item><see cref="TargetMask"/>: float32 [B, T], 1 on the scored steps and 0 elsewhere (the losses' per-row mask); null = all.</item>
/// <item><see cref="Lengths"/>: one per example, each in [1, T], for padded variable-length batches; null = all T.</item>
/// </list>
/// The batch owns its tensors: Dispose frees them.
/// </summary>
public sealed class SequenceBatch : ISequenceDataset, IDisposable
{
    public SequenceBatch(Tensor inputs, Tensor targets, Tensor? targetMask = null, int[]? lengths = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Rank < 2)
            throw new ArgumentException($"inputs must be [B, T] or [B, T, F]; got {inputs.ShapeText}", nameof(inputs));
        int b = inputs.Dim(0), t = inputs.Dim(1);
        if (targets.Rank < 1 || targets.Dim(0) != b)
            throw new ArgumentException($"targets must have {b} examples on the leading dimension like inputs {inputs.ShapeText}; got {targets.ShapeText}", nameof(targets));
        if (targetMask is not null && (targetMask.DType != DType.Float32 || targetMask.Rank != 2 || targetMask.Dim(0) != b || targetMask.Dim(1) != t))
            throw new ArgumentException($"targetMask must be float32 [{b}, {t}]; got {targetMask.DType.Name()} {targetMask.ShapeText}", nameof(targetMask));
        if (lengths is not null)
        {
            if (lengths.Length != b)
                throw new ArgumentException($"lengths must have one entry per example ({b}); got {lengths.Length}", nameof(lengths));
            for (int i = 0; i < lengths.Length; i++)
                if (lengths[i] < 1 || lengths[i] > t)
                    throw new ArgumentOutOfRangeException(nameof(lengths), lengths[i], $"lengths[{i}] must be in [1, {t}]; got {lengths[i]}");
        }
        Inputs = inputs;
        Targets = targets;
        TargetMask = targetMask;
        Lengths = lengths;
    }

    public Tensor Inputs { get; }
    public Tensor Targets { get; }
    public Tensor? TargetMask { get; }
    public int[]? Lengths { get; }

    /// <summary>Number of examples (B).</summary>
    public int Count => Inputs.Dim(0);

    /// <summary>Number of time steps (T), padding included.</summary>
    public int Steps => Inputs.Dim(1);

    /// <summary>The examples at <paramref name="indices"/>, copied into a new batch.</summary>
    public SequenceBatch Gather(ReadOnlySpan<int> indices) => new(
        GatherRows(Inputs, indices, nameof(indices)),
        GatherRows(Targets, indices, nameof(indices)),
        TargetMask is null ? null : GatherRows(TargetMask, indices, nameof(indices)),
        Lengths is null ? null : GatherLengths(Lengths, indices));

    /// <summary>Examples [start, start + count), copied into a new batch (a train/test split).</summary>
    public SequenceBatch Slice(int start, int count)
    {
        Arg.InRange(start, 0, Count, nameof(start));
        Arg.InRange(count, 0, Count - start, nameof(count));
        var rows = new int[count];
        for (int i = 0; i < count; i++) rows[i] = start + i;
        return Gather(rows);
    }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        TargetMask?.Dispose();
    }

    private static int[] GatherLengths(int[] lengths, ReadOnlySpan<int> indices)
    {
        var result = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++) result[i] = lengths[indices[i]];
        return result;
    }

    /// <summary>Rows of a CPU tensor along its leading dimension, copied in the given order.</summary>
    internal static Tensor GatherRows(Tensor source, ReadOnlySpan<int> rows, string argument)
    {
        int n = source.Dim(0);
        for (int i = 0; i < rows.Length; i++)
            if ((uint)rows[i] >= (uint)n)
                throw new ArgumentOutOfRangeException(argument, rows[i], $"{argument}[{i}] must be in [0, {n - 1}]; got {rows[i]}");
        int[] shape = source.Shape.ToArray();
        shape[0] = rows.Length;
        var result = Tensor.Zeros(shape, source.DType);
        int rowSize = n == 0 ? 0 : checked((int)(source.Length / n));
        switch (source.DType)
        {
            case DType.Float32: CopyRows<float>(source, result, rows, rowSize); break;
            case DType.Float64: CopyRows<double>(source, result, rows, rowSize); break;
            default: CopyRows<int>(source, result, rows, rowSize); break;
        }
        return result;
    }

    private static void CopyRows<T>(Tensor source, Tensor destination, ReadOnlySpan<int> rows, int rowSize) where T : unmanaged
    {
        ReadOnlySpan<T> s = source.AsSpan<T>();
        Span<T> d = destination.AsSpan<T>();
        for (int i = 0; i < rows.Length; i++)
            s.Slice(rows[i] * rowSize, rowSize).CopyTo(d.Slice(i * rowSize, rowSize));
    }
}
