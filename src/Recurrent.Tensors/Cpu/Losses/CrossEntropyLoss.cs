// Softmax cross-entropy over the rows of [rows, cols] logits with int32 class targets, ignore_index and a row mask.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>
    /// Σ_r w_r·(logsumexp(x[r, :]) − x[r, t_r]) over the rows whose target t_r is not <paramref name="ignoreIndex"/>
    /// and whose weight w_r (mask[r], 1 without a mask) is not 0; Mean divides by Σ w_r over those rows (NaN if none).
    /// Per row: max, then Σ exp(x − max) with vector lanes (one exp per element, nothing written).
    /// </summary>
    public static T CrossEntropyLoss<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> mask, int rows, int cols,
        Reduction reduction, int ignoreIndex = -100, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckCrossEntropy(logits, targets, mask, rows, cols, ignoreIndex);
        double total = 0, weight = 0;
        for (int r = 0; r < rows; r++)
        {
            int t = targets[r];
            double w = mask.IsEmpty ? 1 : double.CreateTruncating(mask[r]);
            if (t == ignoreIndex || w == 0) continue;
            ReadOnlySpan<T> row = logits.Slice(r * cols, cols);
            T max = KernelDriver.Aggregate<T, MaxOp<T>>(row, level);
            T sumExp = LossDriver.Sum<T, ExpMinusFirstOp<T>>(row, row, max, level);
            total += w * double.CreateTruncating(max + T.Log(sumExp) - row[t]);
            weight += w;
        }
        return T.CreateTruncating(reduction == Reduction.Mean ? total / weight : total);
    }

    /// <summary>
    /// dLogits[r, :] = g·w_r/denominator · (softmax(x[r, :]) − onehot(t_r)); 0 on ignored and zero-weight rows.
    /// dLogits may be logits itself (each row's max is taken before the row is overwritten).
    /// </summary>
    public static void CrossEntropyLossBackward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> mask, int rows, int cols,
        Reduction reduction, int ignoreIndex, T gradOutput, Span<T> dLogits, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckCrossEntropy(logits, targets, mask, rows, cols, ignoreIndex);
        SpanChecks.MatrixDestination(dLogits.Length, rows, cols, nameof(dLogits));
        SpanChecks.InPlaceOrDisjoint(logits, dLogits, nameof(logits), nameof(dLogits));
        double g = double.CreateTruncating(gradOutput);
        double perWeight = reduction == Reduction.Mean ? g / CrossEntropyWeight(targets, mask, ignoreIndex) : g;
        for (int r = 0; r < rows; r++)
        {
            int t = targets[r];
            double w = mask.IsEmpty ? 1 : double.CreateTruncating(mask[r]);
            Span<T> dr = dLogits.Slice(r * cols, cols);
            if (t == ignoreIndex || w == 0)
            {
                dr.Clear();
                continue;
            }
            ReadOnlySpan<T> row = logits.Slice(r * cols, cols);
            T s = T.CreateTruncating(perWeight * w);
            T max = KernelDriver.Aggregate<T, MaxOp<T>>(row, level);
            T sumExp = KernelDriver.UnarySum<T, ExpMinusOp<T>>(row, dr, max, level);
            KernelDriver.Unary<T, ScaleOp<T>>(dr, dr, s / sumExp, level);
            dr[t] -= s;
        }
    }

    /// <summary>Σ w over the rows that count (target not ignored, weight not 0): the mean's denominator.</summary>
    internal static double CrossEntropyWeight<T>(ReadOnlySpan<int> targets, ReadOnlySpan<T> mask, int ignoreIndex) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double weight = 0;
        for (int r = 0; r < targets.Length; r++)
            if (targets[r] != ignoreIndex)
                weight += mask.IsEmpty ? 1 : double.CreateTruncating(mask[r]);
        return weight;
    }

    /// <summary>Shapes, then every target in [0, cols) or ignoreIndex — checked before anything is read or written.</summary>
    internal static void CheckCrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> mask, int rows, int cols, int ignoreIndex)
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(logits.Length, rows, cols, nameof(logits));
        SpanChecks.Length(targets.Length, rows, nameof(targets), "one class index per row");
        if (!mask.IsEmpty) SpanChecks.Length(mask.Length, rows, nameof(mask), "one weight per row, or empty for none");
        for (int r = 0; r < rows; r++)
        {
            int t = targets[r];
            if (t != ignoreIndex && (uint)t >= (uint)cols)
                throw new ArgumentOutOfRangeException(nameof(targets), t,
                    $"targets[{r}] = {t} is outside [0, {cols}) (the {cols} classes) and is not ignore_index {ignoreIndex}.");
        }
    }
}

/// <summary>exp(a − s), b unused: lets <see cref="LossDriver.Sum{T, TOp}"/> sum exp(x − max) without writing anything.</summary>
internal readonly struct ExpMinusFirstOp<T> : IBinaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Invoke(T a, T b, T s) => T.Exp(a - s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Invoke(Vector128<T> a, Vector128<T> b, Vector128<T> s) => VectorMath.Exp(a - s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b, Vector256<T> s) => VectorMath.Exp(a - s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b, Vector512<T> s) => VectorMath.Exp(a - s);
}
