// The row loop of the elementwise losses (mask, skipped rows, mean denominator) and their vector sum, written once.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

internal static class LossDriver
{
    /// <summary>
    /// Σ_i op(a[i], b[i], s) with two independent accumulators at the top width (folded down through the narrower
    /// widths like <see cref="KernelDriver.Aggregate{T, TOp}"/>), then the scalar tail.
    /// </summary>
    public static T Sum<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, T s, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IBinaryOp<T>
    {
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length, i = 0;
        level = SimdCaps.Clamp(level);
        T sum = T.Zero;
        if (level == SimdLevel.Scalar) goto Scalar;

        Vector256<T> carry256 = Vector256<T>.Zero;
        if (level == SimdLevel.Vector512)
        {
            nuint c = (nuint)Vector512<T>.Count;
            Vector512<T> vs = Vector512.Create(s), acc0 = Vector512<T>.Zero, acc1 = acc0;
            for (; i + 2 * c <= n; i += 2 * c)
            {
                acc0 += TOp.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i), vs);
                acc1 += TOp.Invoke(Vector512.LoadUnsafe(ref ar, i + c), Vector512.LoadUnsafe(ref br, i + c), vs);
            }
            for (; i + c <= n; i += c)
                acc0 += TOp.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i), vs);
            acc0 += acc1;
            carry256 = acc0.GetLower() + acc0.GetUpper();
        }

        Vector128<T> carry128 = Vector128<T>.Zero;
        if (level >= SimdLevel.Vector256)
        {
            nuint c = (nuint)Vector256<T>.Count;
            Vector256<T> vs = Vector256.Create(s), acc0 = carry256, acc1 = Vector256<T>.Zero;
            for (; i + 2 * c <= n; i += 2 * c)
            {
                acc0 += TOp.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i), vs);
                acc1 += TOp.Invoke(Vector256.LoadUnsafe(ref ar, i + c), Vector256.LoadUnsafe(ref br, i + c), vs);
            }
            for (; i + c <= n; i += c)
                acc0 += TOp.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i), vs);
            acc0 += acc1;
            carry128 = acc0.GetLower() + acc0.GetUpper();
        }

        {
            nuint c = (nuint)Vector128<T>.Count;
            Vector128<T> vs = Vector128.Create(s), acc0 = carry128;
            for (; i + c <= n; i += c)
                acc0 += TOp.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i), vs);
            sum = Vector128.Sum(acc0);
        }

    Scalar:
        for (; i < n; i++)
            sum += TOp.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i), s);
        return sum;
    }

    /// <summary>
    /// The reduced loss: Σ_r w_r · Σ_c value(x[r, c], y[r, c]) with w_r = mask[r] (1 without a mask; rows with w_r = 0
    /// skipped), divided by Σ w × cols for the mean. Blocks of ≤ 4096 elements are summed in T, blocks and rows in double.
    /// </summary>
    public static T Forward<T, TValue>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> mask, int rows, int cols, Reduction reduction, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TValue : IBinaryOp<T>
    {
        CheckShapes(x, y, mask, rows, cols, "input", "target");
        double total, weight;
        if (mask.IsEmpty)
        {
            total = ChunkedSum<T, TValue>(x, y, level);
            weight = rows;
        }
        else
        {
            total = 0;
            weight = 0;
            for (int r = 0; r < rows; r++)
            {
                double w = double.CreateTruncating(mask[r]);
                if (w == 0) continue;
                total += w * ChunkedSum<T, TValue>(x.Slice(r * cols, cols), y.Slice(r * cols, cols), level);
                weight += w;
            }
        }
        return T.CreateTruncating(reduction == Reduction.Mean ? total / (weight * cols) : total);
    }

    /// <summary>
    /// Σ value(a, b) in blocks of 4096 elements, each summed in T across vector lanes, the blocks in double: a float32
    /// sum over a million elements then errs like one over 4096 (≈ 1e-6 relative), not like one over 30,000 per lane.
    /// </summary>
    private static double ChunkedSum<T, TValue>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TValue : IBinaryOp<T>
    {
        const int Block = 4096;
        double total = 0;
        for (int i = 0; i < a.Length; i += Block)
        {
            int n = Math.Min(Block, a.Length - i);
            total += double.CreateTruncating(Sum<T, TValue>(a.Slice(i, n), b.Slice(i, n), T.Zero, level));
        }
        return total;
    }

    /// <summary>dx[r, c] = g · w_r / denominator · grad(x[r, c], y[r, c]); 0 on skipped rows.</summary>
    public static void Backward<T, TGrad>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> mask, int rows, int cols, Reduction reduction, T gradOutput, Span<T> dx, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TGrad : IBinaryOp<T>
    {
        CheckShapes(x, y, mask, rows, cols, "input", "target");
        SpanChecks.MatrixDestination(dx.Length, rows, cols, nameof(dx));
        SpanChecks.InPlaceOrDisjoint(x, dx, "input", nameof(dx));
        SpanChecks.InPlaceOrDisjoint(y, dx, "target", nameof(dx));
        double g = double.CreateTruncating(gradOutput);
        if (mask.IsEmpty)
        {
            KernelDriver.Binary<T, TGrad>(x, y, dx[..(rows * cols)], T.CreateTruncating(UnmaskedScale(reduction, g, rows, cols)), level);
            return;
        }
        double perWeight = reduction == Reduction.Mean ? g / (MaskWeight(mask) * cols) : g;
        for (int r = 0; r < rows; r++)
        {
            double w = double.CreateTruncating(mask[r]);
            Span<T> dxr = dx.Slice(r * cols, cols);
            if (w == 0) dxr.Clear();
            else KernelDriver.Binary<T, TGrad>(x.Slice(r * cols, cols), y.Slice(r * cols, cols), dxr, T.CreateTruncating(perWeight * w), level);
        }
    }

    /// <summary>What every element's gradient is scaled by without a mask: g, over the element count for a mean.</summary>
    public static double UnmaskedScale(Reduction reduction, double g, int rows, int cols) =>
        reduction == Reduction.Mean ? g / ((double)rows * cols) : g;

    /// <summary>Σ mask in double, skipping zeros as the forward does.</summary>
    public static double MaskWeight<T>(ReadOnlySpan<T> mask) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double s = 0;
        foreach (T m in mask)
            if (m != T.Zero) s += double.CreateTruncating(m);
        return s;
    }

    public static void CheckShapes<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> mask, int rows, int cols, string xName, string yName)
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(x.Length, rows, cols, xName);
        SpanChecks.Matrix(y.Length, rows, cols, yName);
        if (!mask.IsEmpty) SpanChecks.Length(mask.Length, rows, nameof(mask), "one weight per row, or empty for none");
    }
}
