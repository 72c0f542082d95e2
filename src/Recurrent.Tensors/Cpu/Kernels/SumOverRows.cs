// SumOverRows: y[c] (+)= Σ_r x[r, c] — the bias gradient.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>
    /// y [cols] = (accumulate ? y : 0) + Σ_r x [rows, cols]. Rows are added in order, one vector add per row and
    /// column block, so the result is bit-identical to the scalar reference.
    /// </summary>
    public static void SumOverRows<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y, bool accumulate, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        SumOverRows(x, rows, cols, y, accumulate, level, 0, cols);

    /// <summary>
    /// Columns [<paramref name="from"/>, <paramref name="to"/>) of <see cref="SumOverRows{T}(ReadOnlySpan{T}, int, int, Span{T}, bool, SimdLevel)"/>:
    /// each column is its own sum in row order whichever columns share a call, so disjoint ranges may run on different
    /// threads and give the same bits.
    /// </summary>
    public static void SumOverRows<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y, bool accumulate, SimdLevel level, int from, int to) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.Destination(y.Length, cols, nameof(y));
        SpanChecks.Disjoint(x, y, nameof(x), nameof(y));
        if (from < 0 || to > cols || from > to) throw new ArgumentOutOfRangeException(nameof(from), $"columns [{from}, {to}) must lie in [0, {cols}]");
        int width = to - from;
        Span<T> acc = y[from..to];
        if (!accumulate) acc.Clear();
        if (rows == 0 || width == 0) return;
        level = SimdCaps.Clamp(level);
        ref T xr = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), from);
        ref T yr = ref MemoryMarshal.GetReference(acc);
        // Column blocks of four vectors stay in registers while every row is added to them: one pass over x,
        // and the rows are still added in order, so the result is bit-identical to the scalar reference.
        int c = 0;
        if (level == SimdLevel.Vector512) c = Blocks512(ref xr, ref yr, rows, width, cols);
        if (level >= SimdLevel.Vector256) c = Blocks256(ref xr, ref yr, rows, width, cols, c);
        if (level >= SimdLevel.Vector128) c = Blocks128(ref xr, ref yr, rows, width, cols, c);
        for (; c < width; c++)
        {
            T sum = Unsafe.Add(ref yr, c);
            for (int r = 0; r < rows; r++) sum += Unsafe.Add(ref xr, (nint)r * cols + c);
            Unsafe.Add(ref yr, c) = sum;
        }
    }

    // x and y start at the first column of the range; cols is the range's width and ld the row stride of x.
    private static int Blocks512<T>(ref T x, ref T y, int rows, int cols, int ld) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count, c = 0;
        for (; c + 4 * w <= cols; c += 4 * w)
        {
            Vector512<T> a0 = Vector512.LoadUnsafe(ref y, (nuint)c), a1 = Vector512.LoadUnsafe(ref y, (nuint)(c + w));
            Vector512<T> a2 = Vector512.LoadUnsafe(ref y, (nuint)(c + 2 * w)), a3 = Vector512.LoadUnsafe(ref y, (nuint)(c + 3 * w));
            for (int r = 0; r < rows; r++)
            {
                nuint o = (nuint)((nint)r * ld + c);
                a0 += Vector512.LoadUnsafe(ref x, o);
                a1 += Vector512.LoadUnsafe(ref x, o + (nuint)w);
                a2 += Vector512.LoadUnsafe(ref x, o + (nuint)(2 * w));
                a3 += Vector512.LoadUnsafe(ref x, o + (nuint)(3 * w));
            }
            a0.StoreUnsafe(ref y, (nuint)c);
            a1.StoreUnsafe(ref y, (nuint)(c + w));
            a2.StoreUnsafe(ref y, (nuint)(c + 2 * w));
            a3.StoreUnsafe(ref y, (nuint)(c + 3 * w));
        }
        for (; c + w <= cols; c += w)
        {
            Vector512<T> a = Vector512.LoadUnsafe(ref y, (nuint)c);
            for (int r = 0; r < rows; r++) a += Vector512.LoadUnsafe(ref x, (nuint)((nint)r * ld + c));
            a.StoreUnsafe(ref y, (nuint)c);
        }
        return c;
    }

    private static int Blocks256<T>(ref T x, ref T y, int rows, int cols, int ld, int c) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count;
        for (; c + 4 * w <= cols; c += 4 * w)
        {
            Vector256<T> a0 = Vector256.LoadUnsafe(ref y, (nuint)c), a1 = Vector256.LoadUnsafe(ref y, (nuint)(c + w));
            Vector256<T> a2 = Vector256.LoadUnsafe(ref y, (nuint)(c + 2 * w)), a3 = Vector256.LoadUnsafe(ref y, (nuint)(c + 3 * w));
            for (int r = 0; r < rows; r++)
            {
                nuint o = (nuint)((nint)r * ld + c);
                a0 += Vector256.LoadUnsafe(ref x, o);
                a1 += Vector256.LoadUnsafe(ref x, o + (nuint)w);
                a2 += Vector256.LoadUnsafe(ref x, o + (nuint)(2 * w));
                a3 += Vector256.LoadUnsafe(ref x, o + (nuint)(3 * w));
            }
            a0.StoreUnsafe(ref y, (nuint)c);
            a1.StoreUnsafe(ref y, (nuint)(c + w));
            a2.StoreUnsafe(ref y, (nuint)(c + 2 * w));
            a3.StoreUnsafe(ref y, (nuint)(c + 3 * w));
        }
        for (; c + w <= cols; c += w)
        {
            Vector256<T> a = Vector256.LoadUnsafe(ref y, (nuint)c);
            for (int r = 0; r < rows; r++) a += Vector256.LoadUnsafe(ref x, (nuint)((nint)r * ld + c));
            a.StoreUnsafe(ref y, (nuint)c);
        }
        return c;
    }

    private static int Blocks128<T>(ref T x, ref T y, int rows, int cols, int ld, int c) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = Vector128<T>.Count;
        for (; c + w <= cols; c += w)
        {
            Vector128<T> a = Vector128.LoadUnsafe(ref y, (nuint)c);
            for (int r = 0; r < rows; r++) a += Vector128.LoadUnsafe(ref x, (nuint)((nint)r * ld + c));
            a.StoreUnsafe(ref y, (nuint)c);
        }
        return c;
    }
}
