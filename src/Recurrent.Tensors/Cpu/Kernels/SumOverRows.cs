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
    public static void SumOverRows<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y, bool accumulate, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.Destination(y.Length, cols, nameof(y));
        SpanChecks.Disjoint(x, y, nameof(x), nameof(y));
        Span<T> acc = y[..cols];
        if (!accumulate) acc.Clear();
        level = SimdCaps.Clamp(level);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(acc);
        // Column blocks of four vectors stay in registers while every row is added to them: one pass over x,
        // and the rows are still added in order, so the result is bit-identical to the scalar reference.
        int c = 0;
        if (level == SimdLevel.Vector512) c = Blocks512(ref xr, ref yr, rows, cols);
        if (level >= SimdLevel.Vector256) c = Blocks256(ref xr, ref yr, rows, cols, c);
        if (level >= SimdLevel.Vector128) c = Blocks128(ref xr, ref yr, rows, cols, c);
        for (; c < cols; c++)
        {
            T sum = Unsafe.Add(ref yr, c);
            for (int r = 0; r < rows; r++) sum += Unsafe.Add(ref xr, (nint)r * cols + c);
            Unsafe.Add(ref yr, c) = sum;
        }
    }

    private static int Blocks512<T>(ref T x, ref T y, int rows, int cols) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count, c = 0;
        for (; c + 4 * w <= cols; c += 4 * w)
        {
            Vector512<T> a0 = Vector512.LoadUnsafe(ref y, (nuint)c), a1 = Vector512.LoadUnsafe(ref y, (nuint)(c + w));
            Vector512<T> a2 = Vector512.LoadUnsafe(ref y, (nuint)(c + 2 * w)), a3 = Vector512.LoadUnsafe(ref y, (nuint)(c + 3 * w));
            for (int r = 0; r < rows; r++)
            {
                nuint o = (nuint)((nint)r * cols + c);
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
            for (int r = 0; r < rows; r++) a += Vector512.LoadUnsafe(ref x, (nuint)((nint)r * cols + c));
            a.StoreUnsafe(ref y, (nuint)c);
        }
        return c;
    }

    private static int Blocks256<T>(ref T x, ref T y, int rows, int cols, int c) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count;
        for (; c + 4 * w <= cols; c += 4 * w)
        {
            Vector256<T> a0 = Vector256.LoadUnsafe(ref y, (nuint)c), a1 = Vector256.LoadUnsafe(ref y, (nuint)(c + w));
            Vector256<T> a2 = Vector256.LoadUnsafe(ref y, (nuint)(c + 2 * w)), a3 = Vector256.LoadUnsafe(ref y, (nuint)(c + 3 * w));
            for (int r = 0; r < rows; r++)
            {
                nuint o = (nuint)((nint)r * cols + c);
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
            for (int r = 0; r < rows; r++) a += Vector256.LoadUnsafe(ref x, (nuint)((nint)r * cols + c));
            a.StoreUnsafe(ref y, (nuint)c);
        }
        return c;
    }

    private static int Blocks128<T>(ref T x, ref T y, int rows, int cols, int c) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int w = Vector128<T>.Count;
        for (; c + w <= cols; c += w)
        {
            Vector128<T> a = Vector128.LoadUnsafe(ref y, (nuint)c);
            for (int r = 0; r < rows; r++) a += Vector128.LoadUnsafe(ref x, (nuint)((nint)r * cols + c));
            a.StoreUnsafe(ref y, (nuint)c);
        }
        return c;
    }
}
